"""Weighted formats over word lists: millions of distinct, realistic values without a numeric suffix.

A :class:`Formats` generator is a few templates such as ``"{surnames}-{surnames}"`` or
``"{surnames}, {surnames} and {surnames}"``, each with a weight, whose slots name word lists
(a locale pool or a fixed vocabulary). Every template spans the product of its lists, so a
thousand surnames give a billion three-partner firms. The values are *enumerable*: index *i*
of the domain picks a template by interleaving (weights 2:3 put two values of the first
template and three of the second in every five), and a bijection of the template's product
scatters the template's slots over all its word combinations, so :class:`~.base.Unique` can
still send row numbers through a permutation of the domain and never compare rows::

    >>> names = Formats((("{surnames} {suffixes}", 2), ("{surnames}-{surnames}", 3)), "company_name",
    ...                 vocabulary={"suffixes": ("Inc", "LLC")})
    >>> names.at(ctx, np.arange(5))                 # two of the first template, three of the second
    array(['Baker LLC', 'Lucas Inc', 'James-Chavez', 'Wallace-Pruitt', 'Crawford-Page'], dtype=object)
    >>> names.capacity(ctx)          # 1,000 x 2 in the 2:3 mix give 5,000; "{surnames}-{surnames}" alone 999,999
    999999

The mix holds as long as every template can supply its share. When the rows need more
distinct values than a small template offers (1,000 surnames x 6 legal forms), that template
leaves the mix and the larger ones carry on; past :meth:`Formats.capacity`, the largest mix
repeats with a number appended (``"Perry-Cook 2"``) - the documented fallback, and the only
way a number ends up in such a value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..streams import KeyedPermutation
from .base import GenContext, Generator, call_repr
from .strings import concat, concat_where

__all__ = ["Formats", "Layout"]

_SLOT = re.compile(r"\{(\w+)\}")
_HEADROOM = 2
"""A mix is kept while it offers this many values per row: UNIQUE redraws take slots past every row."""
_MAX_PERMUTATION = 1 << 62


@dataclass(frozen=True)
class Layout:
    """How a domain of ``size`` values is laid out over the templates of the mix (one per row count)."""

    active: tuple[int, ...]
    """Templates in the mix (indexes into the generator's templates)."""
    slot_format: np.ndarray
    """Template of each interleaving slot (length: the sum of the active weights)."""
    slot_rank: np.ndarray
    """Rank of each slot among its template's slots."""
    per_slot: int
    """Values each template supplies per unit of weight."""
    laps: int = 1
    """> 1 past the capacity: the mix repeats with a number appended."""

    @property
    def base(self) -> int:
        return len(self.slot_format) * self.per_slot

    @property
    def size(self) -> int:
        return self.base * self.laps


class Formats(Generator):
    """Values from weighted templates whose slots are word lists; see the module docstring.

    :param templates: ``(template, weight)`` pairs; a slot ``{name}`` is a word list from
        ``vocabulary`` or, failing that, the locale pool ``name``.
    :param name: how the generator shows in a recipe (``company_name()``).
    :param vocabulary: fixed word lists by slot name.

    The words of one slot must not contain the literal text that separates slots, and templates
    must differ in their literal text or word lists, so that different indexes give different values.
    """

    def __init__(self, templates: Sequence[tuple[str, int]], name: str,
                 vocabulary: Mapping[str, Sequence[str]] | None = None) -> None:
        if not templates:
            raise ValueError("Formats needs at least one template")
        self.templates = tuple((str(t), int(w)) for t, w in templates)
        if any(w < 1 for _, w in self.templates):
            raise ValueError("template weights must be positive integers")
        self.vocabulary = {k: tuple(v) for k, v in (vocabulary or {}).items()}
        self._parsed = tuple(_parse(t) for t, _ in self.templates)
        self._layouts: dict[tuple[str, int], Layout] = {}
        self._caps_of: dict[str, list[int]] = {}
        self._repr = call_repr(name)

    @cached_property
    def _fixed(self) -> dict[str, np.ndarray]:
        return {k: np.array(v, dtype=object) for k, v in self.vocabulary.items()}

    def words(self, ctx: GenContext, slot: str) -> np.ndarray:
        """The word list behind ``{slot}``."""
        fixed = self._fixed.get(slot)
        return fixed if fixed is not None else ctx.pools.get(slot)

    def _caps(self, ctx: GenContext) -> list[int]:
        locale = ctx.pools.locale
        if locale not in self._caps_of:
            self._caps_of[locale] = [min(math.prod(len(self.words(ctx, s)) for s in slots), _MAX_PERMUTATION)
                                     for _, slots in self._parsed]
        return self._caps_of[locale]

    # --- the layout of the domain --------------------------------------------------------------
    def _mixes(self, ctx: GenContext) -> list[tuple[tuple[int, ...], int]]:
        """Candidate mixes, fullest first: (active templates, values per unit of weight)."""
        caps = self._caps(ctx)
        weights = [w for _, w in self.templates]
        order = sorted(range(len(caps)), key=lambda i: (caps[i] / weights[i], i))  # smallest share first
        mixes = []
        for start in range(len(order)):
            active = tuple(sorted(order[start:]))
            mixes.append((active, min(caps[i] // weights[i] for i in active)))
        return mixes

    def capacity(self, ctx: GenContext) -> int:
        """Distinct values this generator makes before it falls back to a numeric suffix."""
        weights = [w for _, w in self.templates]
        return max(sum(weights[i] for i in active) * per for active, per in self._mixes(ctx))

    def layout(self, ctx: GenContext) -> Layout:
        """The mix for ``ctx.n_total`` rows (cached per locale and row count)."""
        key = (ctx.pools.locale, int(ctx.n_total))
        if key not in self._layouts:
            self._layouts[key] = self._layout(ctx)
        return self._layouts[key]

    def _layout(self, ctx: GenContext) -> Layout:
        need = max(int(ctx.n_total), 1)
        weights = [w for _, w in self.templates]
        mixes = [(active, per, sum(weights[i] for i in active) * per) for active, per in self._mixes(ctx)]
        roomy = [m for m in mixes if m[2] >= need * _HEADROOM]
        active, per, size = roomy[0] if roomy else max(mixes, key=lambda m: m[2])
        slot_format = np.array([i for i in active for _ in range(weights[i])], dtype=np.int64)
        slot_rank = np.array([r for i in active for r in range(weights[i])], dtype=np.int64)
        laps = max(1, math.ceil(need * _HEADROOM / size)) if size < need else 1
        return Layout(active, slot_format, slot_rank, per, laps)

    # --- the generator protocol ----------------------------------------------------------------
    def domain(self, ctx: GenContext) -> int | None:
        return min(self.layout(ctx).size, _MAX_PERMUTATION)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        # repeats are allowed here, so the values come from the mix itself, never from its numbered laps
        return self.at(ctx, ctx.stream.integers(rows, 0, self.layout(ctx).base))

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        layout = self.layout(ctx)
        index = np.asarray(index, dtype=np.int64)
        lap, inner = np.divmod(index, layout.base)
        width = len(layout.slot_format)
        slot = inner % width
        template = layout.slot_format[slot]
        weights = np.array([w for _, w in self.templates], dtype=np.int64)
        local = (inner // width) * weights[template] + layout.slot_rank[slot]
        caps = self._caps(ctx)
        out = np.empty(len(index), dtype=object)
        for t in layout.active:
            where = np.flatnonzero(template == t)
            if not len(where):
                continue
            combo = _scatter(local[where], caps[t], ctx.stream.child("format", t).key)
            out[where] = self._render(ctx, t, combo)
        if layout.laps > 1 and (lap > 0).any():
            out = concat_where(lap > 0, out, " ", lap + 1)
        return out

    def _render(self, ctx: GenContext, t: int, combo: np.ndarray) -> np.ndarray:
        literals, slots = self._parsed[t]
        parts: list = [literals[0]]
        rest = combo
        for slot, literal in zip(slots, literals[1:]):
            words = self.words(ctx, slot)
            rest, pick = np.divmod(rest, len(words))
            parts += [words[pick], literal]
        return concat(*(p for p in parts if not isinstance(p, str) or p))


def _scatter(local: np.ndarray, size: int, key: int) -> np.ndarray:
    """A bijection of ``range(size)`` that spreads the first slots of a template over all its combinations.

    The slots a row gets are already a keyed permutation of the rows (or uniform draws), so this only has to
    scatter, not to look random: ``(a * x + b) mod size`` with ``a`` near ``size / phi`` and coprime to it. Past
    2**31 combinations (where the product could overflow) a keyed permutation does it.
    """
    if size >= 1 << 31:
        from ..streams import Stream

        return KeyedPermutation(size, Stream(key))(local)
    a = max(1, int(size * 0.6180339887498949)) | 1
    while math.gcd(a, size) != 1:
        a += 2
    return (local * np.int64(a) + np.int64(key % size)) % np.int64(size)


def _parse(template: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Literal pieces around the slots, and the slot names: ``"{a}-{b}"`` -> (("", "-", ""), ("a", "b"))."""
    pieces = _SLOT.split(template)
    literals, slots = tuple(pieces[0::2]), tuple(pieces[1::2])
    if not slots:
        raise ValueError(f"template {template!r} has no {{slot}}")
    return literals, slots
