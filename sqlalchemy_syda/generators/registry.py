"""The meaning registry: every named kind of value the generators know.

A *meaning* is a name (``email``, ``postcode``, ``price``), the column kind it
produces, the phrases that point to it in names and comments, a realistic
NULL rate and a factory ``(ColumnSpec, options) -> Generator``. Semantics
picks a meaning per column; users add their own or replace one::

    >>> generator_for("price", min=1, max=99)
    decimal_range(1, 99, scale=2, shape='lognormal')
    >>> generator_for("price", min=1, max=99).generate(ctx, np.arange(3))
    array([ 9.6 ,  3.92, 16.51])
    >>> MEANINGS["email"].kind, MEANINGS["email"].family
    ('string', 'contact')
    >>> register_generator("price", lambda spec, opts: generator_for("quantity"))
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.SydaError: A generator named 'price' is already registered; pass replace=True
    to override it.

A new one, for the whole process (``syda inspect`` then names it as the source of the columns it fills)::

    register_generator("sku", lambda spec, opts: Pattern("ACME-#####"), phrases=("sku",))

:data:`MEANINGS` maps names to :class:`Meaning`; ``len(MEANINGS) >= 80``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from ..exceptions import SydaError, UnknownGeneratorError
from ..specs import ColumnSpec
from . import commerce
from .address import AddressPart
from .base import Constant, Generator, SampledFrom
from .choices import Composed, Pattern, PoolChoice
from .codes import CheckDigitNumber, Iban, Icd10, Uuids
from .company import CompanyName
from .internet import DomainName, IPv4, IPv6, MacAddress, Slug, Url
from .numbers import Booleans, DecimalRange, IntRange
from .person import PersonPart
from .phones import Phone
from .products import ProductCategory, ProductName
from .strings import concat
from .temporal import ANCHOR, DateRange, DateTimeRange, Durations, TimesOfDay
from .text import Paragraphs, Words
from .titles import Titles

__all__ = ["MEANINGS", "Meaning", "generator_for", "register_generator", "registry_version"]

Factory = Callable[[ColumnSpec, dict], Generator]


@dataclass(frozen=True)
class Meaning:
    """A named kind of value: what it is called, what it produces and how to make it."""

    name: str
    kind: str
    factory: Factory
    phrases: tuple[str, ...] = ()
    family: str = "misc"
    null_rate: float = 0.05
    priority: int = 0
    """Added to a match's score: negative for generic meanings (``date``, ``text``)."""


_MEANINGS: dict[str, Meaning] = {}
MEANINGS: Mapping[str, Meaning] = MappingProxyType(_MEANINGS)
"""Every registered meaning by name (read-only: add one with :func:`register_generator`)."""
_TYPES: dict[type, Callable[[ColumnSpec], Generator]] = {}
_VERSION = [0]


def registry_version() -> int:
    """Changes whenever a meaning is registered (lets callers cache what they derive from the registry)."""
    return _VERSION[0] + len(_MEANINGS)


def register_generator(name: str, factory: Factory | Generator, *, kind: str = "string",
                       phrases: tuple[str, ...] = (), family: str = "custom", null_rate: float = 0.05,
                       replace: bool = False) -> Meaning:
    """Register a meaning ``name``; ``factory`` is a Generator or ``(spec, options) -> Generator``.

    Raises :class:`SydaError` when ``name`` exists and ``replace`` is False.
    """
    if not name or not isinstance(name, str):
        raise SydaError(f"A generator name must be a non-empty string, got {name!r}.")
    if name in MEANINGS and not replace:
        raise SydaError(f"A generator named {name!r} is already registered; pass replace=True to override it.")
    if isinstance(factory, Generator):
        gen = factory
        factory = lambda spec, opts: gen  # noqa: E731
    elif not callable(factory):
        raise SydaError(f"register_generator({name!r}, ...) needs a Generator or a callable (spec, options) "
                        f"-> Generator; got {type(factory).__name__}.")
    meaning = Meaning(name, kind, factory, tuple(phrases), family, null_rate)
    _MEANINGS[name] = meaning
    _VERSION[0] += 1000
    return meaning


