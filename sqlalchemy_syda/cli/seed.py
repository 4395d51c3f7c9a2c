"""``syda seed``: fill a database with synthetic rows, in FK order, in one transaction (``--dry-run``: plan only).

::

    syda seed --url postgresql+psycopg://... --models app.models:Base --counts customers=100,orders=300
    syda seed --url sqlite:///crm.db --create-tables --models examples.crm_models:Base --rows 1000 --dry-run
    syda seed --url sqlite:///dev.db --profile shop.profile.json --scale 2     # learned columns, fan-outs, sizes x 2
    syda seed --url postgresql+psycopg://... --models app.models:Base --rows 10000000 --dask local:4
    syda seed --url postgresql+psycopg://... --models app.models:Base --rows 10000000 --dask tcp://scheduler:8786 \
        --partitions 64

With ``--dask`` the partitions run on a Dask cluster (PostgreSQL; staged, then published in one transaction)
and the progress bars follow the partitions as they finish.

The same from Python, on a new SQLite file::

    >>> from click.testing import CliRunner
    >>> url = f"sqlite:///{tmp / 'crm.db'}"
    >>> CliRunner().invoke(command, ["--url", url, "--models", "examples.crm_models:Base", "--rows", "10",
    ...                              "--create-tables"]).exit_code
    0
    >>> with sa.create_engine(url).connect() as conn:
    ...     conn.execute(sa.text("SELECT count(*) FROM orders")).scalar(), \\
    ...         conn.execute(sa.text("SELECT count(*) FROM order_items oi JOIN orders o ON o.id = oi.order_id")).scalar()
    (10, 10)
    >>> result = CliRunner().invoke(command, ["--url", url, "--models", "examples.crm_models:Base",
    ...                                       "--counts", "customers=5,clients=3"])
    >>> result.exit_code, result.output.splitlines()[-1]
    (2, "Error: Invalid value for --counts: unknown table 'clients'; tables: customers, contacts, products,
    orders, order_items")

:func:`run_seed` and :func:`seed_options` serve ``syda plan`` too.
"""

from __future__ import annotations

from typing import Any

import click

from ..exceptions import SydaError
from ..plan_size import MAX_ROWS
from .flag_hints import as_flags
from .inputs import load_models, make_engine, read_specs, require_database, wanted_counts
from .llm_options import llm_options, llm_source
from .output import ProgressLines, make_console, print_report
from .planning_tables import planning_bind

__all__ = ["SQLITE_WITHOUT_MODELS", "command", "run_seed", "seed_options"]

SQLITE_WITHOUT_MODELS = (
    "note: SQLite keeps no column comments and no enum types, so without --models the values follow the names, "
    "types and CHECK constraints the database holds (enums from CHECK ... IN lists); pass --models module:Base "
    "for what the models say.")


def seed_options(fn):
    """The options ``syda seed`` and ``syda plan`` share: where, what, how many, and how."""
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
        click.option("--no-relations", "no_relations", is_flag=True,
                     help="turn off the inferred relations across tables (times after parents, carried values, "
                          "totals, one primary flag per parent)."),
        click.option("--profile", "profile_path", type=click.Path(dir_okay=False),
                     help="a profile from `syda learn`: its tables get the learned columns and fan-outs; without "
                          "--rows/--counts each profile table gets its learned row count times --scale."),
        click.option("--scale", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
                     help="with --profile and no counts: learned row counts times this."),
        click.option("--max-rows", type=click.IntRange(min=0), default=MAX_ROWS, show_default=True,
                     help="rows per table accepted without confirmation; raise it to confirm a bigger seed."),
        click.option("--allow-non-transactional", is_flag=True,
                     help="MariaDB / MySQL: also write into tables without transactions (MyISAM); a failure then "
                          "leaves the rows written so far."),
    ]):
        fn = decorator(fn)
    return fn


def run_seed(url, models, rows, counts, seed_value, existing, workers, locale, create_tables, alter, fk_checks,
             dry_run, llm=None, no_relations=False, cluster=None, partitions=None, lock_timeout=30.0, *,
             profile_path=None, scale=1.0, max_rows=MAX_ROWS, allow_non_transactional=False):
    """Seed (or, with ``dry_run``, plan) as the options say; print the plan and SQL, or a table of what was written.

    With ``profile_path`` and no ``rows`` / ``counts``, the profile's tables are seeded at their learned sizes
    times ``scale``; with ``cluster`` the partitions run on a Dask cluster."""
    console = make_console(stderr=True)
    model_obj = load_models(models)
    if create_tables and model_obj is None:
        raise click.UsageError("--create-tables needs --models")
    by_profile = bool(profile_path) and rows is None and not counts
    if model_obj is not None and not by_profile:  # bad --rows / --counts are usage errors before the database
        wanted_counts(read_specs(models, None), rows, counts)
    profile = None
    if profile_path:
        from ..learn import Profile

        profile = Profile.load(profile_path)
    options = dict(profile=profile, scale=scale, seed=seed_value, existing=existing, workers=workers, locale=locale,
                   dry_run=dry_run, alter_constraints=alter, fk_checks=fk_checks, llm=llm,
                   relations=False if no_relations else None, lock_timeout=lock_timeout, max_rows=max_rows,
                   allow_non_transactional=allow_non_transactional,
                   **({"cluster": cluster, "partitions": partitions} if cluster else {}))
    if create_tables and dry_run:  # a dry run creates nothing: the tables exist only where nothing stays
        with planning_bind(url, getattr(model_obj, "metadata", model_obj)) as bind:
            specs = read_specs(models, url)
            return _seed_and_print(bind, console, model_obj, specs, rows, counts, by_profile, options)
    if not create_tables:
        require_database(url)
    engine = make_engine(url)
    specs = read_specs(models, url, lock_timeout=lock_timeout)
    if create_tables:
        metadata = getattr(model_obj, "metadata", model_obj)
        try:
            metadata.create_all(engine)
        except Exception as exc:
            raise click.ClickException(f"cannot create tables at {engine.url.render_as_string(True)}: "
                                       f"{str(exc).splitlines()[0]}") from None
    _seed_and_print(engine, console, model_obj, specs, rows, counts, by_profile, options)


