"""PostgreSQL across many connections, still all or nothing: staging tables per partition, one publish.

Each partition COPYs its rows into its own UNLOGGED staging table, created from the target (the columns
the seed writes, with their types; none of the constraints or defaults), in a transaction of its own: a retried or speculative
task drops and recreates its table, so it replaces its rows and never duplicates them. When every
partition is in, one publish transaction on the caller's side moves the rows into the real tables in
FK order with the real constraints checked (``INSERT ... SELECT``; the foreign keys of a nullable cycle
written NULL and then UPDATEd from the staging rows, NOT NULL cycles through the deferred-constraint
path of :mod:`..dialects`), moves the sequences past the ids written and drops the staging tables.
A failure anywhere rolls the publish back, and :func:`drop_staging` removes every staging table of the run::

    run = new_run_id()
    write_staging_partition(url, plan, part, run)          # on a worker, once per partition
    with all_or_nothing_connection(engine) as conn:
        publish(conn, plan, parts, run)                     # on the client, one transaction
    drop_staging(engine, run)                               # always, also after a failure

Two-phase commit is not an option: PostgreSQL ships with ``max_prepared_transactions = 0``.
Staging table names are ``syda_stage_<run>_<table number>_<partition>`` (:func:`stage_name`), e.g.
``stage_name("0f3a9c2b1d", 2, 7) == "syda_stage_0f3a9c2b1d_002_00007"``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from ..dialects import dialect_for
from ..dialects.base import NO_PARAMETERS
from ..dialects.quoting import quote_name, quote_table
from ..exceptions import PlanError, WriteError
from ..plan import SeedPlan
from ..run import RunData
from ..specs import TableSpec
from ..write_errors import is_database_error, write_error
from ..writers.postgresql_copy import PostgresCopyWriter
from .partitions import Partition, partition_batches

__all__ = ["STAGE_PREFIX", "drop_staging", "new_run_id", "publish", "stage_name", "staging_tables",
           "write_staging_partition"]

STAGE_PREFIX = "syda_stage_"


def new_run_id() -> str:
    """A fresh id for the staging tables of one run."""
    return uuid.uuid4().hex[:10]


def stage_name(run: str, table_number: int, partition: int) -> str:
    """The staging table of partition ``partition`` of the ``table_number``-th table of the plan."""
    return f"{STAGE_PREFIX}{run}_{table_number:03d}_{partition:05d}"


def _table_number(plan: SeedPlan, table: str) -> int:
    return next(i for i, tp in enumerate(plan.tables) if tp.spec.fullname == plan.table(table).spec.fullname)


def _stage_spec(spec: TableSpec, name: str) -> TableSpec:
    return replace(spec, name=name)


def write_staging_partition(url: str, plan: SeedPlan, part: Partition, run: str, data: RunData | None = None) -> int:
    """Generate ``part`` and COPY it into its own staging table (replacing what a previous try left); its rows."""
    tp = plan.table(part.table)
    stage = _stage_spec(tp.spec, stage_name(run, _table_number(plan, part.table), part.index))
    engine = sa.create_engine(url, poolclass=NullPool)
    writer = PostgresCopyWriter()
    try:
        with engine.begin() as conn:
            target, staged = quote_table(conn, tp.spec), quote_table(conn, stage)
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {staged}", execution_options=NO_PARAMETERS)
            names = ", ".join(quote_name(conn, c) for c in tp.recipe.output_columns) or "NULL AS syda_none"
            conn.exec_driver_sql(f"CREATE UNLOGGED TABLE {staged} AS SELECT {names} FROM {target} WITH NO DATA",
                                 execution_options=NO_PARAMETERS)
            if tp.recipe.output_columns:
                try:
                    writer.write(conn, stage, partition_batches(plan, part.table, part.start, part.stop, data))
                except Exception as exc:
                    if not is_database_error(conn, exc):
                        raise
                    raise write_error(exc, tp.spec, writer.last_batch) from exc
    finally:
        engine.dispose()
    return part.rows


def staging_tables(conn: sa.Connection, run: str) -> list[str]:
    """The staging tables of ``run`` that exist (any schema), quoted and schema-qualified."""
    rows = conn.execute(sa.text("SELECT schemaname, tablename FROM pg_tables WHERE tablename LIKE :pattern"),
                        {"pattern": f"{STAGE_PREFIX}{run}%"}).all()
    return [f"{quote_name(conn, s)}.{quote_name(conn, t)}" for s, t in sorted(rows)]


def drop_staging(bind: sa.Engine | str, run: str) -> int:
    """Drop every staging table of ``run``; how many there were."""
    engine = sa.create_engine(bind, poolclass=NullPool) if isinstance(bind, str) else bind
    try:
        with engine.begin() as conn:
            tables = staging_tables(conn, run)
            for table in tables:
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}", execution_options=NO_PARAMETERS)
        return len(tables)
    finally:
        if isinstance(bind, str):
            engine.dispose()


def publish(conn: sa.Connection, plan: SeedPlan, parts: Sequence[Partition], run: str) -> dict[str, int]:
    """Move every partition's rows into the real tables, in FK order, in ``conn``'s transaction; rows per table."""
    if conn.dialect.name != "postgresql":
        raise PlanError(f"Publishing staged partitions needs PostgreSQL; this is {conn.dialect.name}.")
    dialect = dialect_for(conn)
    dropped = dialect.drop_foreign_keys(conn, [tp.spec for tp in plan.tables if tp.bulk_fk_checks], strict=False)
    deferral = dialect.defer_constraints(conn, plan)
    by_table: dict[str, list[Partition]] = {}
    for part in parts:
        by_table.setdefault(part.table, []).append(part)
    counts: dict[str, int] = {}
    for tp in plan.tables:
        name = tp.spec.fullname
        mine = sorted(by_table.get(name, []), key=lambda p: p.index)
        if not tp.recipe.output_columns:
            dialect.insert_default_rows(conn, tp.spec, tp.count)
            counts[name] = tp.count
            continue
        columns = list(tp.recipe.output_columns)
        held = {c for fk in tp.deferred for c in fk.columns}
        target = quote_table(conn, tp.spec)
        names = ", ".join(quote_name(conn, c) for c in columns)
        picked = ", ".join("NULL" if c in held else quote_name(conn, c) for c in columns)
        # explicit keys into GENERATED ALWAYS identity columns (COPY takes them as they are; INSERT must be told)
        overriding = " OVERRIDING SYSTEM VALUE" if any(tp.spec.column(c).identity_always for c in columns) else ""
        number = _table_number(plan, name)
        for part in mine:
            staged = quote_table(conn, _stage_spec(tp.spec, stage_name(run, number, part.index)))
            try:
                conn.exec_driver_sql(f"INSERT INTO {target} ({names}){overriding} SELECT {picked} FROM {staged}",
                                     execution_options=NO_PARAMETERS)
            except sa.exc.DBAPIError as exc:
                raise write_error(exc, tp.spec, None) from exc
        counts[name] = sum(p.rows for p in mine)
    for tp in plan.tables:
        for fk in tp.deferred:
            _close_cycle(conn, plan, tp.spec, fk, [p for p in by_table.get(tp.spec.fullname, [])], run)
    dialect.restore_foreign_keys(conn, dropped)
    dialect.check_deferred(conn, plan, deferral)
    dialect.reset_sequences(conn, plan)
    for table in staging_tables(conn, run):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}", execution_options=NO_PARAMETERS)
    return counts


def _close_cycle(conn: sa.Connection, plan: SeedPlan, spec: TableSpec, fk, parts: Sequence[Partition],
                 run: str) -> None:
    """UPDATE the FK columns a nullable cycle wrote as NULL, from the staging rows, joined by primary key."""
    pk = spec.primary_key
    if not pk:
        raise PlanError(f"{spec.fullname!r} closes an FK cycle but has no primary key to UPDATE it by.")
    target = quote_table(conn, spec)
    sets = ", ".join(f"{quote_name(conn, c)} = s.{quote_name(conn, c)}" for c in fk.columns)
    join = " AND ".join(f"t.{quote_name(conn, c)} = s.{quote_name(conn, c)}" for c in pk)
    number = _table_number(plan, spec.fullname)
    for part in parts:
        staged = quote_table(conn, _stage_spec(spec, stage_name(run, number, part.index)))
        try:
            conn.exec_driver_sql(f"UPDATE {target} AS t SET {sets} FROM {staged} AS s WHERE {join}",
                                 execution_options=NO_PARAMETERS)
        except sa.exc.DBAPIError as exc:
            raise WriteError(f"Closing the FK cycle {spec.fullname}({', '.join(fk.columns)}) -> {fk.ref_table} "
                             f"failed: {str(exc.orig).strip().splitlines()[0]}. Nothing was written.") from exc
