"""What ``op.seed`` and ``op.seed_rows`` do: online through ``sqlalchemy_syda.seed``, offline as INSERTs.

Online, the tables are reflected through ``op.get_bind()``, so the rows fit the schema at this
revision (never today's models), and they are written on the migration's connection, inside its
transaction: a failing migration rolls them back with everything else. Offline, see
:mod:`alembic_ext.offline`. Both do nothing (and say so) when the environment switch is off
(:mod:`alembic_ext.switch`). Online, on a SQLite database::

    >>> import os
    >>> from alembic.migration import MigrationContext
    >>> from alembic.operations import Operations
    >>> saved, os.environ["SYDA_SEED"] = os.environ.get("SYDA_SEED"), "1"    # seeding is on
    >>> with engine.begin() as conn:
    ...     op = Operations(MigrationContext.configure(conn))
    ...     _ = op.create_table("users", sa.Column("id", sa.Integer, primary_key=True),
    ...                         sa.Column("email", sa.String(120), nullable=False, unique=True),
    ...                         sa.Column("is_admin", sa.Boolean, nullable=False, server_default=sa.false()))
    ...     op.seed("users", 5).counts, op.seed("users", 5).counts     # a target: the second adds nothing
    ...     op.seed_rows("users", [{"email": "admin@example.com", "is_admin": True}]).counts
    ...     conn.execute(sa.text("SELECT id, email, is_admin FROM users WHERE id IN (1, 6)")).all()
    ({'users': 5}, {'users': 0})
    {'users': 1}
    [(1, 'harold.haley@aol.com', 0), (6, 'admin@example.com', 1)]
    >>> _ = os.environ.pop("SYDA_SEED") if saved is None else os.environ.update(SYDA_SEED=saved)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from .journal import journal_for
from .ops import SeedOp, SeedRowsOp
from .switch import seeding_enabled

__all__ = ["seed", "seed_rows"]

log = logging.getLogger("alembic.syda")


def seed(operations: Any, operation: SeedOp) -> Any:
    """``op.seed(...)``: a ``SeedResult`` online, ``{table: rows rendered}`` offline, None when switched off."""
    ctx = operations.migration_context
    journal_for(ctx).record(operation)  # the hook leaves tables the script seeded itself alone
    if not _enabled(ctx, operation.describe()):
        return None
    options = {k: v for k, v in operation.options.items() if v is not None}
    if ctx.as_sql:
        from .offline import declared_table, render_seed

        if operation.columns is not None and len(operation.counts) != 1:
            raise TypeError("op.seed(columns=...) describes one table; pass Table objects for several.")
        tables = {declared_table(ctx, t, schema=operation.schema, columns=operation.columns): n
                  for t, n in operation.counts.items()}
        return render_seed(ctx, tables, options)
    from sqlalchemy_syda import seed as run_seed

    conn = operations.get_bind()
    specs = reflected(conn, operation.counts, operation.schema)
    return run_seed(conn, {specs[_name(t)]: n for t, n in operation.counts.items()}, **options)


def seed_rows(operations: Any, operation: SeedRowsOp) -> Any:
    """``op.seed_rows(table, rows)``: the given rows, every column they leave out generated."""
    ctx = operations.migration_context
    journal_for(ctx).record(operation)  # the hook leaves tables the script seeded itself alone
    if not _enabled(ctx, operation.describe()):
        return None
    options = {k: v for k, v in operation.options.items() if v is not None}
    if ctx.as_sql:
        from .offline import declared_table, render_seed_rows

        table = declared_table(ctx, operation.table, schema=operation.schema, columns=operation.columns)
        return render_seed_rows(ctx, table, operation.rows, options)
    from sqlalchemy_syda import seed as run_seed
    from sqlalchemy_syda.writers import writer_for

    from .given_rows import GivenRows, GivenRowsWriter

    conn = operations.get_bind()
    spec = reflected(conn, [operation.table], operation.schema)[_name(operation.table)]
    writer = GivenRowsWriter(writer_for(conn), GivenRows(spec, operation.rows))
    return run_seed(conn, {spec: len(operation.rows)}, existing="append", writer=writer, **options)


def reflected(conn: sa.Connection, tables: Iterable[Any], schema: str | None) -> dict[str, Any]:
    """Specs of the named tables as the database has them now (the migration's own view)."""
    from sqlalchemy_syda import reflect_specs
    from sqlalchemy_syda.exceptions import SchemaError

    names = [_name(t) for t in tables]
    schemas = {getattr(t, "schema", None) or schema for t in tables}
    if len(schemas) > 1:
        raise SchemaError("op.seed: seed the tables of one schema per call.")
    present = set(sa.inspect(conn).get_table_names(schema=next(iter(schemas))))
    missing = [n for n in names if n not in present]
    if missing:
        raise SchemaError(f"op.seed: table {missing[0]!r} does not exist at this revision; create it first "
                          "(op.create_table earlier in this or a previous migration).")
    return {s.name: s for s in reflect_specs(conn, schema=next(iter(schemas)), only=names)}


def _name(table: Any) -> str:
    return table if isinstance(table, str) else table.name


def _enabled(ctx: Any, what: str) -> bool:
    switch = seeding_enabled(ctx)
    if not switch:
        log.info("syda: %s skipped, seeding is off (%s)", what, switch.reason)
        if ctx.as_sql:
            ctx.impl.static_output(f"-- syda: {what} skipped, seeding is off ({switch.reason})")
    return bool(switch)
