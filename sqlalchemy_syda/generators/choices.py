"""Choosing from lists: pools by name, patterns of letters and digits.

``PoolChoice("cities")`` picks from a locale pool; when a UNIQUE column needs
more rows than the pool has, values beyond it get a number (``"Acme LLC 2"``).
``Pattern("???-#####")`` enumerates codes (``?`` letter, ``#`` digit, ``*``
letter or digit, anything else literal), so it is unique-capable too::

    >>> Pattern("SKU-???-####")
    pattern('SKU-???-####')
"""

from __future__ import annotations

import math

import numpy as np

from .base import GenContext, Generator, call_repr
from .strings import ascii_text, concat, concat_where

__all__ = ["Composed", "Pattern", "PoolChoice"]

_FEWEST_FITTING = 20
"""A pool keeps only its values that fit the column when at least this many (and a quarter of it) do."""

_ALPHABETS = {
    "?": b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "#": b"0123456789",
    "*": b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "%": b"123456789",
    "&": b"23456789",
    "^": b"0123456789abcdef",
    "l": b"abcdefghijklmnopqrstuvwxyz",
}


class PoolChoice(Generator):
    """A value from the locale pool ``pool`` (see :mod:`.pools`), or from explicit ``values``."""

    def __init__(self, pool: str, name: str | None = None) -> None:
        self.pool = pool
        self._repr = call_repr(name) if name else call_repr("pool", pool)
        self._fitting: dict[tuple[int, int], np.ndarray] = {}

    def _values(self, ctx: GenContext) -> np.ndarray:
        return ctx.pools.get(self.pool)

    def _fitting_values(self, ctx: GenContext) -> np.ndarray:
        """The pool, without the values longer than the column holds when enough others fit (a job title cut
        to ``VARCHAR(30)`` reads "Outdoor activities/education m"); too few that fit: all, cut later. For free
        draws only: a UNIQUE column (:meth:`at`) keeps the whole pool, its too-long values drawn again."""
        values = ctx.pools.get(self.pool)
        limit = getattr(ctx.spec, "length", None)
        if limit is None or values.dtype != object or not len(values):
            return values
        key = (id(values), limit)
        if key not in self._fitting:
            fits = np.fromiter((len(str(v)) <= limit for v in values.tolist()), dtype=bool, count=len(values))
            self._fitting[key] = values[fits] if fits.all() or fits.sum() >= max(_FEWEST_FITTING, len(values) // 4) \
                else values
        return self._fitting[key]

    def domain(self, ctx: GenContext) -> int | None:
        size = len(self._values(ctx))
        return size * max(1, math.ceil(ctx.n_total / size)) if size else None

    def capacity(self, ctx: GenContext) -> int | None:
        return len(self._values(ctx))

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        values = self._values(ctx)
        size = len(values)
        base = values[index % size]
        lap = index // size
        if not lap.any():
            return base
        return concat_where(lap > 0, base, " ", lap + 1)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        values = self._fitting_values(ctx)
        return values[ctx.stream.integers(rows, 0, len(values))]


class Composed(Generator):
    """Words from several pools joined by spaces (``adjective material noun``): a large enumerable domain."""

    def __init__(self, pools: tuple[str, ...], name: str) -> None:
        self.pools = pools
        self._repr = call_repr(name)

    def _sizes(self, ctx: GenContext) -> list[int]:
        return [len(ctx.pools.get(p)) for p in self.pools]

    def domain(self, ctx: GenContext) -> int | None:
        size = math.prod(self._sizes(ctx))
        return size * max(1, math.ceil(ctx.n_total / size))

    def capacity(self, ctx: GenContext) -> int | None:
        return math.prod(self._sizes(ctx))

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        sizes = self._sizes(ctx)
        rest = index.copy()
        parts: list = []
        for pool, size in zip(self.pools, sizes):
            parts += [ctx.pools.get(pool)[rest % size], " "]
            rest //= size
        out = concat(*parts[:-1])
        if rest.any():
            out = concat_where(rest > 0, out, " ", rest + 1)
        return out


class Pattern(Generator):
    """Codes following a pattern: ``?`` A-Z, ``#`` 0-9, ``*`` A-Z0-9, ``%`` 1-9, ``^`` hex, ``l`` a-z."""

    def __init__(self, pattern: str, name: str | None = None) -> None:
        if not pattern:
            raise ValueError("empty pattern")
        self.pattern = pattern
        self._slots = [(i, _ALPHABETS[ch]) for i, ch in enumerate(pattern) if ch in _ALPHABETS]
        self._template = np.frombuffer(pattern.encode("ascii"), dtype=np.uint8)
        self._repr = call_repr(name) if name else call_repr("pattern", pattern)

    def domain(self, ctx: GenContext) -> int | None:
        size = math.prod(len(a) for _, a in self._slots)
        return min(size, 1 << 62)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        out = np.broadcast_to(self._template, (len(index), len(self._template))).copy()
        rest = index.astype(np.int64).copy()
        for pos, alphabet in reversed(self._slots):
            chars = np.frombuffer(alphabet, dtype=np.uint8)
            out[:, pos] = chars[rest % len(chars)]
            rest //= len(chars)
        return ascii_text(out).astype(object)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        out = np.broadcast_to(self._template, (len(rows), len(self._template))).copy()
        for k, (pos, alphabet) in enumerate(self._slots):
            chars = np.frombuffer(alphabet, dtype=np.uint8)
            out[:, pos] = chars[ctx.stream.integers(rows, 0, len(chars), salt=k + 1)]
        return ascii_text(out).astype(object)
