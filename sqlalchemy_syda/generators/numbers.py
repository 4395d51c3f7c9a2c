"""Numbers: integer and decimal ranges with realistic shapes, booleans.

``IntRange(lo, hi)`` is uniform and enumerable (so it can be UNIQUE);
``shape="lognormal"`` gives prices and amounts their long right tail,
``shape="geometric"`` gives quantities many ones and twos::

    >>> DecimalRange(1, 5000, scale=2, shape="lognormal", median=60)
    decimal_range(1, 5000, scale=2, shape='lognormal', median=60)
"""

from __future__ import annotations

import math

import numpy as np

from .base import GenContext, Generator, call_repr

__all__ = ["Booleans", "DecimalRange", "IntRange", "Sequence"]


def _shaped_unit(ctx: GenContext, rows: np.ndarray, shape: str, lo: float, hi: float,
                 median: float | None) -> np.ndarray:
    """Floats in [lo, hi] with the given shape."""
    if shape == "uniform":
        return lo + ctx.stream.uniform(rows) * (hi - lo)
    if shape == "lognormal":
        med = median if median is not None else (lo + (hi - lo) * 0.08 if lo >= 0 else (lo + hi) / 2)
        med = max(med, lo + (hi - lo) * 1e-6, 1e-9)
        # log-normal above the floor: half the values below the median, none piled up on the floor
        # (a CHECK 'price > 10000' must not put half the rows at 10000.01)
        spread = np.exp(0.9 * ctx.stream.normal(rows))
        x = lo + (med - lo) * spread if lo > 0 else med * spread
        # fold the tails back inside instead of clipping, so the bounds are not over-represented
        span = hi - lo
        x = np.where(x > hi, lo + (x - lo) % span if span > 0 else lo, x)
        return np.clip(x, lo, hi)
    if shape == "normal":
        mid = median if median is not None else (lo + hi) / 2
        x = mid + (hi - lo) / 6 * ctx.stream.normal(rows)
        return np.clip(x, lo, hi)
    if shape == "geometric":
        p = 0.45 if median is None else min(0.95, max(0.01, 0.69 / max(median - lo + 1, 1)))
        u = ctx.stream.uniform(rows)
        k = np.floor(np.log1p(-u) / np.log1p(-p))
        return np.minimum(lo + k, hi)
    raise ValueError(f"unknown shape {shape!r}")


class IntRange(Generator):
    """Integers in [lo, hi] (inclusive)."""

    def __init__(self, lo: int, hi: int, shape: str = "uniform", median: float | None = None) -> None:
        if hi < lo:
            raise ValueError(f"empty integer range [{lo}, {hi}]")
        self.lo, self.hi, self.shape, self.median = int(lo), int(hi), shape, median
        self._repr = call_repr("int_range", self.lo, self.hi, shape=None if shape == "uniform" else shape,
                               median=median)

    def domain(self, ctx: GenContext) -> int | None:
        return min(self.hi - self.lo + 1, 1 << 62)  # a BIGINT's range is more than a permutation needs

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return index.astype(np.int64) + np.int64(self.lo)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        if self.shape == "uniform":
            return ctx.stream.integers(rows, self.lo, self.hi + 1)
        x = _shaped_unit(ctx, rows, self.shape, self.lo, self.hi + 0.999, self.median)
        return np.clip(np.floor(x), self.lo, self.hi).astype(np.int64)


class DecimalRange(Generator):
    """Numbers in [lo, hi] rounded to ``scale`` decimals (None: full float precision)."""

    def __init__(self, lo: float, hi: float, scale: int | None = 2, shape: str = "uniform",
                 median: float | None = None) -> None:
        if hi < lo:
            raise ValueError(f"empty number range [{lo}, {hi}]")
        self.lo, self.hi, self.scale, self.shape, self.median = lo, hi, scale, shape, median
        self._repr = call_repr("decimal_range", lo, hi, scale=scale, shape=None if shape == "uniform" else shape,
                               median=median)

    def _grid(self) -> tuple[int, int]:
        """The first and last multiple of the step inside [lo, hi], counted in steps (0.5..10 at scale 0: 1..10)."""
        f = 10**self.scale
        return math.ceil(round(self.lo * f, 6)), math.floor(round(self.hi * f, 6))

    def domain(self, ctx: GenContext) -> int | None:
        if self.scale is None:
            return None
        first, last = self._grid()
        return min(max(last - first + 1, 0), 1 << 62)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        # whole steps from the first multiple of the step: distinct indexes give distinct values
        # (lo + index / f rounded would map 1.5 and 2.5 to the same 2 at scale 0)
        return np.round((self._grid()[0] + np.asarray(index, dtype=np.int64)) / 10**self.scale, self.scale)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        x = _shaped_unit(ctx, rows, self.shape, float(self.lo), float(self.hi), self.median)
        if self.scale is None:
            return x
        step = 10.0 ** -self.scale
        x = np.round(x, self.scale)
        # rounding can step past a bound; nudge back inside
        x = np.where(x > self.hi, np.round(x - step, self.scale), x)
        x = np.where(x < self.lo, np.round(x + step, self.scale), x)
        return x


class Sequence(Generator):
    """``start + row``: explicit surrogate keys, unique and dense."""

    def __init__(self, start: int = 1, step: int = 1) -> None:
        self.start, self.step = int(start), int(step)
        self._repr = call_repr("sequence", self.start) if step == 1 else call_repr("sequence", start, step)

    def domain(self, ctx: GenContext) -> int | None:
        return 1 << 62

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self.generate(ctx, index)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return np.asarray(rows, dtype=np.int64) * self.step + self.start

    distinct_rows = True


class Booleans(Generator):
    """True with probability ``p``."""

    def __init__(self, p: float = 0.5) -> None:
        self.p = float(p)
        self._repr = call_repr("booleans", self.p)

    def domain(self, ctx: GenContext) -> int | None:
        return 2

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return index.astype(bool)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return ctx.stream.bernoulli(rows, self.p)
