"""The ``syda`` command: parse options, call the pipeline, print what happened.

::

    syda inspect --models examples.crm_models:Base            # which generator each column gets, and why
    syda plan    --url sqlite:///crm.db --models examples.crm_models:Base --rows 1000
    syda seed    --url postgresql+psycopg://... --models app.models:Base --counts customers=100,orders=300
    syda seed    --url sqlite:///crm.db --create-tables --models examples.crm_models:Base --rows 1000
    syda generate --models examples.crm_models:Base --rows 50 -o out/ --format csv

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

    from .generate import TableGenerator

    console = _console()
    try:
        for spec in _specs(models, url, tables):
            gen = TableGenerator(spec, 10, seed=seed_value)
            table = Table(title=f"{spec.display_name} ({spec.fullname})", title_justify="left")
            for col in ("column", "type", "generator", "source", "reason"):
                table.add_column(col, overflow="fold")
            for row in gen.describe():
                table.add_row(*row.values())
            console.print(table)
    except SydaError as exc:
        raise click.ClickException(str(exc)) from None


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
    ]):
        fn = decorator(fn)
    return fn


def _run_seed(url, models, rows, counts, seed_value, existing, workers, locale, create_tables, alter, dry_run):
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
                  console=console, transient=True, disable=dry_run) as bar:
        def progress(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(table, total=total)
            bar.update(tasks[table], completed=done)

        result = seed(engine, {s.table if s.table is not None else s.fullname: n for s, n in wanted.items()},
                      seed=seed_value, existing=existing, workers=workers, locale=locale, dry_run=dry_run,
                      alter_constraints=alter, progress=progress)
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
    table.add_row("total", f"{result.rows:,}", f"{result.seconds:.2f}", f"{result.rows_per_second:,.0f}")
    out.print(table)


@main.command("seed")
@_seed_options
@click.option("--dry-run", is_flag=True, help="print the plan and the SQL, write nothing.")
def seed_cmd(url, models, rows, counts, seed_value, existing, workers, locale, create_tables, alter_constraints,
             dry_run) -> None:
    """Fill a database with synthetic rows, in FK order, in one transaction."""
    try:
        _run_seed(url, models, rows, counts, seed_value, existing, workers, locale, create_tables,
                  alter_constraints, dry_run)
    except SydaError as exc:
        raise click.ClickException(str(exc)) from None


@main.command("plan")
@_seed_options
def plan_cmd(url, models, rows, counts, seed_value, existing, workers, locale, create_tables,
             alter_constraints) -> None:
    """Print the seed plan (order, counts, cycle handling) and the SQL it would run."""
    try:
        _run_seed(url, models, rows, counts, seed_value, existing, workers, locale, create_tables,
                  alter_constraints, True)
    except SydaError as exc:
        raise click.ClickException(str(exc)) from None


@main.command("generate")
@click.option("--models", required=True, help="module:attribute with the models.")
@click.option("--rows", type=click.IntRange(min=0), help="rows for every table.")
@click.option("--counts", help="rows per table: customers=100,orders=300.")
@click.option("--seed", "seed_value", type=int, default=0, show_default=True)
@click.option("--locale", default="en_US", show_default=True)
@click.option("-o", "--output", "output", required=True, type=click.Path(file_okay=False),
              help="folder for one file per table.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "parquet"]), default="csv", show_default=True)
def generate_cmd(models, rows, counts, seed_value, locale, output, fmt) -> None:
    """Write synthetic tables to files (CSV, JSON or Parquet) without a database."""
    from .generate import generate
    from .writers.files import write_frames

    try:
        specs = _specs(models, None)
        wanted = _counts(specs, rows, counts)
        started = time.perf_counter()
        frames = generate(specs, {s.fullname: n for s, n in wanted.items()}, seed=seed_value, locale=locale)
        paths = write_frames(frames, output, fmt)
    except SydaError as exc:
        raise click.ClickException(str(exc)) from None
    for name, path in paths.items():
        click.echo(f"{name}: {len(frames[name])} rows -> {path}")
    click.echo(f"done in {time.perf_counter() - started:.2f}s")
