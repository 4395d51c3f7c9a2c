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

import datetime as dt
import decimal
import enum
import inspect
import numbers
import uuid
from collections.abc import Callable
from typing import Any

import numpy as np

from .exceptions import OverrideError, SydaError
from .generators.base import Constant, GenContext, Generator, SampledFrom, call_repr, object_column
from .generators.registry import MEANINGS, generator_for
from .specs import ColumnSpec

__all__ = ["override_generator"]


class _Callable(Generator):
    """A user callable: ``fn(rows, stream)`` vectorised, ``fn(k)`` per row number, or ``fn()`` per row.

    What it does wrong is an :class:`~.exceptions.OverrideError` naming the table and column: parameters it
    cannot be called with, a result that is not one value per row, a value the column cannot hold, or an
    exception of its own (chained, so its traceback stays visible).
    """

    def __init__(self, fn: Callable, table: str = "", column: str = "") -> None:
        self.fn = fn
        self.where = f"{table}.{column}" if table else column
        self._repr = call_repr("callable", getattr(fn, "__name__", "fn"))
        self.arity = _arity(fn, self)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        where = f"{ctx.table}.{ctx.spec.name}" if ctx.table else self.where or ctx.spec.name
        try:
            if self.arity >= 2:
                out = self.fn(rows, ctx.stream)
            elif self.arity == 1:
                out = [self.fn(int(k)) for k in rows]
            else:
                out = [self.fn() for _ in rows]
        except SydaError:
            raise
        except Exception as exc:  # the user's own error, named; not re-raised as is: it may not pickle (workers)
            raise OverrideError(f"override {self!r} for {where} raised {type(exc).__name__}: {exc} (rows "
                                f"{int(rows[0]) if len(rows) else 0}..{int(rows[-1]) if len(rows) else 0}).") from exc
        if out is None or isinstance(out, (str, bytes)) or not hasattr(out, "__len__"):
            raise OverrideError(f"override {self!r} for {where} returned {_short(out)} for {len(rows)} rows; a "
                                "vectorised fn(rows, stream) returns one value per row (a list or array as long as "
                                "rows).")
        arr = out if isinstance(out, np.ndarray) else _values_column(out)
        if arr.ndim != 1:
            raise OverrideError(f"override {self!r} for {where} returned an array of shape {arr.shape} for "
                                f"{len(rows)} rows; return one value per row.")
        if arr.dtype.kind in "US":
            arr = arr.astype(object)
        if len(arr) != len(rows):
            raise OverrideError(f"override {self!r} for {where} returned {len(arr)} values for {len(rows)} rows.")
        problem = unfit_values(ctx.spec, arr)
        if problem is not None:
            i, reason = problem
            raise OverrideError(f"override {self!r} for {where} gave {_short(arr[i])} at row {int(rows[i])}: "
                                f"{reason}.")
        return arr


def _arity(fn: Callable, gen: _Callable) -> int:
    """How ``fn`` is called: 2 (rows, stream), 1 (row number) or 0; parameters it cannot take are refused."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature: called with no arguments
        return 0
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    keyword_only = [p.name for p in params if p.kind is p.KEYWORD_ONLY and p.default is p.empty]
    if len(required) > 2 or keyword_only:
        names = ", ".join(p.name for p in params)
        raise OverrideError(f"override {gen!r} for {gen.where} takes ({names}); an override callable is called as "
                            "fn() or fn(k) per row (k: the row number), or fn(rows, stream) for a whole batch.")
    if positional:
        return min(len(positional), 2)
    return 1 if any(p.kind is p.VAR_POSITIONAL for p in params) else 0


_NUMBER_KINDS = ("integer", "float", "decimal")
_TEXT_KINDS = ("string", "text", "enum")
_TEXT_VALUES = (str, bytes, bytearray, numbers.Number, list, tuple, dict, dt.date, dt.time, dt.timedelta,
                uuid.UUID, enum.Enum, np.generic)


def _unfit(spec: ColumnSpec, value: Any) -> str | None:
    """Why ``value`` cannot go into ``spec``'s column, or None (NULL and anything the column kind takes)."""
    if value is None:
        return None
    kind = spec.kind
    if kind in _NUMBER_KINDS:
        if isinstance(value, (numbers.Number, np.number, np.bool_)):
            return None
        if isinstance(value, str):
            try:
                decimal.Decimal(value.strip())
                return None
            except decimal.InvalidOperation:
                return f"the {spec.type_repr or kind} column cannot hold text that is not a number"
        return f"the {spec.type_repr or kind} column cannot hold {type(value).__name__} values (give numbers)"
    if kind in _TEXT_KINDS and not isinstance(value, _TEXT_VALUES):
        return (f"the {spec.type_repr or kind} column cannot hold {type(value).__name__} values (give text, "
                "numbers, or lists / dicts for their JSON text)")
    if kind == "boolean" and not isinstance(value, (bool, np.bool_, numbers.Integral)):
        return f"the BOOLEAN column cannot hold {type(value).__name__} values (give True / False)"
    return None


def unfit_values(spec: ColumnSpec, values: np.ndarray) -> tuple[int, str] | None:
    """The first value of ``values`` that ``spec``'s column cannot hold, as (index, why), or None."""
    if values.dtype.kind != "O" or spec.kind not in (*_NUMBER_KINDS, *_TEXT_KINDS, "boolean"):
        return None
    if spec.kind in _TEXT_KINDS and all(type(v) is str for v in values.tolist()):  # the common case, fast
        return None
    for i, value in enumerate(values.tolist()):
        reason = _unfit(spec, value)
        if reason is not None:
            return i, reason
    return None


def _short(value: Any) -> str:
    text = repr(value.item() if isinstance(value, np.generic) else value)
    return text if len(text) <= 80 else text[:77] + "..."


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


def override_generator(value: Any, spec: ColumnSpec, table: str = "") -> Generator:
    """Turn an override (Generator, meaning name, callable or constant) into a generator; a constant or list
    value the column cannot hold is an :class:`~.exceptions.OverrideError` (``table`` names it)."""
    if isinstance(value, Generator):
        return value
    if isinstance(value, str) and value in MEANINGS:
        return generator_for(value, spec)
    if callable(value):
        return _Callable(value, table, spec.name)
    values = list(value) if isinstance(value, (list, tuple)) and value else [value]
    for item in values:
        reason = _unfit(spec, item)
        if reason is not None:
            where = f"{table}.{spec.name}" if table else spec.name
            raise OverrideError(f"override for {where} is {_short(value)}: {reason}.")
    if isinstance(value, (list, tuple)) and value:
        return SampledFrom(value)
    return Constant(value)


