"""Free text built from the row's own values: a product's description names the product and its
category, a customer's notes name the customer, a bio names the person and their job.

A :class:`RowText` reads other columns of the row (its ``roles``: ``name``, ``category``,
``industry``, ``city``, ``job``, ``company``, ``status``) and fills sentence templates of its
``kind`` that use only the roles the row has (a NULL category rules out the templates that
mention one); further sentences come from short lists of the same kind, and the words that
depend on the product family (what it is for) follow the row's category::

    >>> from sqlalchemy_syda.generators.base import GenContext
    >>> text = RowText("product", {"name": "name", "category": "category"}, sentences=(1, 3))
    >>> text
    row_text('product', name='name', category='category')
    >>> row = {"name": np.array(["Velora Cast Iron Skillet", "Nimbus Laptop Stand"], dtype=object),
    ...        "category": np.array(["Home & Kitchen", "Computers"], dtype=object)}
    >>> text.generate(GenContext(ctx.stream, ctx.table_stream, columns=row), np.arange(2)).tolist()
    ['Meet the Velora Cast Iron Skillet: simple to set up, and made for entertaining. Replacement parts are
    available on request.', 'The Nimbus Laptop Stand is one of the best-selling products in Computers.']

Everything is array work: one template at a time over the rows that drew it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from .base import GenContext, Generator
from .product_vocabulary import FAMILIES
from .strings import concat, concat_where

__all__ = ["ROW_TEXT_KINDS", "RowText", "roles_of"]

_SLOT = re.compile(r"\{(\w+)\}")

_TEMPLATES: dict[str, tuple[str, ...]] = {
    "product": (
        "{name} is a {quality} choice for {use}.",
        "Designed for {use}, the {name} is {benefit}.",
        "Part of our {category} range, the {name} is made for {use}.",
        "The {name} is one of the best-selling products in {category}.",
        "Meet the {name}: {benefit}, and made for {use}.",
        "A {quality} pick in {category}, the {name} suits {use}.",
    ),
    "company": (
        "{name} is a {industry} company based in {city}.",
        "{name} works in {industry} and has been a customer for several years.",
        "Founded as a small family business, {name} now serves clients across {industry}.",
        "{name} runs its operations from {city}.",
        "{name} is a long-standing account with several active projects.",
        "{name} first got in touch through a referral and signed within a month.",
    ),
    "person": (
        "{name} works as {job} at {company}.",
        "{name} joined {company} after several years in a similar role.",
        "{name} is {job} and the main point of contact for their team.",
        "{name} lives in {city} and enjoys {hobby}.",
        "{name} has a background in {industry} and enjoys {hobby}.",
        "In their spare time {name} enjoys {hobby}.",
    ),
    "note": (
        "Follow up with {name} about the renewal next week.",
        "Spoke with {name}; waiting for the signed quote.",
        "{name} asked for an updated price list.",
        "Status is {status}; next step agreed on the last call.",
        "Marked as {status} after the review.",
        "Sent the onboarding pack to {name}.",
    ),
}
_MORE: dict[str, tuple[str, ...]] = {
    "product": (
        "It is easy to clean and built to last.", "Every unit is checked before it ships.",
        "Backed by a two-year warranty.", "Ships in recyclable packaging.", "Customers praise its build quality.",
        "Replacement parts are available on request.", "It comes ready to use out of the box.",
        "A thoughtful gift for friends and family.", "Available in several colours.",
        "Free returns within thirty days.",
    ),
    "software": (
        "Includes single sign-on and audit logs.", "Set up in minutes, with no hardware to install.",
        "Billed monthly or yearly, per user.", "Data is encrypted at rest and in transit.",
        "Integrates with the tools your team already uses.", "Support is available around the clock.",
        "A free trial is available for new teams.", "Updates ship every week at no extra cost.",
    ),
    "company": (
        "The account is managed by the regional sales team.", "They prefer to be contacted by e-mail.",
        "The contract comes up for renewal next year.", "Invoices are paid on time.",
        "They asked to be invited to the next product webinar.", "Decisions are made by a small board.",
        "They are expanding into two new markets.", "Volume has grown steadily over the last year.",
    ),
    "person": (
        "Prefers e-mail over phone calls.", "Usually answers within a day.", "Speaks at industry events.",
        "Has a keen eye for detail.", "Mentors new members of the team.", "Based in the head office.",
    ),
    "note": (
        "Call back before Friday.", "Budget approved for the next quarter.", "Needs a second quote.",
        "Prefers delivery in the morning.", "Discussed the new pricing.", "No action needed for now.",
        "Escalated to the account manager.", "Requested a demo for the wider team.",
    ),
}
_WORDS: dict[str, tuple[str, ...]] = {
    "quality": ("dependable", "popular", "practical", "great", "smart", "reliable", "well-made", "versatile"),
    "benefit": ("easy to use and built to last", "simple to set up", "made to last for years",
                "light enough to take anywhere", "tested for everyday use", "backed by a two-year warranty"),
    "hobby": ("hiking", "cooking", "running", "photography", "gardening", "reading", "cycling", "travel",
              "chess", "painting", "sailing", "music"),
}
_GENERIC_USES = ("everyday use", "home and office", "busy days", "all seasons")
ROW_TEXT_KINDS = tuple(_TEMPLATES)


def roles_of(kind: str) -> set[str]:
    """The roles (columns of the row) the templates of ``kind`` can name."""
    return {s for t in _TEMPLATES[kind] for s in _SLOT.findall(t)} - set(_WORDS) - {"use"}


class RowText(Generator):
    """Sentences of ``kind`` naming the row's own values; see the module docstring."""

    row_coherence = True

    def __init__(self, kind: str, roles: Mapping[str, str], sentences: tuple[int, int] = (1, 2)) -> None:
        if kind not in _TEMPLATES:
            raise ValueError(f"unknown row text kind {kind!r}; expected one of {ROW_TEXT_KINDS}")
        self.kind, self.roles = kind, dict(roles)
        self.lo, self.hi = sentences
        self.depends_on = tuple(dict.fromkeys(self.roles.values()))
        self._templates = [(t, _SLOT.findall(t)) for t in _TEMPLATES[kind]]
        roles_text = ", ".join(f"{r}={c!r}" for r, c in self.roles.items())
        self._repr = f"row_text({kind!r}{', ' + roles_text if roles_text else ''})"

    def _present(self, ctx: GenContext, n: int) -> dict[str, np.ndarray]:
        """Each role's values, as text, for the rows where it is not NULL (others: None)."""
        out = {}
        for role, column in self.roles.items():
            values = ctx.columns.get(column)
            if values is None or len(values) != n:
                continue
            arr = np.asarray(values, dtype=object)
            missing = (arr == None) | (arr != arr) | (arr == "")  # noqa: E711 - NULL, NaN or empty cells
            text = arr.copy()
            present = np.flatnonzero(~missing)
            if len(present) and not all(isinstance(v, str) for v in arr[present[:64]].tolist()):
                text[present] = [str(v) for v in arr[present].tolist()]  # numbers, enums, dates
            if role in ("industry", "status") and len(present):  # inside a sentence: "a logistics company"
                text[present] = np.strings.lower(text[present].astype(str)).astype(object)
            text[missing] = None
            out[role] = text
        return out

    def _uses(self, values: Mapping[str, np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
        """Per row: the family's "made for" phrases (as an index table) and whether it is software."""
        from .products import family_of_category

        cats = values.get("category")
        if cats is None:
            keys = np.full(n, family_of_category(None).key, dtype=object)
        else:
            known: dict = {}
            keys = np.array([known[c] if c in known else known.setdefault(c, family_of_category(c).key)
                             for c in cats.tolist()], dtype=object)
        return keys, keys == "software"

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        n = len(rows)
        values = self._present(ctx, n)
        fits = np.zeros((n, len(self._templates)), dtype=bool)
        for t, (_, slots) in enumerate(self._templates):
            ok = np.ones(n, dtype=bool)
            for slot in slots:
                if slot in _WORDS or slot == "use":
                    continue
                ok &= (values[slot] != None) if slot in values else False  # noqa: E711
            fits[:, t] = ok
        pick = self._choose(ctx, rows, fits)  # -1: no template fits, the kind's stock sentences only
        families, software = self._uses(values, n) if self.kind == "product" else (None, None)
        out = np.empty(n, dtype=object)
        for t, (template, _) in enumerate(self._templates):
            where = np.flatnonzero(pick == t)
            if len(where):
                out[where] = self._fill(ctx, rows[where], template, values, where,
                                        None if families is None else families[where])
        stock = np.flatnonzero(pick < 0)
        more = _MORE[self.kind]
        if len(stock):
            out[stock] = np.array(more, dtype=object)[ctx.stream.child("stock").integers(rows[stock], 0, len(more))]
        return self._more(ctx, rows, out, software)

    def _choose(self, ctx: GenContext, rows: np.ndarray, fits: np.ndarray) -> np.ndarray:
        """A template per row among those that fit (uniformly), -1 where none does."""
        counts = fits.sum(axis=1)
        k = np.floor(ctx.stream.child("template").uniform(rows) * np.maximum(counts, 1)).astype(np.int64)
        order = np.cumsum(fits, axis=1) - 1  # rank of each fitting template in its row
        hit = fits & (order == k[:, None])
        return np.where(counts > 0, hit.argmax(axis=1), -1)

    def _fill(self, ctx: GenContext, rows: np.ndarray, template: str, values: Mapping[str, np.ndarray],
              where: np.ndarray, families: np.ndarray | None) -> np.ndarray:
        pieces = _SLOT.split(template)
        parts: list = []
        for i, piece in enumerate(pieces):
            if i % 2 == 0:
                if piece:
                    parts.append(piece)
                continue
            if piece in _WORDS:
                words = np.array(_WORDS[piece], dtype=object)
                parts.append(words[ctx.stream.child("word", piece).integers(rows, 0, len(words))])
            elif piece == "use":
                parts.append(self._use(ctx, rows, families))
            else:
                parts.append(values[piece][where])
        if not any(isinstance(p, np.ndarray) for p in parts):
            parts.append(np.full(len(rows), "", dtype=object))
        return concat(*parts)  # every template starts with a capital or with the row's name

    def _use(self, ctx: GenContext, rows: np.ndarray, families: np.ndarray | None) -> np.ndarray:
        u = ctx.stream.child("use").uniform(rows)
        if families is None:
            return np.array(_GENERIC_USES, dtype=object)[np.floor(u * len(_GENERIC_USES)).astype(np.int64)]
        # every family's phrases in one table: row r takes phrase floor(u * count) after its family's offset
        keys = list(FAMILIES)
        offsets = np.cumsum([0] + [len(FAMILIES[k].uses) for k in keys])
        table = np.array([u for k in keys for u in FAMILIES[k].uses], dtype=object)
        index = {k: i for i, k in enumerate(keys)}
        fam = np.array([index[k] for k in families.tolist()], dtype=np.int64)
        size = offsets[fam + 1] - offsets[fam]
        return table[offsets[fam] + np.minimum(np.floor(u * size).astype(np.int64), size - 1)]

    def _more(self, ctx: GenContext, rows: np.ndarray, out: np.ndarray, software: np.ndarray | None) -> np.ndarray:
        """Append ``lo - 1`` .. ``hi - 1`` further sentences of the kind."""
        count = ctx.stream.child("count").integers(rows, self.lo, self.hi + 1)
        for k in range(1, self.hi):
            more = count > k
            if not more.any():
                break
            pool = np.array(_MORE[self.kind], dtype=object)
            picked = pool[ctx.stream.child("more").integers(rows, 0, len(pool), salt=k)]
            if software is not None and software.any():
                soft = np.array(_MORE["software"], dtype=object)
                picked = np.where(software, soft[ctx.stream.child("more").integers(rows, 0, len(soft), salt=k)],
                                  picked)
            out = concat_where(more, out, " ", picked)
        return out