def register_type(sa_type: type, factory: Callable[[ColumnSpec], Generator] | Generator, *,
                  replace: bool = False) -> None:
    """Values for every column of SQLAlchemy type ``sa_type`` (and its subclasses): ``factory`` is a
    Generator or ``factory(column_spec) -> Generator``. The type is looked up along the column type's MRO,
    so registering a base class covers its subclasses; a column's override or ``info`` hint still wins::

        register_type(MyMoney, lambda spec: DecimalRange(0, 500))
    """
    from sqlalchemy.types import TypeEngine

    if not isinstance(sa_type, type) or not issubclass(sa_type, TypeEngine):
        raise SydaError(f"register_type() needs a SQLAlchemy type class (a TypeEngine or TypeDecorator subclass); "
                        f"got {sa_type!r}.")
    if isinstance(factory, Generator):
        gen = factory
        factory = lambda spec: gen  # noqa: E731
    elif not callable(factory):
        raise SydaError(f"register_type({sa_type.__name__}, ...) needs a Generator or a callable "
                        f"(column spec) -> Generator; got {type(factory).__name__}.")
    if sa_type in _TYPES and not replace:
        raise SydaError(f"A generator is already registered for {sa_type.__name__}; pass replace=True to override it.")
    _TYPES[sa_type] = factory
    _VERSION[0] += 1000


def type_factory(sa_type: Any) -> tuple[type, Callable[[ColumnSpec], Generator]] | None:
    """The class and factory registered for ``sa_type`` (an instance), nearest along its MRO, or None."""
    if sa_type is None or not _TYPES:
        return None
    for cls in type(sa_type).__mro__:
        if cls in _TYPES:
            return cls, _TYPES[cls]
    return None


def generator_for(name: str, spec: ColumnSpec | None = None, **options: Any) -> Generator:
    """The generator of meaning ``name`` for column ``spec`` (a plain column if omitted)."""
    try:
        meaning = MEANINGS[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, MEANINGS, n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise UnknownGeneratorError(
            f"No generator named {name!r}.{hint} See sqlalchemy_syda.MEANINGS for the list, "
            f"or add one with register_generator({name!r}, ...).") from None
    return meaning.factory(spec or ColumnSpec(name, kind=meaning.kind), options)


# --- helpers for the built-in factories --------------------------------------------------------

def _opt(opts: dict, key: str, default: Any) -> Any:
    value = opts.get(key)
    return default if value is None else value


def _years_back(years: float) -> dt.datetime:
    return ANCHOR - dt.timedelta(days=365.25 * years)


def _number(lo: float, hi: float, scale: int | None = 2, shape: str = "uniform", median: float | None = None,
            integer: bool = False) -> Callable[[ColumnSpec, dict], Generator]:
    def make(spec: ColumnSpec, opts: dict) -> Generator:
        a, b = _opt(opts, "min", lo), _opt(opts, "max", hi)
        med = opts.get("median", median if (a, b) == (lo, hi) else None)
        sh = _opt(opts, "shape", shape)
        if integer or spec.kind == "integer":
            return IntRange(int(np.ceil(a)), int(np.floor(b)), shape=sh, median=med)
        sc = _opt(opts, "scale", scale)
        if spec.kind == "decimal" and spec.scale is not None:  # a price in a Numeric(10, 4) still has cents
            sc = spec.scale if sc is None else min(sc, spec.scale)
        return DecimalRange(a, b, scale=sc, shape=sh, median=med)
    return make


def _choice(values: tuple, weights: tuple | None = None, name: str | None = None) -> Factory:
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)

    def make(spec: ColumnSpec, opts: dict) -> Generator:
        lo, hi = opts.get("min"), opts.get("max")
        if numeric and lo is not None and hi is not None and (lo, hi) != (min(values), max(values)):
            # the column says its own range ("review score 0-100"): that range, not the usual list (1-5 stars)
            return _number(lo, hi, scale=opts.get("scale", 2), integer=all(isinstance(v, int) for v in values)
                           and float(lo).is_integer() and float(hi).is_integer())(spec, opts)
        return SampledFrom(values, weights, name=name or "sampled_from")
    return make


