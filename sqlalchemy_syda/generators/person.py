"""People: names, e-mail addresses and user names that agree within a row.

Every person column of a table reads the same *identity* of the row: a keyed
permutation of row numbers over first names x last names x a number. So the
``email`` of row *k* is made from the ``first_name`` and ``last_name`` of row
*k*, and because the identity is a permutation, e-mails and user names are
unique by construction (no "seen" set, no retries)::

    first_name='Renée'  last_name='Okafor'  email='renee.okafor17@gmail.com'

``group`` separates several people in one table (``author_*`` vs
``reviewer_*``).
"""

from __future__ import annotations

import numpy as np

from ..streams import KeyedPermutation
from .base import GenContext, Generator, call_repr
from .strings import concat

__all__ = ["PERSON_PARTS", "PersonPart"]

PERSON_PARTS = ("first_name", "last_name", "full_name", "email", "username")
_NUMBERS = 1000  # e-mail / user-name suffixes per (first, last) pair; 0 means "no number"
_SUFFIXES = np.array([""] + [str(k) for k in range(1, _NUMBERS)], dtype=object)
"""The suffix of each number as text, looked up instead of formatted per row."""


class PersonPart(Generator):
    """One part of the row's person: ``first_name``, ``last_name``, ``full_name``, ``email`` or ``username``."""

    def __init__(self, part: str, group: str = "person", business: bool = False) -> None:
        if part not in PERSON_PARTS:
            raise ValueError(f"unknown person part {part!r}; expected one of {PERSON_PARTS}")
        self.part, self.group, self.business = part, group, business
        self.distinct_rows = part in ("email", "username")
        self._repr = call_repr(part, group=None if group == "person" else group, business=business or None)

    def _sizes(self, ctx: GenContext) -> tuple[int, int]:
        return len(ctx.pools.first_names), len(ctx.pools.last_names)

    def domain(self, ctx: GenContext) -> int | None:
        firsts, lasts = self._sizes(ctx)
        if self.part == "first_name":
            return firsts
        if self.part == "last_name":
            return lasts
        if self.part == "full_name":
            return firsts * lasts
        return firsts * lasts * _NUMBERS

    def identity(self, ctx: GenContext, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(first index, last index, number) of each row's person."""
        firsts, lasts = self._sizes(ctx)
        ident = KeyedPermutation(firsts * lasts * _NUMBERS, ctx.group(self.group))(rows)
        return ident % firsts, (ident // firsts) % lasts, ident // (firsts * lasts)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        firsts, lasts = self._sizes(ctx)
        return self._render(ctx, index % firsts, (index // firsts) % lasts, index // (firsts * lasts), index)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        fi, li, num = self.identity(ctx, rows)
        return self._render(ctx, fi, li, num, rows)

    def _render(self, ctx: GenContext, fi: np.ndarray, li: np.ndarray, num: np.ndarray,
                rows: np.ndarray) -> np.ndarray:
        pools = ctx.pools
        if self.part == "first_name":
            return pools.first_names[fi]
        if self.part == "last_name":
            return pools.last_names[li]
        if self.part == "full_name":
            return concat(pools.first_names[fi], " ", pools.last_names[li])
        suffix = _SUFFIXES[num]
        first, last = pools.first_names_ascii[fi], pools.last_names_ascii[li]
        # the separator never occurs inside the ASCII name parts, so the result stays injective
        sep = np.where(ctx.group(self.group).child("sep").bernoulli(rows, 0.3), "_", ".")
        if self.part == "username":
            return concat(first, sep, last, suffix)
        domains = pools.company_domains if self.business else pools.email_domains
        dom = domains[ctx.group(self.group).child("domain").integers(rows, 0, len(domains))]
        return concat(first, sep, last, suffix, "@", dom)


