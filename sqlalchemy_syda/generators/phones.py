"""Phone numbers: E.164 mobile numbers per country; North American ones follow the numbering plan.

A US/Canadian number is ``+1``, a three-digit area code, a three-digit exchange and a four-digit line:
the area code starts with 2-9, has no 9 in the middle and is not an N11 service code (211, 311, ... 911);
the exchange starts with 2-9 and is not N11 either. Other countries use their mobile prefixes (``+49 1...``, ``+44 7...``). Every number is an
index into an enumerable domain, so UNIQUE phone columns are distinct by construction::

    >>> Phone().at(ctx, np.array([0, 1]))            # en_US
    array(['+12002000000', '+12002000001'], dtype=object)
"""

from __future__ import annotations

import numpy as np

from .base import GenContext, Generator
from .choices import Pattern
from .strings import ascii_text

__all__ = ["NanpNumber", "Phone"]

_MOBILE_PATTERNS = {"GB": "+447#########", "DE": "+491#########", "FR": "+33%########", "ES": "+34%########",
                    "IT": "+393#########", "NL": "+316########"}


def _codes(first: range, middle: range) -> np.ndarray:
    """Three-digit codes ``[first][middle][0-9]`` without the N11 service codes."""
    codes = np.array([a * 100 + b * 10 + c for a in first for b in middle for c in range(10)], dtype=np.int64)
    return codes[codes % 100 != 11]


_AREA_CODES = _codes(range(2, 10), range(0, 9))
_EXCHANGES = _codes(range(2, 10), range(0, 10))
_LINES = 10_000


class NanpNumber(Generator):
    """``+1`` numbers of the North American Numbering Plan (valid area code and exchange)."""

    _repr = "phone_e164('US')"

    def domain(self, ctx: GenContext) -> int | None:
        return len(_AREA_CODES) * len(_EXCHANGES) * _LINES

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        rest = np.asarray(index, dtype=np.int64)
        line, rest = rest % _LINES, rest // _LINES
        exchange, rest = _EXCHANGES[rest % len(_EXCHANGES)], rest // len(_EXCHANGES)
        area = _AREA_CODES[rest % len(_AREA_CODES)]
        number = (area * 1000 + exchange) * _LINES + line           # ten digits
        digits = (number[:, None] // 10 ** np.arange(9, -1, -1, dtype=np.int64)) % 10
        codes = np.concatenate([np.broadcast_to(np.frombuffer(b"+1", dtype=np.uint8), (len(number), 2)),
                                (digits + ord("0")).astype(np.uint8)], axis=1)
        return ascii_text(codes).astype(object)


class Phone(Generator):
    """E.164 mobile numbers of ``country``, or of the locale's country (``+49 1...`` for de_DE)."""

    def __init__(self, country: str | None = None) -> None:
        self.country = country
        self._repr = "phone_e164()" if country is None else f"phone_e164({country!r})"

    def _numbers(self, ctx: GenContext) -> Generator:
        country = self.country or ctx.pools.country_code
        if country not in _MOBILE_PATTERNS:
            return NanpNumber()
        return Pattern(_MOBILE_PATTERNS[country], "phone_e164")

    def domain(self, ctx: GenContext) -> int | None:
        return self._numbers(ctx).domain(ctx)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self._numbers(ctx).at(ctx, index)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return self._numbers(ctx).generate(ctx, rows)
