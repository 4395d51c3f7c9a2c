"""Edge cases for test suites: boundary values written into the first rows, still within the constraints.

Test data that only ever holds middle-of-the-road values hides the bugs at the edges. For every
column that is not a key, :func:`edge_values` lists what a tester would try: NULL where the column
allows it, every enum or CHECK-listed value, the shortest and the longest string the column holds
(``VARCHAR(20)`` gets a 20-character value), unicode and quoting, the smallest and largest number
the type and the CHECKs allow, zero, leap days and the 2038 boundary. :func:`with_edge_cases` puts
the i-th edge value of each column into row i and keeps only what the table's constraints accept:
each CHECK is evaluated on the changed row, a UNIQUE column or column set never gets a duplicate,
NOT NULL is respected. Rows past the edge cases stay as generated::

    >>> from sqlalchemy_syda import generate
    >>> from sqlalchemy_syda.introspect import table_spec, table_specs
    >>> edge_values(table_spec(OrderItem).column("quantity"))             # INTEGER NOT NULL
    [-2147483648, 2147483647, 0, -1, 1]
    >>> frames = with_edge_cases(table_specs([Customer]), {"customers": generate(Customer, 8, seed=1)})
    >>> frames["customers"]["status"].tolist()                             # VARCHAR(20), nullable
    [None, 'x', 'Long value Long valu', 'Zoë Ñandú – 測試 😀', 'O\\'Brien "quoted" <b>', ' padded xxxxxxxxxxxx', 'Active', 'Inactive']
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from .checks import ColumnRule, compile_checks, evaluate_check
from .constraints import type_bounds, unique_sets
from .exceptions import SydaError
from .specs import ColumnSpec, TableSpec

__all__ = ["edge_values", "with_edge_cases"]

_UNICODE = "Zoë Ñandú – 測試 😀"
_QUOTES = "O'Brien \"quoted\" <b>&amp;</b> ; --"
_DATES = (dt.date(2000, 2, 29), dt.date(1970, 1, 1), dt.date(2038, 1, 19), dt.date(1900, 1, 1), dt.date(2099, 12, 31))
_TIMES = (dt.time(0, 0, 0), dt.time(23, 59, 59))


def edge_values(spec: ColumnSpec, rule: ColumnRule | None = None) -> list[Any]:
    """What a tester would try in this column, before the table's CHECKs have their say."""
    out: list[Any] = []
    if spec.nullable and not spec.primary_key and not (rule and rule.not_null):
        out.append(None)
    listed = spec.enum_values or (rule.allowed if rule and rule.allowed is not None else None)
    if listed:
        return out + list(listed)
    kind = spec.kind
    if kind in ("string", "text"):
        limit = min(x for x in (spec.length, rule.max_length if rule else None, 4000) if x is not None)
        shortest = max(rule.min_length or 1, 1) if rule else 1
        out += ["x" * shortest, ("Long value " * (limit // 11 + 1))[:limit], _UNICODE[:limit], _QUOTES[:limit],
                (" padded " + "x" * limit)[:limit]]
    elif kind in ("integer", "decimal", "float"):
        out += _numbers(spec, rule)
    elif kind == "boolean":
        out += [True, False]
    elif kind == "date":
        out += list(_DATES)
    elif kind == "datetime":
        out += [dt.datetime.combine(d, t) for d, t in zip(_DATES, (*_TIMES, dt.time(3, 14, 7)), strict=False)]
    elif kind == "time":
        out += list(_TIMES)
    elif kind == "uuid":
        out += [uuid.UUID(int=0), uuid.UUID(int=(1 << 128) - 1)]
    elif kind == "json":
        out += [{}, [], {"nested": {"list": [1, 2.5, None], "text": _UNICODE}}]
    return out


def _numbers(spec: ColumnSpec, rule: ColumnRule | None) -> list[Any]:
    lo, hi = type_bounds(spec)
    if spec.kind == "float":
        lo, hi = -1e15, 1e15
    if rule is not None:
        if isinstance(rule.lower, (int, float)) and (lo is None or rule.lower > lo):
            lo = rule.lower if rule.lower_inclusive else rule.lower + _step(spec)
        if isinstance(rule.upper, (int, float)) and (hi is None or rule.upper < hi):
            hi = rule.upper if rule.upper_inclusive else rule.upper - _step(spec)
    values: list[Any] = [v for v in (lo, hi) if v is not None]
    values += [v for v in (0, -1, 1) if (lo is None or v >= lo) and (hi is None or v <= hi)]
    if spec.kind == "integer":
        return [int(v) for v in dict.fromkeys(values)]
    scale = spec.scale if spec.scale is not None else 2
    if spec.kind == "decimal":
        return [Decimal(str(round(v, scale))) for v in dict.fromkeys(values)]
    return [float(v) for v in dict.fromkeys(values)]


def _step(spec: ColumnSpec) -> float:
    if spec.kind == "integer":
        return 1
    return 10.0 ** -(spec.scale if spec.scale is not None else 2)


def with_edge_cases(specs: list[TableSpec], frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``frames`` with edge values in their first rows (keys, foreign keys and database-filled columns untouched)."""
    out = dict(frames)
    for spec in specs:
        frame = frames.get(spec.fullname, frames.get(spec.name))
        if frame is None or frame.empty:
            continue
        out[spec.fullname if spec.fullname in frames else spec.name] = _table_edges(spec, frame)
    return out


def _table_edges(spec: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    compiled = compile_checks(spec.checks, columns=spec.column_names) if spec.checks else None
    fk_columns = {c for fk in spec.foreign_keys for c in fk.columns}
    uniques = [cols for cols in unique_sets(spec) if all(c in frame.columns for c in cols)]
    for col in spec.columns:
        if col.name not in frame.columns or col.primary_key or col.name in fk_columns or col.filled_by_database:
            continue
        rule = compiled.rules.get(col.name) if compiled else None
        values = edge_values(col, rule)[: len(frame)]
        if not values:
            continue
        dtype = frame[col.name].dtype
        frame[col.name] = frame[col.name].astype(object)
        for row, value in enumerate(values):
            before = frame.at[row, col.name]
            frame.at[row, col.name] = value
            if not _acceptable(spec, frame, row, col.name, uniques):
                frame.at[row, col.name] = before
        frame[col.name] = _restore_dtype(frame[col.name], dtype)
    return frame


def _restore_dtype(values: pd.Series, dtype: Any) -> pd.Series:
    """Back to the column's own dtype (NULLs as NA/NaT), so edge rows look like the others."""
    try:
        if pd.api.types.is_datetime64_any_dtype(dtype):
            return pd.to_datetime(values)
        if pd.api.types.is_integer_dtype(dtype):
            return values.astype("Int64")
        if pd.api.types.is_float_dtype(dtype):
            return pd.to_numeric(values)
        if pd.api.types.is_bool_dtype(dtype):
            return values.astype("boolean")
    except (TypeError, ValueError, OverflowError):
        pass
    return values


def _acceptable(spec: TableSpec, frame: pd.DataFrame, row: int, column: str, uniques: list[tuple[str, ...]]) -> bool:
    value = frame.at[row, column]
    if value is None and not spec.column(column).nullable:
        return False
    for cols in uniques:
        if column not in cols:
            continue
        mine = tuple(frame.at[row, c] for c in cols)
        if any(v is None or (isinstance(v, float) and np.isnan(v)) for v in mine):
            continue  # NULLs are distinct
        others = frame.loc[frame.index != row, list(cols)]
        if (others == pd.Series(mine, index=list(cols))).all(axis=1).any():
            return False
    for check in spec.checks:
        names = [c for c in spec.column_names if c in frame.columns]
        arrays = {c: np.array([frame.at[row, c]], dtype=object) for c in names}
        nulls = {c: np.array([_is_null(frame.at[row, c])]) for c in names}
        try:
            if not evaluate_check(check, arrays, nulls)[0]:
                return False
        except (SydaError, TypeError, ValueError):
            return False  # a CHECK we cannot evaluate on this value: keep the generated one
    return True


def _is_null(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT
