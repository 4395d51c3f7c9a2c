"""The generator protocol and its combinators.

A generator turns an array of row numbers into an array of values, using only
the counter-based :class:`~sqlalchemy_syda.streams.Stream` in its context, so
it is pure and vectorised::

    >>> from sqlalchemy_syda.generators.numbers import IntRange
    >>> gen = IntRange(1, 10).nullable(0.2)
    >>> gen
    int_range(1, 10).nullable(0.2)
    >>> gen.generate(ctx, np.arange(5))
    array([3, 9, 1, 3, None], dtype=object)
    >>> gen.generate(ctx, np.arange(3, 5))          # rows 3 and 4 alone: the same values
    array([3, None], dtype=object)

A generator whose values come from a finite, enumerable domain also offers
``domain(ctx)`` and ``at(ctx, index)``; :class:`Unique` builds UNIQUE columns
from them by sending row numbers through a keyed permutation of the domain,
so no row ever needs to look at another::

    >>> IntRange(1, 10).unique().generate(ctx, np.arange(10))      # ten rows, ten distinct values
    array([ 1,  6,  4,  3, 10,  8,  9,  2,  7,  5])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..exceptions import ConstraintUnsatisfiableError
from ..specs import ColumnSpec
from ..streams import KeyedPermutation, Stream
from .pools import Pools, get_pools

__all__ = [
    "Constant", "Derived", "GenContext", "Generator", "Mapped", "Nullable", "SampledFrom", "Unique",
    "call_repr", "object_column",
]


def call_repr(name: str, *args: Any, **kwargs: Any) -> str:
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items() if v is not None]
    return f"{name}({', '.join(parts)})"


@dataclass
class GenContext:
    """What a generator may read: its streams, pools, column facts and the row's earlier columns."""

    stream: Stream
    table_stream: Stream
    spec: ColumnSpec = field(default_factory=lambda: ColumnSpec("value"))
    pools: Pools = field(default_factory=get_pools)
    n_total: int = 0
    table: str = ""
    columns: Mapping[str, np.ndarray] = field(default_factory=dict)
    """Values of columns generated earlier in the same batch (for derived columns)."""
    redraw: int = 0
    """> 0 when rows are drawn again (a value was already taken): UNIQUE columns then use permutation
    slots past every row of the table, so the new value cannot collide with another row's."""
    parent_values: Callable[[tuple[str, ...], tuple[str, ...], np.ndarray], list[np.ndarray] | None] | None = None
    """``parent_values(fk_columns, parent_columns, rows)``: the values of ``parent_columns`` in the parent row each
    of ``rows`` points at through the foreign key ``fk_columns`` (None where the FK is NULL), or None when the
    run cannot tell (no such FK, a parent not generated in this run); a learned column conditioned on its parent
    reads it."""

    def group(self, name: str) -> Stream:
        """A stream shared by every column of the table in group ``name`` (row coherence)."""
        return self.table_stream.child("group", name)

    def for_column(self, spec: ColumnSpec) -> GenContext:
        return GenContext(self.table_stream.child("column", spec.name), self.table_stream, spec,
                          self.pools, self.n_total, self.table, self.columns, self.redraw, self.parent_values)


class Generator:
    """Base class: override :meth:`generate`; optionally :meth:`domain` and :meth:`at`."""

    depends_on: tuple[str, ...] = ()
    row_coherence: bool = False
    """``depends_on`` only keeps the value coherent with the row (a product name inside its category): a source
    that writes whole coherent records (the LLM's pools) may replace it, unlike a derived value (an ordering)."""
    distinct_rows: bool = False
    """Distinct row numbers always give distinct values (up to :meth:`domain`): unique by construction."""
    _repr: str = "generator()"

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        if self.domain(ctx) is not None:
            size = self.domain(ctx)
            return self.at(ctx, ctx.stream.integers(rows, 0, size))
        raise TypeError(f"{type(self).__name__} must implement generate() or domain() and at()")

    def domain(self, ctx: GenContext) -> int | None:
        """Number of distinct values this generator can produce, or None if not enumerable."""
        return None

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        """The value at each domain index (only when :meth:`domain` is not None)."""
        raise TypeError(f"{self!r} has no enumerable domain")

    def capacity(self, ctx: GenContext) -> int | None:
        """Distinct values before the domain falls back to numbered repeats (``"Perry-Cook 2"``), or None when
        every value of the domain is a value in its own right."""
        return None

    def __repr__(self) -> str:
        return self._repr

    # combinators -----------------------------------------------------------
    def nullable(self, p: float) -> Generator:
        return Nullable(self, p) if p > 0 else self

    def unique(self, constraint: str | None = None) -> Generator:
        """Distinct values; ``constraint`` (its name) is quoted when the rule cannot be met."""
        return self if isinstance(self, Unique) else Unique(self, constraint)

    def map(self, fn: Callable[[np.ndarray], np.ndarray], name: str | None = None) -> Generator:
        return Mapped(self, fn, name)


