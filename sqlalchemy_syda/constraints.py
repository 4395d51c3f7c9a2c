"""Constraints the generated rows must meet, applied to generators before any value exists.

Each column's generator is narrowed by what the schema says:

* type limits: integer width, ``Numeric(p, s)`` precision and scale, string length;
* CHECK rules compiled by :mod:`.checks`: bounds, IN-sets, NOT NULL, lengths,
  column-to-column orderings (``end_date > start_date`` becomes "end = start + a positive offset");
* UNIQUE: a single column becomes :class:`~.generators.base.Unique` (a keyed permutation of its
  domain); a composite UNIQUE either rides on one member that can be unique alone or draws all its
  members jointly from a permutation of the product of their domains (how association tables get
  distinct ``(user_id, tag_id)`` pairs).

What cannot be compiled is verified row-wise after generation (:func:`failing_rows`); rows that fail are
regenerated with a fresh draw by the caller, and a rule no draw can meet raises
:class:`~.exceptions.ConstraintUnsatisfiableError` naming it::

    >>> from sqlalchemy_syda.checks import ColumnRule
    >>> narrow(ColumnSpec("age", "integer", int_bits=16), IntRange(0, 120), ColumnRule("age", lower=18, upper=65))
    int_range(18, 65)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping

import numpy as np

from .checks import ColumnRule, LikePattern, evaluate_check
from .exceptions import UnsupportedCheckError
from .generators.base import Constant, GenContext, Generator, SampledFrom
from .generators.choices import Pattern
from .generators.numbers import DecimalRange, IntRange, Sequence
from .generators.temporal import After, DateRange, DateTimeRange, datetime64
from .specs import ColumnSpec, TableSpec

__all__ = ["MinLength", "OnGrid", "combined_remainder", "failing_rows", "narrow", "partial_uniques", "type_bounds", "unique_sets",
           "value_length", "widened_range"]


def type_bounds(spec: ColumnSpec) -> tuple[float | None, float | None]:
    """Smallest and largest value the column type can store (None: no practical limit)."""
    if spec.kind == "integer":
        bits = spec.int_bits or 64
        return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    if spec.kind == "decimal" and spec.precision is not None:
        top = 10.0 ** (spec.precision - (spec.scale or 0)) - 10.0 ** -(spec.scale or 0)
        return -top, top
    return None, None


def value_length(spec: ColumnSpec, rule: ColumnRule | None) -> int | None:
    """The longest string the column and its CHECKs accept."""
    limits = [x for x in (spec.length, rule.max_length if rule else None) if x is not None]
    return min(limits) if limits else None


def _step(spec: ColumnSpec, gen: Generator) -> float:
    if spec.kind == "integer" or isinstance(gen, IntRange):
        return 1
    scale = getattr(gen, "scale", None) if spec.scale is None else spec.scale
    return 10.0 ** -(scale if scale is not None else 6)


def _coerce(value, spec: ColumnSpec):
    """A CHECK literal in the column's own terms (date strings -> numpy dates)."""
    if spec.kind in ("date", "datetime") and isinstance(value, (str, dt.date)):
        try:
            return datetime64(value, "D" if spec.kind == "date" else "s")
        except ValueError:
            return value
    return value


def narrow(spec: ColumnSpec, gen: Generator, rule: ColumnRule | None) -> Generator:
    """``gen`` restricted to the type limits of ``spec`` and the CHECK ``rule``."""
    gen = _narrow(spec, gen, rule)
    if rule is not None and rule.modulo and isinstance(gen, IntRange):
        gen = OnGrid.around(gen, *combined_remainder(rule.modulo))
    if spec.kind not in ("string", "text"):
        return gen
    limit = value_length(spec, rule)
    if isinstance(gen, Pattern) and limit is not None and len(gen.pattern) > limit:
        # cut the pattern, not the values: the domain stays exact, so UNIQUE stays unique
        shorter = Pattern(gen.pattern[:limit])
        shorter._repr = gen._repr
        gen = shorter
    if rule is not None and rule.min_length:
        gen = MinLength(gen, rule.min_length, limit)
    if rule is not None and rule.like:
        gen = LikeShaped(gen, rule.like, limit)
    return gen


_LONGER_DRAWS = 4
"""Draws of ``inner`` a too-short value gets before words are appended to it."""


