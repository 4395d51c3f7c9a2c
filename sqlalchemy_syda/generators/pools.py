"""Value pools: Faker runs once per locale and pool, rows then pick by index.

Calling Faker for every cell is the slow part of most seeders. Here Faker
(seeded from the pool's name, so pools are the same on every run) fills a
list of distinct values once per process; generators turn row numbers into
indexes of these arrays, which is plain numpy fancy indexing::

    >>> pools = get_pools("en_US")
    >>> pools.first_names[:3], pools.get("cities").size
    (array(['Aaron', 'Adam', 'Adrian'], dtype=object), 1000)
    >>> get_pools("en_US") is pools, get_pools("de_DE").first_names[:2]
    (True, array(['Abbas', 'Abdul'], dtype=object))
    >>> pools.get("city")
    Traceback (most recent call last):
    KeyError: "no pool named 'city'"

Pools are deduplicated so that "index -> value" is injective, which is what
lets UNIQUE columns be built from a permutation of row numbers::

    >>> len(set(pools.surnames.tolist())) == len(pools.surnames)
    True
"""

from __future__ import annotations

import os
import pickle
import re
import tempfile
import unicodedata
from collections.abc import Callable
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from ..exceptions import MissingDependencyError, SchemaError
from ..streams import stable_key

__all__ = ["SUPPORTED_LOCALES", "Pools", "ascii_slug", "get_pools"]

SUPPORTED_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL")
DEFAULT_LOCALE = "en_US"

_COUNTRY_OF_LOCALE = {
    "en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "es_ES": "ES", "it_IT": "IT", "nl_NL": "NL",
}
_EMAIL_DOMAINS = {
    "en_US": ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com", "proton.me"),
    "en_GB": ("gmail.com", "btinternet.com", "outlook.com", "yahoo.co.uk", "hotmail.co.uk", "icloud.com"),
    "de_DE": ("gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.de", "posteo.de"),
    "fr_FR": ("gmail.com", "orange.fr", "free.fr", "laposte.net", "outlook.fr", "sfr.fr"),
    "es_ES": ("gmail.com", "hotmail.es", "yahoo.es", "outlook.es", "telefonica.net"),
    "it_IT": ("gmail.com", "libero.it", "virgilio.it", "alice.it", "outlook.it"),
    "nl_NL": ("gmail.com", "ziggo.nl", "kpnmail.nl", "hotmail.nl", "outlook.com"),
}


