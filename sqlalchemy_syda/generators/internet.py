"""Internet values: URLs, domains, IP and MAC addresses, slugs, user agents.

IPv4 addresses avoid reserved ranges' first octets (0, 10, 127, 224+);
URLs are built from the locale's company domains::

    >>> Url().generate(ctx, np.arange(2))
    array(['https://www.garcia.com', 'https://smith-jones.net/products'], dtype=object)
"""

from __future__ import annotations

import numpy as np

from .base import GenContext, Generator, call_repr
from .strings import concat, concat_where, hex_digits

__all__ = ["DomainName", "IPv4", "IPv6", "MacAddress", "Slug", "Url"]

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
