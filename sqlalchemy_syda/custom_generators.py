"""The seed document's custom generators: ``fn(row, col_name)`` per type name or per column.

``SyntheticDataGenerator.register_generator(type_name, fn, column_name=None)`` keeps them here; for
each table they become ordinary per-column overrides. A column-specific function wins over a
type-wide one; a type-wide one applies to every column whose type name matches (the dict schema's
own type name, ``foreign_key`` for FK columns, the meaning the semantics stage inferred, or the
base name ``number`` / ``text`` / ``date`` / ...)::

    >>> from sqlalchemy_syda import generate
    >>> from sqlalchemy_syda.introspect import table_spec
    >>> from sqlalchemy_syda.semantics import plan_columns
    >>> custom = CustomGenerators()
    >>> custom.register("foreign_key", lambda row, col: 1, column_name="customer_id")
    >>> custom.register("email", lambda row, col: f"{row['first_name']}.{row['last_name']}@acme.test".lower())
    >>> spec = table_spec(Contact)
    >>> meanings = {name: p.meaning for name, p in plan_columns(spec).items()}      # 'email' for contacts.email
    >>> overrides = custom.overrides(spec, meanings=meanings)
    >>> overrides
    {'customer_id': row_fn('<lambda>'), 'email': row_fn('<lambda>')}
    >>> generate([Customer, Contact], {Customer: 2, Contact: 3}, seed=1,
    ...          overrides={"contacts": overrides})["contacts"][["customer_id", "first_name", "email"]]
       customer_id first_name                   email
    0            1       Rita  rita.escobar@acme.test
    1            1      Glenn    glenn.holt@acme.test
    2            1      Tracy  tracy.cuevas@acme.test

``fn(row, col_name)`` is called once per row with ``row``, a dict of that row's values generated so
far (every other column except other custom ones). ``vectorized=True`` registers
``fn(frame, col_name)`` instead, called once per batch with a DataFrame of those columns and
returning one value per row. A :class:`~.generators.base.Generator` or a meaning name (``"email"``)
is accepted as well.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .exceptions import ConstraintUnsatisfiableError, OverrideError, SchemaError, SydaError
from .generators.base import GenContext, Generator, Unique, call_repr, object_column
from .specs import ColumnSpec, TableSpec

__all__ = ["CustomGenerators", "RowFunction", "column_type_names"]

_BASE_NAMES = {"integer": "number", "float": "number", "decimal": "number", "string": "text", "text": "text",
               "enum": "text", "boolean": "boolean", "date": "date", "datetime": "datetime", "time": "time",
               "uuid": "uuid", "json": "json"}


def column_type_names(spec: TableSpec, col: ColumnSpec, meaning: str | None = None) -> list[str]:
    """Type names a type-wide custom generator can be registered under, most specific first."""
    names = []
    hint = col.hint.get("type") if isinstance(col.hint, Mapping) else col.hint
    if isinstance(hint, str):
        names.append(hint)
    if any(col.name in fk.columns for fk in spec.foreign_keys) or col.references:
        names.append("foreign_key")
    if meaning:
        names.append(meaning)
    base = _BASE_NAMES.get(col.kind)
    if base:
        names.append(base)
    return list(dict.fromkeys(names))


class RowFunction(Generator):
    """A user function as a column generator: per row ``fn(row, col_name)``, or vectorised ``fn(frame, col_name)``."""

    def __init__(self, fn: Callable[..., Any], column: str, depends_on: tuple[str, ...] = (),
                 vectorized: bool = False) -> None:
        self.fn, self.column, self.vectorized = fn, column, vectorized
        self.depends_on = depends_on
        self._repr = call_repr("row_fn" if not vectorized else "frame_fn", getattr(fn, "__name__", "fn"))

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        seen = {k: v for k, v in ctx.columns.items() if k in self.depends_on}
        try:
            values = self._call(seen, rows)
        except SydaError:
            raise
        except Exception as exc:  # the user's own error, named (it may not pickle, with workers=N)
            where = f"{ctx.table}.{ctx.spec.name}" if ctx.table else self.column
            raise OverrideError(f"Custom generator {self!r} for {where} raised {type(exc).__name__}: {exc} (rows "
                                f"{int(rows[0]) if len(rows) else 0}..{int(rows[-1]) if len(rows) else 0}).") from exc
        if len(values) != len(rows):
            raise SchemaError(f"Custom generator {self!r} for column {self.column!r} returned {len(values)} values "
                              f"for {len(rows)} rows.")
        return _to_array(values)

    def _call(self, seen: dict[str, np.ndarray], rows: np.ndarray) -> list[Any]:
        if self.vectorized:
            out = self.fn(pd.DataFrame({k: list(v) for k, v in seen.items()}, index=range(len(rows))), self.column)
            return list(out.tolist() if hasattr(out, "tolist") else out)
        names = list(seen)
        columns = [_python_list(seen[k]) for k in names]
        return [self.fn(dict(zip(names, cells)), self.column) for cells in zip(*columns)] if names else \
            [self.fn({}, self.column) for _ in rows]

    def unique(self, constraint: str | None = None) -> Generator:
        """A user function cannot promise distinct values: they are checked instead."""
        return _CheckedUnique(self, constraint)


class _CheckedUnique(Unique):
    """A UNIQUE column filled by a user function: a repeated value is an error naming the column."""

    def __init__(self, inner: RowFunction, constraint: str | None = None) -> None:
        super().__init__(inner, constraint)

    def domain(self, ctx: GenContext) -> int | None:
        return None

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        values = self.inner.generate(ctx, rows)
        seen: set = set()
        for value in values.tolist():
            if value is None:
                continue
            if value in seen:
                where = f"{ctx.table}.{ctx.spec.name}" if ctx.table else ctx.spec.name
                raise ConstraintUnsatisfiableError(
                    f"UNIQUE on {where!r}: the custom generator {self.inner!r} returned {value!r} more than once. "
                    "Return distinct values (e.g. include the row's id or a counter).")
            seen.add(value)
        return values


def _to_array(values: list[Any]) -> np.ndarray:
    """Plain numbers as numeric arrays; anything else (strings, dates, NULLs) as objects."""
    if values and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
        return np.array(values, dtype=np.int64)
    if values and all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                      for v in values):
        return np.array(values, dtype=np.float64)
    return object_column(values)


def _python_list(values: np.ndarray) -> list[Any]:
    if values.dtype.kind == "M":
        return list(pd.to_datetime(values).to_pydatetime())
    return values.tolist()


@dataclass(frozen=True)
class _Entry:
    fn: Any
    vectorized: bool


class CustomGenerators:
    """Registered custom generators, type-wide and per column, turned into overrides per table."""

    def __init__(self) -> None:
        self.by_type: dict[str, _Entry] = {}
        self.by_column: dict[str, _Entry] = {}

    def register(self, type_name: str, fn: Any, column_name: str | None = None, *, vectorized: bool = False) -> None:
        if not isinstance(type_name, str) or not type_name:
            raise SchemaError(f"register_generator() needs a type name such as 'email' or 'foreign_key'; "
                              f"got {type_name!r}.")
        if not (callable(fn) or isinstance(fn, (Generator, str))):
            raise SchemaError(f"register_generator({type_name!r}, ...) needs a function fn(row, col_name), a "
                              f"Generator or a meaning name; got {type(fn).__name__}.")
        entry = _Entry(fn, vectorized)
        if column_name is None:
            self.by_type[type_name] = entry
        else:
            self.by_column[column_name] = entry

    def overrides(self, spec: TableSpec, per_column: Mapping[str, Any] | None = None,
                  meanings: Mapping[str, str | None] | None = None) -> dict[str, Any]:
        """Overrides for ``spec``: ``per_column`` functions first, then column-specific, then type-wide ones."""
        chosen: dict[str, _Entry] = {}
        for name, fn in (per_column or {}).items():
            if not spec.has_column(name):
                raise SchemaError(f"custom_generators name a column {spec.display_name!r} does not have: {name!r}. "
                                  f"Columns: {', '.join(spec.column_names)}.")
            chosen[spec.column(name).name] = _Entry(fn, False)
        for col in spec.columns:
            if col.name in chosen:
                continue
            entry = self.by_column.get(col.name) or next(
                (self.by_type[t] for t in column_type_names(spec, col, (meanings or {}).get(col.name))
                 if t in self.by_type), None)
            if entry is not None:
                chosen[col.name] = entry
        others = tuple(c.name for c in spec.columns if c.name not in chosen and not c.filled_by_database)
        out: dict[str, Any] = {}
        for name, entry in chosen.items():
            fn = entry.fn
            out[name] = fn if isinstance(fn, (Generator, str)) else RowFunction(fn, name, others, entry.vectorized)
        return out
