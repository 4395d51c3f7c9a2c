"""Profiling a live database with SQL instead of downloading its tables.

For a table larger than ``sample_rows``, the database does the heavy part: one scan computes every
numeric and datetime column's quantile sketch (``percentile_cont ... WITHIN GROUP``), NULL count, min
and max, and ``GROUP BY`` counts give the categories seen at least ``rare`` times; only a
``TABLESAMPLE`` of about ``sample_rows`` rows crosses the wire, for what needs rows together (the
copula, patterns, orderings, precision). Fan-outs are counted in SQL for every foreign key (children
per parent with a ``LEFT JOIN``, zeros included), whatever the table size. ``source["rows_read"]`` says
how many rows were transferred. On PostgreSQL::

    profile = learn(pg_engine, tables=["events"])          # 1M rows
    profile.source["rows_read"], profile.source["method"]  # (50123, 'aggregates + TABLESAMPLE')

TABLESAMPLE and ordered-set aggregates are PostgreSQL's; other databases read small tables whole
and larger ones as the ``sample_rows`` rows with the lowest seeded hash of their key (the aggregates then
come from the sample; see :mod:`.seeded_sample`). The sample's seed is fixed (0, ``REPEATABLE (0)`` on
PostgreSQL), so learning the same database twice gives the same profile on every dialect::

    >>> from sqlalchemy_syda import learn, seed
    >>> _ = seed(engine, {Customer: 50, Order: 400}, seed=1)
    >>> profile = learn(engine, tables=["customers", "orders"], sample_rows=100)
    >>> {k: profile.source[k] for k in ("rows", "rows_read", "method", "sampled_tables")}
    {'rows': 450, 'rows_read': 150, 'method': 'sample', 'sampled_tables': ['orders']}
    >>> profile.counts                                      # the real sizes, counted in SQL
    {'customers': 50, 'orders': 400}
    >>> sum(profile.relationships[0].histogram["parents"])  # the fan-out of every customer, also in SQL
    50
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from .marginals import knots_for
from .profile import RelationshipProfile, TableProfile
from .seeded_sample import seeded_sample

__all__ = ["read_sample", "refine_with_aggregates", "relationship_sql", "table_rows"]


def table_rows(conn: sa.Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def read_sample(conn: sa.Connection, table: sa.Table, rows: int, sample_rows: int, seed: int = 0) -> pd.DataFrame:
    """The whole table when small, else a sample of about ``sample_rows`` rows that only depends on ``seed`` and
    the table's contents: ``TABLESAMPLE bernoulli(p) REPEATABLE(seed)`` on PostgreSQL, elsewhere exactly
    ``sample_rows`` rows ordered by a seeded hash of their key (:mod:`.seeded_sample`). Integer columns with
    NULLs stay integers (pandas reads them as floats)."""
    if rows <= sample_rows:
        frame = pd.read_sql(sa.select(table), conn)
    elif conn.dialect.name == "postgresql":
        percent = min(100.0, 100.0 * sample_rows / rows * 1.05)
        sampled = sa.tablesample(table, sa.func.bernoulli(percent), name="s", seed=sa.literal(seed))
        frame = pd.read_sql(sa.select(sampled), conn)
    else:
        frame = pd.read_sql(seeded_sample(table, sample_rows, seed), conn)
    return _integers(frame, table)


def _integers(frame: pd.DataFrame, table: sa.Table) -> pd.DataFrame:
    for col in table.columns:
        if col.name in frame.columns and isinstance(col.type, sa.Integer) and frame[col.name].dtype.kind == "f":
            values = frame[col.name]
            if (values.dropna() % 1 == 0).all():
                frame[col.name] = values.astype("Int64")
    return frame


def refine_with_aggregates(conn: sa.Connection, table: sa.Table, profile: TableProfile, *, rows: int, rare: int,
                           quantiles: int) -> TableProfile:
    """Marginals of the whole table from SQL aggregates (PostgreSQL), replacing the sample's."""
    if conn.dialect.name != "postgresql":
        return profile
    by_name = {c.name: c for c in profile.columns}
    numeric = [c for c in profile.columns if c.model in ("number", "datetime") and c.name in table.c]
    out = dict(by_name)
    if numeric:
        k = knots_for(rows, quantiles, rare)
        probs = np.linspace(0.0, 1.0, k).tolist()
        parts = []
        for col in numeric:
            expr = table.c[col.name]
            if col.model == "datetime":
                expr = sa.func.extract("epoch", expr)
            sketch = sa.func.percentile_cont(sa.literal(probs, sa.ARRAY(sa.Float))).within_group(expr)
            parts += [sa.cast(sketch, sa.ARRAY(sa.Float)),
                      sa.func.count(table.c[col.name])]
        result = conn.execute(sa.select(*parts)).one()
        for i, col in enumerate(numeric):
            knots, present = result[2 * i], int(result[2 * i + 1])
            if not present or knots is None:
                continue
            knots = [float(x) for x in knots]
            params = dict(col.params, quantiles=knots, min=knots[0], max=knots[-1])
            if "decimals" in params and params["decimals"] is not None:
                params["quantiles"] = np.round(knots, params["decimals"] + 3).tolist()
            out[col.name] = replace(col, params=params, null_share=1.0 - present / rows if rows else 0.0)
    for col in profile.columns:
        if col.model != "category" or col.name not in table.c or col.params.get("ordered") and col.dtype == "boolean":
            continue
        column = table.c[col.name]
        counts = conn.execute(sa.select(column, sa.func.count()).group_by(column)
                              .having(sa.func.count() >= (1 if col.params.get("ordered") else rare))).all()
        if not counts:
            continue
        kept = [(_plain(v), int(n)) for v, n in counts]
        ordered = bool(col.params.get("ordered"))
        kept.sort(key=(lambda p: (p[0] is None, p[0] if p[0] is not None else 0)) if ordered else
                  (lambda p: (-p[1], str(p[0]))))
        total = sum(n for _, n in kept)
        nulls = sum(n for v, n in kept if v is None)
        params = dict(col.params, values=[v for v, _ in kept], weights=[n / total for _, n in kept])
        out[col.name] = replace(col, params=params, null_share=nulls / rows if rows else 0.0)
    return replace(profile, columns=tuple(out[c.name] for c in profile.columns))


