"""SQL values under vectorised evaluation: data, NULL mask and kind, with SQL's three-valued logic.

A :class:`Values` is a whole column (or a constant, as a 0-d array that
broadcasts) as the evaluator of :mod:`.evaluate` sees it: the data, a mask of
NULL rows and a kind (``number``, ``string``, ``boolean``, ``datetime`` or
``null``). Conversions follow what databases do with literals; ``AND``,
``OR`` and ``NOT`` follow SQL's three-valued logic, where NULL is unknown::

    >>> import numpy as np
    >>> flags = column_values("flag", np.array([True, False, True]), np.array([False, False, True]))
    >>> result = sql_or(flags, Values.constant(False, "boolean"))
    >>> result.true.tolist(), result.null.tolist()
    ([True, False, False], [False, False, True])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import UnsupportedCheckError

__all__ = [
    "UNKNOWN",
    "Values",
    "as_datetime",
    "as_number",
    "as_text",
    "as_truth",
    "column_values",
    "comparable",
    "compare_values",
    "null_safe_equal",
    "sql_and",
    "sql_not",
    "sql_or",
]


_STRING = np.dtypes.StringDType()
_KINDS_OF_INFERRED = {
    "string": "string", "empty": "null", "integer": "number", "floating": "number",
    "mixed-integer-float": "number", "decimal": "number", "boolean": "boolean",
    "date": "datetime", "datetime": "datetime", "datetime64": "datetime",
}


@dataclass(frozen=True)
class Values:
    """A column or constant under evaluation: data, NULL mask and kind.

    ``kind`` is ``number``, ``string``, ``boolean``, ``datetime`` or ``null``;
    constants are 0-d arrays that broadcast against columns. Data under the
    NULL mask is arbitrary.
    """

    data: np.ndarray
    null: np.ndarray
    kind: str

    @staticmethod
    def constant(value: Any, kind: str) -> Values:
        dtype = _STRING if kind == "string" else None
        return Values(np.asarray(value, dtype=dtype), np.asarray(False), kind)

    @property
    def true(self) -> np.ndarray:
        return self.data & ~self.null

    @property
    def false(self) -> np.ndarray:
        return ~self.data & ~self.null


UNKNOWN = Values(np.asarray(False), np.asarray(True), "null")
"""NULL of no type: a NULL literal, an all-NULL column, and whatever is computed from them."""


def column_values(name: str, array: Any, null: np.ndarray) -> Values:
    """A column array as Values: NULLs from the mask and from None / NaN / NaT."""
    data = np.asarray(array)
    if isinstance(data.dtype, np.dtypes.StringDType):
        return Values(data, null, "string")
    kind_code = data.dtype.kind
    if kind_code in "iu":
        return Values(data.astype(np.int64, copy=False), null, "number")
    if kind_code == "f":
        return Values(data.astype(np.float64, copy=False), null | np.isnan(data), "number")
    if kind_code == "b":
        return Values(data, null, "boolean")
    if kind_code == "M":
        return Values(data, null | np.isnat(data), "datetime")
    if kind_code == "U":
        return Values(data.astype(_STRING), null, "string")
    if kind_code == "O":
        return _object_values(name, data, null | pd.isna(data))
    raise UnsupportedCheckError(f"column {name!r} has dtype {data.dtype}, which CHECKs cannot be evaluated on")


def _object_values(name: str, data: np.ndarray, null: np.ndarray) -> Values:
    inferred = pd.api.types.infer_dtype(data, skipna=True)
    kind = _KINDS_OF_INFERRED.get(inferred)
    if kind is None:
        raise UnsupportedCheckError(f"column {name!r} holds {inferred} values, which CHECKs cannot be evaluated on")
    if kind == "null":
        return Values(np.zeros(len(data), dtype=bool), np.ones(len(data), dtype=bool), "null")
    if kind == "datetime":
        return Values(_datetimes(data), null, kind)
    filler = {"string": "", "number": 0, "boolean": False}[kind]
    filled = np.where(null, filler, data)
    if kind == "string":
        return Values(filled.astype(_STRING), null, kind)
    if kind == "boolean":
        return Values(filled.astype(bool), null, kind)
    try:
        return Values(filled.astype(np.int64 if inferred == "integer" else np.float64), null, kind)
    except OverflowError:  # Python ints beyond 64 bits
        return Values(filled.astype(np.float64), null, kind)


def _datetimes(data: np.ndarray) -> np.ndarray:
    """Dates, datetimes or ISO strings as naive datetime64 (aware ones in UTC); bad values NaT."""
    parsed = pd.to_datetime(np.atleast_1d(data).ravel(), errors="coerce", utc=True, format="ISO8601")
    return parsed.tz_localize(None).to_numpy().reshape(np.shape(data))


def as_datetime(values: Values) -> Values:
    if values.kind in ("datetime", "null"):
        return values
    if values.kind != "string":
        raise UnsupportedCheckError(f"cannot use a {values.kind} as a date")
    parsed = _datetimes(np.where(values.null, "", values.data).astype(object))
    return Values(parsed, values.null | np.isnat(parsed), "datetime")


def as_number(values: Values) -> Values:
    if values.kind in ("number", "null"):
        return values
    if values.kind == "boolean":
        return Values(values.data.astype(np.int64), values.null, "number")
    if values.kind == "string":
        parsed = pd.to_numeric(np.atleast_1d(values.data.astype(object)).ravel(), errors="coerce")
        parsed = np.asarray(parsed, dtype=np.float64).reshape(np.shape(values.data))
        null = values.null | np.isnan(parsed)
        if np.all(null | ((parsed == np.trunc(parsed)) & (np.abs(parsed) < 2**53))):
            parsed = np.where(null, 0, parsed).astype(np.int64)  # '10' divides as an integer
        return Values(parsed, null, "number")
    raise UnsupportedCheckError(f"cannot use a {values.kind} as a number")


def as_text(values: Values) -> Values:
    if values.kind in ("string", "null"):
        return values
    if values.kind == "number":
        return Values(values.data.astype(_STRING), values.null, "string")
    if values.kind == "datetime":
        text = np.datetime_as_string(values.data)
        return Values(np.strings.replace(text.astype(_STRING), "T", " "), values.null, "string")
    raise UnsupportedCheckError(f"cannot use a {values.kind} as text")


def comparable(left: Values, right: Values) -> tuple[Values, Values]:
    """Both sides in one kind, converting as the databases do with literals."""
    kinds = {left.kind, right.kind}
    if len(kinds) == 1 or "null" in kinds:
        return left, right
    if kinds == {"number", "boolean"}:
        return as_number(left), as_number(right)
    if kinds == {"datetime", "string"}:
        return as_datetime(left), as_datetime(right)
    text = left if left.kind == "string" else right
    if kinds == {"number", "string"} and text.data.ndim == 0:  # price > '10'
        return as_number(left), as_number(right)
    raise UnsupportedCheckError(f"comparing a {left.kind} with a {right.kind}")


def as_truth(values: Values) -> Values:
    if values.kind == "boolean":
        return values
    if values.kind == "null":
        return Values(values.data.astype(bool), values.null, "boolean")
    if values.kind == "number":
        return Values(values.data != 0, values.null, "boolean")
    raise UnsupportedCheckError(f"a {values.kind} used as a condition")


def sql_and(left: Values, right: Values) -> Values:
    left, right = as_truth(left), as_truth(right)
    true, false = left.true & right.true, left.false | right.false
    return Values(true, ~(true | false), "boolean")


def sql_or(left: Values, right: Values) -> Values:
    left, right = as_truth(left), as_truth(right)
    true, false = left.true | right.true, left.false & right.false
    return Values(true, ~(true | false), "boolean")


def sql_not(values: Values) -> Values:
    values = as_truth(values)
    return Values(~values.data, values.null, "boolean")


def compare_values(compare: Callable[..., np.ndarray], left: Values, right: Values) -> Values:
    left, right = comparable(left, right)
    if "null" in (left.kind, right.kind):
        return Values(np.asarray(False), np.asarray(True), "boolean")
    return Values(compare(left.data, right.data), left.null | right.null, "boolean")


def null_safe_equal(left: Values, right: Values) -> Values:
    left, right = comparable(left, right)
    both_null, one_null = left.null & right.null, left.null ^ right.null
    if "null" in (left.kind, right.kind):
        return Values(both_null, np.asarray(False), "boolean")
    equal = np.equal(left.data, right.data) & ~one_null
    return Values(equal | both_null, np.zeros(np.shape(equal), dtype=bool), "boolean")
