"""Relations written after the rows: aggregates of children and exactly-one flags.

A parent's total (``orders.total_amount = sum(quantity * unit_price)`` of its items) and a flag true for
one child per parent (``contacts.is_primary``) depend on rows of another table. The row engines compute
them with the rows where they can (:mod:`~sqlalchemy_syda.engine.children`); the rest is set once every
table is written, in the same transaction: one set-based UPDATE per rule in the database
(:func:`database_updates`, an ``UPDATE ... FROM`` over a grouped subquery, no round trip per row), or a
pandas group-by over the frames of ``generate()`` (:func:`frame_updates`)::

    >>> from examples.crm_models import MODELS
    >>> from sqlalchemy_syda import generate
    >>> frames = generate(MODELS, {"customers": 3, "contacts": 8, "products": 4, "orders": 5, "order_items": 12})
    >>> items, orders = frames["order_items"], frames["orders"]
    >>> sums = (items.quantity * items.unit_price).groupby(items.order_id).sum()
    >>> bool(((orders.set_index("id").total_amount - sums).abs() < 1e-6).all())
    True
    >>> int(frames["contacts"].groupby("customer_id").is_primary.sum().max())
    1

An order without items gets a total of 0 and a count of 0. A parent table that already had rows gets
its new rows updated only (when its integer key says which they are).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd

from .plan import SeedPlan, TablePlan
from .recipe import Relation

__all__ = ["database_updates", "frame_updates", "update_statements"]


def _rules(plan: SeedPlan, done: Collection[tuple[str, str]] = ()) -> list[tuple[TablePlan, Relation]]:
    return [(tp, rel) for tp in plan.tables if tp.count for rel in tp.recipe.relations
            if rel.written_after and (tp.spec.fullname, rel.column) not in done]


def update_statements(conn, plan: SeedPlan, done: Collection[tuple[str, str]] = ()) -> list[str]:
    """The UPDATE statements of the plan's aggregates and exactly-one flags, as the database reads them
    (``done``: (table, column) pairs the row engines already computed with the rows)."""
    from .dialects import dialect_for
    from .dialects.quoting import quote_name, quote_table

    dialect = dialect_for(conn)
    known = {tp.spec.fullname: tp.spec for tp in plan.tables}
    out = []
    q = lambda name: quote_name(conn, name)  # noqa: E731
    aggregates: dict[tuple[str, str, tuple[str, ...]], list[Relation]] = {}
    for tp, rel in _rules(plan, done):
        if rel.kind == "aggregate":
            aggregates.setdefault((tp.spec.fullname, rel.other, rel.via), []).append(rel)
        elif rel.kind == "exactly_one" and len(tp.spec.primary_key) == 1:
            spec = tp.spec
            pk = q(spec.primary_key[0])
            groups = ", ".join(q(c) for c in rel.via)
            not_null = " AND ".join(f"{q(c)} IS NOT NULL" for c in rel.via)
            flag = q(rel.column)
            out.append(f"UPDATE {quote_table(conn, spec)} SET {flag} = TRUE WHERE {pk} IN (SELECT k FROM ("
                       f"SELECT MIN({pk}) AS k FROM {quote_table(conn, spec)} WHERE {not_null} GROUP BY {groups} "
                       f"HAVING SUM(CASE WHEN {flag} THEN 1 ELSE 0 END) = 0) AS s)")
    for (table, child, via), rels in aggregates.items():
        parent, child_spec = plan.table(table), known.get(child)
        if child_spec is None:
            continue
        fk = next(f for f in child_spec.foreign_keys if f.columns == via)
        keys = list(fk.ref_columns)
        values = []
        for i, rel in enumerate(rels):
            expr = f"COUNT(c.{q(via[0])})" if rel.source == "count(*)" else \
                f"COALESCE(SUM({_qualified(conn, _inner(rel.source))}), 0)"
            values.append((rel.column, f"{expr} AS v{i}"))
        join = " AND ".join(f"c.{q(c)} = p.{q(k)}" for c, k in zip(via, keys))
        where = ""
        start = parent.key_starts.get(keys[0]) if parent.existing and len(keys) == 1 else None
        if start is not None:
            where = f" WHERE p.{q(keys[0])} >= {int(start)}"
        sub = (f"SELECT {', '.join(f'p.{q(k)} AS k{j}' for j, k in enumerate(keys))}, "
               f"{', '.join(v for _, v in values)} FROM {quote_table(conn, parent.spec)} p "
               f"LEFT JOIN {quote_table(conn, child_spec)} c ON {join}{where} "
               f"GROUP BY {', '.join(f'p.{q(k)}' for k in keys)}")
        out.append(dialect.update_from(quote_table(conn, parent.spec),
                                       [(q(col), f"s.v{i}") for i, (col, _) in enumerate(values)], sub,
                                       [(q(k), f"s.k{j}") for j, k in enumerate(keys)]))
    return out


def _inner(source: str) -> str:
    m = re.match(r"^sum\((.*)\)$", source.strip(), re.DOTALL)
    return m.group(1) if m else source


def _qualified(conn, expr: str) -> str:
    """Column names of a child expression as ``c."name"`` (numbers and operators stay)."""
    from .dialects.quoting import quote_name

    return re.sub(r"\b([A-Za-z_][A-Za-z0-9_]*)\b", lambda m: f"c.{quote_name(conn, m.group(1))}", expr)


def database_updates(conn, plan: SeedPlan, done: Collection[tuple[str, str]] = ()) -> None:
    """Run :func:`update_statements` on ``conn`` (inside the seed's transaction)."""
    import sqlalchemy as sa

    from .dialects.base import NO_PARAMETERS

    for statement in update_statements(conn, plan, done):
        conn.execute(sa.text(statement).execution_options(**NO_PARAMETERS))


def frame_updates(plan: SeedPlan, frames: Mapping[str, pd.DataFrame], done: Collection[tuple[str, str]] = ()) -> None:
    """The same rules over ``frames`` (table -> DataFrame), in place."""
    for tp, rel in _rules(plan, done):
        frame = frames.get(tp.spec.fullname)
        if frame is None:
            continue
        if rel.kind == "exactly_one":
            flags = np.zeros(len(frame), dtype=bool)
            keys = frame[list(rel.via)]
            present = keys.notna().all(axis=1).to_numpy()
            first = ~keys[present].duplicated().to_numpy()
            flags[np.flatnonzero(present)[first]] = True
            frame[rel.column] = flags
            continue
        child = frames.get(rel.other)
        if child is None:
            continue
        fk = next(f for f in plan.table(rel.other).spec.foreign_keys if f.columns == rel.via)
        if rel.source == "count(*)":
            per_parent = child.groupby(list(rel.via)).size()
        else:
            per_parent = child.eval(_inner(rel.source)).groupby([child[c] for c in rel.via]).sum()
        index = pd.MultiIndex.from_frame(frame[list(fk.ref_columns)]) if len(fk.ref_columns) > 1 else \
            frame[fk.ref_columns[0]]
        values = per_parent.reindex(index).fillna(0).to_numpy()
        if tp.spec.column(rel.column).kind == "integer":
            values = values.astype(np.int64)
        elif tp.spec.column(rel.column).scale is not None:
            values = np.round(values.astype(np.float64), tp.spec.column(rel.column).scale)
        frame[rel.column] = values
