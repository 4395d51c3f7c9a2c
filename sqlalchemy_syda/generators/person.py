"""People: names, e-mail addresses and user names that agree within a row.

Every person column of a table reads the same *identity* of the row: a keyed permutation of row
numbers over first names x last names x a *variant*. So the ``email`` of row *k* is made from the
``first_name`` and ``last_name`` of row *k*, and because the identity is a permutation and every
rendering of it can be read back, full names, e-mails and user names are unique by construction
(no "seen" set, no retries)::

    >>> from sqlalchemy_syda import generate
    >>> people = sa.Table("people", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
    ...                   *(sa.Column(c, sa.String(60)) for c in ("first_name", "last_name", "email", "username")))
    >>> generate(people, 3, seed=1).drop(columns="id")
      first_name last_name                      email         username
    0    Ricardo   Oconnor    ricardo.oconnor@aol.com  ricardo.oconnor
    1    Natasha   Anthony  natasha.anthony@yahoo.com  natasha.anthony
    2       Earl   Rosario   earl_rosario@outlook.com     earl_rosario

The variant is 0 (no middle initial) while the locale's name pairs are plenty for the rows; a
larger table also uses variants 1-26, a middle initial (``Renée J. Okafor``, ``renee.j.okafor``),
so 690 x 1,000 en_US names give 18.6 million distinct people without a number. Only past that
:meth:`PersonPart.capacity` does a number follow (``Renée Okafor 2``, ``renee.okafor2``).

``group`` separates several people in one table (``author_*`` vs ``reviewer_*``).
"""

from __future__ import annotations

import numpy as np

from ..streams import KeyedPermutation
from .base import GenContext, Generator, call_repr
from .strings import concat

__all__ = ["PERSON_PARTS", "PersonPart"]

PERSON_PARTS = ("first_name", "last_name", "full_name", "middle_name", "email", "username")
_INITIALS = 26
"""Variants 1..26 carry a middle initial; later variants a number (2, 3, ...)."""
_LETTERS = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), dtype=object)
_LOWER = np.array(list("abcdefghijklmnopqrstuvwxyz"), dtype=object)


class PersonPart(Generator):
    """One part of the row's person: see :data:`PERSON_PARTS`."""

    def __init__(self, part: str, group: str = "person", business: bool = False) -> None:
        if part not in PERSON_PARTS:
            raise ValueError(f"unknown person part {part!r}; expected one of {PERSON_PARTS}")
        self.part, self.group, self.business = part, group, business
        self.distinct_rows = part in ("full_name", "email", "username")
        self._repr = call_repr(part, group=None if group == "person" else group, business=business or None)

    def _sizes(self, ctx: GenContext) -> tuple[int, int]:
        return len(ctx.pools.first_names), len(ctx.pools.last_names)

    def variants(self, ctx: GenContext) -> int:
        """Variants in play for ``ctx.n_total`` rows: 1 (no middle initials) as long as names suffice."""
        firsts, lasts = self._sizes(ctx)
        return max(1, -(-max(int(ctx.n_total), 1) // (firsts * lasts)))

    def capacity(self, ctx: GenContext) -> int:
        """Distinct full names, e-mails or user names before a number is appended."""
        firsts, lasts = self._sizes(ctx)
        return firsts * lasts * (1 + _INITIALS)

    def domain(self, ctx: GenContext) -> int | None:
        firsts, lasts = self._sizes(ctx)
        if self.part in ("first_name", "middle_name"):
            return firsts
        if self.part == "last_name":
            return lasts
        return firsts * lasts * max(self.variants(ctx), 1 + _INITIALS)

    def identity(self, ctx: GenContext, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(first index, last index, variant) of each row's person."""
        firsts, lasts = self._sizes(ctx)
        ident = KeyedPermutation(firsts * lasts * self.variants(ctx), ctx.group(self.group))(rows)
        return ident % firsts, (ident // firsts) % lasts, ident // (firsts * lasts)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        firsts, lasts = self._sizes(ctx)
        if self.part in ("first_name", "middle_name"):
            return ctx.pools.first_names[index]
        return self._render(ctx, index % firsts, (index // firsts) % lasts, index // (firsts * lasts), index)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        fi, li, variant = self.identity(ctx, rows)
        return self._render(ctx, fi, li, variant, rows)

    def _render(self, ctx: GenContext, fi: np.ndarray, li: np.ndarray, variant: np.ndarray,
                rows: np.ndarray) -> np.ndarray:
        pools = ctx.pools
        if self.part == "first_name":
            return pools.first_names[fi]
        if self.part == "last_name":
            return pools.last_names[li]
        initial = (variant >= 1) & (variant <= _INITIALS)
        letter = (variant - 1 + fi * 7 + li * 11) % 26  # which letter, scattered over the pairs
        numbered = variant > _INITIALS
        number = np.where(numbered, variant - _INITIALS + 1, 0)
        if self.part == "middle_name":
            return self._middle_name(ctx, fi, initial, letter, rows)
        plain = not initial.any() and not numbered.any()  # the usual case: no middle parts to join
        if self.part == "full_name":
            if plain:
                return concat(pools.first_names[fi], " ", pools.last_names[li])
            middle = np.where(initial, concat(" ", _LETTERS[letter], "."), "")
            tail = np.where(numbered, concat(" ", number), "")
            return concat(pools.first_names[fi], middle, " ", pools.last_names[li], tail)
        first, last = pools.first_names_ascii[fi], pools.last_names_ascii[li]
        # the separator never occurs inside the ASCII name parts, so the result stays injective
        sep = np.where(ctx.group(self.group).child("sep").bernoulli(rows, 0.3), "_", ".")
        middle = "" if plain else np.where(initial, concat(_LOWER[letter], sep), "")
        tail = "" if plain else np.where(numbered, number.astype(str), "")
        if self.part == "username":
            return concat(first, sep, middle, last, tail)
        domains = pools.company_domains if self.business else pools.email_domains
        dom = domains[ctx.group(self.group).child("domain").integers(rows, 0, len(domains))]
        return concat(first, sep, middle, last, tail, "@", dom)

    def _middle_name(self, ctx: GenContext, fi: np.ndarray, initial: np.ndarray, letter: np.ndarray,
                     rows: np.ndarray) -> np.ndarray:
        """Another first name; it starts with the row's middle initial when the person has one."""
        names = ctx.pools.first_names
        pick = ctx.group(self.group).child("middle").integers(rows, 0, len(names) - 1)
        out = names[np.where(pick >= fi, pick + 1, pick)]  # never the person's own first name
        if initial.any():
            by_letter = ctx.pools.first_names_by_initial
            for k in np.unique(letter[initial]).tolist():
                pool = by_letter.get(str(_LETTERS[k]))
                if pool is None or not len(pool):
                    continue
                hit = np.flatnonzero(initial & (letter == k))
                out[hit] = pool[ctx.group(self.group).child("middle").integers(rows[hit], 0, len(pool), salt=1)]
        return out