def _date(years_back: float, years_ahead: float = 0.0, bias: float = 0.0) -> Factory:
    def make(spec: ColumnSpec, opts: dict) -> Generator:
        start = opts.get("min") or _years_back(years_back)
        end = opts.get("max") or ANCHOR + dt.timedelta(days=365.25 * years_ahead)
        if spec.kind == "date":
            return DateRange(_as_date(start), _as_date(end), recent_bias=bias)
        return DateTimeRange(start, end, recent_bias=bias)
    return make


def _as_date(value: Any) -> Any:
    return value.date() if isinstance(value, dt.datetime) else value


def _pool(name: str, label: str | None = None) -> Factory:
    return lambda spec, opts: PoolChoice(name, label)


def _add(name: str, kind: str, factory: Factory, phrases: str = "", family: str = "misc",
         null_rate: float = 0.05, priority: int = 0) -> None:
    words = tuple(p.strip() for p in phrases.split(",") if p.strip())
    _MEANINGS[name] = Meaning(name, kind, factory, words, family, null_rate, priority)


def _person(part: str, business: bool = False) -> Factory:
    return lambda spec, opts: PersonPart(part, business=bool(opts.get("business", business)))


def _address(part: str) -> Factory:
    return lambda spec, opts: AddressPart(part, group=opts.get("group", "address"),
                                          international=bool(opts.get("international", False)))


def _birth_date(spec: ColumnSpec, opts: dict) -> Generator:
    start, end = _years_back(_opt(opts, "max_age", 90)), _years_back(_opt(opts, "min_age", 18))
    return DateRange(start.date(), end.date()) if spec.kind == "date" else DateTimeRange(start, end)


def _phone(spec: ColumnSpec, opts: dict) -> Generator:
    if spec.length is not None and spec.length < 12:
        return Pattern("&##-&##-####"[: spec.length], "phone")
    return Phone(opts.get("country"))


# --- the built-in meanings ----------------------------------------------------------------------
# person
_add("first_name", "string", _person("first_name"), "first name, given name, firstname, forename, name first, "
     "name given", "person", 0.0)
_add("last_name", "string", _person("last_name"), "last name, surname, family name, lastname, name last", "person", 0.0)
_add("full_name", "string", _person("full_name"),
     "name, full name, fullname, person name, contact name, customer name, patient name, employee name, "
     "user name display, display name, author, owner name, recipient name", "person", 0.0)
_add("middle_name", "string", _person("middle_name"), "middle name", "person", 0.6)
_add("username", "string", _person("username"), "username, user name, login, handle, screen name, nickname",
     "person", 0.0)
_add("email", "string", _person("email"), "email, e mail, email address, mail address, mail", "contact", 0.02)
_add("business_email", "string", _person("email", business=True),
     "business email, work email, corporate email, company email, business email address, work email address, "
     "corporate email address, company email address", "contact", 0.02)
_add("gender", "string", lambda s, o: SampledFrom(("F", "M") if (s.length or 9) < 6 else
                                                   ("Female", "Male", "Non-binary"),
                                                   (0.5, 0.5) if (s.length or 9) < 6 else (0.49, 0.49, 0.02),
                                                   name="gender"), "gender, sex", "person", 0.02)
_add("birth_date", "date", _birth_date, "birth date, birthdate, date of birth, dob, birthday, born", "person", 0.02)
_add("age", "integer", _number(18, 90, shape="normal", median=42, integer=True), "age, years old", "person", 0.02)
_add("name_prefix", "string", _choice(("Mr.", "Ms.", "Mrs.", "Dr.", "Prof."), (0.4, 0.3, 0.15, 0.1, 0.05),
                                      "name_prefix"), "salutation, name prefix, honorific", "person", 0.2)