class MinLength(Generator):
    """``inner``'s strings, lengthened where a CHECK (``length(name) >= 3``) asks for more characters.

    A short value is drawn again a few times (``'Mary'`` -> ``'Christopher'``); one still short gets words
    appended (``'Li'`` -> ``'Li gravida'``), cut to the column's limit. ``at``
    (used by UNIQUE) appends ``~`` and the index in base 36 instead, zero-padded: ``~`` is in no pool value,
    so distinct indexes stay distinct values.
    """

    def __init__(self, inner: Generator, min_length: int, limit: int | None) -> None:
        self.inner, self.min_length, self.limit = inner, min_length, limit
        self.depends_on = inner.depends_on
        self._repr = f"{inner!r}.min_length({min_length})"

    def domain(self, ctx: GenContext) -> int | None:
        return self.inner.domain(ctx)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        out = np.asarray(self.inner.at(ctx, index), dtype=object).copy()
        k = self.min_length
        for i in self._short(out):
            body, code = str(out[i]), np.base_repr(int(index[i]), 36).lower()
            if self.limit is not None and len(body) + 1 + len(code) > self.limit:
                body = ""
            out[i] = body + "~" + code.zfill(k - len(body) - 1)
        return out

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        out = np.asarray(self.inner.generate(ctx, rows), dtype=object).copy()
        short = self._short(out)
        for attempt in range(1, _LONGER_DRAWS + 1):  # a naturally long value first ('Christopher')
            if not len(short):
                return out
            again = np.asarray(self.inner.generate(
                dataclasses.replace(ctx, stream=ctx.stream.child("min_length", attempt)), rows[short]), dtype=object)
            long_enough = np.setdiff1d(np.arange(len(short)), self._short(again))
            out[short[long_enough]] = again[long_enough]
            short = np.delete(short, long_enough)
        if not len(short):
            return out
        words = ctx.pools.words
        picks = ctx.stream.child("min_length").integers(rows[short], 0, len(words))
        for i, pick in zip(short.tolist(), picks.tolist()):
            text = str(out[i])
            while len(text) < self.min_length:
                text = f"{text} {words[pick % len(words)]}" if text else str(words[pick % len(words)])
                pick = pick * 31 + 7
            out[i] = text if self.limit is None else text[:self.limit]
        return out

    def _short(self, values: np.ndarray) -> np.ndarray:
        return np.flatnonzero([v is not None and v == v and len(str(v)) < self.min_length for v in values])


def widened_range(spec: ColumnSpec, gen: Generator, rule: ColumnRule | None, need: int) -> Generator | None:
    """An integer generator with room for ``need`` distinct values, for a UNIQUE column whose meaning's
    usual range (``code``: 1-1,000) is too narrow; within the type and the CHECKs. None when it cannot be.

    It grows upwards first (keeping the meaning's lowest value), then downwards to the lower limit.
    """
    inner = gen.inner if isinstance(gen, OnGrid) else gen
    if spec.kind != "integer" or not isinstance(inner, IntRange):
        return None
    step = gen.step if isinstance(gen, OnGrid) else 1
    low, high = type_bounds(spec)
    if rule is not None and rule.lower is not None and _number_like(rule.lower):
        low = math.ceil(rule.lower) + (0 if rule.lower_inclusive else 1)
    if rule is not None and rule.upper is not None and _number_like(rule.upper):
        high = math.floor(rule.upper) - (0 if rule.upper_inclusive else 1)
    span = 4 * need * step  # room to spare, so the values do not look like a sequence
    top = inner.lo + span if high is None else min(high, inner.lo + span)
    bottom = inner.lo
    if top - bottom < span and low is not None:
        bottom = max(low, top - span)
    if (bottom, top) == (inner.lo, inner.hi) or top - bottom <= inner.hi - inner.lo:
        return None
    return narrow(spec, IntRange(int(bottom), int(top)), rule)


