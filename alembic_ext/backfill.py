"""Realistic values for a NOT NULL column a migration added to a table that already had rows.

Adding a NOT NULL column to a table with rows needs a placeholder: ``op.add_column("users",
sa.Column("tier", sa.String(20), nullable=False, server_default="basic"))`` gives every existing row
``'basic'``. After the step, :func:`backfill_column` replaces the rows that still hold the
placeholder with generated values (the column's own generator, as seeding would choose it), by
primary key, inside the step's transaction. Rows the migration changed itself keep their values, so
a second run changes nothing::

    >>> from alembic.migration import MigrationContext
    >>> from alembic.operations import Operations
    >>> from sqlalchemy_syda.introspect import reflect_specs
    >>> with engine.begin() as conn:
    ...     _ = conn.execute(sa.text("CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(120))"))
    ...     _ = conn.execute(sa.text("INSERT INTO users VALUES (1, 'a@x.test'), (2, 'b@x.test'), (3, 'c@x.test')"))
    ...     status = sa.Column("status", sa.String(20), nullable=False, server_default="placeholder")
    ...     Operations(MigrationContext.configure(conn)).add_column("users", status)
    ...     _ = conn.execute(sa.text("UPDATE users SET status = 'vip' WHERE id = 3"))   # the migration's own value
    ...     spec = reflect_specs(conn, only=["users"])[0]
    ...     backfill_column(conn, spec, status, seed=0), backfill_column(conn, spec, status, seed=0)
    ...     conn.execute(sa.text("SELECT id, status FROM users")).all()
    (2, 0)
    [(1, 'inactive'), (2, 'pending'), (3, 'vip')]

Skipped (nothing to do or nothing safe to do): nullable columns, columns added without a server
default (the migration must have filled them itself), tables without a primary key, defaults that
are not constants (``now()`` differs from row to row).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import numpy as np
import sqlalchemy as sa

__all__ = ["backfill_column"]

log = logging.getLogger("alembic.syda")


def backfill_column(conn: sa.Connection, spec: Any, column: sa.Column, *, seed: int = 0,
                    locale: str | None = None) -> int:
    """Replace the placeholder server default of ``column`` on existing rows of ``spec``'s table."""
    from sqlalchemy_syda.generators.pools import DEFAULT_LOCALE
    from sqlalchemy_syda.recipe_planner import TableInputs, table_recipe
    from sqlalchemy_syda.run import column_values
    from sqlalchemy_syda.writers.executemany import python_values

    name = column.name
    if not spec.has_column(name):
        return 0
    col = spec.column(name)
    default = column.server_default
    if col.nullable or col.primary_key or col.computed or not isinstance(default, sa.DefaultClause):
        return 0
    if not spec.primary_key:
        log.info("syda: %s.%s not backfilled: the table has no primary key to address rows by", spec.name, name)
        return 0
    placeholder = _placeholder_sql(conn, default.arg)
    if placeholder is None:
        return 0
    table = spec.table
    keys = [table.c[c] for c in spec.primary_key]
    rows = conn.execute(sa.select(*keys, (table.c[name] == sa.literal_column(placeholder)).label("_hit"))
                        .order_by(*keys)).all()
    hits = np.array([i for i, r in enumerate(rows) if r[-1]], dtype=np.int64)
    if not hits.size:
        return 0
    fresh = dataclasses.replace(col, server_default=None)
    gen_spec = dataclasses.replace(spec, columns=tuple(fresh if c.name == name else c for c in spec.columns))
    parents = {fk.ref_table: _parent_keys(conn, spec, fk) for fk in spec.foreign_keys if name in fk.columns}
    recipe = table_recipe(TableInputs(gen_spec, len(rows), 0, seed, locale or DEFAULT_LOCALE, conn.dialect.name,
                                      parent_rows={ref: keys.count for ref, keys in parents.items()}))
    values = python_values(fresh, column_values(recipe, [name], hits, parents)[0])
    where = sa.and_(*[k == sa.bindparam(f"_key{i}") for i, k in enumerate(keys)])
    stmt = table.update().where(where).values({name: sa.bindparam("_value")})
    params = [{**{f"_key{i}": rows[k][i] for i in range(len(keys))}, "_value": v} for k, v in zip(hits, values)]
    conn.execute(stmt, params)
    return len(params)


def _placeholder_sql(conn: sa.Connection, arg: Any) -> str | None:
    """The default as SQL text, when it is a constant (a string literal, a number, true/false)."""
    if isinstance(arg, str):
        return "'" + arg.replace("'", "''") + "'"
    if isinstance(arg, sa.TextClause):
        text = arg.text.strip()
    else:
        try:
            text = str(arg.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        except Exception:  # noqa: BLE001 - an expression that has no literal form
            return None
    if "(" in text or text.upper().startswith(("CURRENT_", "LOCALTIME")):
        return None  # now(), gen_random_uuid(), CURRENT_TIMESTAMP: not one value shared by the rows
    return text


def _parent_keys(conn: sa.Connection, spec: Any, fk: Any) -> Any:
    from sqlalchemy_syda.engine.keys import ArrayKeys

    ref_schema, _, ref_name = fk.ref_table.rpartition(".")
    parent = sa.Table(ref_name, sa.MetaData(), *[sa.Column(c) for c in fk.ref_columns], schema=ref_schema or None)
    rows = conn.execute(sa.select(*parent.c)).all()
    return ArrayKeys({c: np.array([r[i] for r in rows]) for i, c in enumerate(fk.ref_columns)})
