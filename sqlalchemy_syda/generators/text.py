"""Free text: sentences, paragraphs, tags; always cut to the column length (titles: :mod:`.titles`).

Sentences come from a Faker pool; a paragraph joins two to five of them, all
by array indexing::

    >>> Paragraphs(2, 5)
    paragraphs(2, 5)
"""

from __future__ import annotations

import numpy as np

from .base import GenContext, Generator, call_repr
from .strings import concat, concat_where

__all__ = ["Paragraphs", "Words"]


class Paragraphs(Generator):
    """``lo``..``hi`` sentences joined by spaces (one sentence: a short comment)."""

    def __init__(self, lo: int = 1, hi: int = 1) -> None:
        self.lo, self.hi = lo, hi
        self._repr = call_repr("paragraphs" if hi > 1 else "sentence", *((lo, hi) if hi > 1 else ()))

    def domain(self, ctx: GenContext) -> int | None:
        return len(ctx.pools.sentences) ** self.lo

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        pool = ctx.pools.sentences
        parts: list = []
        rest = index
        for _ in range(self.lo):
            parts += [pool[rest % len(pool)], " "]
            rest = rest // len(pool)
        return concat(*parts[:-1])

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        pool = ctx.pools.sentences
        count = ctx.stream.integers(rows, self.lo, self.hi + 1)
        out = pool[ctx.stream.integers(rows, 0, len(pool), salt=1)]
        for k in range(1, self.hi):
            more = count > k
            if not more.any():
                break
            nxt = pool[ctx.stream.integers(rows, 0, len(pool), salt=k + 1)]
            out = concat_where(more, out, " ", nxt)
        return out


class Words(Generator):
    """``lo``..``hi`` lower-case words joined by ``sep`` (tags, keywords)."""

    def __init__(self, lo: int = 1, hi: int = 1, sep: str = " ") -> None:
        self.lo, self.hi, self.sep = lo, hi, sep
        self._repr = call_repr("words", lo, hi, sep=sep if sep != " " else None)

    def domain(self, ctx: GenContext) -> int | None:
        return len(ctx.pools.words) if self.lo == self.hi == 1 else None

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return ctx.pools.words[index]

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        words = ctx.pools.words
        count = ctx.stream.integers(rows, self.lo, self.hi + 1)
        out = words[ctx.stream.integers(rows, 0, len(words), salt=1)]
        for k in range(1, self.hi):
            nxt = words[ctx.stream.integers(rows, 0, len(words), salt=k + 1)]
            out = concat_where(count > k, out, self.sep, nxt)
        return out
