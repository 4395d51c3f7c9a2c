"""Whose names a learned ``name`` column holds: people's, organisations' or things', read from its values.

A bare ``name`` column means a person's name unless the table says otherwise (:mod:`..semantics`: ``name``
in ``companies`` is a company's, in ``customers`` a person's). Data can tell more than the table name:
customers are often organisations, and a ``track`` or an ``airports`` table holds names of things. The
values decide when the schema's guess is a person:

- people's names: at least half the values are two or three capitalised words (particles such as ``van der``
  aside), no digits, no legal form, starting with a first name or ending in a surname the person pools know;
- otherwise organisations, when a fifth of the values end in a legal form (``Inc``, ``GmbH & Co. KG``,
  ``S.A.``: the company vocabulary of every locale) or the table is one of people (a customer who is not
  a person is an organisation);
- otherwise names of things (``For Those About To Rock``, ``John F Kennedy Intl``): titles.

::

    >>> companies = pd.Series(["Acme Corp", "Globex Inc.", "Initech LLC", "Siemens AG", "Wonka & Sons"])
    >>> company_share(companies), person_share(companies)
    (1.0, 0.0)
    >>> name_meaning("full_name", "customers", companies)
    ('company_name', '100 % of the values end in a legal form (Inc, GmbH, S.A. ...): company names')
    >>> name_meaning("full_name", "customers", pd.Series(["Ana Garcia", "John van der Berg", "Li Chen"]))[0]
    'full_name'
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from ..generators.company_vocabulary import company_vocabulary
from ..generators.pools import SUPPORTED_LOCALES, ascii_slug, get_pools
from ..words import tokens

__all__ = ["company_share", "name_meaning", "person_share"]

_SAMPLE = 2000
"""Distinct values read (the first ones, among the first 50,000): enough for shares, cheap on a million rows."""
_LEGAL_FORMS = ("Corp", "Corporation", "Co", "Company", "Incorporated", "Limited", "SA", "NV", "BV", "AB", "Pty Ltd",
                "s.r.o.")
"""Legal forms of real data the generators' vocabulary does not write."""
_PARTICLES = {"de", "da", "das", "do", "dos", "del", "della", "di", "du", "la", "le", "van", "von", "der", "den",
              "ter", "ten", "y", "bin", "al", "el"}
_PEOPLE = 0.5
"""People's names: at least half the values read as one (real ones 69-99 %; things and firms 0-20 %)."""
_COMPANY_SHARE = 0.2


def _plain(text: str) -> str:
    """Lower case, dots and commas gone, ``&`` read as ``and``: ``'Foo, Inc.'`` -> ``'foo inc'``."""
    return " ".join(re.sub(r"[.,]", "", text).replace("&", " and ").lower().split())


@cache
def _legal_forms() -> tuple[str, ...]:
    vocabularies = [company_vocabulary(locale) for locale in SUPPORTED_LOCALES]
    forms = {form for vocab in vocabularies for form in (*vocab.suffixes, *vocab.partner_suffixes)}
    return tuple(sorted({_plain(f) for f in (*forms, *_LEGAL_FORMS)}, key=len, reverse=True))


@cache
def _known_names() -> tuple[frozenset[str], frozenset[str]]:
    """Every first name and every surname of every supported locale's person pools, as ASCII slugs."""
    pools = [get_pools(locale) for locale in SUPPORTED_LOCALES]
    return (frozenset(ascii_slug(n) for p in pools for n in p.first_names),
            frozenset(ascii_slug(n) for p in pools for n in p.last_names))


def _has_legal_form(value: str) -> bool:
    plain = " " + _plain(value)
    return any(plain.endswith(" " + form) for form in _legal_forms())


def _capitalised(word: str) -> bool:
    """``Smith``, ``O'Brien``, ``Jean-Luc``, ``F.``; not ``IBM``, ``Route66`` nor ``the``."""
    return word[0].isupper() and all(c.isalpha() or c in "'’-." for c in word[1:]) and \
        (len(word) <= 2 or not word.isupper())


def _normalised(value: str) -> str:
    """``Smith, John`` as ``John Smith``; ``JOHN SMITH`` and ``john smith`` as ``John Smith``."""
    if value.count(",") == 1 and not _has_legal_form(value):
        last, first = (part.strip() for part in value.split(","))
        if last and first:
            value = f"{first} {last}"
    return value.title() if value.isupper() or value.islower() else value


def _person_words(value: str) -> list[str] | None:
    """The capitalised words of a value shaped like a person's name, in any case or as ``Last, First`` (None
    when it is not one)."""
    value = _normalised(value)
    words = [w for w in value.split() if w not in _PARTICLES]
    if not 2 <= len(words) <= 3 or not all(_capitalised(w) for w in words) or _has_legal_form(value):
        return None
    return words


def _distinct(values: pd.Series) -> pd.Series:
    return values.head(25 * _SAMPLE).dropna().astype(str).str.strip().drop_duplicates().head(_SAMPLE)


def company_share(values: pd.Series) -> float:
    """The share of the distinct values that end in a company's legal form."""
    distinct = _distinct(values)
    return float(distinct.map(_has_legal_form).mean()) if len(distinct) else 0.0


def person_share(values: pd.Series) -> float:
    """The share of the distinct values that read as a person's name: shaped like one, with a first name the
    pools know first or a surname they know last (``Wei Zhang``: Zhang)."""
    distinct = _distinct(values)
    if not len(distinct):
        return 0.0
    first, last = _known_names()
    people = distinct.map(_person_words).map(
        lambda w: w is not None and (ascii_slug(w[0]) in first or ascii_slug(w[-1]) in last))
    return float(people.mean())


def _name_shaped(values: pd.Series) -> float:
    """The share of the distinct values made of capitalised words only (``Acme``, ``Stark Industries``)."""
    distinct = _distinct(values)
    shaped = distinct.map(lambda v: bool(v.split()) and all(_capitalised(w) for w in v.split()))
    return float(shaped.mean()) if len(distinct) else 0.0


def name_meaning(meaning: str, table: str, values: pd.Series) -> tuple[str, str]:
    """``meaning`` (the schema's guess for a bare name) kept, or the meaning the values show, and why.

    Only a person's name (``full_name``) is reconsidered: a table that names its subject (products, companies,
    albums) is trusted.
    """
    if meaning != "full_name":
        return meaning, ""
    people = person_share(values)
    if people >= _PEOPLE:
        return meaning, ""
    legal = company_share(values)
    if legal >= _COMPANY_SHARE:
        return "company_name", f"{_pct(legal)} of the values end in a legal form (Inc, GmbH, S.A. ...): company names"
    from ..semantics import _PERSON_WORDS

    not_people = f"{_pct(people)} of the values read as a person's name"
    if set(tokens(table)) & _PERSON_WORDS:
        if _name_shaped(values) < 0.5:  # handles (jsmith, rob.brown), codes: not organisations either
            return meaning, ""
        return "company_name", f"{not_people}: the organisations a {table} row can be"
    return "title", f"{not_people}, {_pct(legal)} end in a legal form: names of things"


def _pct(share: float) -> str:
    return f"{100 * share:.0f} %"