def ascii_slug(text: str, sep: str = "") -> str:
    """Lower-case ASCII letters and digits only (accents folded): 'José María' -> 'josemaria'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = ["".join(ch for ch in w if ch.isalnum()) for w in folded.lower().split()]
    return sep.join(w for w in words if w)


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _two_letter_codes(names, known: dict[str, str]) -> dict[str, str]:
    """A distinct two-letter code per region: the known (ISO) one, else the name's first letter and the first
    of its later letters that is still free (Dorset ``DO``, Devon ``DE``, Derbyshire ``DR``)."""
    taken = {known[n] for n in names if n in known}
    out = {}
    for name in names:
        if name in known:
            out[name] = known[name]
            continue
        slug = ascii_slug(name).upper() or "X"
        candidates = [slug[0] + c for c in slug[1:]] + [slug[0] + c for c in _LETTERS] + \
            [a + b for a in _LETTERS for b in _LETTERS]
        out[name] = next(c for c in candidates if c not in taken)
        taken.add(out[name])
    return out


def _distinct(values, limit: int | None = None) -> np.ndarray:
    seen: dict[str, None] = {}
    for v in values:
        if v and v not in seen:
            seen[v] = None
            if limit and len(seen) >= limit:
                break
    return np.array(list(seen), dtype=object)


_CACHE_FORMAT = 5  # bump whenever a pool is built differently (2: ISO region codes; 3: regions per locale; 4: distinct
# codes; 5: person names are the locale's whole lists)


def _cache_file(locale: str) -> Path | None:
    """Where built pools are kept between runs (``SYDA_CACHE_DIR``; empty string disables)."""
    root = os.environ.get("SYDA_CACHE_DIR")
    if root == "":
        return None
    try:
        from importlib.metadata import version

        faker_version = version("faker")
    except Exception:  # pragma: no cover - Faker is a dependency
        return None
    base = Path(root) if root else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "sqlalchemy-syda"
    return base / f"pools-v{_CACHE_FORMAT}-faker{faker_version}-{locale}.pickle"


class _DiskCachedPool(cached_property):
    """A pool built by Faker once per machine: later processes load it from the cache file."""

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        cached = instance._disk.get(self.attrname)
        if cached is not None:
            instance.__dict__[self.attrname] = cached
            return cached
        value = super().__get__(instance, owner)
        instance._remember(self.attrname, value)
        return value


class Pools:
    """Lazily built value arrays for one locale."""

    def __init__(self, locale: str) -> None:
        if locale not in SUPPORTED_LOCALES:
            raise SchemaError(f"Unsupported locale {locale!r}; choose one of {', '.join(SUPPORTED_LOCALES)}.")
        self.locale = locale
        self.country_code = _COUNTRY_OF_LOCALE[locale]
        self._extra: dict[str, np.ndarray] = {}
        self._file = _cache_file(locale)
        self._disk: dict[str, np.ndarray] = self._load()

    def _load(self) -> dict[str, np.ndarray]:
        if self._file is None or not self._file.exists():
            return {}
        try:
            with self._file.open("rb") as fh:
                data = pickle.load(fh)
            return data if isinstance(data, dict) else {}
        except Exception:  # a broken cache is rebuilt, never trusted
            return {}

    def _remember(self, name: str, value: np.ndarray) -> None:
        self._disk[name] = value
        if self._file is None:
            return
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=self._file.parent, delete=False) as fh:
                pickle.dump(self._disk, fh)
            os.replace(fh.name, self._file)
        except OSError:  # read-only home: pools are simply rebuilt next time
            pass

    def __repr__(self) -> str:
        return f"Pools({self.locale!r})"

    def faker(self, purpose: str):
        """A Faker for this locale, seeded by ``purpose`` so each pool is reproducible."""
        try:
            from faker import Faker
        except ImportError as exc:  # pragma: no cover - faker is a core dependency
            raise MissingDependencyError("Faker is required: pip install faker") from exc
        fake = Faker(self.locale)
        fake.seed_instance(stable_key("pool", self.locale, purpose) % (1 << 32))
        return fake

    def _sample(self, purpose: str, fn: Callable, tries: int, limit: int | None = None) -> np.ndarray:
        fake = self.faker(purpose)
        return _distinct((fn(fake) for _ in range(tries)), limit)

    def get(self, name: str) -> np.ndarray:
        """A pool by name (attribute or registered extra pool)."""
        if name in self._extra:
            return self._extra[name]
        value = getattr(self, name, None)
        if not isinstance(value, np.ndarray):
            raise KeyError(f"no pool named {name!r}")
        return value

    # --- person -----------------------------------------------------------
    def _provider_list(self, provider: str, attr: str) -> list[str]:
        """A word list of Faker's provider for this locale (``person``/``last_names``), in its own order."""
        import importlib

        try:
            module = importlib.import_module(f"faker.providers.{provider}.{self.locale}")
        except ImportError:
            return []
        return [str(v) for v in dict.fromkeys(getattr(module.Provider, attr, ()))]

    def _names(self, purpose: str, attr: str, fn: Callable) -> np.ndarray:
        # every name of the locale's list (a few Faker draws when it has none), distinct by its ASCII form, so
        # "first.last" e-mail parts stay injective
        names = self._provider_list("person", attr)
        if len(names) < 100:
            fake = self.faker(purpose)
            names += [fn(fake) for _ in range(3000)]
        seen: dict[str, str] = {}
        for v in names:
            key = ascii_slug(v)
            if len(key) >= 2 and key not in seen and " " not in v.strip():
                seen[key] = v
        return np.array(list(seen.values()), dtype=object)

    @_DiskCachedPool
    def first_names(self) -> np.ndarray:
        return self._names("first_name", "first_names", lambda f: f.first_name())

    @_DiskCachedPool
    def last_names(self) -> np.ndarray:
        return self._names("last_name", "last_names", lambda f: f.last_name())

    @cached_property
    def surnames(self) -> np.ndarray:
        """Single-word surnames for company names: no hyphen, comma or space (they separate partners), none
        that is also a word of the locale's company vocabulary (so every name reads back one way)."""
        from .company_vocabulary import company_words

        taken = company_words(self.locale)
        plain = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
        return np.array([v for v in self.last_names if plain.fullmatch(v) and v not in taken], dtype=object)

    @cached_property
    def first_names_ascii(self) -> np.ndarray:
        return np.array([ascii_slug(v) for v in self.first_names], dtype=object)

    @cached_property
    def first_names_by_initial(self) -> dict[str, np.ndarray]:
        """First names by their (ASCII) initial, upper case: what a middle initial stands for."""
        out: dict[str, list[str]] = {}
        for name, slug in zip(self.first_names, self.first_names_ascii):
            out.setdefault(slug[:1].upper(), []).append(name)
        return {k: np.array(v, dtype=object) for k, v in out.items()}

    @cached_property
    def last_names_ascii(self) -> np.ndarray:
        return np.array([ascii_slug(v) for v in self.last_names], dtype=object)

    @cached_property
    def email_domains(self) -> np.ndarray:
        return np.array(_EMAIL_DOMAINS[self.locale], dtype=object)

    @cached_property
    def company_domains(self) -> np.ndarray:
        tld = {"US": "com", "GB": "co.uk"}.get(self.country_code, self.country_code.lower())
        names = self.company_names
        out = _distinct(f"{ascii_slug(c.split(',')[0].split(' ')[0])}{'.' + tld if i % 3 else '.com'}"
                        for i, c in enumerate(names))
        return out

    # --- company ----------------------------------------------------------
    @_DiskCachedPool
    def company_names(self) -> np.ndarray:
        """Faker's company names: the source of :attr:`company_domains` (names themselves come from
        :class:`~.company.CompanyName`)."""
        return self._sample("company", lambda f: f.company(), 2500)

    @_DiskCachedPool
    def job_titles(self) -> np.ndarray:
        return self._sample("job", lambda f: f.job(), 4000)

    @_DiskCachedPool
    def catch_phrases(self) -> np.ndarray:
        en = Pools("en_US") if self.locale != "en_US" else self
        return en._sample("catch_phrase", lambda f: f.catch_phrase(), 3000)

    # --- address ----------------------------------------------------------
    @_DiskCachedPool
    def cities(self) -> np.ndarray:
        return self._sample("city", lambda f: f.city(), 2000, 1000)

    @_DiskCachedPool
    def street_names(self) -> np.ndarray:
        return self._sample("street", lambda f: f.street_name(), 2000, 1000)

    @_DiskCachedPool
    def street_suffixes(self) -> np.ndarray:
        return self._sample("street_suffix", lambda f: f.secondary_address(), 400, 200)

    @cached_property
    def places(self) -> np.ndarray:
        """Real places of this country: rows of (lat, lng, place name, timezone)."""
        from faker.providers.geo import Provider as Geo

        rows = [(float(lat), float(lng), name, tz) for lat, lng, name, cc, tz in Geo.land_coords
                if cc == self.country_code]
        if not rows:
            rows = [(float(lat), float(lng), name, tz) for lat, lng, name, cc, tz in Geo.land_coords]
        return np.array(rows, dtype=object)

    @_DiskCachedPool
    def regions(self) -> np.ndarray:
        """Rows of (region name, region code, lowest postcode, highest postcode).

        For en_US the postcode range is the state's real ZIP range, so a ZIP
        drawn inside it agrees with the state; elsewhere the range is empty
        (``0, 0``) and postcodes come from the :attr:`postcodes` pool.
        """
        if self.locale == "en_US":
            from faker.providers.address.en_US import Provider as US

            abbrs = [a for a in US.states_abbr if a != "DC"]
            return np.array([(name, abbr, *US.states_postcode[abbr]) for abbr, name in zip(abbrs, US.states)],
                            dtype=object)
        codes = _REGION_CODES.get(self.locale, {})
        if self.locale in _FIXED_REGIONS:
            return np.array([(n, c, 0, 0) for n, c in codes.items()], dtype=object)
        fake = self.faker("region")
        # the first-level division: German states, Spanish communities, English counties, Dutch provinces
        region = next((getattr(fake, a) for a in ("state", "region", "province", "administrative_unit")
                       if hasattr(fake, a)), None)
        names = _distinct(region() if region else fake.city() for _ in range(600))
        codes = _two_letter_codes(names, codes)
        return np.array([(n, codes[n], 0, 0) for n in names], dtype=object)

    @_DiskCachedPool
    def postcodes(self) -> np.ndarray:
        return self._sample("postcode", lambda f: f.postcode(), 1500)

    @cached_property
    def industries(self) -> np.ndarray:
        from .company_vocabulary import INDUSTRIES

        return np.array(INDUSTRIES, dtype=object)

    @cached_property
    def departments(self) -> np.ndarray:
        from .company_vocabulary import DEPARTMENTS

        return np.array(DEPARTMENTS, dtype=object)

    # --- commerce ---------------------------------------------------------
    @cached_property
    def product_categories(self) -> np.ndarray:
        from .commerce import PRODUCT_CATEGORIES

        return np.array(PRODUCT_CATEGORIES, dtype=object)

    @cached_property
    def file_extensions(self) -> np.ndarray:
        return np.array(["pdf", "docx", "xlsx", "csv", "png", "jpg", "txt", "zip", "json", "mp4"], dtype=object)

    # --- text -------------------------------------------------------------
    @_DiskCachedPool
    def sentences(self) -> np.ndarray:
        return Pools("en_US")._sample("sentence", lambda f: f.sentence(nb_words=10), 4000) \
            if self.locale != "en_US" else self._sample("sentence", lambda f: f.sentence(nb_words=10), 4000)

    @cached_property
    def words(self) -> np.ndarray:
        from faker.providers.lorem.en_US import Provider as Lorem

        return _distinct(Lorem.word_list)