def combined_remainder(rules: tuple[tuple[int, int], ...]) -> tuple[int, int]:
    """One ``(m, r)`` that meets every ``x % m_i = r_i`` (``% 2 = 0`` and ``% 3 = 0``: ``% 6 = 0``), found over
    the least common multiple; the first rule when there is none (the others are then verified)."""
    if len(rules) == 1:
        return rules[0]
    sign = -1 if all(r <= 0 for _, r in rules) and any(r < 0 for _, r in rules) else 1
    if any(r * sign < 0 for _, r in rules):  # a positive and a negative remainder: no value has both
        return rules[0]
    step = math.lcm(*(m for m, _ in rules))
    if step > 1_000_000:
        return rules[0]
    for r in range(step):
        if all(r % m == r_i * sign for m, r_i in rules):
            return step, r * sign
    return rules[0]


class OnGrid(Generator):
    """``inner``'s integers moved to the nearest ``value % m = r`` (SQL's remainder) inside ``inner``'s range.

    ``level % 3 = 0`` in a CHECK: the values keep their distribution (a lognormal count stays lognormal)
    but land on multiples of 3. The grid is enumerable, so a UNIQUE column takes distinct grid points.
    """

    def __init__(self, inner: IntRange, base: int, step: int, count: int) -> None:
        self.inner, self.base, self.step, self.count = inner, base, step, count
        self.depends_on = inner.depends_on
        self._repr = f"{inner!r}.on_grid({base} + {step}k)"

    @classmethod
    def around(cls, inner: IntRange, m: int, r: int) -> Generator:
        """The grid of ``inner``'s range (``inner`` itself when no grid point is in it: the check then fails loudly)."""
        lo, hi = inner.lo, inner.hi
        if r > 0:
            lo = max(lo, r)   # a positive remainder needs a positive value
        elif r < 0:
            hi = min(hi, r)
        base = lo + (r - lo) % m
        if base > hi:
            return inner
        return cls(inner, base, m, (hi - base) // m + 1)

    def domain(self, ctx: GenContext) -> int | None:
        return self.count

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return np.int64(self.base) + np.asarray(index, dtype=np.int64) * np.int64(self.step)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        k = np.rint((self.inner.generate(ctx, rows).astype(np.float64) - self.base) / self.step).astype(np.int64)
        return self.at(ctx, np.clip(k, 0, self.count - 1))


class LikeShaped(Generator):
    """Values of ``inner`` that match ``LIKE`` patterns: a value that does not is rebuilt around the
    pattern's literal parts (``'A%'``: ``'A' + value``, ``'%@%'``: ``value + '@'``), ``_`` as ``X``.

    ``at`` (used by UNIQUE) rebuilds every value and never cuts one: a value too long for the room the
    pattern leaves becomes ``~`` plus the index in base 36 (``~`` is in no pool value), and a room under
    :data:`_TIGHT` characters holds the index alone, zero-padded; distinct indexes stay distinct values.
    """

    def __init__(self, inner: Generator, patterns: tuple[LikePattern, ...], limit: int | None) -> None:
        self.inner, self.patterns, self.limit = inner, patterns, limit
        self.depends_on = inner.depends_on
        self._repr = f"{inner!r}.like({', '.join(repr(p.pattern) for p in patterns)})"

    def _pieces(self) -> list[tuple[list[str], int | None]]:
        """Literal parts and the room left for the value, for each pattern this generator can shape."""
        out = []
        for like in self.patterns:
            if like.escape is not None:  # an ESCAPE clause: left to verification
                continue
            pieces = [p.replace("_", "X") for p in like.pattern.split("%")]
            room = None if self.limit is None else self.limit - sum(map(len, pieces))
            if room is None or room >= 0:
                out.append((pieces, room))
        return out

    def domain(self, ctx: GenContext) -> int | None:
        size = self.inner.domain(ctx)
        rooms = [room for pieces, room in self._pieces() if room is not None and len(pieces) > 1]
        if size is not None and rooms and min(rooms) < _TIGHT:
            size = min(size, 36 ** min(rooms))
        return size

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self._shape(self.inner.at(ctx, index), np.asarray(index))

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return self._shape(self.inner.generate(ctx, rows), None)

    def _shape(self, values: np.ndarray, index: np.ndarray | None) -> np.ndarray:
        out = np.asarray(values, dtype=object).copy()
        for (pieces, room), like in zip(self._pieces(), [p for p in self.patterns if p.escape is None]):
            for i, value in enumerate(out):
                if value is None or (index is None and like.regex.fullmatch(str(value))):
                    continue
                if len(pieces) == 1:
                    out[i] = pieces[0]
                    continue
                body = str(value)
                if room is not None and index is not None and (room < _TIGHT or len(body) > room):
                    code = np.base_repr(int(index[i]), 36).lower()
                    body = code.zfill(room) if room < _TIGHT else "~" + code
                if room is not None:
                    body = body[:room]
                out[i] = pieces[0] + body + "".join(pieces[1:])
        return out


_TIGHT = 8
"""Rooms shorter than this hold codes only: natural values would be cut into collisions."""


def _narrow(spec: ColumnSpec, gen: Generator, rule: ColumnRule | None) -> Generator:
    lo_t, hi_t = type_bounds(spec)
    lo, hi = lo_t, hi_t
    lo_inc = hi_inc = True
    if rule is not None:
        if rule.allowed is not None:
            allowed = [_coerce(v, spec) for v in rule.allowed if v is not None]
            if isinstance(gen, SampledFrom):
                keep = [i for i, v in enumerate(gen.values.tolist()) if v in allowed]
                if len(keep) == len(set(allowed)):  # the meaning's values cover the CHECK's: keep weights
                    weights = None if gen.weights is None else gen.weights[keep]
                    return SampledFrom([gen.values[i] for i in keep], weights, name="one_of")
            return SampledFrom(allowed, name="one_of")
        if rule.lower is not None:
            lo, lo_inc = _coerce(rule.lower, spec), rule.lower_inclusive
            if lo_t is not None and _number_like(lo) and lo < lo_t:  # the type is tighter than the CHECK
                lo, lo_inc = lo_t, True
        if rule.upper is not None:
            hi, hi_inc = _coerce(rule.upper, spec), rule.upper_inclusive
            if hi_t is not None and _number_like(hi) and hi > hi_t:
                hi, hi_inc = hi_t, True
    if isinstance(gen, SampledFrom):
        values = gen.values
        keep = np.ones(len(values), dtype=bool)
        if rule is not None:
            keep &= np.array([v not in rule.forbidden and (not isinstance(v, (int, float, str)) or
                                                            _within(v, lo, lo_inc, hi, hi_inc))
                              for v in values.tolist()], dtype=bool)
        if not keep.any() and spec.kind in ("integer", "float", "decimal") and (lo is not None or hi is not None) \
                and (lo, hi) != (lo_t, hi_t):
            return Bounded(gen, lo, lo_inc, hi, hi_inc, spec)  # no listed value fits (rating 1-5, CHECK 6-7)
        if keep.all() or not keep.any():
            return gen
        return SampledFrom(values[keep].tolist(), None if gen.weights is None else gen.weights[keep],
                           name="one_of")
    if spec.kind in ("integer", "float", "decimal") and isinstance(gen, (IntRange, DecimalRange)):
        step = _step(spec, gen)
        a = gen.lo if lo is None else max(gen.lo, lo + (0 if lo_inc else step))
        b = gen.hi if hi is None else min(gen.hi, hi - (0 if hi_inc else step))
        if spec.kind == "integer" or isinstance(gen, IntRange):
            a, b = math.ceil(a), math.floor(b)
        if a > b:  # the meaning's usual range misses the allowed one: use the allowed range, as wide as usual
            span = max(gen.hi - gen.lo, 100 * step)
            below, above = rule is not None and rule.upper is not None, rule is not None and rule.lower is not None
            a = lo + (0 if lo_inc else step) if above or not below else (hi - (0 if hi_inc else step)) - span
            b = hi - (0 if hi_inc else step) if below or not above else a + span
            if lo_t is not None:
                a, b = max(a, lo_t), min(b, hi_t)
        elif rule is not None:
            r_lo = None if rule.lower is None else lo + (0 if lo_inc else step)
            r_hi = None if rule.upper is None else hi - (0 if hi_inc else step)
            a, b = _widen(a, b, r_lo, r_hi, gen.hi - gen.lo)
            if hi_t is not None:
                b = min(b, hi_t)
        if spec.kind == "integer" or isinstance(gen, IntRange):
            a, b = math.ceil(a), math.floor(b)
        if (a, b) == (gen.lo, gen.hi):
            return gen
        median = gen.median if gen.median is not None and a <= gen.median <= b else None
        shape = gen.shape if a >= 0 else "uniform"
        if shape == "lognormal" and median is None and gen.median is not None:
            # the usual centre fell outside the allowed range (a type default narrowed by a CHECK such as
            # nights BETWEEN 1 AND 14): a long tail would pile everything on the lowest values
            shape = "uniform"
        if isinstance(gen, IntRange) or spec.kind == "integer":
            return IntRange(int(a), int(b), shape=shape, median=median)
        return DecimalRange(a, b, scale=gen.scale, shape=shape, median=median)
    if isinstance(gen, (DateRange, DateTimeRange)) and rule is not None and (rule.lower is not None or
                                                                             rule.upper is not None):
        unit = "D" if isinstance(gen, DateRange) else "s"
        one = np.timedelta64(1, unit)
        a = gen.start if rule.lower is None else max(gen.start, datetime64(rule.lower, unit) +
                                                     (0 * one if rule.lower_inclusive else one))
        b = gen.end if rule.upper is None else min(gen.end, datetime64(rule.upper, unit) -
                                                   (0 * one if rule.upper_inclusive and
                                                    not _date_only_upper(rule, spec) else one))
        year = (365 if unit == "D" else 365 * 86400) * one
        r_lo = None if rule.lower is None else datetime64(rule.lower, unit) + (0 * one if rule.lower_inclusive else one)
        r_hi = None if rule.upper is None else datetime64(rule.upper, unit) - \
            (0 * one if rule.upper_inclusive and not _date_only_upper(rule, spec) else one)
        if a > b:
            a = r_lo if r_lo is not None else b - year
            b = r_hi if r_hi is not None else a + year
        else:
            a, b = _widen(a, b, r_lo, r_hi, gen.end - gen.start)
        return type(gen)(str(a), str(b), recent_bias=gen.recent_bias)
    if isinstance(gen, After) and rule is not None and (rule.upper is not None or rule.lower is not None):
        # an ordered column (end after start) still obeys its own bounds
        fallback = None if gen.fallback is None else narrow(spec, gen.fallback, rule)
        one = np.timedelta64(1, "D" if spec.kind == "date" else "s") if spec.kind in ("date", "datetime") \
            else _step(spec, gen)
        upper, lower = gen.upper, gen.lower
        if rule.upper is not None:
            upper = _coerce(rule.upper, spec) - (0 * one if rule.upper_inclusive and
                                                  not _date_only_upper(rule, spec) else one)
        if rule.lower is not None:
            lower = _coerce(rule.lower, spec) + (0 * one if rule.lower_inclusive else one)
        return type(gen)(gen.base, gen.max_days, gen.min_days, gen.strict, fallback, upper, gen.null_when_base_null,
                     lower)
    if spec.kind in ("integer", "float", "decimal") and rule is not None and \
            (rule.lower is not None or rule.upper is not None) and not isinstance(gen, (After, Sequence, Constant)):
        # a meaning with its own values (latitude, a registered generator): keep those in range, redraw the rest
        return Bounded(gen, lo, lo_inc, hi, hi_inc, spec)
    return gen


class Bounded(Generator):
    """``inner``'s values inside the CHECK bounds; values outside are redrawn uniformly inside them."""

    def __init__(self, inner: Generator, lo, lo_inc: bool, hi, hi_inc: bool, spec: ColumnSpec) -> None:
        self.inner, self.lo, self.lo_inc, self.hi, self.hi_inc = inner, lo, lo_inc, hi, hi_inc
        self.depends_on = inner.depends_on
        step = 1 if spec.kind == "integer" else 10.0 ** -(spec.scale if spec.scale is not None else 2)
        a = -1e6 if lo is None else lo + (0 if lo_inc else step)
        b = (a + 1e6) if hi is None else hi - (0 if hi_inc else step)
        if lo is None:
            a = b - 1e6
        if spec.kind == "integer":
            self.fallback: Generator = IntRange(math.ceil(a), math.floor(b))
        else:
            scale = spec.scale if spec.scale is not None else 2
            self.fallback = DecimalRange(math.ceil(a * 10**scale) / 10**scale, math.floor(b * 10**scale) / 10**scale,
                                         scale=scale)
        self._repr = f"{inner!r}.within({lo!r}, {hi!r})"

    def domain(self, ctx: GenContext) -> int | None:
        """UNIQUE draws from the allowed range itself (the inner values may not be enumerable)."""
        return self.fallback.domain(ctx)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self.fallback.at(ctx, index)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        values = self.inner.generate(ctx, rows)
        numbers = np.asarray(values, dtype=np.float64) if values.dtype != object else \
            np.array([np.nan if v is None else float(v) for v in values])
        known = ~np.isnan(numbers)
        bad = np.zeros(len(rows), dtype=bool)
        with np.errstate(invalid="ignore"):
            if self.lo is not None:
                bad |= known & ((numbers < self.lo) | ((numbers == self.lo) & (not self.lo_inc)))
            if self.hi is not None:
                bad |= known & ((numbers > self.hi) | ((numbers == self.hi) & (not self.hi_inc)))
        if not bad.any():
            return values
        redraw = self.fallback.generate(dataclasses.replace(ctx, stream=ctx.stream.child("within")), rows[bad])
        out = values.astype(redraw.dtype) if values.dtype != object and values.dtype.kind in "if" and \
            redraw.dtype.kind == "f" else values.copy()
        out[bad] = redraw
        return out


def _date_only_upper(rule: ColumnRule, spec: ColumnSpec) -> bool:
    """``ts <= '2002-12-31'`` on a timestamp: SQLite compares text, so midnight itself already fails."""
    return spec.kind == "datetime" and isinstance(rule.upper, str) and len(rule.upper.strip()) == 10


def _widen(a, b, r_lo, r_hi, span):
    """``[a, b]``, the generator's usual range cut by the CHECK's ``[r_lo, r_hi]``, or a wider part of the
    CHECK's range when the cut leaves a sliver (values 2023-2026, ``CHECK (d >= '2026-01-01')``: one day).

    Two bounds: the whole CHECK range. A lower bound only: as wide as the usual range, upwards. An upper
    bound only keeps the cut: below the usual range's floor lie other signs and eras.
    """
    width = b - a
    if r_lo is not None and r_hi is not None:
        if width < (r_hi - r_lo) / 10 and width < span / 2:
            return r_lo, r_hi
    elif r_lo is not None and width < span / 10:
        return a, a + span
    return a, b


def _number_like(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _within(v, lo, lo_inc, hi, hi_inc) -> bool:
    try:
        if lo is not None and (v < lo or (v == lo and not lo_inc)):
            return False
        if hi is not None and (v > hi or (v == hi and not hi_inc)):
            return False
    except TypeError:
        return True
    return True


def unique_sets(table: TableSpec) -> list[tuple[str, ...]]:
    """Column sets that must be distinct in every row: the primary key and every UNIQUE (partial unique
    indexes excluded, see :func:`partial_uniques`), deduplicated, smallest first."""
    sets: list[tuple[str, ...]] = []
    if table.primary_key:
        sets.append(tuple(table.primary_key))
    for u in table.uniques:
        if u.where:
            continue
        if tuple(u.columns) not in sets:
            sets.append(tuple(u.columns))
    for c in table.columns:
        if c.unique and (c.name,) not in sets:
            sets.append((c.name,))
    return sorted(sets, key=len)


def unique_within(columns: tuple[str, ...], uniques: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The UNIQUE sets made only of ``columns`` (a foreign key's): distinct values in each of them need distinct
    parent rows (a one-to-one key); those that are a proper part of ``columns`` come first."""
    inside = [u for u in uniques if u and set(u) <= set(columns)]
    return sorted(inside, key=lambda u: (set(u) == set(columns), len(u)))


def partial_uniques(table: TableSpec) -> list[tuple[tuple[str, ...], str]]:
    """``(columns, predicate)`` of partial unique indexes: distinct only among rows where the predicate holds."""
    full = set(unique_sets(table))
    return [(tuple(u.columns), u.where) for u in table.uniques if u.where and tuple(u.columns) not in full]


def failing_rows(checks, columns: Mapping[str, np.ndarray], dialect: str | None = None
                 ) -> list[tuple[object, np.ndarray]]:
    """``(check, mask of failing rows)`` for every check some row fails; unverifiable checks are skipped."""
    out = []
    for check in checks:
        try:
            ok = evaluate_check(check, columns, dialect=dialect)
        except UnsupportedCheckError:
            continue
        if not ok.all():
            out.append((check, ~ok))
    return out
