"""Addresses whose parts agree within a row.

All address columns of a group (``billing_*``, ``shipping_*`` or the table's
plain ``city``/``state``/``zip``...) read the same region draw of the row, so
in en_US the ZIP code lies in the state's real ZIP range and the country is
the locale's. A lone ``country`` column (no other address part in its group)
is drawn from the full ISO-3166 list instead::

    >>> from sqlalchemy_syda import generate
    >>> shops = sa.Table("shops", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
    ...                  *(sa.Column(c, sa.String(60)) for c in ("street_address", "city", "state", "zip_code", "country")))
    >>> generate(shops, 3, seed=1).drop(columns="id")
           street_address            city       state zip_code        country
    0  53 Downs Stravenue     Williamstad  Washington    99199  United States
    1   238 Regina Bypass  West Gabriella     Wyoming    82504  United States
    2       9 David Point    Jacksonshire     Vermont    05430  United States

Street addresses follow the country's order (``Lindenstraße 12`` in de_DE, ``Via Roma, 5`` in it_IT)::

    >>> generate(shops, 2, seed=1, locale="de_DE")[["street_address", "city", "zip_code", "country"]]
               street_address        city zip_code  country
    0  Flora-Schulz-Straße 11  Eberswalde    58125  Germany
    1          Löfflerring 27   Pirmasens    30028  Germany
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .base import GenContext, Generator, call_repr
from .strings import concat, digits

__all__ = ["ADDRESS_PARTS", "AddressPart", "countries"]

ADDRESS_PARTS = (
    "street_address", "street_name", "building_number", "city", "state", "state_code", "postcode",
    "country", "country_code", "country_code3", "latitude", "longitude", "address", "timezone",
)


@cache
def countries() -> np.ndarray:
    """Rows of (name, alpha-2, alpha-3, first timezone) for every ISO-3166 country Faker knows."""
    from faker.providers.date_time import Provider

    return np.array([(c.name, c.alpha_2_code, c.alpha_3_code, c.timezones[0]) for c in Provider.countries],
                    dtype=object)


_NUMBER_AFTER_STREET = {"DE": " ", "NL": " ", "IT": ", ", "ES": ", "}
"""Countries that write the house number after the street (``Lindenstraße 12``, ``Via Roma, 5``)."""


def _street_address(country: str, street: np.ndarray, house: np.ndarray) -> np.ndarray:
    """Street and house number in the country's order."""
    number = np.asarray(house).astype(str)
    if country in _NUMBER_AFTER_STREET:
        return concat(street, _NUMBER_AFTER_STREET[country], number)
    return concat(number, " ", street)


class AddressPart(Generator):
    """One part of the row's address in ``group``; ``international`` draws the country from all ISO codes."""

    def __init__(self, part: str, group: str = "address", international: bool = False) -> None:
        if part not in ADDRESS_PARTS:
            raise ValueError(f"unknown address part {part!r}; expected one of {ADDRESS_PARTS}")
        self.part, self.group, self.international = part, group, international
        self._repr = call_repr(part, group=None if group == "address" else group,
                               international=international or None)

    def domain(self, ctx: GenContext) -> int | None:
        pools = ctx.pools
        sizes = {
            "city": len(pools.cities), "state": len(pools.regions), "state_code": len(pools.regions),
            "street_name": len(pools.street_names), "building_number": 9999,
            "street_address": 9999 * len(pools.street_names),
        }
        if self.part in ("country", "country_code", "country_code3"):
            return len(countries()) if self.international else 1
        return sizes.get(self.part)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        pools = ctx.pools
        if self.part == "city":
            return pools.cities[index]
        if self.part in ("state", "state_code"):
            return pools.regions[index, 0 if self.part == "state" else 1]
        if self.part == "street_name":
            return pools.street_names[index]
        if self.part == "building_number":
            return (index + 1).astype(str).astype(object)
        if self.part == "street_address":
            n = len(pools.street_names)
            return _street_address(pools.country_code, pools.street_names[index % n], index // n + 1)
        return self._country(ctx, index)

    def _country(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        table = countries()
        if not self.international:
            local = table[table[:, 1] == ctx.pools.country_code][0]
            row = np.broadcast_to(local, (len(index), 4))
        else:
            row = table[index]
        col = {"country": 0, "country_code": 1, "country_code3": 2, "timezone": 3}[self.part]
        return np.asarray(row[:, col], dtype=object)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        pools, g = ctx.pools, ctx.group(self.group)
        region = g.child("region").integers(rows, 0, len(pools.regions))
        part = self.part
        if part in ("state", "state_code", "city", "street_name"):
            idx = {"city": g.child("city").integers(rows, 0, len(pools.cities)),
                   "street_name": g.child("street").integers(rows, 0, len(pools.street_names))}.get(part, region)
            return self.at(ctx, idx)
        if part == "building_number":
            return self.at(ctx, self._house(g, rows, pools.country_code) - 1)
        if part == "street_address":
            street = pools.street_names[g.child("street").integers(rows, 0, len(pools.street_names))]
            return _street_address(pools.country_code, street, self._house(g, rows, pools.country_code))
        if part == "postcode":
            return self._postcode(ctx, rows, region)
        if part in ("latitude", "longitude", "timezone") and not (part == "timezone" and self.international):
            place = pools.places[g.child("place").integers(rows, 0, len(pools.places))]
            if part == "timezone":
                return np.asarray(place[:, 3], dtype=object)
            jitter = (g.child("jitter", part).uniform(rows) - 0.5) * 0.2
            return np.round(place[:, 0 if part == "latitude" else 1].astype(np.float64) + jitter, 6)
        if part == "address":
            city = pools.cities[g.child("city").integers(rows, 0, len(pools.cities))]
            street = AddressPart("street_address", self.group).generate(ctx, rows)
            state = pools.regions[region, 1]
            return concat(street, ", ", city, ", ", state, " ", self._postcode(ctx, rows, region))
        index = g.child("country").integers(rows, 0, len(countries())) if self.international else rows
        return self._country(ctx, index)

    @staticmethod
    def _house(g, rows: np.ndarray, country: str) -> np.ndarray:
        # house numbers: mostly small; long rural numbers only where addresses have them (the US)
        top = 9999 if country == "US" else 250
        return np.floor(np.exp(g.child("house").uniform(rows) * np.log(top))).astype(np.int64) + 1

    @staticmethod
    def _postcode(ctx: GenContext, rows: np.ndarray, region: np.ndarray) -> np.ndarray:
        pools, g = ctx.pools, ctx.group("postcode")
        lo = pools.regions[region, 2].astype(np.int64)
        hi = pools.regions[region, 3].astype(np.int64)
        if (hi > 0).all():
            span = hi - lo + 1
            return digits(lo + np.floor(g.uniform(rows) * span).astype(np.int64), 5).astype(object)
        return pools.postcodes[g.integers(rows, 0, len(pools.postcodes))]
