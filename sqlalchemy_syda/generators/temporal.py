"""Dates, timestamps, times of day and durations.

Ranges are anchored at a fixed date (``ANCHOR``, overridable per run), not at
"today", so the same seed gives the same data next year too. Ordered pairs
(``updated_at >= created_at``, ``end_date > start_date``) use :class:`After`,
which adds a positive offset to the other column of the same row::

    >>> After("created_at", max_days=365)
    after('created_at', max_days=365)
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .base import GenContext, Generator, call_repr

__all__ = ["ANCHOR", "After", "Before", "DateRange", "DateTimeRange", "Durations", "EpochTime", "TimesOfDay", "datetime64"]

ANCHOR = dt.datetime(2026, 1, 1)
"""The 'now' of generated data: same seed, same data, whatever the calendar says."""

_TIMES = None


def datetime64(value: dt.date | dt.datetime | str, unit: str) -> np.datetime64:
    if isinstance(value, str):
        return np.datetime64(value, unit)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return np.datetime64(value, unit)


class DateRange(Generator):
    """Dates between ``start`` and ``end`` inclusive (``datetime64[D]``)."""

    def __init__(self, start: dt.date | str, end: dt.date | str, recent_bias: float = 0.0) -> None:
        self.start, self.end = datetime64(start, "D"), datetime64(end, "D")
        if self.end < self.start:
            raise ValueError(f"empty date range {self.start} .. {self.end}")
        self.recent_bias = recent_bias
        self._repr = call_repr("date_range", str(self.start), str(self.end),
                               recent_bias=recent_bias or None)

    def domain(self, ctx: GenContext) -> int | None:
        return int((self.end - self.start).astype(np.int64)) + 1

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self.start + index.astype("timedelta64[D]")

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        span = self.domain(ctx)
        u = ctx.stream.uniform(rows)
        if self.recent_bias:
            u = u ** (1.0 / (1.0 + self.recent_bias))  # more mass near the end of the range
        return self.at(ctx, np.minimum((u * span).astype(np.int64), span - 1))


class DateTimeRange(Generator):
    """Timestamps between ``start`` and ``end`` at second resolution (``datetime64[us]``)."""

    def __init__(self, start: dt.datetime | str, end: dt.datetime | str, recent_bias: float = 0.0) -> None:
        self.start, self.end = datetime64(start, "s"), datetime64(end, "s")
        if self.end < self.start:
            raise ValueError(f"empty timestamp range {self.start} .. {self.end}")
        self.recent_bias = recent_bias
        self._repr = call_repr("datetime_range", str(self.start), str(self.end),
                               recent_bias=recent_bias or None)

    def domain(self, ctx: GenContext) -> int | None:
        return int((self.end - self.start).astype(np.int64)) + 1

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return (self.start + index.astype("timedelta64[s]")).astype("datetime64[us]")

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        span = self.domain(ctx)
        u = ctx.stream.uniform(rows)
        if self.recent_bias:
            u = u ** (1.0 / (1.0 + self.recent_bias))
        return self.at(ctx, np.minimum((u * span).astype(np.int64), span - 1))


class After(Generator):
    """Later than column ``base`` of the same row by ``min_days``..``max_days`` (fractional days allowed).

    ``strict`` keeps the result strictly greater; where ``base`` is NULL the
    value is drawn from ``fallback``. ``upper`` caps the result.
    """

    direction = 1
    """+1: later than ``base``; -1 (:class:`Before`): earlier."""

    def __init__(self, base: str, max_days: float = 365.0, min_days: float = 0.0, strict: bool = False,
                 fallback: Generator | None = None, upper: np.datetime64 | None = None,
                 null_when_base_null: bool = False, lower: np.datetime64 | None = None) -> None:
        self.base, self.max_days, self.min_days, self.strict = base, max_days, min_days, strict
        self.fallback, self.upper, self.lower = fallback, upper, lower
        self.null_when_base_null = null_when_base_null
        self.depends_on = (base,)
        self._repr = call_repr("after" if self.direction > 0 else "before", base, max_days=max_days,
                               min_days=min_days or None, strict=strict or None)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        base = self._base(ctx)
        # start from the column's own bound when the base lies beyond it (below it for After, above for Before)
        start = self.lower if self.direction > 0 else self.upper
        if start is not None:
            start = start.astype(base.dtype) if isinstance(start, np.datetime64) and base.dtype.kind == "M" else start
            beyond = np.maximum if self.direction > 0 else np.minimum
            base = np.where(np.isnan(base) if base.dtype.kind == "f" else False, base, beyond(base, start))
        out = self._shifted(ctx, base, rows)
        for bound, clip in ((self.upper, np.minimum), (self.lower if self.direction < 0 else None, np.maximum)):
            if bound is not None and out.dtype.kind == "M":
                out = clip(out, bound.astype(out.dtype))
            elif bound is not None and out.dtype.kind in "iuf":
                out = clip(out, bound)
        missing = np.isnat(out) if out.dtype.kind == "M" else np.isnan(out) if out.dtype.kind == "f" else \
            np.zeros(len(out), bool)
        if missing.any() and not self.null_when_base_null and self.fallback is not None:
            out[missing] = self.fallback.generate(ctx, rows[missing]).astype(out.dtype)
        return out

    def _base(self, ctx: GenContext) -> np.ndarray:
        """The base column as numbers or datetimes (NULL as NaN / NaT); a date next to a timestamp: the
        nearest whole day on the right side of it."""
        base = np.asarray(ctx.columns[self.base])
        kind = ctx.spec.kind
        if base.dtype == object:  # nullable column: None cells
            mask = base == None  # noqa: E711
            if kind in ("date", "datetime") or any(isinstance(v, (dt.date, np.datetime64)) for v in base[~mask][:1]):
                base = np.where(mask, np.datetime64("NaT"), base).astype("datetime64[us]")
            else:
                base = np.where(mask, np.nan, base).astype(np.float64)
        if kind == "date" and base.dtype.kind == "M" and base.dtype != np.dtype("datetime64[D]"):
            day = base.astype("datetime64[D]")  # a date after a timestamp: the next whole day when needed
            if self.direction > 0:
                base = day + (day.astype(base.dtype) < base).astype("timedelta64[D]")
            else:  # a date before a timestamp: its own day is not after it
                base = day
        return base

    def _shifted(self, ctx: GenContext, base: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """``base`` moved by ``min_days``..``max_days`` in ``direction``, in the column's own steps."""
        sign, kind = self.direction, ctx.spec.kind
        u = ctx.stream.uniform(rows)
        days = self.min_days + u * (self.max_days - self.min_days)
        if base.dtype == np.dtype("datetime64[D]"):
            offset = np.floor(days).astype(np.int64)
            if self.strict:
                offset = np.maximum(offset, 1)
            return base + (sign * offset).astype("timedelta64[D]")
        if base.dtype.kind == "M":
            seconds = np.floor(days * 86400).astype(np.int64)
            if self.strict:
                seconds = np.maximum(seconds, 1)
            return base.astype("datetime64[us]") + (sign * seconds).astype("timedelta64[s]")
        # numbers: keep the ordering with an offset in the column's own steps
        scale = 0 if kind == "integer" else ctx.spec.scale
        if scale is None and kind == "float":
            scale = 2  # like the float generators: no binary noise in money-like columns
        if scale is None:
            out = base + sign * (np.maximum(days, 1e-6) if self.strict else days)
        elif base.dtype.kind == "f" or scale:
            step = 10.0 ** -scale
            offset = np.floor(days / step) * step
            out = np.round(base + sign * (np.maximum(offset, step) if self.strict else offset), scale)
        else:
            out = base + sign * (np.floor(days).astype(np.int64) + self.strict)
        top = _largest(ctx.spec)
        if top is not None:  # inside the column's type; raising a value to the type's floor keeps it after base
            out = np.clip(out, -top if ctx.spec.kind == "decimal" else -top - 1, top)
        return out


