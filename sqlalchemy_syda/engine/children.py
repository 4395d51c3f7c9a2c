"""What a parent row takes from its children, and what a child row knows of its siblings.

A parent's aggregate (``orders.total_amount = sum(quantity * unit_price)`` of its items) and a flag true for
the first child of each parent (``contacts.is_primary``) are functions of the children's rows. Every row is
a function of its row number, so the parent's engine can compute them before anything is written: it
walks the child's rows once (in chunks, through the child's own engine, repairs included), keeps one value
per parent row, and writes the right total with the parent row itself: no UPDATE afterwards::

    >>> from sqlalchemy_syda.planner import plan_seed
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.run import engines_for
    >>> plan = plan_seed(table_specs([Customer, Order, Product, OrderItem]),
    ...                  {"customers": 3, "orders": 4, "products": 5, "order_items": 9})
    >>> engines = engines_for(plan)
    >>> items = engines["order_items"].batch(0, 9)
    >>> totals = engines["orders"].batch(0, 4)["total_amount"]
    >>> sums = np.bincount(items["order_id"] - 1, items["quantity"] * items["unit_price"], minlength=4)
    >>> bool(np.allclose(totals, sums))
    True

What the engines cannot compute this way (children already in the database, a foreign key given by an
override) is left to the UPDATE of :mod:`~sqlalchemy_syda.written_after`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..recipe import Relation
from .keys import CombinedKeys
from .parents import index_name

__all__ = ["ChildAggregate", "FirstOfParent", "attach_relations"]

_CHUNK = 50_000


def _child_values(child, columns: list[str], fk_columns: tuple[str, ...]):
    """Chunks of (parent index, {column: values}) over every new row of ``child``."""
    for start in range(0, child.count, _CHUNK):
        index = np.arange(start, min(child.count, start + _CHUNK), dtype=np.int64)
        values = child.values_at([*fk_columns, *columns], index)
        yield index + child.offset, values[index_name(fk_columns)], values


class ChildAggregate:
    """``sum(expr)`` or ``count(*)`` of a child table's rows per parent row, computed once for all parents."""

    def __init__(self, rel: Relation, child, shift: int, domain: int, parent_offset: int) -> None:
        self.rel, self.child, self.shift, self.domain, self.parent_offset = rel, child, shift, domain, parent_offset
        self._values: np.ndarray | None = None

    def _all(self) -> np.ndarray:
        if self._values is None:
            expr = None if self.rel.source == "count(*)" else re.match(r"^sum\((.*)\)$", self.rel.source or "").group(1)
            names = [] if expr is None else sorted(set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expr)))
            total = np.zeros(self.domain, dtype=np.float64)
            for _, index, values in _child_values(self.child, names, self.rel.via):
                keep = index >= 0
                if expr is None:
                    weights = np.ones(len(index))
                else:
                    frame = pd.DataFrame({n: pd.to_numeric(pd.Series(values[n], dtype=object) if values[n].dtype == object
                                                           else pd.Series(values[n]), errors="coerce") for n in names})
                    weights = frame.eval(expr).to_numpy(dtype=np.float64)
                weights = np.where(np.isnan(weights), 0.0, weights)
                total += np.bincount(index[keep], weights[keep], minlength=self.domain)
            self._values = total
        return self._values

    def __call__(self, rows: np.ndarray, values: dict) -> np.ndarray:
        return self._all()[self.shift + (np.asarray(rows) - self.parent_offset)]


class FirstOfParent:
    """True for the first new child row of each parent (by row number), false for the others and NULL keys."""

    def __init__(self, child, fk_columns: tuple[str, ...], domain: int) -> None:
        self.child, self.fk_columns, self.domain = child, fk_columns, domain
        self._first: np.ndarray | None = None

    def _all(self) -> np.ndarray:
        if self._first is None:
            first = np.full(self.domain, np.iinfo(np.int64).max, dtype=np.int64)
            for rows, index, _ in _child_values(self.child, [], self.fk_columns):
                keep = index >= 0
                parents, at = np.unique(index[keep], return_index=True)
                first[parents] = np.minimum(first[parents], rows[keep][at])
            self._first = first
        return self._first

    def __call__(self, rows: np.ndarray, values: dict) -> np.ndarray:
        index = values.get(index_name(self.fk_columns))
        if index is None:
            index = self.child.values_at(list(self.fk_columns), np.asarray(rows) - self.child.offset)[
                index_name(self.fk_columns)]
        keep = index >= 0
        return keep & (self._all()[np.where(keep, index, 0)] == np.asarray(rows))


def attach_relations(engines: dict) -> None:
    """Let each engine compute the aggregates and exactly-one flags it can (see the module docstring)."""
    for engine in engines.values():
        for rel in engine.recipe.relations:
            if rel.kind in ("after_parent", "from_parent", "domain_from_parent") and rel.other in engines:
                engines[rel.other].keep(rel.source)  # the parent keeps that column of the rows it writes
            if rel.kind == "aggregate":
                child = engines.get(rel.other)
                if child is None:
                    continue
                fkr = next((f for f in child.recipe.foreign_keys if f.columns == rel.via), None)
                if fkr is None or fkr.kind != "parent":
                    continue
                source = child.parents.source(fkr)
                if source is engine:
                    shift = 0
                elif isinstance(source, CombinedKeys) and source.new is engine:
                    shift = source.old.count
                else:
                    continue
                engine.computed[rel.column] = ChildAggregate(rel, child, shift, source.count, engine.offset)
            elif rel.kind == "exactly_one" and engine.offset == 0:  # with rows already there: the UPDATE
                fkr = next((f for f in engine.recipe.foreign_keys if f.columns == rel.via), None)
                if fkr is None or fkr.kind != "parent":
                    continue
                engine.computed[rel.column] = FirstOfParent(engine, rel.via, engine.parents.domain(fkr))
