"""Rows already in the database: how many, the largest ids, their keys, the UNIQUE values they hold.

A seed continues after them (row numbers and ids), samples parents from them, and draws again any
new UNIQUE value they already hold (asked of the database for the values drawn, :mod:`.taken_lookup`)::

    >>> from sqlalchemy_syda import seed
    >>> from sqlalchemy_syda.introspect import table_spec
    >>> seed(engine, {Customer: 40}, seed=1).counts
    {'customers': 40}
    >>> spec = table_spec(Customer)
    >>> with engine.connect() as conn:
    ...     count, key_starts = existing_facts(conn, spec)      # new ids continue at 41
    ...     keys = existing_keys(conn, spec, ("id",))           # the parent keys a child may point at
    >>> count, key_starts, keys.count, sorted(keys.columns["id"].tolist())[:3]
    (40, {'id': 41}, 40, [1, 2, 3])
"""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa

from .constraints import unique_sets
from .dialects.base import sa_table
from .engine.keys import ArrayKeys
from .plan import TablePlan
from .specs import TableSpec
from .taken_lookup import TakenLookup

__all__ = ["existing_facts", "existing_keys", "taken_values"]


def existing_facts(conn: sa.Connection, spec: TableSpec) -> tuple[int, dict[str, int]]:
    table = sa_table(spec)
    count = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    starts = {}
    fk_columns = {c for fk in spec.foreign_keys for c in fk.columns}
    if count and len(spec.primary_key) == 1 and spec.column(spec.primary_key[0]).kind == "integer" \
            and spec.primary_key[0] not in fk_columns:  # a key that is also an FK takes its parent's values
        pk = spec.primary_key[0]
        starts[pk] = int(conn.execute(sa.select(sa.func.max(table.c[pk]))).scalar_one() or 0) + 1
    return int(count), starts


def existing_keys(conn: sa.Connection, spec: TableSpec, columns: tuple[str, ...]) -> ArrayKeys:
    table = sa_table(spec)
    rows = conn.execute(sa.select(*[table.c[c] for c in columns])).all()
    arrays = {c: np.array([r[i] for r in rows], dtype=object) for i, c in enumerate(columns)}
    for c in columns:
        if spec.column(c).kind == "integer" and not any(v is None for v in arrays[c]):  # a key, or a value without NULLs
            arrays[c] = arrays[c].astype(np.int64)
    return ArrayKeys(arrays)


def taken_values(conn, tp: TablePlan) -> dict[object, set | TakenLookup]:
    """Values already in the table's UNIQUE columns, which new rows must not repeat: per single column a
    :class:`~.taken_lookup.TakenLookup` (asks the database about the values drawn), per composite key the
    tuples already there (an association table's pairs, bounded by its parents); per one-to-one foreign key
    (a UNIQUE over exactly its columns) the keys already pointed at, as tuples under the FK's columns."""
    if not tp.existing or not tp.count:
        return {}

    fk_cols = {c for fk in tp.spec.foreign_keys for c in fk.columns}
    table = sa_table(tp.spec)
    taken = {}
    for cols in unique_sets(tp.spec):
        name = cols[0]
        if len(cols) > 1:  # composite (an association table's key): the tuples already there
            rows = conn.execute(sa.select(*[table.c[c] for c in cols])).all()
            taken[tuple(cols)] = {tuple(r) for r in rows if None not in r}
            continue
        if any(fk.columns == (name,) for fk in tp.spec.foreign_keys):  # one-to-one: the parents already taken
            rows = conn.execute(sa.select(table.c[name]).where(table.c[name].is_not(None)).distinct()).all()
            taken[(name,)] = {tuple(r) for r in rows}
            continue
        if name in fk_cols or name in tp.key_starts:
            continue
        taken[name] = TakenLookup(conn, tp.spec, name)
    return taken