class Before(After):
    """Earlier than column ``base`` of the same row by ``min_days``..``max_days``: the mirror of :class:`After`,
    for the lesser column of an ordering whose greater column is given (an override: ``end`` fixed, ``start``
    drawn below it). ``lower`` caps the result from below::

        >>> Before("ends_at", max_days=30, strict=True)
        before('ends_at', max_days=30, strict=True)
    """

    direction = -1


def _largest(spec) -> float | int | None:
    """The largest number the column type stores (integer width, ``Numeric(p, s)``), or None."""
    if spec.kind == "integer":
        return 2 ** ((spec.int_bits or 64) - 1) - 1
    if spec.kind == "decimal" and spec.precision is not None:
        scale = spec.scale or 0
        return round(10.0 ** (spec.precision - scale) - 10.0 ** -scale, scale)
    return None


class EpochTime(Generator):
    """A timestamp generator's values as integer Unix time (``unit`` ``"s"``, ``"ms"`` or ``"D"``, days).

    For integer columns that hold points in time (``creation_time BIGINT``, ``submitted_at INTEGER``);
    a 16-bit ``created_at SMALLINT`` holds days since 1970 (up to 2059), never seconds that overflow it.
    """

    _NAMES = {"s": "seconds", "ms": "millis", "D": "days"}

    def __init__(self, inner: Generator, unit: str = "s") -> None:
        if unit not in self._NAMES:
            raise ValueError(f"epoch unit must be 's', 'ms' or 'D', not {unit!r}")
        self.inner, self.unit = inner, unit
        self.depends_on = inner.depends_on
        self._repr = f"epoch_{self._NAMES[unit]}({inner!r})"

    @property
    def per_day(self) -> int:
        return {"ms": 86_400_000, "s": 86_400, "D": 1}[self.unit]

    def domain(self, ctx: GenContext) -> int | None:
        return self.inner.domain(ctx)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self._epoch(self.inner.at(ctx, index))

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return self._epoch(self.inner.generate(ctx, rows))

    def _epoch(self, values: np.ndarray) -> np.ndarray:
        stamps = np.asarray(values).astype(f"datetime64[{self.unit}]")
        out = stamps.astype(np.int64)
        if np.isnat(stamps).any():
            out = np.where(np.isnat(stamps), np.nan, out.astype(np.float64))
        return out


class TimesOfDay(Generator):
    """``datetime.time`` values at minute resolution, weighted to working hours."""

    _repr = "times_of_day()"

    def domain(self, ctx: GenContext) -> int | None:
        return 1440

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        global _TIMES
        if _TIMES is None:
            _TIMES = np.array([dt.time(m // 60, m % 60) for m in range(1440)], dtype=object)
        return _TIMES[index]

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        minutes = np.clip(np.round(13 * 60 + 180 * ctx.stream.normal(rows)), 0, 1439).astype(np.int64)
        return self.at(ctx, minutes)


class Durations(Generator):
    """Durations between ``min_seconds`` and ``max_seconds`` (``timedelta64[s]``)."""

    def __init__(self, min_seconds: int = 60, max_seconds: int = 8 * 3600) -> None:
        self.lo, self.hi = int(min_seconds), int(max_seconds)
        self._repr = call_repr("durations", self.lo, self.hi)

    def domain(self, ctx: GenContext) -> int | None:
        return self.hi - self.lo + 1

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return (index + self.lo).astype("timedelta64[s]")
