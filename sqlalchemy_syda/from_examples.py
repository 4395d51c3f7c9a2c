"""Columns inferred from a few example values, and new values like them.

The seed document's ``POST /generate`` sends examples instead of a schema. Each column's meaning
comes from its name and its values (an e-mail address, a URL, a UUID, an ISO date, a number, a
yes/no flag); its *format* from the shape the examples share: ``123-456-7890`` becomes the pattern
``&##-&##-####`` (``#`` a digit, ``&`` 2-9, ``?`` a capital, ``l`` a small letter), so the new
values keep the dashes. Numbers keep their decimals and a range around the examples; a handful of
repeated words stays a category. The generated values are new: none equals an example::

    >>> frame = generate_like({"email": ["test@example.com"], "phone": ["123-456-7890"]}, 3, seed=1)
    >>> bool(frame["phone"].str.fullmatch(r"\\d{3}-\\d{3}-\\d{4}").all())
    True
    >>> infer_examples({"phone": ["123-456-7890"]}).columns["phone"].format
    '&##-&##-####'
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from .exceptions import SchemaError
from .generators.base import Generator, SampledFrom
from .generators.choices import Pattern
from .generators.numbers import Booleans, DecimalRange, IntRange
from .generators.registry import generator_for
from .generators.temporal import DateRange, DateTimeRange
from .generators.text import Words
from .specs import ColumnSpec, TableSpec

__all__ = ["ExampleColumn", "ExampleSchema", "generate_like", "infer_examples"]

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_URL = re.compile(r"https?://\S+", re.I)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")
_PHONE_WORDS = {"phone", "tel", "telephone", "mobile", "cell", "fax"}
_MAX_EXAMPLES = 10_000
_LARGEST = 1e15
_MAY_REPEAT = ("boolean", "category", "integer", "decimal", "date", "datetime")  # values, not identifiers
_EXAMPLE = "{'email': ['test@example.com'], 'phone': ['123-456-7890']}"


@dataclass(frozen=True)
class ExampleColumn:
    """What the examples of one column say: its meaning, its format and why."""

    name: str
    meaning: str
    format: str | None
    reason: str
    generator: Generator
    kind: str = "string"

    def to_dict(self) -> dict[str, Any]:
        return {"meaning": self.meaning, "format": self.format, "reason": self.reason}


@dataclass(frozen=True)
class ExampleSchema:
    """The inferred columns of an example set, in the order given, and the examples themselves."""

    columns: dict[str, ExampleColumn]
    examples: dict[str, list[Any]]

    @property
    def spec(self) -> TableSpec:
        return TableSpec("examples", tuple(ColumnSpec(name, kind=col.kind, nullable=False)
                                           for name, col in self.columns.items()))

    @property
    def overrides(self) -> dict[str, Generator]:
        return {name: col.generator for name, col in self.columns.items()}


def infer_examples(data: Mapping[str, Sequence[Any]]) -> ExampleSchema:
    """Read ``{"column": [example, ...], ...}`` into an :class:`ExampleSchema`.

    :raises SchemaError: when ``data`` is not a non-empty mapping of column names to lists of
        strings, numbers or booleans.
    """
    if not isinstance(data, Mapping) or not data:
        raise SchemaError(f"Examples must be a non-empty mapping of column names to lists of values, e.g. {_EXAMPLE}; "
                          f"got {_short(data)}.")
    columns: dict[str, ExampleColumn] = {}
    examples: dict[str, list[Any]] = {}
    for name, values in data.items():
        if not isinstance(name, str) or not name.strip():
            raise SchemaError(f"Example column names must be non-empty strings; got {name!r}.")
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
            raise SchemaError(f"The examples of column {name!r} must be a list of values, e.g. {_EXAMPLE}; "
                              f"got {_short(values)}.")
        present = [v for v in values if v is not None]
        if not present:
            raise SchemaError(f"Column {name!r} has no example values; give at least one, e.g. {_EXAMPLE}.")
        if len(values) > _MAX_EXAMPLES:
            raise SchemaError(f"Column {name!r} has {len(values):,} examples; at most {_MAX_EXAMPLES:,} are read. "
                              "Send a sample, or upload the file to learn from it instead.")
        for v in present:
            if not isinstance(v, (str, int, float, bool)):
                raise SchemaError(f"Example {_short(v)} of column {name!r} is not a string, number or boolean.")
            if isinstance(v, int) and not isinstance(v, bool) and not -(2**63) <= v < 2**63:
                raise SchemaError(f"Example {v} of column {name!r} does not fit a 64-bit integer; send it as a string.")
            if isinstance(v, float) and not math.isfinite(v):
                raise SchemaError(f"Example {v!r} of column {name!r} is not a finite number.")
        col = _infer(name, present)
        share = (len(values) - len(present)) / len(values)
        if share:
            col = ExampleColumn(col.name, col.meaning, col.format, f"{col.reason}; {share:.0%} empty",
                                col.generator.nullable(share), col.kind)
        columns[name] = col
        examples[name] = list(values)
    return ExampleSchema(columns, examples)


def generate_like(data: Mapping[str, Sequence[Any]] | ExampleSchema, n: int, *, seed: int | None = 0,
                  locale: str = "en_US") -> pd.DataFrame:
    """``n`` new rows like the examples: same columns, meanings and formats, no example repeated."""
    from .generate import generate

    schema = data if isinstance(data, ExampleSchema) else infer_examples(data)
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise SchemaError(f"The number of values to generate must be a non-negative integer; got {n!r}.")
    known = {name: {_text(v) for v in vals if v is not None} for name, vals in schema.examples.items()
             if schema.columns[name].meaning not in _MAY_REPEAT}
    extra = sum(len(v) for v in known.values())
    frame = generate(schema.spec, n + extra, seed=seed, locale=locale, overrides=schema.overrides)
    repeats = pd.Series(False, index=frame.index)
    for name, seen in known.items():
        repeats |= frame[name].map(lambda v, seen=seen: v is not None and _text(v) in seen)
    # a tiny domain (a two-digit code) may not hold n new values: repeats fill up, last
    return pd.concat([frame[~repeats], frame[repeats]]).head(n).reset_index(drop=True)


# ------------------------------------------------------------------------ inference


def _infer(name: str, values: list[Any]) -> ExampleColumn:
    if all(isinstance(v, bool) for v in values):
        share = sum(values) / len(values)
        return ExampleColumn(name, "boolean", None, "true/false examples", Booleans(min(max(share, 0.05), 0.95)),
                             "boolean")
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return _numbers(name, values)
    texts = [str(v) for v in values]
    words = set(re.findall(r"[a-z]+", name.lower()))
    if all(_EMAIL.fullmatch(t) for t in texts):
        return ExampleColumn(name, "email", None, "values are e-mail addresses", generator_for("email"))
    if all(_URL.fullmatch(t) for t in texts):
        return ExampleColumn(name, "url", None, "values are URLs", generator_for("url"))
    if all(_UUID.fullmatch(t) for t in texts):
        return ExampleColumn(name, "uuid", None, "values are UUIDs", generator_for("uuid"))
    dates = _dates(name, texts)
    if dates is not None:
        return dates
    numbers = _numeric_texts(texts)
    if numbers is not None:
        col = _numbers(name, numbers)
        return ExampleColumn(name, col.meaning, col.format, col.reason + " (sent as text)",
                             col.generator.map(lambda a: a.astype(str).astype(object), "as_text"))
    shape = _shape(texts)
    if shape is not None:
        phone = bool(words & _PHONE_WORDS)
        pattern = _phone_pattern(shape) if phone else shape
        return ExampleColumn(name, "phone" if phone else "code", pattern,
                             f"every example has the shape {shape!r}", Pattern(pattern, "like_examples"))
    if len(values) >= 4 and len(set(texts)) <= len(texts) / 2:
        distinct = tuple(dict.fromkeys(texts))
        return ExampleColumn(name, "category", None, f"{len(distinct)} values repeat across {len(texts)} examples",
                             SampledFrom(distinct, name="like_examples"))
    named = _by_name(name, texts)
    if named is not None:
        return named
    counts = [len(t.split()) for t in texts]
    return ExampleColumn(name, "text", None, f"free text of {min(counts)}-{max(counts)} words",
                         Words(min(counts), max(counts)))


def _numbers(name: str, values: list[int | float]) -> ExampleColumn:
    lo, hi = min(values), max(values)
    if max(abs(lo), abs(hi)) > _LARGEST:  # beyond what the number generators vary exactly: reuse the examples
        distinct = tuple(dict.fromkeys(values))
        return ExampleColumn(name, "category", None, f"numbers beyond ±{_LARGEST:.0e} are drawn from the examples",
                             SampledFrom(distinct, name="like_examples"),
                             "integer" if all(isinstance(v, int) for v in values) else "float")
    span = max(hi - lo, abs(hi), abs(lo), 1)
    low = lo - span / 2 if lo < 0 else max(0.0, lo - span / 2)
    high = hi + span / 2
    if all(isinstance(v, int) or float(v).is_integer() for v in values):
        return ExampleColumn(name, "integer", None, f"whole numbers around {lo:g}..{hi:g}",
                             IntRange(int(low), int(high) if int(high) > int(low) else int(low) + 1), "integer")
    scale = max(_decimals(v) for v in values)
    return ExampleColumn(name, "decimal", f"{scale} decimals", f"numbers around {lo:g}..{hi:g} with {scale} decimals",
                         DecimalRange(low, high, scale=scale).map(lambda a: a.astype(float), "as_float"), "float")


def _decimals(value: float | int) -> int:
    text = format(Decimal(str(value)).normalize(), "f")
    return len(text.split(".")[1]) if "." in text else 0


def _numeric_texts(texts: list[str]) -> list[int | float] | None:
    if not all(re.fullmatch(r"-?\d+(\.\d+)?", t) for t in texts):
        return None
    if any(len(t.lstrip("-").split(".")[0]) > 1 and t.lstrip("-").startswith("0") for t in texts):
        return None  # leading zeros: a code (zip, account number), keep its shape
    return [float(t) if "." in t else int(t) for t in texts]


def _dates(name: str, texts: list[str]) -> ExampleColumn | None:
    try:
        if all(_DATE.fullmatch(t) for t in texts):
            days = [dt.date.fromisoformat(t) for t in texts]
            lo, hi = min(days), max(days)
            pad = max((hi - lo) / 2, dt.timedelta(days=365))
            return ExampleColumn(name, "date", "YYYY-MM-DD", "ISO dates",
                                 DateRange(lo - pad, hi + pad).map(_iso_dates, "iso_date"))
        if all(_DATETIME.fullmatch(t) for t in texts):
            times = [dt.datetime.fromisoformat(t) for t in texts]
            lo, hi = min(times), max(times)
            pad = max((hi - lo) / 2, dt.timedelta(days=365))
            sep = "T" if "T" in texts[0] else " "
            return ExampleColumn(name, "datetime", f"YYYY-MM-DD{sep}HH:MM:SS", "ISO timestamps",
                                 DateTimeRange(lo - pad, hi + pad).map(lambda a, sep=sep: _iso_times(a, sep),
                                                                       "iso_datetime"))
    except ValueError:
        return None
    return None


def _iso_dates(values):
    return pd.to_datetime(pd.Series(values)).dt.strftime("%Y-%m-%d").to_numpy(dtype=object)


def _iso_times(values, sep: str):
    return pd.to_datetime(pd.Series(values)).dt.strftime(f"%Y-%m-%d{sep}%H:%M:%S").to_numpy(dtype=object)


def _shape(texts: list[str]) -> str | None:
    """The pattern every example follows, when they share one made of digits, letters and punctuation."""
    shapes = {"".join("#" if c.isdigit() else "?" if "A" <= c <= "Z" else "l" if "a" <= c <= "z" else c for c in t)
              for t in texts}
    if len(shapes) != 1:
        return None
    shape = shapes.pop()
    if "#" not in shape or not shape.isascii() or any(c in shape for c in "*%&^"):
        return None
    letters = sum(c in "?l" for c in shape)
    return shape if letters <= 4 else None


def _phone_pattern(shape: str) -> str:
    """Digit groups of a phone number but the last start with 2-9 (no 0xx area codes or exchanges)."""
    groups = list(re.finditer(r"#+", shape))
    out = list(shape)
    for m in groups[:-1]:
        if m.end() - m.start() >= 3:
            out[m.start()] = "&"
    return "".join(out)


def _by_name(name: str, texts: list[str]) -> ExampleColumn | None:
    from .semantics import infer_column

    length = max(len(t) for t in texts)
    spec = ColumnSpec(name, kind="string", length=max(length * 2, 10), nullable=False)
    plan = infer_column(TableSpec("examples", (spec,)), spec)
    if plan.source != "name" or plan.meaning is None:
        return None
    return ExampleColumn(name, plan.meaning, None, plan.reason, plan.generator)


def _text(value: Any) -> str:
    return str(value)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