# contact / internet
_add("phone", "string", _phone, "phone, phone number, telephone, mobile, cell, fax, tel", "contact", 0.1)
_add("url", "string", lambda s, o: Url(), "url, website, web site, homepage, home page, link, uri", "internet", 0.1)
_add("domain", "string", lambda s, o: DomainName(), "domain, domain name, hostname, host name", "internet", 0.05)
_add("ipv4", "string", lambda s, o: IPv4(), "ip, ip address, ipv4, ip addr, remote addr, client ip", "internet",
     0.05)
_add("ipv6", "string", lambda s, o: IPv6(), "ipv6", "internet", 0.05)
_add("mac_address", "string", lambda s, o: MacAddress(), "mac, mac address", "internet", 0.05)
_add("slug", "string", lambda s, o: Slug(), "slug, permalink", "internet", 0.0)
_add("user_agent", "string", _choice((
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36",
), name="user_agent"), "user agent, useragent, browser", "internet", 0.05)
_add("http_method", "string", _choice(("GET", "POST", "PUT", "PATCH", "DELETE"), (0.6, 0.2, 0.08, 0.07, 0.05),
                                      "http_method"), "http method, method, verb", "internet", 0.0, -2)
_add("http_status", "integer", _choice((200, 201, 204, 301, 302, 400, 401, 403, 404, 500, 503),
                                       (0.7, 0.05, 0.03, 0.02, 0.03, 0.04, 0.03, 0.02, 0.05, 0.02, 0.01),
                                       "http_status"), "http status, status code, response code", "internet", 0.0)
_add("port", "integer", _number(1024, 65535, integer=True), "port", "internet", 0.0)
_add("file_name", "string", lambda s, o: Composed(("words", "file_extensions"), "file_name").map(
    lambda a: np.strings.replace(a.astype(str), " ", ".").astype(object), "dotted"),
    "file name, filename, attachment", "internet", 0.05)
_add("file_path", "string", lambda s, o: Slug().map(lambda a: concat("s3://artifacts/", a), "s3_uri"),
     "path, file path, filepath, directory, folder, artifact location, storage location, artifact uri, "
     "artifact path, storage path, bucket path", "internet", 0.05)
_add("mime_type", "string", _choice(("application/pdf", "image/png", "image/jpeg", "text/plain", "text/csv",
                                     "application/json", "application/zip", "video/mp4"), name="mime_type"),
     "mime type, mimetype, content type, media type", "internet", 0.0)
# address
_add("street_address", "string", _address("street_address"),
     "street address, street, address line, address1, address line1, line1, street line", "address", 0.02)
_add("address_line2", "string", lambda s, o: PoolChoice("street_suffixes", "address_line2"),
     "address line2, address2, line2, apartment, suite", "address", 0.7)
_add("building_number", "string", _address("building_number"), "building number, house number", "address", 0.0)
_add("city", "string", _address("city"), "city, town, municipality, locality, location, office location",
     "address", 0.02)
_add("state", "string", lambda s, o: _address("state_code" if s.length is not None and s.length < 14 else "state")(s, o), "state, province, region, county, state name", "address", 0.02)
_add("state_code", "string", _address("state_code"), "state code, state abbr, province code", "address", 0.02)
_add("postcode", "string", _address("postcode"), "postcode, postal code, zip, zip code, zipcode, postal",
     "address", 0.02)
_add("country", "string", _address("country"), "country, nation, country name", "address", 0.02)
_add("country_code", "string", _address("country_code"),
     "country code, iso country, country iso, iso2, alpha2, country alpha2", "address", 0.02)
_add("country_code3", "string", _address("country_code3"), "iso3, alpha3, country alpha3, country code3",
     "address", 0.02)
_add("latitude", "float", _address("latitude"), "latitude, lat", "address", 0.02)
_add("longitude", "float", _address("longitude"), "longitude, lng, lon, long", "address", 0.02)
_add("address", "string", _address("address"), "address, full address, mailing address, postal address",
     "address", 0.05, -1)
