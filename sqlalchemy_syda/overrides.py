"""User overrides as generators: a meaning name, a Generator, a callable, a list of values or a constant.

``seed(..., overrides={"users.status": "order_status", "users.score": lambda k: k % 10,
"users.tier": ["gold", "silver"], "users.note": None})``: each value becomes the generator of its column
(``None`` is NULL, see :func:`~.semantics.infer_column`)::

    >>> from sqlalchemy_syda.introspect import table_spec
    >>> status = table_spec(Customer).column("status")
    >>> override_generator(["Active", "Prospect"], status), override_generator(None, status)
    (sampled_from(['Active', 'Prospect']), constant(None))
    >>> override_generator(lambda k: f"https://c{k}.test", status)
    callable('<lambda>')

In a run::

    >>> from sqlalchemy_syda import generate
    >>> generate(Customer, 3, seed=1, overrides={"customers.status": ["Active", "Prospect"],
    ...                                          "customers.website": lambda k: f"https://c{k}.test",
    ...                                          "customers.industry": None})[["status", "website", "industry"]]
         status          website industry
    0  Prospect  https://c0.test     None
    1    Active  https://c1.test     None
    2    Active  https://c2.test     None
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from .exceptions import SchemaError
from .generators.base import Constant, GenContext, Generator, SampledFrom, call_repr, object_column
from .generators.registry import MEANINGS, generator_for
from .specs import ColumnSpec

__all__ = ["override_generator"]


class _Callable(Generator):
    """A user callable: ``fn(rows, stream)`` vectorised, ``fn(k)`` per row number, or ``fn()`` per row."""

    def __init__(self, fn: Callable) -> None:
        self.fn = fn
        try:
            self.arity = len(inspect.signature(fn).parameters)
        except (TypeError, ValueError):
            self.arity = 0
        self._repr = call_repr("callable", getattr(fn, "__name__", "fn"))

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        if self.arity >= 2:
            out = self.fn(rows, ctx.stream)
        elif self.arity == 1:
            out = [self.fn(int(k)) for k in rows]
        else:
            out = [self.fn() for _ in rows]
        arr = out if isinstance(out, np.ndarray) else _values_column(out)
        if arr.dtype.kind in "US":
            arr = arr.astype(object)
        if len(arr) != len(rows):
            raise SchemaError(f"override {self!r} for column {ctx.spec.name!r} returned {len(arr)} values "
                              f"for {len(rows)} rows.")
        return arr


def _values_column(values: Any) -> np.ndarray:
    """A callable's per-row values as a column: numbers and dates typed, anything else one object per row
    (lists for JSON and ARRAY columns stay lists; strings and bytes keep trailing NULs)."""
    try:
        arr = np.asarray(values)
    except ValueError:  # ragged lists
        arr = None
    if arr is None or arr.ndim != 1 or arr.dtype.kind in "USV":
        return object_column(values)
    return arr


def override_generator(value: Any, spec: ColumnSpec) -> Generator:
    """Turn an override (Generator, meaning name, callable or constant) into a generator."""
    if isinstance(value, Generator):
        return value
    if isinstance(value, str) and value in MEANINGS:
        return generator_for(value, spec)
    if callable(value):
        return _Callable(value)
    if isinstance(value, (list, tuple)) and value:
        return SampledFrom(value)
    return Constant(value)


