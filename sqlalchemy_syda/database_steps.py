"""SQL steps around the bulk load: closing FK cycles, deferrable constraints, moving sequences.

::

    >>> deferred_update(conn, spec, fk, keys, values)     # UPDATE the FK a cycle wrote as NULL
    >>> reset_sequences(conn, plan)                        # serial / identity / Sequence past the new ids
    >>> insert_default_rows(conn, spec, 5)                 # a table the database fills entirely
"""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa

from .exceptions import PlanError, WriteError
from .existing_rows import sa_table
from .plan import SeedPlan
from .specs import ForeignKeySpec, TableSpec

__all__ = ["deferred_update", "insert_default_rows", "pg_constraint_name", "quoted_table", "reset_sequences"]


def deferred_update(conn: sa.Connection, spec: TableSpec, fk: ForeignKeySpec, keys: list[np.ndarray],
                     values: list[np.ndarray]) -> None:
    from .writers.executemany import python_values

    table = sa_table(spec)
    pk = spec.primary_key
    if not pk:
        raise PlanError(f"{spec.fullname!r} closes an FK cycle but has no primary key to UPDATE it by.")
    stmt = table.update().where(*[table.c[c] == sa.bindparam(f"k_{c}") for c in pk]).values(
        {c: sa.bindparam(f"v_{c}") for c in fk.columns})
    key_lists = [python_values(spec.column(c), k) for c, k in zip(pk, keys)]
    val_lists = [python_values(spec.column(c), v) for c, v in zip(fk.columns, values)]
    params = [{**{f"k_{c}": kv[i] for c, kv in zip(pk, key_lists)},
               **{f"v_{c}": vv[i] for c, vv in zip(fk.columns, val_lists)}} for i in range(len(keys[0]))]
    for start in range(0, len(params), 10_000):
        conn.execute(stmt, params[start:start + 10_000])


def insert_default_rows(conn: sa.Connection, spec: TableSpec, count: int) -> None:
    """``count`` rows of a table whose every column the database fills (server defaults, identity, computed):
    one ``INSERT ... DEFAULT VALUES`` each, in the dialect's spelling."""
    statement = sa_table(spec).insert()
    for _ in range(count):
        conn.execute(statement)


def pg_constraint_name(conn: sa.Connection, spec: TableSpec, fk: ForeignKeySpec) -> str:
    if fk.name:
        return fk.name
    row = conn.execute(sa.text(
        "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = CAST(:t AS regclass) "
        "AND confrelid = CAST(:r AS regclass)"), {"t": spec.fullname, "r": fk.ref_table}).first()
    if row is None:
        raise PlanError(f"Cannot find the foreign key {spec.fullname}.{fk.columns} in the database.")
    return row[0]


def reset_sequences(conn, plan: SeedPlan) -> None:
    """Move sequences past the ids written explicitly, so the application's next INSERT gets a free id.

    PostgreSQL: serial / identity columns (``pg_get_serial_sequence``) and explicit ``Sequence(...)``
    defaults; MariaDB: explicit sequences (AUTO_INCREMENT moves by itself); SQLite has none.
    """
    dialect = conn.dialect.name
    if dialect not in ("postgresql", "mysql", "mariadb"):
        return
    for tp in plan.tables:
        if not tp.count:
            continue
        for name in tp.spec.primary_key:
            col = tp.spec.column(name)
            if col.kind != "integer":
                continue
            table = quoted_table(conn, tp.spec)
            seq = _explicit_sequence(conn, tp.spec, name)
            if seq is None and dialect == "postgresql" and col.autoincrement:
                seq = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                                   {"t": table, "c": name}).scalar()
            if not seq:
                continue
            top = conn.execute(sa.text(f"SELECT max({conn.dialect.identifier_preparer.quote(name)}) "
                                       f"FROM {table}")).scalar()
            if top is None:
                continue
            try:
                if dialect == "postgresql":
                    conn.execute(sa.text("SELECT setval(:s, :v)"), {"s": seq, "v": int(top)})
                else:
                    conn.exec_driver_sql(f"SELECT SETVAL({seq}, {int(top)})")
            except sa.exc.DBAPIError as exc:
                reason = str(exc.orig).strip().splitlines()[0]
                raise WriteError(f"Cannot move the sequence {seq} of {tp.spec.fullname}.{name} past the ids the seed "
                                 f"wrote: {reason}. Grant this role UPDATE on the sequence (GRANT USAGE, UPDATE ON "
                                 "SEQUENCE ...), or seed as its owner. Nothing was written.") from exc


def _explicit_sequence(conn, spec: TableSpec, column: str) -> str | None:
    """The quoted name of a ``Sequence`` the model declares as the column's default, if any."""
    if spec.table is None or column not in spec.table.c:
        return None
    default = spec.table.c[column].default
    if not isinstance(default, sa.Sequence):
        return None
    prep = conn.dialect.identifier_preparer
    name = prep.quote(default.name)
    schema = default.schema or spec.schema
    return f"{prep.quote_schema(schema)}.{name}" if schema else name


def quoted_table(conn, spec: TableSpec) -> str:
    from .writers.postgresql_copy import quote_table

    return quote_table(conn, spec)