_add("timezone", "string", _address("timezone"), "timezone, time zone, tz", "address", 0.0)
# company
_add("company_name", "string", lambda s, o: CompanyName(),
     "company, company name, organization, organisation, organization name, employer, business name, "
     "vendor, supplier, firm, brand, manufacturer, client name", "company", 0.0)
_add("industry", "string", _pool("industries", "industry"), "industry, sector, vertical", "company", 0.05)
_add("job_title", "string", _pool("job_titles", "job_title"),
     "job title, job, title job, position, role, occupation, designation, profession", "company", 0.05)
_add("department", "string", _pool("departments", "department"),
     "department, dept, department name, division, business unit, team name", "company", 0.02)
_add("catch_phrase", "string", _pool("catch_phrases", "catch_phrase"), "slogan, tagline, catch phrase, motto",
     "company", 0.1)
# commerce
_add("product_name", "string",
     lambda s, o: ProductName(families=o.get("families")),
     "product, product name, item name, article, merchandise, sku name, offering", "commerce", 0.0)
_add("product_category", "string", lambda s, o: ProductCategory(o.get("families")),
     "category, product category, item category, genre", "commerce", 0.02)
_add("sku", "string", lambda s, o: Pattern(o.get("pattern", "???-#####"), "sku"),
     "sku, stock keeping unit, part number, item code, product code, article number", "commerce", 0.0)
_add("price", "decimal", _number(0.5, 5000, shape="lognormal", median=39.0),
     "price, unit price, cost, msrp, list price, sale price, fee, rate", "commerce", 0.0)
_add("amount", "decimal", _number(1, 20000, shape="lognormal", median=180.0),
     "amount, total, total amount, subtotal, grand total, payment, revenue, value usd, sum", "finance", 0.02)
_add("currency_code", "string", lambda s, o: SampledFrom(*commerce.currency_codes(), name="currency_code"),
     "currency, currency code, iso currency, ccy", "commerce", 0.0)
_add("quantity", "integer", _number(1, 100, shape="geometric", median=2, integer=True),
     "quantity, qty, units, number of items, amount ordered, quantity ordered", "commerce", 0.0)
_add("discount", "decimal", _number(0, 50, scale=2, shape="geometric", median=5),
     "discount, discount percent, discount pct, discount rate, markdown", "commerce", 0.3)
_add("order_status", "string", _choice(commerce.ORDER_STATUSES, commerce.ORDER_STATUS_WEIGHTS, "order_status"),
     "order status, shipment status, delivery status, fulfillment status", "commerce", 0.0)
_add("payment_method", "string", _choice(commerce.PAYMENT_METHODS, name="payment_method"),
     "payment method, payment type, pay method", "commerce", 0.02)
_add("color", "string", _choice(commerce.COLORS, name="color"), "color, colour", "commerce", 0.05)
_add("rating", "integer", _choice((1, 2, 3, 4, 5), (0.05, 0.07, 0.15, 0.33, 0.4), "rating"),
     "rating, stars, review score, score stars", "commerce", 0.05)
_add("ean13", "string", lambda s, o: CheckDigitNumber("ean13", 13, "4", "ean13"),
     "ean, ean13, barcode, gtin, upc", "commerce", 0.0)
_add("weight", "decimal", _number(0.05, 80, scale=2, shape="lognormal", median=1.5),
     "weight, weight kg, mass", "commerce", 0.05)
# finance
_add("iban", "string", lambda s, o: Iban(o.get("country")), "iban, international bank account",
     "finance", 0.02)
_add("account_number", "string", lambda s, o: Pattern("%#########", "account_number"),
     "account number, account no, bank account, acct", "finance", 0.0)
_add("credit_card_number", "string", lambda s, o: CheckDigitNumber("luhn", 16, "4", "credit_card_number"),
     "credit card, card number, cc number, pan", "finance", 0.0)
_add("swift_bic", "string", lambda s, o: Pattern("????US**", "swift_bic"), "swift, bic, swift code, bic code",
     "finance", 0.0)
_add("salary", "decimal", _number(28000, 400000, scale=0, shape="lognormal", median=72000),
     "salary, wage, annual salary, compensation, pay, income", "finance", 0.02)
