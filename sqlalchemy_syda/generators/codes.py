"""Identifiers with check digits or real code lists: UUID, IBAN, card numbers, ISBN/EAN, ICD-10.

Check digits are computed for whole arrays at once (digit columns in numpy),
so a million valid IBANs cost a few numpy passes, not a million calls::

    >>> ibans = Iban().generate(ctx, np.arange(2))
    >>> ibans
    array(['DE25090920948254803943', 'DE88768845968353109798'], dtype=object)
    >>> [int("".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])) % 97 for iban in ibans]   # ISO 7064
    [1, 1]
    >>> Icd10().generate(ctx, np.arange(2))
    array(['I25.10', 'R73.03'], dtype=object)
"""

from __future__ import annotations

import numpy as np

from .base import GenContext, Generator, call_repr
from .strings import ascii_text, hex_digits

__all__ = ["ICD10_CODES", "CheckDigitNumber", "Iban", "Icd10", "Uuids"]

# Common ICD-10-CM codes (real codes; a clinic's frequent diagnoses).
ICD10_CODES = (
    "A09", "B34.9", "D64.9", "E03.9", "E11.9", "E11.65", "E55.9", "E66.9", "E78.5", "E87.6", "F32.9",
    "F41.1", "F41.9", "F90.0", "G43.909", "G47.00", "G89.29", "H10.9", "H52.4", "H66.90", "I10", "I25.10",
    "I48.91", "I50.9", "J01.90", "J02.9", "J06.9", "J18.9", "J20.9", "J30.9", "J44.9", "J45.909", "K21.9",
    "K29.70", "K52.9", "K57.30", "K59.00", "L03.90", "L20.9", "L30.9", "M10.9", "M17.9", "M19.90",
    "M25.511", "M25.561", "M54.2", "M54.50", "M79.1", "N18.3", "N39.0", "N40.0", "N95.1", "O80", "R05.9",
    "R07.9", "R10.9", "R11.0", "R19.7", "R42", "R50.9", "R51.9", "R53.83", "R73.03", "S09.90XA",
    "S93.401A", "T78.40XA", "Z00.00", "Z00.129", "Z01.419", "Z23", "Z79.4", "Z79.899", "Z87.891",
)

# IBAN layouts: country -> (BBAN length, pattern of the BBAN: '#' digit, '?' letter)
_IBAN_LAYOUT = {
    "DE": "##################", "GB": "????##############", "FR": "#######################",
    "ES": "####################", "IT": "?######################", "NL": "????##########",
}


def _digit_array(bits: np.ndarray, count: int, stream_salted) -> np.ndarray:
    return np.stack([stream_salted(i) for i in range(count)], axis=1)


def _as_text(chars: np.ndarray) -> np.ndarray:
    return ascii_text(chars.astype(np.uint8)).astype(object)


class Uuids(Generator):
    """Random (version 4) UUIDs in canonical text form; collisions are negligible (122 random bits)."""

    _repr = "uuid4()"
    distinct_rows = True

    def domain(self, ctx: GenContext) -> int | None:
        return 1 << 62

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self.generate(ctx, index)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        hi = hex_digits(ctx.stream.bits(rows, 1), 16)
        lo = hex_digits(ctx.stream.bits(rows, 2), 16)
        h = np.strings
        version = "4"
        variant = np.array(list("89ab"), dtype="U1")[(ctx.stream.bits(rows, 3) & np.uint64(3)).astype(np.intp)]
        parts = (h.slice(hi, 0, 8), "-", h.slice(hi, 8, 12), "-", version, h.slice(hi, 13, 16), "-",
                 variant, h.slice(lo, 1, 4), "-", h.slice(lo, 4, 16))
        out = parts[0]
        for p in parts[1:]:
            out = h.add(out, p)
        return out.astype(object)


