"""Product names that agree with their category, and categories steered by the schema's own words.

Each product family of :mod:`.product_vocabulary` is a :class:`~.formats.Formats` over invented
brands, the family's adjectives, features and nouns, and series words (``Velora Cast Iron
Skillet``, ``Norix Wireless Headphones Pro``; ``Calora Realtime Analytics Cloud`` for software),
about 29 million distinct names per family. When the table also has a category column, the name
is drawn inside the row's category (``category`` is in ``depends_on``): a category the families
know (``Home & Kitchen``, or a user's ``Kitchenware`` through its keywords) gives that family's
nouns, any other the general family's. Families never share a noun, so names stay distinct across
categories and the permutation of :class:`~.base.Unique` still works::

    >>> ProductName(category="category")
    product_name(category='category')
    >>> family_of_category("Kitchen & Dining").key
    'home_kitchen'

``families`` narrows the vocabulary when the table's docstring or comments name a family
("products of a cloud software company": software), both for names and for the categories
:class:`ProductCategory` draws.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

import numpy as np

from .base import GenContext, Generator, call_repr
from .formats import Formats
from .product_vocabulary import BRANDS, FAMILIES, SERIES, Family

__all__ = ["DEFAULT_FAMILIES", "ProductCategory", "ProductName", "families_for_words", "family_of_category"]

DEFAULT_FAMILIES = tuple(k for k in FAMILIES if k != "general")
"""The families of a catalogue nobody described (every built-in family but the general one)."""

_GOODS = (
    ("{adjectives} {features} {nouns}", 4),
    ("{brands} {nouns}", 2),
    ("{brands} {adjectives} {nouns}", 3),
    ("{brands} {nouns} {series}", 2),
    ("{brands} {features} {nouns} {series}", 1),
    ("{brands} {adjectives} {features} {nouns}", 1),
    ("{brands} {adjectives} {features} {nouns} {series}", 1),
)
_SOFTWARE = (
    ("{brands} {nouns}", 3),
    ("{brands} {nouns} {adjectives}", 3),
    ("{brands} {features} {nouns}", 2),
    ("{brands} {nouns} {series}", 1),
    ("{brands} {features} {nouns} {adjectives}", 1),
    ("{brands} {features} {nouns} {series}", 1),
    ("{brands} {features} {nouns} {adjectives} {series}", 1),
)


@cache
def family_formats(key: str) -> Formats:
    """The name generator of one family (software editions take the adjectives' slot: ``Cloud``)."""
    family = FAMILIES[key]
    return Formats(_SOFTWARE if family.formats == "software" else _GOODS, "product_name", vocabulary={
        "brands": BRANDS, "series": SERIES, "nouns": family.nouns, "features": family.features,
        "adjectives": family.adjectives})


def _tokens(text: str) -> list[str]:
    return [t for t in "".join(ch if ch.isalnum() else " " for ch in text.lower()).split() if t]


def families_for_words(words: Iterable[str]) -> tuple[str, ...]:
    """The families whose keywords occur in ``words`` (lower-case tokens), in registry order."""
    found = set(words)
    return tuple(k for k, f in FAMILIES.items() if k != "general" and found & set(f.keywords))


@cache
def family_of_category(category: str | None) -> Family:
    """The family a category value belongs to: by name, else by its keywords, else the general one."""
    if category is None or category != category:  # NULL or NaN
        return FAMILIES["general"]
    text = str(category).strip()
    for family in FAMILIES.values():
        if text.lower() in (c.lower() for c in family.categories):
            return family
    for token in reversed(_tokens(text)):  # the head noun comes last: "Kitchen appliances" are appliances
        hits = families_for_words({token, token.rstrip("s")})
        if hits:
            return FAMILIES[hits[0]]
    return FAMILIES["general"]


class ProductName(Generator):
    """Product names, inside the row's ``category`` when there is one, else over ``families``."""

    row_coherence = True

    def __init__(self, category: str | None = None, families: Sequence[str] | None = None) -> None:
        self.category = category
        self.families = tuple(families or DEFAULT_FAMILIES)
        unknown = [f for f in self.families if f not in FAMILIES]
        if unknown:
            raise ValueError(f"unknown product families {unknown}; known: {sorted(FAMILIES)}")
        self.depends_on = (category,) if category else ()
        steered = None if self.families == DEFAULT_FAMILIES else list(self.families)
        self._repr = call_repr("product_name", category=category, families=steered)

    def _candidates(self) -> tuple[str, ...]:
        # with a category column any family may turn up (a user's own categories), the general one included
        return tuple(FAMILIES) if self.category else self.families

    def capacity(self, ctx: GenContext) -> int:
        """Distinct names before a number is appended (the smallest family decides)."""
        return min(family_formats(k).capacity(ctx) for k in self._candidates()) * \
            (1 if self.category else len(self.families))

    def domain(self, ctx: GenContext) -> int | None:
        size = min(family_formats(k).domain(ctx) for k in self._candidates())
        return size if self.category else size * len(self.families)

    def _row_families(self, ctx: GenContext, n: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Index into :data:`FAMILIES` of each row's category, and where the category is NULL (those rows take
        one of ``families``); None without a category column."""
        values = ctx.columns.get(self.category) if self.category else None
        if values is None or len(values) != n:
            return None
        keys = {k: i for i, k in enumerate(FAMILIES)}
        known: dict = {}
        cells = np.asarray(values, dtype=object).tolist()
        null = np.array([v is None or v != v for v in cells], dtype=bool)
        fam = np.array([-1 if v is None or v != v else known[v] if v in known else
                        known.setdefault(v, keys[family_of_category(v).key]) for v in cells], dtype=np.int64)
        return fam, null

    def _own(self) -> np.ndarray:
        return np.array([list(FAMILIES).index(k) for k in self.families], dtype=np.int64)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        index = np.asarray(index, dtype=np.int64)
        found = self._row_families(ctx, len(index))
        own = self._own()
        if found is None:
            if self.category:  # asked for a value without its row: one of the families, by index
                return self._render(ctx, own[index % len(own)], index)
            return self._render(ctx, own[index % len(own)], index // len(own))
        rows_family, null = found
        rows_family[null] = own[index[null] % len(own)]
        return self._render(ctx, rows_family, index)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        found = self._row_families(ctx, len(rows))
        own = self._own()
        pick = own[ctx.stream.child("family").integers(rows, 0, len(own))]
        if found is None:
            rows_family = pick
        else:
            rows_family, null = found
            rows_family[null] = pick[null]
        keys = list(FAMILIES)
        out = np.empty(len(rows), dtype=object)
        for f in np.unique(rows_family).tolist():
            where = np.flatnonzero(rows_family == f)
            out[where] = family_formats(keys[f]).generate(ctx, rows[where])
        return out

    def _render(self, ctx: GenContext, rows_family: np.ndarray, index: np.ndarray) -> np.ndarray:
        keys = list(FAMILIES)
        out = np.empty(len(index), dtype=object)
        for f in np.unique(rows_family).tolist():
            where = np.flatnonzero(rows_family == f)
            out[where] = family_formats(keys[f]).at(ctx, index[where])
        return out


class ProductCategory(Generator):
    """Category names of ``families`` (all built-in ones by default), uniformly."""

    def __init__(self, families: Sequence[str] | None = None) -> None:
        self.families = tuple(families or DEFAULT_FAMILIES)
        values = [c for k in self.families for c in (FAMILIES[k].categories if len(self.families) < 4 else
                                                      FAMILIES[k].categories[:1])]
        self.values = np.array(values, dtype=object)
        steered = None if self.families == DEFAULT_FAMILIES else list(self.families)
        self._repr = call_repr("product_category", families=steered)

    def domain(self, ctx: GenContext) -> int | None:
        return len(self.values)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self.values[index]