_add("budget", "decimal", _number(10000, 10_000_000, scale=0, shape="lognormal", median=450000),
     "budget, budget allocation, annual budget", "finance", 0.02)
_add("balance", "decimal", _number(-2000, 250000, shape="lognormal", median=3200),
     "balance, account balance, credit limit", "finance", 0.0)
_add("transaction_type", "string", _choice(("deposit", "withdrawal", "transfer", "payment", "refund", "fee"),
                                           (0.25, 0.2, 0.2, 0.25, 0.05, 0.05), "transaction_type"),
     "transaction type, txn type, entry type", "finance", 0.0)
_add("tax_rate", "decimal", _number(0, 25, scale=2, shape="uniform"), "tax rate, vat rate, vat", "finance", 0.0)
# identifiers and codes
_add("uuid", "uuid", lambda s, o: Uuids(), "uuid, guid, unique identifier, uid", "identifier", 0.0)
_add("code", "string", lambda s, o: Pattern(o.get("pattern", "??-####"), "code"),
     "code, reference, ref, reference number, tracking number, confirmation, id, external id, ref id", "identifier", 0.0, -3)
_add("icd10_code", "string", lambda s, o: Icd10(), "icd10, icd 10, icd, diagnosis code, diagnosis",
     "identifier", 0.0)
_add("isbn", "string", lambda s, o: CheckDigitNumber("ean13", 13, "978", "isbn13"), "isbn, isbn13", "identifier",
     0.0)
_add("ssn", "string", lambda s, o: Pattern("%##-##-####", "ssn"), "ssn, social security", "identifier", 0.0)
_add("license_plate", "string", lambda s, o: Pattern("???-####", "license_plate"),
     "license plate, licence plate, plate number, registration plate", "identifier", 0.0)
_add("version", "string", lambda s, o: Pattern("%.#.#", "version"), "version, semver, release", "identifier", 0.0)
_add("hash", "string", lambda s, o: Pattern("^" * min(s.length or 64, 64), "hex_hash"),
     "hash, sha256, checksum, digest, token, api key, secret", "identifier", 0.0)
_add("password_hash", "string", lambda s, o: Pattern("$2b$12$" + "*" * 53, "bcrypt_hash"),
     "password, password hash, hashed password, pwd", "identifier", 0.0)
_add("language_code", "string", _choice(("en", "es", "fr", "de", "it", "pt", "nl", "ja", "zh", "ko"),
                                        (0.45, 0.12, 0.09, 0.09, 0.05, 0.06, 0.03, 0.04, 0.05, 0.02), "language_code"),
     "language, language code, lang, locale", "identifier", 0.0)
_add("mrn", "string", lambda s, o: Pattern("MRN-########", "mrn"), "mrn, medical record number, patient number",
     "identifier", 0.0)
# text
_add("title", "string", lambda s, o: Titles(2, 6), "title, headline, subject, heading, caption, name of the",
     "text", 0.02, -1)
_add("description", "text", lambda s, o: Paragraphs(1, 3), "description, desc, details, summary, overview, about",
     "text", 0.1)
_add("notes", "text", lambda s, o: Paragraphs(1, 2), "notes, note, remarks, memo, clinical notes, observations",
     "text", 0.3)
_add("comment", "text", lambda s, o: Paragraphs(1, 2), "comment, comments, feedback, review text, message, body",
     "text", 0.1)
_add("bio", "text", lambda s, o: Paragraphs(2, 4), "bio, biography, profile text, about me", "text", 0.2)
_add("paragraph", "text", lambda s, o: Paragraphs(2, 5), "paragraph, content, article body, text body", "text", 0.05)
_add("sentence", "string", lambda s, o: Paragraphs(1, 1), "sentence, tagline text, short text", "text", 0.05)
_add("word", "string", lambda s, o: Words(1, 1), "word, keyword, label, tag name", "text", 0.0)
_add("tags", "string", lambda s, o: Words(1, 4, sep=","), "tags, keywords, labels, topics", "text", 0.1)
_add("text", "text", lambda s, o: Paragraphs(1, 2), "text, free text, information, info", "text", 0.05, -5)
# temporal
_add("created_at", "datetime", _date(3, bias=1.0),
     "created at, created, created on, creation date, creation time, date created, added, registered at, signup, joined, "
     "inserted at, opened at, placed at", "temporal", 0.0)
