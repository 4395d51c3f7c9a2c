"""Values with structure: JSON documents, binary blobs, arrays (of their element type, or of words).

Each is drawn from a small pool of ready-made objects (built once), so rows
cost an index lookup; cells of one pool entry share the same immutable
object::

    >>> JsonObjects().generate(ctx, np.arange(2)).tolist()
    [{'source': 'email', 'score': 18, 'verified': True, 'tags': ['beta-tester']}, {'source': 'email', 'score':
    70, 'verified': True, 'tags': ['gamma']}]
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np

from ..streams import Stream
from .base import GenContext, Generator, call_repr

__all__ = ["Arrays", "Blobs", "JsonObjects", "WordLists"]

_SOURCES = ("web", "mobile", "api", "import", "partner", "email")


@cache
def _json_pool() -> np.ndarray:
    s = Stream.root(0).child("json-pool")
    rows = np.arange(512)
    score = s.integers(rows, 0, 100, 1)
    src = s.integers(rows, 0, len(_SOURCES), 2)
    ver = s.bernoulli(rows, 0.7, 3)
    ntag = s.integers(rows, 0, 4, 4)
    words = ("alpha", "beta", "gamma", "delta", "vip", "trial", "beta-tester", "newsletter")
    tag = s.integers(rows, 0, len(words), 5)
    out = np.empty(len(rows), dtype=object)
    out[:] = [{"source": _SOURCES[src[i]], "score": int(score[i]), "verified": bool(ver[i]),
               "tags": [words[(tag[i] + j) % len(words)] for j in range(ntag[i])]} for i in range(len(rows))]
    return out


class JsonObjects(Generator):
    """Small JSON objects (dicts) with a source, a score, a flag and a few tags."""

    _repr = "json_objects()"

    def domain(self, ctx: GenContext) -> int | None:
        return len(_json_pool())

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return _json_pool()[index]


class Blobs(Generator):
    """Random bytes of up to ``length`` (default 32) bytes."""

    def __init__(self, length: int | None = None) -> None:
        self.length = min(length or 32, 64)
        self._repr = call_repr("blobs", self.length)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        words = -(-self.length // 8)
        raw = np.stack([ctx.stream.bits(rows, i + 1) for i in range(words)], axis=1)
        data = np.ascontiguousarray(raw).view(np.uint8).reshape(len(rows), -1)[:, : self.length]
        out = np.empty(len(rows), dtype=object)
        out[:] = [row.tobytes() for row in data]  # bytes objects: NUL bytes kept (an 'S' dtype would drop them)
        return out


class Arrays(Generator):
    """Lists of ``lo``..``hi`` values of an element generator (ARRAY columns: the element type decides)."""

    def __init__(self, element: Generator, lo: int = 1, hi: int = 4) -> None:
        self.element, self.lo, self.hi = element, lo, hi
        self._repr = f"arrays({element!r}, {lo}, {hi})"

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        count = ctx.stream.integers(rows, self.lo, self.hi + 1)
        columns = []
        for k in range(self.hi):
            values = self.element.generate(replace(ctx, stream=ctx.stream.child("item", k)), rows)
            columns.append(_python_items(values, ctx.spec.item))
        out = np.empty(len(rows), dtype=object)
        out[:] = [[col[i] for col in columns[: count[i]]] for i in range(len(rows))]
        return out


def _python_items(values: np.ndarray, item: Any) -> list:
    """Element values as the Python objects a list holds (dates as ``date``, UUIDs as ``UUID``, numbers as such)."""
    kind = getattr(item, "kind", None)
    if values.dtype.kind == "M":
        return values.astype("datetime64[D]" if kind == "date" else "datetime64[us]").tolist()
    cells = values.tolist()
    if kind == "uuid":
        return [uuid.UUID(c) if isinstance(c, str) else c for c in cells]
    if kind == "integer":
        return [int(c) for c in cells]
    if kind in ("float", "decimal"):
        return [float(c) for c in cells]
    return cells


class WordLists(Generator):
    """Lists of one to four words (for ARRAY columns)."""

    _repr = "word_lists()"

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        words = ctx.pools.words
        count = ctx.stream.integers(rows, 1, 5)
        picks = np.stack([ctx.stream.integers(rows, 0, len(words), salt=i + 1) for i in range(4)], axis=1)
        out = np.empty(len(rows), dtype=object)
        out[:] = [list(words[picks[i, : count[i]]]) for i in range(len(rows))]
        return out
