"""Row *k* of a model's recipe as ORM attribute values, and the row numbers factories hand out.

A :class:`RowSource` plans a table's recipe once per dialect (as a seed of the factory's bulk threshold)
and generates blocks of rows from it, so that ``factory()`` and ``seed()`` give the same values for the
same seed and row::

    >>> from sqlalchemy_syda import generate
    >>> source = RowSource(class_spec(Customer), "customers", seed=0, overrides={}, locale=None, capacity=100)
    >>> source.row(0, "sqlite")["name"] == generate(Customer, 100, seed=0).name[0]
    True

Row numbers (:class:`Rows`) are kept per session and ``(model, seed)`` while the session lives, so the
factories of a model share them there and UNIQUE values stay unique across calls; a factory without a
session keeps its own, on the factory class, so nothing process-wide remembers models or rows.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from .mapped_classes import ClassSpec, class_spec

__all__ = ["RowSource", "Rows", "model_value", "restart", "rows_state", "source", "table_rows"]

_BLOCK = 16


class RowSource:
    """Row k of one table as column values, from the table's recipe (blocks cached)."""

    def __init__(self, mapped: ClassSpec, table: str, seed: int, overrides: Mapping[str, Any],
                 locale: str | None, capacity: int) -> None:
        from .introspect import table_spec

        self.spec = table_spec(mapped.sa_table_named(table))
        self.seed, self.overrides, self.locale, self.capacity = seed, dict(overrides), locale, capacity
        self._recipes: dict[str | None, Any] = {}
        self._blocks: dict[tuple[str | None, int], list[dict[str, Any]]] = {}

    def row(self, k: int, dialect: str | None) -> dict[str, Any]:
        start = k - k % _BLOCK
        block = self._blocks.get((dialect, start))
        if block is None:
            block = self._blocks[(dialect, start)] = self._generate(start, dialect)
            if len(self._blocks) > 256:
                self._blocks.pop(next(iter(self._blocks)))
        return block[k - start]

    def recipe(self, dialect: str | None) -> Any:
        """The table's recipe, planned once per dialect as a seed of ``capacity`` rows (the factory's bulk
        threshold): every object of the factory draws from the same decisions."""
        if dialect not in self._recipes:
            from .generators.pools import DEFAULT_LOCALE
            from .recipe_planner import TableInputs, table_recipe

            self._recipes[dialect] = table_recipe(TableInputs(
                self.spec, self.capacity, 0, self.seed, self.locale or DEFAULT_LOCALE, dialect, self.overrides))
        return self._recipes[dialect]

    def _generate(self, start: int, dialect: str | None) -> list[dict[str, Any]]:
        from .run import column_values
        from .writers.executemany import python_values

        recipe = self.recipe(dialect)
        names = [c for c in recipe.output_columns if c not in recipe.wired]  # parents come from SubFactories
        batch = dict(zip(names, column_values(recipe, names, np.arange(start, start + _BLOCK))))
        columns = {}
        for name, values in batch.items():
            col = self.spec.column(name)
            columns[name] = [model_value(col, v) for v in python_values(col, values)]
        return [{name: cells[i] for name, cells in columns.items()} for i in range(_BLOCK)]


def model_value(col: Any, value: Any) -> Any:
    """A stored value as the mapped attribute takes it (Enum members, dates)."""
    if value is None:
        return None
    if col.enum_class is not None and isinstance(value, str):
        if value in col.enum_class.__members__:
            return col.enum_class[value]
        return next((m for m in col.enum_class if m.value == value), value)
    if col.kind == "date" and hasattr(value, "date") and callable(value.date):
        return value.date()
    return value


def source(cls: Any, table: str) -> RowSource:
    """The row source of ``table`` for factory ``cls`` (one per factory class and table)."""
    sources = cls.__dict__.get("_syda_sources")
    if sources is None:
        sources = {}
        type.__setattr__(cls, "_syda_sources", sources)
    if table not in sources:
        sources[table] = RowSource(class_spec(cls._meta.model), table, cls._meta.syda_seed, cls._meta.syda_overrides,
                                   cls._meta.syda_locale, max(1, cls._meta.syda_bulk_threshold))
    return sources[table]


class Rows:
    """The next row number and the latest object made: per session and (model, seed), or per factory without one."""

    def __init__(self) -> None:
        self.next: int | None = None
        self.latest: Any = None


_ROWS: weakref.WeakKeyDictionary[Any, dict[tuple[Any, int], Rows]] = weakref.WeakKeyDictionary()
"""Per live session (it goes with the session): the factories of a model and seed share its row numbers there."""


def rows_state(cls: Any, session: Any) -> Rows:
    """The rows of factory ``cls`` in ``session``; without a session, the factory's own (kept on the class)."""
    if session is None:
        state = cls.__dict__.get("_syda_rows")
        if state is None:
            state = Rows()
            type.__setattr__(cls, "_syda_rows", state)
        return state
    return _ROWS.setdefault(session, {}).setdefault((cls._meta.model, cls._meta.syda_seed), Rows())


def restart(cls: Any, value: int | None) -> None:
    """``reset_sequence``: the model's row numbers start at ``value`` again (None: after the table's rows)."""
    states = [state for rows in list(_ROWS.values()) for (model, _seed), state in rows.items()
              if model is cls._meta.model]
    for state in states + [rows_state(cls, None)]:
        state.next, state.latest = value, None


def table_rows(session: Any, model: type) -> int:
    """Rows already in the model's table (0 without a sync session)."""
    if session is None or isinstance(session, AsyncSession):
        return 0
    table = class_spec(model).sa_table
    return int(session.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