def _plain(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    return value


def relationship_sql(conn: sa.Connection, child: sa.Table, columns: list[str], parent: sa.Table,
                     ref_columns: list[str]) -> RelationshipProfile:
    """Children per parent (zeros included), NULL and orphan shares of one foreign key, counted in SQL."""
    names = (child.fullname, parent.fullname)
    child, parent = child.alias("child"), parent.alias("parent")  # a self-reference joins the table to itself
    on = sa.and_(*(child.c[c] == parent.c[r] for c, r in zip(columns, ref_columns)))
    per_parent = sa.select(sa.func.count(child.c[columns[0]]).label("k")).select_from(
        parent.outerjoin(child, on)).group_by(*(parent.c[r] for r in ref_columns)).subquery()
    hist = conn.execute(sa.select(per_parent.c.k, sa.func.count()).group_by(per_parent.c.k)
                        .order_by(per_parent.c.k)).all()
    total = table_rows(conn, child)
    nulls = int(conn.execute(sa.select(sa.func.count()).select_from(child)
                             .where(sa.or_(*(child.c[c].is_(None) for c in columns)))).scalar_one())
    matched = int(conn.execute(sa.select(sa.func.count()).select_from(child.join(parent, on))).scalar_one())
    orphans = max(0, total - nulls - matched)
    return RelationshipProfile(names[0], tuple(columns), names[1], tuple(ref_columns),
                               {"counts": [int(k) for k, _ in hist], "parents": [int(n) for _, n in hist]},
                               nulls / total if total else 0.0, orphans / total if total else 0.0)