class Nullable(Generator):
    """NULL (None) in a fraction ``p`` of rows, drawn from its own stream."""

    def __init__(self, inner: Generator, p: float) -> None:
        self.inner, self.p = inner, float(p)
        self.depends_on = inner.depends_on
        self._repr = f"{inner!r}.nullable({self.p:g})"

    def null_mask(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return ctx.stream.child("null").bernoulli(rows, self.p)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        values = self.inner.generate(ctx, rows)
        mask = self.null_mask(ctx, rows)
        if not mask.any():
            return values
        if values.dtype.kind in "fc":
            out = values.astype(np.float64, copy=True)
            out[mask] = np.nan
            return out
        if values.dtype.kind == "M":
            out = values.copy()
            out[mask] = np.datetime64("NaT")
            return out
        out = values.astype(object)
        out[mask] = None
        return out


class Unique(Generator):
    """Distinct values: row numbers go through a keyed permutation of the inner domain."""

    def __init__(self, inner: Generator, constraint: str | None = None) -> None:
        self.inner, self.constraint = inner, constraint
        self.depends_on = inner.depends_on
        self._repr = f"{inner!r}.unique()"

    def domain(self, ctx: GenContext) -> int | None:
        return self.inner.domain(ctx)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self.inner.at(ctx, index)

    def capacity(self, ctx: GenContext) -> int | None:
        return self.inner.capacity(ctx)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        size = self.inner.domain(ctx)
        where = f"'{ctx.table}.{ctx.spec.name}'" if ctx.table else repr(ctx.spec.name)
        if self.constraint:
            where = f"{self.constraint} {where}"
        if size is None:
            raise ConstraintUnsatisfiableError(
                f"UNIQUE on {where}: generator {self.inner!r} cannot enumerate distinct values. "
                f"Give the column a unique-capable generator (e.g. info={{'syda': 'uuid'}}) or an override.")
        need = max(ctx.n_total, int(rows.max()) + 1 if rows.size else 0)
        if ctx.redraw:
            rows = rows + ctx.redraw * need
            if int(rows.max()) >= size:
                raise ConstraintUnsatisfiableError(
                    f"UNIQUE on {where}: no free value left for rows that collide with existing ones "
                    f"({self.inner!r} has {size} distinct values).")
            return self.inner.at(ctx, KeyedPermutation(size, ctx.stream.child("unique"))(rows))
        if need > size:
            raise ConstraintUnsatisfiableError(
                f"UNIQUE on {where} cannot hold {need} rows: {self.inner!r} has only {size} distinct values. "
                f"Lower the row count, widen the column (length, range, CHECK) or drop the unique rule.")
        if self.inner.distinct_rows:
            return self.inner.generate(ctx, rows)
        return self.inner.at(ctx, KeyedPermutation(size, ctx.stream.child("unique"))(rows))


class Mapped(Generator):
    """Apply a vectorised function to another generator's output."""

    def __init__(self, inner: Generator, fn: Callable[[np.ndarray], np.ndarray], name: str | None) -> None:
        self.inner, self.fn = inner, fn
        self.depends_on = inner.depends_on
        self._repr = f"{inner!r}.map({name or getattr(fn, '__name__', 'fn')})"

    def domain(self, ctx: GenContext) -> int | None:
        return None  # a map may merge values, so the domain is no longer known to be injective

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return self.fn(self.inner.generate(ctx, rows))


class Constant(Generator):
    """The same value in every row."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self._repr = call_repr("constant", value)

    def domain(self, ctx: GenContext) -> int | None:
        return 1

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self.generate(ctx, index)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        if isinstance(self.value, bool):
            return np.full(len(rows), self.value, dtype=bool)
        if isinstance(self.value, int):
            return np.full(len(rows), self.value, dtype=np.int64)
        if isinstance(self.value, float):
            return np.full(len(rows), self.value, dtype=np.float64)
        if isinstance(self.value, str):
            out = np.empty(len(rows), dtype=object)
            out[:] = self.value
            return out
        return object_column([self.value] * len(rows))  # a dict, list or bytes stays one cell


class SampledFrom(Generator):
    """One of a fixed list of values, uniformly or with ``weights``."""

    def __init__(self, values: Any, weights: Any = None, name: str = "sampled_from") -> None:
        vals = list(values)
        if not vals:
            raise ValueError("sampled_from needs at least one value")
        self.values = _as_array(vals)
        self.weights = None if weights is None else np.asarray(weights, dtype=np.float64)
        self._repr = call_repr(name, _short(vals), weights=None if weights is None else _short(list(weights)))

    def domain(self, ctx: GenContext) -> int | None:
        return len(self.values)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self.values[index]

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return self.values[ctx.stream.choice(rows, len(self.values), self.weights)]


class Derived(Generator):
    """Values computed from other columns of the same row (``fn(ctx, rows, columns)``)."""

    def __init__(self, fn: Callable[[GenContext, np.ndarray], np.ndarray], depends_on: tuple[str, ...],
                 name: str) -> None:
        self.fn = fn
        self.depends_on = depends_on
        self._repr = name

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return self.fn(ctx, rows)


def _as_array(values: list) -> np.ndarray:
    if all(isinstance(v, bool) for v in values):
        return np.array(values, dtype=bool)
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return np.array(values, dtype=np.int64)
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return np.array(values, dtype=np.float64)
    return object_column(values)


def object_column(values: Any) -> np.ndarray:
    """A 1-D object array with one cell per item, also when the items are lists, tuples or bytes.

    ``np.asarray`` would make equally long lists a 2-D array, reject ragged ones, and store strings and
    bytes in fixed-width dtypes that drop trailing NULs.
    """
    values = values if isinstance(values, (list, tuple)) else list(values)
    return np.fromiter(values, dtype=object, count=len(values))


def _short(values: list) -> list | str:
    return values if len(values) <= 6 else f"[{', '.join(map(repr, values[:5]))}, ... {len(values)} values]"
