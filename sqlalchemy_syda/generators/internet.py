"""Internet values: URLs, domains, IP and MAC addresses, slugs, user agents.

IPv4 addresses avoid reserved ranges' first octets (0, 10, 127, 224+);
URLs are built from the locale's company domains::

    >>> Url().generate(ctx, np.arange(2)).tolist()
    ['https://www.schmidtbutler.com/home', 'https://merrittfleming.com/contact']
    >>> IPv4().generate(ctx, np.arange(3)).tolist()
    ['25.187.199.76', '126.113.250.217', '35.31.108.19']
    >>> MacAddress().generate(ctx, np.arange(2)).tolist()       # locally administered (02:...)
    ['02:4c:60:7c:14:9c', '02:da:af:d1:35:8d']
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .base import GenContext, Generator, call_repr
from .strings import concat, concat_where, hex_digits

__all__ = ["CompanyWebsite", "DomainName", "IPv4", "IPv6", "MacAddress", "Slug", "Url"]

_PATHS = np.array(["", "", "", "/about", "/products", "/blog", "/contact", "/shop", "/news", "/home"], dtype=object)
_FIRST_OCTETS = np.array([o for o in range(1, 224) if o not in (10, 100, 127, 169, 172, 192, 198, 203)])


class DomainName(Generator):
    """Company-like domain names (``acme.com``)."""

    _repr = "domain_name()"

    def domain(self, ctx: GenContext) -> int | None:
        return len(ctx.pools.company_domains)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return ctx.pools.company_domains[index]


class Url(Generator):
    """``https://www.<domain><path>``; unique-capable through numbered paths."""

    _repr = "url()"

    def domain(self, ctx: GenContext) -> int | None:
        return len(ctx.pools.company_domains) * max(1, -(-ctx.n_total // len(ctx.pools.company_domains)))

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        doms = ctx.pools.company_domains
        lap = index // len(doms)
        base = concat("https://www.", doms[index % len(doms)])
        return concat_where(lap > 0, base, "/", lap)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        doms = ctx.pools.company_domains
        www = np.where(ctx.stream.bernoulli(rows, 0.7, salt=1), "https://www.", "https://")
        return concat(www, doms[ctx.stream.integers(rows, 0, len(doms))],
                      _PATHS[ctx.stream.integers(rows, 0, len(_PATHS), salt=2)])


class CompanyWebsite(Generator):
    """The website (``https://www.walkerlogistics.com``) or bare domain of the company named in column
    ``name`` of the same row: its first two words without legal forms, as ASCII, under the locale's TLD."""

    row_coherence = True

    def __init__(self, name: str, form: str = "url") -> None:
        if form not in ("url", "domain"):
            raise ValueError(f"form must be 'url' or 'domain', not {form!r}")
        self.name, self.form = name, form
        self.depends_on = (name,)
        self._repr = call_repr("company_website" if form == "url" else "company_domain", name)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        names = ctx.columns.get(self.name)
        if names is None or len(names) != len(rows):  # no name in this batch: an unrelated company's site
            return (Url() if self.form == "url" else DomainName()).generate(ctx, rows)
        slug = _name_slugs(np.asarray(names, dtype=object).tolist(), _legal_words(ctx.pools.locale))
        missing = slug == None  # noqa: E711 - element-wise test for NULL cells
        slug[missing] = ""
        tld = {"US": ".com", "GB": ".co.uk"}.get(ctx.pools.country_code, "." + ctx.pools.country_code.lower())
        suffix = np.where(ctx.stream.bernoulli(rows, 0.35), ".com", tld) if tld != ".com" else ".com"
        out = concat(slug, suffix) if self.form == "domain" else concat("https://www.", slug, suffix)
        out[missing] = None
        return out


@cache
def _legal_words(locale: str) -> frozenset[str]:
    from .company_vocabulary import company_vocabulary

    vocab = company_vocabulary(locale)
    return frozenset(w.lower() for s in (*vocab.suffixes, *vocab.partner_suffixes, vocab.joiner, "and", "&", "")
                     for w in s.split())


@cache
def _word_slug(word: str) -> str:
    from .pools import ascii_slug

    return ascii_slug(word.replace("-", " "), "-")


def _name_slugs(names: list, stop: frozenset[str]) -> np.ndarray:
    """The host part of each company's site: its first two words that are not legal forms or joiners,
    as ASCII (``'Richardson, Perry and Cook'`` -> ``'richardsonperry'``, ``'Walker LLC'`` -> ``'walker'``).

    A plain loop with the words' slugs looked up: about a microsecond a name, faster than numpy's string
    functions on arrays this wide."""
    slugs: dict[str, str] = {}
    out = []
    for name in names:
        if name is None or name != name:
            out.append(None)
            continue
        parts = str(name).replace(",", "").split(None, 3)
        first = parts[0] if parts else ""
        second = parts[1] if len(parts) > 1 else ""
        if second.lower() in stop:
            second = parts[2] if len(parts) > 2 and parts[2].lower() not in stop else ""
        for word in (first, second):
            if word not in slugs:
                slugs[word] = _word_slug(word)
        out.append(slugs[first] + slugs[second] or "company")
    return np.array(out, dtype=object)


class IPv4(Generator):
    """Public-looking IPv4 addresses in dotted form."""

    _repr = "ipv4()"

    def domain(self, ctx: GenContext) -> int | None:
        return len(_FIRST_OCTETS) * 256 * 256 * 254

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        a = _FIRST_OCTETS[index % len(_FIRST_OCTETS)]
        rest = index // len(_FIRST_OCTETS)
        return concat(a.astype(str), ".", (rest % 256).astype(str), ".", (rest // 256 % 256).astype(str), ".",
                      (rest // 65536 % 254 + 1).astype(str))


class IPv6(Generator):
    """Global-unicast-looking IPv6 addresses (2001:db8 is avoided: it is documentation-only)."""

    _repr = "ipv6()"
    distinct_rows = True

    def domain(self, ctx: GenContext) -> int | None:
        return 1 << 62

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self.generate(ctx, index)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        hi = hex_digits(ctx.stream.bits(rows, 1), 16)
        lo = hex_digits(ctx.stream.bits(rows, 2), 16)
        s = np.strings
        groups = ["2a0" + s.slice(hi, 0, 1)] + [s.slice(hi, i, i + 4) for i in (4, 8, 12)] + \
                 [s.slice(lo, i, i + 4) for i in (0, 4, 8, 12)]
        parts: list = []
        for g in groups:
            parts += [g, ":"]
        return concat(*parts[:-1])


class MacAddress(Generator):
    """Locally administered unicast MAC addresses (``02:xx:...``)."""

    _repr = "mac_address()"
    distinct_rows = True

    def domain(self, ctx: GenContext) -> int | None:
        return 1 << 40

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        h = hex_digits(index.astype(np.uint64), 10)
        s = np.strings
        return concat("02:", s.slice(h, 0, 2), ":", s.slice(h, 2, 4), ":", s.slice(h, 4, 6), ":",
                      s.slice(h, 6, 8), ":", s.slice(h, 8, 10))

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return self.at(ctx, (ctx.stream.bits(rows) >> np.uint64(24)).astype(np.int64))


class Slug(Generator):
    """URL slugs of two to four words; unique-capable with a numeric tail."""

    def __init__(self) -> None:
        self._repr = call_repr("slug")

    def domain(self, ctx: GenContext) -> int | None:
        return len(ctx.pools.words) ** 3

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        w = ctx.pools.words
        n = len(w)
        return concat(w[index % n], "-", w[index // n % n], "-", w[index // (n * n) % n])