# ISO 3166-2 codes of the regions Faker names, where the first two letters would be wrong or ambiguous
# (Bayern and Baden-Württemberg are not both "BA").
_REGION_CODES = {
    "fr_FR": {  # the regions since 2016 (Faker still lists the 22 older ones), ISO 3166-2:FR codes
        "Auvergne-Rhône-Alpes": "ARA", "Bourgogne-Franche-Comté": "BFC", "Bretagne": "BRE",
        "Centre-Val de Loire": "CVL", "Corse": "20R", "Grand Est": "GES", "Hauts-de-France": "HDF",
        "Île-de-France": "IDF", "Normandie": "NOR", "Nouvelle-Aquitaine": "NAQ", "Occitanie": "OCC",
        "Pays de la Loire": "PDL", "Provence-Alpes-Côte d'Azur": "PAC",
    },
    "de_DE": {
        "Baden-Württemberg": "BW", "Bayern": "BY", "Berlin": "BE", "Brandenburg": "BB", "Bremen": "HB",
        "Hamburg": "HH", "Hessen": "HE", "Mecklenburg-Vorpommern": "MV", "Niedersachsen": "NI",
        "Nordrhein-Westfalen": "NW", "Rheinland-Pfalz": "RP", "Saarland": "SL", "Sachsen": "SN",
        "Sachsen-Anhalt": "ST", "Schleswig-Holstein": "SH", "Thüringen": "TH",
    },
}

_FIXED_REGIONS = frozenset({"fr_FR"})
"""Locales whose regions are the list in ``_REGION_CODES`` rather than Faker's."""

@cache
def get_pools(locale: str = DEFAULT_LOCALE) -> Pools:
    """The shared :class:`Pools` of a locale (built lazily, once per process)."""
    return Pools(locale)