_add("updated_at", "datetime", _date(1, bias=2.0),
     "updated at, updated, modified at, modified, last modified, changed at, last updated, edited at, "
     "last update time, update time",
     "temporal", 0.0)
_add("deleted_at", "datetime", _date(1), "deleted at, deleted on, removed at, archived at, cancelled at",
     "temporal", 0.9)
_add("start_date", "date", _date(2, 0.5), "start, start date, start time, begins at, begin date, starts at, "
     "from date, valid from, check in, departure", "temporal", 0.0)
_add("end_date", "date", _date(1, 1.5), "end, end date, end time, ends at, finish date, to date, valid to, "
     "valid until, expires at, expiry, expiration, check out, arrival, due date, due", "temporal", 0.1)
_add("date", "date", _date(3), "date, day, when, on", "temporal", 0.02, -5)
_add("datetime", "datetime", _date(3), "timestamp, time stamp, datetime, occurred at, logged at, at", "temporal",
     0.02, -4)
_add("time", "time", lambda s, o: TimesOfDay(), "time, time of day, hour", "temporal", 0.02, -3)
_add("duration", "interval", lambda s, o: Durations(), "duration, elapsed, time spent, interval", "temporal", 0.02)
_add("year", "integer", _number(ANCHOR.year - 30, ANCHOR.year, integer=True),
     "year, fiscal year, model year, vintage", "temporal", 0.02)
_add("month", "integer", _number(1, 12, integer=True), "month", "temporal", 0.0, -1)
_add("day_of_month", "integer", _number(1, 28, integer=True), "day of month, day of the month", "temporal", 0.0)
# numbers and flags
_add("percentage", "decimal", _number(0, 100, scale=2), "percentage, percent, pct, ratio percent, share",
     "number", 0.02)
_add("score", "integer", _number(0, 100, shape="normal", median=70, integer=True), "score, points, grade",
     "number", 0.02)
_add("count", "integer", _number(0, 1000, shape="lognormal", median=12, integer=True),
     "number of, num, count, total count, views, visits, clicks, likes", "number", 0.0, -1)
_add("priority", "string", _choice(("low", "medium", "high", "critical"), (0.35, 0.4, 0.2, 0.05), "priority"),
     "priority, severity, urgency", "number", 0.0)
_add("status", "string", _choice(("active", "inactive", "pending", "archived"), (0.7, 0.15, 0.1, 0.05),
                                 "status"), "status, state of, lifecycle", "number", 0.0, -2)
_add("boolean", "boolean", lambda s, o: Booleans(_opt(o, "p", 0.5)), "flag, whether, is, has, enabled", "number",
     0.0, -5)
_add("active_flag", "boolean", lambda s, o: Booleans(0.85), "is active, active, enabled, is enabled, verified, "
     "is verified, published, is published, visible", "number", 0.0)
_add("minority_flag", "boolean", lambda s, o: Booleans(0.25), "is primary, primary, is default, default, "
     "is featured, featured, pinned, is pinned, is main, main", "number", 0.0)
_add("rare_flag", "boolean", lambda s, o: Booleans(0.08), "is deleted, deleted, is archived, archived, banned, "
     "is banned, suspended, is admin, admin, is superuser, is staff", "number", 0.0)
_add("number", "integer", _number(1, 1000, shape="lognormal", median=50, integer=True), "number, integer, int",
     "number", 0.02, -6)
_add("decimal", "decimal", _number(0, 10000, shape="lognormal", median=100), "decimal, float, real, numeric",
     "number", 0.02, -6)
_add("constant", "string", lambda s, o: Constant(o.get("value")), "", "misc", 0.0, -10)
