"""The ``syda`` command: parse options, call the pipeline, print what happened.

::

    syda inspect --models examples.crm_models:Base            # which generator each column gets, and why
    syda plan    --url sqlite:///crm.db --models examples.crm_models:Base --rows 1000
    syda seed    --url postgresql+psycopg://... --models app.models:Base --counts customers=100,orders=300
    syda seed    --url sqlite:///crm.db --create-tables --models examples.crm_models:Base --rows 1000
    syda generate --models examples.crm_models:Base --rows 50 -o out/ --format csv
    syda generate schema.yaml -o out/ --llm                    # dict schemas from YAML/JSON; the LLM from env
    syda prompt schema.yaml --table patients                    # the exact prompt the LLM would get

``--models`` is ``module:attribute`` (a declarative Base, MetaData, model, or list of models); without it
the tables are reflected from ``--url``. Errors print one line and exit with status 1 (2 for bad usage).
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from typing import Any

import click

from .exceptions import SydaError

__all__ = ["main"]


def _console(stderr: bool = False):
    """A rich console that does not squeeze tables to 80 columns when output is piped."""
    from rich.console import Console

    console = Console(stderr=stderr)
    if not console.is_terminal:
        console = Console(stderr=stderr, width=160)
    return console


def _load_models(ref: str | None) -> Any:
    if not ref:
        return None
    if ":" not in ref:
        raise click.BadParameter("use module:attribute, e.g. myapp.models:Base", param_hint="--models")
    module_name, attr = ref.split(":", 1)
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise click.BadParameter(f"cannot import {module_name!r}: {exc}", param_hint="--models") from None
    try:
        obj = module
        for part in attr.split("."):
            obj = getattr(obj, part)
    except AttributeError:
        raise click.BadParameter(f"{module_name!r} has no attribute {attr!r}", param_hint="--models") from None
    return obj


def _specs(models_ref: str | None, url: str | None, tables: tuple[str, ...] = ()) -> list:
    from .introspect import reflect_specs, table_specs

    models = _load_models(models_ref)
    if models is not None:
        specs = table_specs(models)
    elif url:
        specs = reflect_specs(_engine(url))
    else:
        raise click.UsageError("give --models module:Base, or --url to read the tables from a database")
    if tables:
        wanted = set(tables)
        specs = [s for s in specs if wanted & {s.name, s.fullname, s.model_name}]
        missing = wanted - {n for s in specs for n in (s.name, s.fullname, s.model_name)}
        if missing:
            raise click.BadParameter(f"unknown table(s): {', '.join(sorted(missing))}", param_hint="--table")
    return specs


def _engine(url: str):
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(url)
    except Exception as exc:
        raise click.BadParameter(f"{exc}", param_hint="--url") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", lambda dbapi_conn, _: dbapi_conn.execute("PRAGMA foreign_keys=ON"))
    return engine


def _counts(specs: list, rows: int | None, counts: str | None) -> dict:
    out: dict = {}
    if counts:
        for item in counts.split(","):
            if "=" not in item:
                raise click.BadParameter(f"{item!r} is not table=n", param_hint="--counts")
            name, value = item.split("=", 1)
            try:
                n = int(value)
            except ValueError:
                raise click.BadParameter(f"{value!r} is not a number (in {item!r})", param_hint="--counts") from None
            if n < 0:
                raise click.BadParameter(f"negative count in {item!r}", param_hint="--counts")
            spec = next((s for s in specs if name.strip() in (s.name, s.fullname, s.model_name)), None)
            if spec is None:
                raise click.BadParameter(f"unknown table {name!r}; tables: {', '.join(s.name for s in specs)}",
                                         param_hint="--counts")
            out[spec] = n
    if rows is not None:
        for spec in specs:
            out.setdefault(spec, rows)
    if not out:
        raise click.UsageError("say how many rows: --rows N and/or --counts table=n,...")
    return out


@click.group()
@click.version_option(package_name="sqlalchemy-syda")
def main() -> None:
    """sqlalchemy-syda: realistic, valid synthetic data for SQLAlchemy databases."""


@main.command("inspect")
@click.option("--models", help="module:attribute holding a declarative Base, MetaData or models.")
@click.option("--url", help="database URL to reflect tables from (when --models is not given).")
@click.option("--table", "tables", multiple=True, help="only these tables (repeatable).")
@click.option("--seed", "seed_value", type=int, default=0, show_default=True)
def inspect_cmd(models: str | None, url: str | None, tables: tuple[str, ...], seed_value: int) -> None:
    """Show which generator each column gets, and why."""
    from rich.table import Table

    from .options import SeedOptions
    from .plan import PlanRequest
    from .planner import plan_run

    console = _console()
    try:
        specs = _specs(models, url, tables)
        request = PlanRequest(tuple(specs), {s.fullname: 10 for s in specs}, target="frames")
        plan = plan_run(request, SeedOptions(seed=seed_value))
        for spec in specs:
            recipe = plan.table(spec.fullname).recipe
            table = Table(title=f"{spec.display_name} ({spec.fullname})", title_justify="left")
            for col in ("column", "type", "generator", "source", "reason"):
                table.add_column(col, overflow="fold")
            for row in recipe.describe():
                table.add_row(*row.values())
            console.print(table)
            for note in recipe.notes():
                console.print(f"  {note}")
    except SydaError as exc:
        raise click.ClickException(str(exc)) from None


def _llm_options(fn):
    for decorator in reversed([
        click.option("--llm", "use_llm", is_flag=True,
                     help="let the LLM from the environment (OPENAI_*, SYDA_LLM_*) write text-like columns."),
        click.option("--mode", type=click.Choice(["auto", "pools", "rows"]), help="LLM mode (implies --llm)."),
        click.option("--lockfile", type=click.Path(dir_okay=False), help="LLM lockfile (default syda.lock.json)."),
        click.option("--refresh", is_flag=True, help="ask the LLM again and overwrite the lockfile (implies --llm)."),
        click.option("--offline", is_flag=True, help="answer only from the lockfile, no network (implies --llm)."),
    ]):
        fn = decorator(fn)
    return fn


def _seed_options(fn):
    for decorator in reversed([
        click.option("--url", required=True, help="database URL (SQLAlchemy form)."),
        click.option("--models", help="module:attribute with the models; default: reflect the database."),
        click.option("--rows", type=click.IntRange(min=0), help="rows for every table."),
        click.option("--counts", help="rows per table: customers=100,orders=300."),
        click.option("--seed", "seed_value", type=int, default=0, show_default=True, help="same seed, same data."),
        click.option("--existing", type=click.Choice(["append", "reuse", "top-up"]), default="append",
                     show_default=True),
        click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True),
        click.option("--locale", default="en_US", show_default=True),
        click.option("--create-tables", is_flag=True, help="create missing tables from --models first."),
        click.option("--alter-constraints", is_flag=True,
                     help="PostgreSQL: make NOT NULL cycle constraints deferrable during the seed."),
        click.option("--fk-checks", type=click.Choice(["auto", "row", "bulk"]), default="auto", show_default=True,
                     help="PostgreSQL: check foreign keys per row, or in bulk (constraints dropped for the load "
                          "and re-added, validated, in the same transaction); auto picks bulk for big loads."),
    ]):
        fn = decorator(fn)
    return fn


def _run_seed(url, models, rows, counts, seed_value, existing, workers, locale, create_tables, alter, fk_checks,
              dry_run, llm=None):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from .seed import seed

    console = _console(stderr=True)
    model_obj = _load_models(models)
    engine = _engine(url)
    specs = _specs(models, url)
    if create_tables:
        if model_obj is None:
            raise click.UsageError("--create-tables needs --models")
        metadata = getattr(model_obj, "metadata", model_obj)
        try:
            metadata.create_all(engine)
        except Exception as exc:
            raise click.ClickException(f"cannot create tables at {engine.url.render_as_string(True)}: "
                                       f"{str(exc).splitlines()[0]}") from None
    wanted = _counts(specs, rows, counts)
    tasks: dict[str, Any] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=dry_run or not console.is_terminal) as bar:
        def progress(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(table, total=total)
            bar.update(tasks[table], completed=done)

        result = seed(engine, {s.table if s.table is not None else s.fullname: n for s, n in wanted.items()},
                      seed=seed_value, existing=existing, workers=workers, locale=locale, dry_run=dry_run,
                      alter_constraints=alter, fk_checks=fk_checks, progress=progress, llm=llm)
    out = _console()
    if dry_run:
        out.print(result.plan.describe())
        for line in result.sql:
            out.print(line, markup=False, highlight=False)
        return
    table = Table(title=f"seeded {engine.url.render_as_string(hide_password=True)}", title_justify="left")
    for col in ("table", "rows", "seconds", "rows/s"):
        table.add_column(col, justify="right" if col != "table" else "left")
    for name, n in result.counts.items():
        secs = result.timings.get(name, 0.0)
        table.add_row(name, f"{n:,}", f"{secs:.2f}", f"{n / secs:,.0f}" if secs else "-")
    if result.bulk_fk_tables:
        table.add_row("(foreign keys re-added, checked)", "", f"{result.fk_check_seconds:.2f}", "")
    table.add_row("total", f"{result.rows:,}", f"{result.seconds:.2f}", f"{result.rows_per_second:,.0f}")
    out.print(table)
    if llm is not None:
        _print_report(llm.report)


@main.command("seed")
@_seed_options
@click.option("--dry-run", is_flag=True, help="print the plan and the SQL, write nothing.")
@_llm_options
def seed_cmd(url, models, rows, counts, seed_value, existing, workers, locale, create_tables, alter_constraints,
             fk_checks, dry_run, use_llm, mode, lockfile, refresh, offline) -> None:
    """Fill a database with synthetic rows, in FK order, in one transaction."""
    try:
        llm = None if dry_run else _llm_source(use_llm, mode, lockfile, refresh, offline, {})
        _run_seed(url, models, rows, counts, seed_value, existing, workers, locale, create_tables,
                  alter_constraints, fk_checks, dry_run, llm)
    except SydaError as exc:
        raise click.ClickException(str(exc)) from None


@main.command("plan")
@_seed_options
def plan_cmd(url, models, rows, counts, seed_value, existing, workers, locale, create_tables,
             alter_constraints, fk_checks) -> None:
    """Print the seed plan (order, counts, cycle handling) and the SQL it would run."""
    try:
        _run_seed(url, models, rows, counts, seed_value, existing, workers, locale, create_tables,
                  alter_constraints, fk_checks, True)
    except SydaError as exc:
        raise click.ClickException(str(exc)) from None


def _llm_source(use_llm: bool, mode: str | None, lockfile: str | None, refresh: bool, offline: bool,
                prompts: dict[str, str]):
    """The LLM the options ask for, or None (then the built-in generators; a message says so if --llm was given)."""
    if not (use_llm or mode or refresh or offline):
        return None
    from .llm.config import LLMConfig
    from .llm.source import LLM, resolve_llm

    changes = {k: v for k, v in (("mode", mode), ("lockfile", lockfile)) if v}
    changes.update({k: True for k, v in (("refresh", refresh), ("offline", offline)) if v})
    config = LLMConfig.from_env(**changes)
    if config is None:
        if not offline:
            return resolve_llm("env")
        config = LLMConfig(**changes)  # offline replay needs no server, only the lockfile
    return LLM(config, prompts=prompts)


def _schema_or_models(schema_file: str | None, models: str | None) -> tuple[list, dict[str, int], dict[str, str]]:
    if bool(schema_file) == bool(models):
        raise click.UsageError("give a schema file (YAML or JSON) or --models module:Base, not both")
    if models:
        return _specs(models, None), {}, {}
    from .schema_files import load_schema_file

    schema = load_schema_file(schema_file)
    return schema.specs, schema.counts, schema.prompts


def _print_report(report) -> None:
    from rich.table import Table

    table = Table(title=f"LLM run report (model {report.model})", title_justify="left")
    rows = report.rows()
    for col in rows[0]:
        table.add_column(col, justify="left" if col in ("table", "mode") else "right")
    for row in rows:
        table.add_row(*row.values())
    _console().print(table)


@main.command("generate")
@click.argument("schema_file", required=False, type=click.Path(dir_okay=False))
@click.option("--models", help="module:attribute with the models (instead of a schema file).")
@click.option("--rows", type=click.IntRange(min=0), help="rows for every table.")
@click.option("--counts", help="rows per table: customers=100,orders=300.")
@click.option("--seed", "seed_value", type=int, default=0, show_default=True)
@click.option("--locale", default="en_US", show_default=True)
@click.option("-o", "--output", "output", required=True, type=click.Path(file_okay=False),
              help="folder for one file per table.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "parquet"]), default="csv", show_default=True)
@_llm_options
def generate_cmd(schema_file, models, rows, counts, seed_value, locale, output, fmt, use_llm, mode, lockfile,
                 refresh, offline) -> None:
    """Write synthetic tables to files (CSV, JSON or Parquet) without a database.

    The tables come from SCHEMA_FILE (YAML or JSON dict schemas) or from --models.
    """
    from .generate import generate
    from .writers.files import write_frames

    try:
        specs, file_counts, prompts = _schema_or_models(schema_file, models)
        wanted = {s: file_counts[s.name] for s in specs if s.name in file_counts}
        if rows is not None or counts or not wanted:
            wanted.update(_counts(specs, rows, counts))
        llm = _llm_source(use_llm, mode, lockfile, refresh, offline, prompts)
        started = time.perf_counter()
        frames = generate(specs, {s.fullname: n for s, n in wanted.items()}, seed=seed_value, locale=locale,
                          llm=llm)
        paths = write_frames(frames, output, fmt)
    except SydaError as exc:
        raise click.ClickException(str(exc)) from None
    for name, path in paths.items():
        click.echo(f"{name}: {len(frames[name])} rows -> {path}")
    if llm is not None:
        _print_report(llm.report)
    click.echo(f"done in {time.perf_counter() - started:.2f}s")


@main.command("prompt")
@click.argument("schema_file", required=False, type=click.Path(dir_okay=False))
@click.option("--models", help="module:attribute with the models (instead of a schema file).")
@click.option("--table", "tables", multiple=True, help="only these tables (repeatable).")
@click.option("--rows", type=click.IntRange(min=1), default=10, show_default=True, help="rows of the table.")
@click.option("--prompt", "user_prompt", help="your own words for the LLM (default: the schema file's prompts).")
@click.option("--mode", type=click.Choice(["rows", "pools"]), default="rows", show_default=True)
def prompt_cmd(schema_file, models, tables, rows, user_prompt, mode) -> None:
    """Print the exact prompts the LLM gets for each table (first batch; one per column group in pools mode)."""
    from .llm.config import LLMConfig
    from .llm.source import LLM

    try:
        specs, _, prompts = _schema_or_models(schema_file, models)
        if tables:
            specs = [s for s in specs if set(tables) & {s.name, s.fullname, s.model_name}]
            if not specs:
                raise click.BadParameter(f"unknown table(s): {', '.join(tables)}", param_hint="--table")
        config = (LLMConfig.from_env() or LLMConfig()).replace(lockfile=None)
        for spec in specs:
            words = user_prompt if user_prompt is not None else prompts.get(spec.name)
            plan = LLM(config, prompts={spec.fullname: words}).plan(spec, rows, mode=mode)
            shown = [r for r in plan.requests if r.batch == 0]
            for request in shown:
                group = f", {request.group}" if request.group else ""
                click.echo(f"# {spec.display_name} ({mode}{group}: {request.n} records per request)\n")
                click.echo(request.prompt + "\n")
            if not shown:
                click.echo(f"# {spec.display_name}: no column for the LLM to write in {mode} mode\n")
    except SydaError as exc:
        raise click.ClickException(str(exc)) from None


@main.group("alembic")
def alembic_group() -> None:
    """Alembic integration: environments whose migrations seed dev and test databases."""


@alembic_group.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("-c", "--config", "config_file", default="alembic.ini", show_default=True,
              type=click.Path(dir_okay=False), help="the alembic.ini to write (left alone if it exists).")
@click.option("--package", is_flag=True, help="write __init__.py files into the environment and versions/.")
def alembic_init_cmd(directory: str, config_file: str, package: bool) -> None:
    """Like `alembic init`, with env.py already passing on_version_apply=alembic_ext.on_version_apply."""
    try:
        from alembic.util import CommandError

        from alembic_ext.environment import init_environment
    except ImportError as exc:
        raise click.ClickException(f"{exc}. Install the extra: pip install 'sqlalchemy-syda[alembic]'") from None
    try:
        init_environment(directory, config_file=config_file, package=package)
    except CommandError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Seeding hook in {directory}/env.py; it runs when SYDA_ENV is dev or test (see [syda] in "
               f"{config_file}).")