def _seed_and_print(engine, console, model_obj, specs, rows, counts, by_profile: bool, options: dict) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from ..seed import seed

    dry_run, llm = options["dry_run"], options["llm"]
    wanted = {} if by_profile else wanted_counts(specs, rows, counts)
    targets = None if by_profile else {s.table if s.table is not None else s.fullname: n for s, n in wanted.items()}
    if model_obj is None and engine.dialect.name == "sqlite":
        console.print(SQLITE_WITHOUT_MODELS, markup=False, highlight=False)
    tasks: dict[str, Any] = {}
    lines = None if dry_run or console.is_terminal else ProgressLines()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=dry_run or not console.is_terminal) as bar:
        def progress(table: str, done: int, total: int) -> None:
            if lines is not None:  # a file or a pipe: plain lines now and then
                lines(table, done, total)
                return
            if table not in tasks:
                tasks[table] = bar.add_task(table, total=total)
            bar.update(tasks[table], completed=done)

        result = seed(engine, targets, progress=progress, **options)
    out = make_console()
    if dry_run:
        out.print(result.plan.describe())
        for line in result.sql:
            out.print(line, markup=False, highlight=False)
        return
    table = Table(title=f"seeded {engine.engine.url.render_as_string(hide_password=True)}", title_justify="left")
    for col in ("table", "rows", "seconds", "rows/s"):
        table.add_column(col, justify="right" if col != "table" else "left")
    for name, n in result.counts.items():
        secs = result.timings.get(name, 0.0)
        table.add_row(name, f"{n:,}", f"{secs:.2f}", f"{n / secs:,.0f}" if secs else "-")
    for step in ("partitions", "publish"):  # a seed on a cluster: staging the partitions, then one publish
        if step in result.timings and step not in result.counts:
            table.add_row(f"({step})", "", f"{result.timings[step]:.2f}", "")
    if result.bulk_fk_tables:
        table.add_row("(foreign keys re-added, checked)", "", f"{result.fk_check_seconds:.2f}", "")
    table.add_row("total", f"{result.rows:,}", f"{result.seconds:.2f}", f"{result.rows_per_second:,.0f}")
    out.print(table)
    if llm is not None:
        print_report(llm.report)


@click.command("seed")
@seed_options
@click.option("--dry-run", is_flag=True, help="print the plan and the SQL, write nothing.")
@click.option("--dask", "cluster", metavar="local:N|tcp://HOST:8786",
              help="run the partitions on a Dask cluster: N local worker processes, or a scheduler's address "
                   "(PostgreSQL only; needs the [dask] extra).")
@click.option("--partitions", type=click.IntRange(min=1), help="with --dask: partitions per table (default: two per "
              "worker thread); the rows do not depend on it.")
@click.option("--lock-timeout", type=click.FloatRange(min=0, min_open=True, max=86_400, max_open=True), default=30.0,
              show_default=True, help="seconds to wait for a lock another session holds on a table, then fail "
                                      "naming the table and the session.")
@llm_options
def command(url, models, rows, counts, seed_value, existing, workers, locale, create_tables, alter_constraints,
            fk_checks, no_relations, profile_path, scale, max_rows, allow_non_transactional, dry_run, cluster, partitions,
            lock_timeout, use_llm, mode, lockfile, refresh, offline) -> None:
    """Fill a database with synthetic rows, in FK order, in one transaction."""
    if partitions is not None and not cluster:
        raise click.UsageError("--partitions needs --dask")
    try:
        llm = None if dry_run else llm_source(use_llm, mode, lockfile, refresh, offline, {})
        run_seed(url, models, rows, counts, seed_value, existing, workers, locale, create_tables,
                  alter_constraints, fk_checks, dry_run, llm, no_relations, cluster, partitions, lock_timeout,
                  profile_path=profile_path, scale=scale, max_rows=max_rows,
                  allow_non_transactional=allow_non_transactional)
    except SydaError as exc:
        raise click.ClickException(as_flags(str(exc))) from None