class CheckDigitNumber(Generator):
    """Digit strings with a check digit: ``luhn`` (card numbers) or ``ean13`` (EAN-13 / ISBN-13).

    ``prefix`` fixes leading digits (``978`` for ISBN-13, ``4`` for Visa-like cards).
    """

    def __init__(self, scheme: str, length: int, prefix: str = "", name: str | None = None) -> None:
        if scheme not in ("luhn", "ean13"):
            raise ValueError(f"unknown check digit scheme {scheme!r}")
        self.scheme, self.length, self.prefix = scheme, length, prefix
        self._repr = call_repr(name) if name else call_repr("check_digit_number", scheme, length, prefix=prefix)

    def domain(self, ctx: GenContext) -> int | None:
        return 10 ** (self.length - 1 - len(self.prefix))

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        free = self.length - 1 - len(self.prefix)
        body = np.stack([(index // 10**(free - 1 - i)) % 10 for i in range(free)], axis=1)
        return self._finish(body)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        free = self.length - 1 - len(self.prefix)
        body = np.stack([ctx.stream.integers(rows, 0, 10, salt=i + 1) for i in range(free)], axis=1)
        return self._finish(body)

    def _finish(self, body: np.ndarray) -> np.ndarray:
        n = body.shape[0]
        prefix = np.tile(np.array([int(c) for c in self.prefix], dtype=np.int64), (n, 1))
        digits = np.concatenate([prefix, body], axis=1) if self.prefix else body
        if self.scheme == "luhn":
            # double every second digit counting from the right, check digit included
            rev = digits[:, ::-1]
            doubled = rev[:, 0::2] * 2
            total = np.where(doubled > 9, doubled - 9, doubled).sum(axis=1) + rev[:, 1::2].sum(axis=1)
            check = (10 - total % 10) % 10
        else:
            weights = np.where(np.arange(digits.shape[1]) % 2 == 0, 1, 3)
            check = (10 - (digits * weights).sum(axis=1) % 10) % 10
        full = np.concatenate([digits, check[:, None]], axis=1) + ord("0")
        return _as_text(full)


class Iban(Generator):
    """Valid IBANs (ISO 13616 mod-97 check digits) for ``country`` (DE, GB, FR, ES, IT, NL).

    Without a country: the locale's when it has IBANs (fr_FR: FR), else DE.
    """

    def __init__(self, country: str | None = None) -> None:
        self.country = country if country in _IBAN_LAYOUT else None if country is None else "DE"
        self._repr = call_repr("iban", *([self.country] if self.country else []))

    def domain(self, ctx: GenContext) -> int | None:
        return 1 << 62

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self.generate(ctx, index)

    distinct_rows = False

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        country = self.country or (ctx.pools.country_code if ctx.pools.country_code in _IBAN_LAYOUT else "DE")
        layout = _IBAN_LAYOUT[country]
        cols = []
        for i, ch in enumerate(layout):
            if ch == "#":
                cols.append(ctx.stream.integers(rows, 0, 10, salt=i + 1) + ord("0"))
            else:
                cols.append(ctx.stream.integers(rows, 0, 26, salt=i + 1) + ord("A"))
        bban = np.stack(cols, axis=1)
        # mod 97 of BBAN + country letters + "00", letters counting as two digits (A=10)
        rem = np.zeros(len(rows), dtype=np.int64)
        tail = np.array([ord(c) for c in country + "00"], dtype=np.int64)
        for col in list(bban.T) + [np.full(len(rows), t) for t in tail]:
            is_digit = col < ord("A")
            value = np.where(is_digit, col - ord("0"), col - ord("A") + 10)
            rem = np.where(is_digit, (rem * 10 + value) % 97, (rem * 100 + value) % 97)
        check = 98 - rem
        head = np.stack([np.full(len(rows), ord(country[0])), np.full(len(rows), ord(country[1])),
                         check // 10 + ord("0"), check % 10 + ord("0")], axis=1)
        return _as_text(np.concatenate([head, bban], axis=1))


class Icd10(Generator):
    """Real ICD-10-CM diagnosis codes from a list of common ones."""

    _repr = "icd10_code()"

    def domain(self, ctx: GenContext) -> int | None:
        return len(ICD10_CODES)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return np.array(ICD10_CODES, dtype=object)[index]
