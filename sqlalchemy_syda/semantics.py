"""Column meaning inference: which generator each column gets, and why.

For every column the first source that says something wins:

1. an explicit override (``overrides={"status": "order_status"}``, a constant, a callable or a Generator);
2. ``info={"syda": ...}`` on the column (a meaning name or a dict of options);
3. keywords in the column comment and ``doc=`` (``"Customer organization name"`` -> ``company_name``);
   a comment that lists values (``"Active, Inactive, Prospect"``) makes a categorical column with exactly
   those values; units and ranges (``"in USD"``, ``"0-100"``, ``"percentage"``) shape numbers;
4. the column name (``email``, ``zip_code``, ``created_at``, ``is_active``);
5. the SQL type.

Within each source the longest matching phrase wins, and only meanings that fit the column's type
are considered. The class docstring and table name settle ambiguous names (``name`` in
``products`` is a product name, in ``employees`` a person's)::

    >>> from sqlalchemy_syda.introspect import table_spec
    >>> plan = plan_columns(table_spec(Customer))
    >>> plan["name"]
    ColumnPlan(column='name', generator=company_name(), source='comment',
               reason="comment mentions 'organization name'")
    >>> plan["status"]
    ColumnPlan(column='status', generator=one_of(['Active', 'Inactive', 'Prospect']), source='comment',
               reason='comment lists 3 values')
    >>> plan_columns(table_spec(Contact))["phone"].reason
    "comment mentions 'phone number'"

:func:`explain` renders the same decisions as rows for ``syda inspect``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .coherence import link_columns
from .comment_hints import listed_values, number_hints
from .exceptions import SchemaError, SydaWarning, UnknownGeneratorError, UnsupportedTypeError
from .generators.base import Constant, Generator, SampledFrom
from .generators.codes import Uuids
from .generators.numbers import Booleans, DecimalRange, IntRange, Sequence
from .generators.registry import MEANINGS, Meaning, generator_for, registry_version, type_factory
from .generators.temporal import After, EpochTime
from .overrides import override_generator
from .specs import ColumnSpec, TableSpec
from .words import tokens

__all__ = ["MEANINGS", "ColumnPlan", "explain", "infer_column", "plan_columns", "tokens"]

# which meaning kinds can fill which column kinds
_COMPATIBLE = {
    "string": {"string", "text", "uuid"},
    "text": {"string", "text"},
    "integer": {"integer", "decimal", "float"},
    "float": {"integer", "decimal", "float"},
    "decimal": {"integer", "decimal", "float"},
    "date": {"date", "datetime"},
    "datetime": {"date", "datetime"},
    "boolean": {"boolean"},
    "uuid": {"uuid"},
    "time": {"time"},
    "interval": {"interval"},
    "inet": set(),      # INET / CIDR: addresses from the type (an "email" meaning would not fit)
    "macaddr": set(),
}

_PERSON_WORDS = {"person", "people", "user", "users", "employee", "employees", "contact", "contacts", "patient",
                 "patients", "member", "members", "author", "authors", "student", "students", "staff",
                 "individual", "customer", "customers", "client", "doctor", "teacher", "owner", "player",
                 "driver", "guest", "attendee", "speaker", "person's", "human", "account", "subscriber"}
_CONTEXT_NAME = (
    ({"product", "products", "item", "items", "article", "sku", "catalog", "merchandise"}, "product_name"),
    ({"company", "companies", "organization", "organisation", "organizations", "organisations", "business",
      "businesses", "vendor", "vendors", "supplier", "suppliers", "firm", "firms", "brand", "brands", "manufacturer",
      "manufacturers", "agency", "agencies", "partner", "partners", "tenant", "tenants", "airline", "airlines"},
     "company_name"),
    ({"department", "departments", "division", "dept"}, "department"),
    ({"category", "categories", "genre"}, "product_category"),
    ({"city", "cities", "town"}, "city"),
    ({"country", "countries"}, "country"),
    ({"industry", "industries", "sector"}, "industry"),
    ({"team", "teams", "project", "projects", "club", "clubs", "event", "events", "course", "courses",
      "campaign", "campaigns", "playlist", "album", "book", "books", "movie", "movies", "game", "games"}, "title"),
    ({"tag", "tags", "label", "labels", "keyword", "role", "roles", "permission", "permissions", "group",
      "groups", "skill", "skills"}, "word"),
)
_ORDER_AFTER = {
    "updated_at": ("created_at",), "deleted_at": ("created_at", "updated_at"), "end_date": ("start_date",),
}
_EPOCH_MEANINGS = {"created_at", "updated_at", "deleted_at", "start_date", "end_date", "datetime"}


@dataclass(frozen=True)
class ColumnPlan:
    """The decision for one column: its generator (None: left to the database) and why."""

    column: str
    generator: Generator | None
    source: str
    reason: str
    meaning: str | None = None
    null_rate: float = 0.0
    group: str | None = None

    def __repr__(self) -> str:
        return (f"ColumnPlan(column={self.column!r}, generator={self.generator!r}, source={self.source!r}, "
                f"reason={self.reason!r})")


_INDEX: dict[int, dict[str, list[tuple[tuple[str, ...], Meaning]]]] = {}


def _phrase_index() -> dict[str, list[tuple[tuple[str, ...], Meaning]]]:
    """First word -> (phrase, meaning), rebuilt only when the registry changes."""
    version = registry_version()
    if version not in _INDEX:
        _INDEX.clear()
        _INDEX[version] = _build_phrase_index()
    return _INDEX[version]


def _build_phrase_index() -> dict[str, list[tuple[tuple[str, ...], Meaning]]]:
    index: dict[str, list[tuple[tuple[str, ...], Meaning]]] = {}
    for meaning in MEANINGS.values():
        for phrase in (*meaning.phrases, meaning.name.replace("_", " ")):
            words = tuple(tokens(phrase))
            if words:
                index.setdefault(words[0], []).append((words, meaning))
    return index


def _matches(words: list[str], kind: str) -> list[tuple[int, int, Meaning, tuple[str, ...]]]:
    """(score, position, meaning, phrase) for every phrase found in ``words`` that fits ``kind``."""
    found = []
    allowed = _COMPATIBLE.get(kind, set())
    index = _phrase_index()
    for pos, word in enumerate(words):
        for phrase, meaning in index.get(word, ()):
            if tuple(words[pos:pos + len(phrase)]) != phrase:
                continue
            if meaning.kind in allowed:
                bonus = 3 if meaning.kind == kind else 0
                found.append((10 * len(phrase) + meaning.priority + bonus, pos, meaning, phrase))
            elif kind == "integer" and meaning.name in _EPOCH_MEANINGS:  # Unix time in an integer column
                found.append((10 * len(phrase) + meaning.priority - 2, pos, meaning, phrase))
    return found


def _best(words: list[str], kind: str) -> tuple[Meaning, tuple[str, ...], int] | None:
    found = _matches(words, kind)
    if not found:
        return None
    # ties go to the later phrase: in English the head noun comes last ("product description")
    score, pos, meaning, phrase = max(found, key=lambda f: (f[0], f[1]))
    return meaning, phrase, pos


# --- inference --------------------------------------------------------------------------------------

def _hint_plan(spec: ColumnSpec, hint: Any, source: str) -> tuple[Generator, str | None, dict]:
    try:
        return _hint_generator(spec, hint, source)
    except (SchemaError, UnknownGeneratorError):
        raise
    except (ValueError, TypeError) as exc:  # options a generator cannot take (min > max, a string for a number)
        raise SchemaError(f"{source} {hint!r} for column {spec.name!r} cannot make a generator: {exc}. Check the "
                          "options (min <= max, numbers for numeric options).") from None


def _hint_generator(spec: ColumnSpec, hint: Any, source: str) -> tuple[Generator, str | None, dict]:
    if isinstance(hint, Generator):
        return hint, None, {}
    if isinstance(hint, str):
        if hint in _BASE_TYPES and hint not in MEANINGS:  # a dict schema's plain type name ('string', 'float')
            return _type_generator(spec), hint, {}
        return generator_for(hint, spec), hint, {}
    if isinstance(hint, Mapping):
        opts = {k: v for k, v in hint.items() if k not in ("type", "meaning", "generator")}
        name = hint.get("type") or hint.get("meaning") or hint.get("generator")
        if "values" in opts:
            return SampledFrom(opts["values"], opts.get("weights")), name, opts
        if name in _BASE_TYPES:
            return _type_generator(spec, opts), name, opts
        if name:
            return generator_for(name, spec, **opts), name, opts
        return _type_generator(spec, opts), None, opts
    raise SchemaError(f"{source} for column {spec.name!r} must be a generator name, a dict of options or a "
                      f"Generator; got {hint!r}.")


_BASE_TYPES = {"number", "integer", "int", "float", "decimal", "numeric", "text", "string", "str", "boolean", "bool",
               "date", "datetime", "timestamp", "time", "uuid", "json", "foreign_key"}


def type_generator(spec: ColumnSpec) -> Generator:
    """The generator the SQL type alone implies (the last resort of inference)."""
    return _type_generator(spec)


def _type_generator(spec: ColumnSpec, opts: dict | None = None) -> Generator:
    """The fallback: a generator from the SQL type alone."""
    opts = opts or {}
    kind = spec.kind
    if spec.enum_values:
        return SampledFrom(spec.enum_values, name="enum")
    if kind == "integer":
        bits = spec.int_bits or 32
        hi = min(opts.get("max", 1000), 2 ** (bits - 1) - 1)
        lo = max(opts.get("min", 1), -(2 ** (bits - 1)))
        return IntRange(int(lo), int(hi), shape="lognormal" if "max" not in opts else "uniform",
                        median=None if "max" in opts else 50)
    if kind in ("float", "decimal"):
        limit = 10 ** ((spec.precision or 12) - (spec.scale or 0)) - 1 if kind == "decimal" else 1e6
        lo, hi = opts.get("min", 0), opts.get("max", min(10000, limit))
        scale = spec.scale if kind == "decimal" else opts.get("scale", 2)
        return DecimalRange(lo, hi, scale=scale, shape="uniform" if "max" in opts else "lognormal",
                            median=None if "max" in opts else 100)
    if kind == "boolean":
        return Booleans(0.5)
    if kind == "uuid":
        return Uuids()
    if kind in ("string", "text"):
        if spec.length is not None and spec.length <= 8:
            return _short_code(spec.length)
        return generator_for("text" if kind == "text" or (spec.length or 255) > 60 else "title", spec)
    if kind in ("date", "datetime"):
        return generator_for("date" if kind == "date" else "datetime", spec)
    if kind == "time":
        return generator_for("time", spec)
    if kind == "interval":
        return generator_for("duration", spec)
    if kind == "inet":
        from .generators.internet import IPv4

        return IPv4()
    if kind == "macaddr":
        from .generators.internet import MacAddress

        return MacAddress()
    if kind == "json":
        from .generators.structured_values import JsonObjects

        return JsonObjects()
    if kind == "binary":
        from .generators.structured_values import Blobs

        return Blobs(spec.length)
    if kind == "array":  # the element type decides: lists of integers, dates, UUIDs ... or of words
        from .generators.structured_values import Arrays, WordLists

        item = spec.item
        if item is None or item.kind in ("string", "text", "other", "array") and not item.enum_values:
            return WordLists()
        return Arrays(_type_generator(item))
    type_name = type(spec.sa_type).__name__ if spec.sa_type is not None else (spec.type_repr or spec.kind)
    raise UnsupportedTypeError(
        f"No generator for column {spec.name!r} (type={spec.type_repr or spec.kind}). Give it one with "
        f"info={{'syda': '<generator name>'}}, an override (overrides={{'{spec.name}': ...}}), or for every "
        f"column of the type: register_type({type_name}, lambda spec: <a Generator>).")


def _short_code(length: int) -> Generator:
    from .generators.choices import Pattern

    return Pattern("?" * min(length, 3) + "#" * max(0, length - 3), "code")


_NO_OVERRIDE = object()


def constrained_defaults(table: TableSpec) -> dict[str, str]:
    """Server-default columns whose values a seed must write, and why: a hint asks, or a UNIQUE, a CHECK or a
    foreign key involves them (the database's one default value would break it)."""
    from .checks.parse import check_columns
    from .exceptions import UnsupportedCheckError

    out: dict[str, str] = {}
    defaulted = {c.name for c in table.columns if c.server_default is not None and not c.computed
                 and not c.identity_always and not c.primary_key}
    if not defaulted:
        return out
    for c in table.columns:
        if c.name in defaulted and c.hint is not None:
            out[c.name] = "an info hint asks for values"
    for u in table.uniques:
        for name in set(u.columns) & defaulted - set(out):
            out[name] = f"UNIQUE ({', '.join(u.columns)}) needs distinct values"
    for fk in table.foreign_keys:
        for name in set(fk.columns) & defaulted - set(out):
            out[name] = f"the foreign key ({', '.join(fk.columns)}) needs parent keys"
    for check in table.checks:
        try:
            names = check_columns(check.sqltext)
        except (UnsupportedCheckError, ValueError):
            continue
        for name in {n for n in defaulted if n in names or n.lower() in {x.lower() for x in names}} - set(out):
            out[name] = f"CHECK {check.name or check.sqltext} involves it"
    return out


def infer_column(table: TableSpec, spec: ColumnSpec, override: Any = _NO_OVERRIDE,
                 needed: Mapping[str, str] | None = None) -> ColumnPlan:
    """Pick the generator of one column (without table-level coherence; see :func:`plan_columns`).

    An override of ``None`` means NULL in every row (refused, with what to do, for a NOT NULL column). A server
    default column is left to the database unless ``needed`` (see :func:`constrained_defaults`) says why not.
    """
    why = (needed if needed is not None else constrained_defaults(table)).get(spec.name) \
        if spec.server_default is not None else None
    plan = _infer_column(table, spec, override, why is not None)
    if why is not None and plan.source != "override":
        plan = replace(plan, reason=f"{plan.reason}; server default {spec.server_default!r} not used: {why}")
    return plan


def _infer_column(table: TableSpec, spec: ColumnSpec, override: Any, generate_default: bool) -> ColumnPlan:
    nullable = spec.nullable and not spec.primary_key
    if isinstance(spec.hint, Mapping) and "relation" in spec.hint:  # a rule across tables (relations.py), not a value
        rest = {k: v for k, v in spec.hint.items() if k != "relation"}
        spec = replace(spec, hint=rest or None)
    if override is None:
        if not nullable:
            raise SchemaError(
                f"overrides give None (NULL) for {table.display_name}.{spec.name}, which is NOT NULL: give it a value, "
                f"a generator name or a callable instead, or make the column nullable.")
        return ColumnPlan(spec.name, Constant(None), "override", "override None: NULL in every row")
    if override is not _NO_OVERRIDE:
        gen = override_generator(override, spec, table.display_name)
        return ColumnPlan(spec.name, gen, "override", f"override {gen!r}")
    if spec.filled_by_database and not generate_default:
        what = "computed" if spec.computed else "identity" if spec.identity_always else "server default"
        return ColumnPlan(spec.name, None, "database", f"{what}: left to the database")
    fk = next((f for f in table.foreign_keys if spec.name in f.columns), None)
    if fk is not None:
        target = ", ".join(f"{fk.ref_table}.{c}" for c in fk.ref_columns)
        return ColumnPlan(spec.name, None, "foreign_key", f"foreign key to {target}")
    if spec.primary_key and spec.kind == "integer" and len(table.primary_key) == 1 and not spec.references:
        return ColumnPlan(spec.name, Sequence(1), "primary_key", "integer primary key: explicit ids 1, 2, 3...")
    if spec.hint is not None and not (isinstance(spec.hint, Mapping) and spec.hint.get("type") == "foreign_key") \
            and spec.hint != "foreign_key":
        gen, name, opts = _hint_plan(spec, spec.hint, "info={'syda': ...}")
        rate = float(opts.get("null_rate", 0.0)) if nullable else 0.0
        return ColumnPlan(spec.name, gen, "info", f"hint {spec.hint!r}", name, rate)
    registered = type_factory(spec.sa_type)
    if registered is not None:
        cls, factory = registered
        return ColumnPlan(spec.name, factory(spec), "type", f"type {cls.__name__} (register_type)", None,
                          0.05 if nullable else 0.0)
    if spec.enum_values:
        return ColumnPlan(spec.name, SampledFrom(spec.enum_values, name="enum"), "type",
                          f"enum with {len(spec.enum_values)} values", "enum", 0.05 if nullable else 0.0)
    described = spec.description
    values = listed_values(described) if spec.kind in ("string", "text") else None
    if values:
        if spec.length:
            values = [v[: spec.length] for v in values]
        return ColumnPlan(spec.name, SampledFrom(values, name="one_of"), "comment",
                          f"comment lists {len(values)} values", "categorical", 0.05 if nullable else 0.0)
    hints = number_hints(described) if spec.kind in ("integer", "float", "decimal") else {}
    part = _date_part(spec)
    if part is not None:  # start_date_year SMALLINT: a year, not a date in seconds
        meaning = MEANINGS[part]
        return ColumnPlan(spec.name, meaning.factory(spec, hints), "name", f"name ends in {spec.name.split('_')[-1]!r}",
                          meaning.name, meaning.null_rate if nullable else 0.0)
    for source, words in (("comment", tokens(described)), ("name", tokens(spec.name) or tokens(spec.attr))):
        found = _best(words, spec.kind)
        if found is None:
            continue
        meaning, phrase, pos = found
        meaning = _resolve_ambiguous(meaning, phrase, words, table)
        if meaning.name == "country" and spec.length in (2, 3) and spec.kind in ("string", "text"):
            meaning = MEANINGS["country_code" if spec.length == 2 else "country_code3"]  # a CHAR(2) holds ISO codes
        opts = dict(hints)
        if spec.kind == "integer" and "scale" in opts:
            opts.pop("scale")
        if spec.kind == "integer" and meaning.kind in ("date", "datetime") and (spec.int_bits or 32) < 16:
            continue  # an 8-bit integer holds no point in time: its type decides
        if spec.kind == "integer" and meaning.kind in ("date", "datetime"):
            gen = EpochTime(meaning.factory(replace(spec, kind="datetime"), opts), _epoch_unit(spec))
        else:
            gen = meaning.factory(spec, opts)
        rate = meaning.null_rate if nullable else 0.0
        if nullable and re.search(r"\boptional\b", described, re.I):
            rate = max(rate, 0.3)
        group = " ".join(words[:pos]) if source == "name" and pos else None
        return ColumnPlan(spec.name, gen, source, f"{source} mentions {' '.join(phrase)!r}", meaning.name,
                          rate, group)
    try:
        gen = _type_generator(spec, hints)
    except UnsupportedTypeError:
        if not nullable or spec.filled_by_database:
            raise
        import warnings

        warnings.warn(f"{table.display_name}.{spec.name} ({spec.type_repr or spec.kind}) has a type no generator "
                      f"knows: it is left NULL. Give it one with info={{'syda': '<generator name>'}}, an override "
                      f"or register_generator(...) to fill it.", SydaWarning, stacklevel=3)
        return ColumnPlan(spec.name, Constant(None), "type", f"type {spec.type_repr or spec.kind} is unknown: NULL")
    return ColumnPlan(spec.name, gen, "type", f"type {spec.type_repr or spec.kind}", None,
                      0.05 if nullable else 0.0)


_DATE_PARTS = {"year": "year", "yr": "year", "month": "month", "mon": "month", "day": "day_of_month",
               "dom": "day_of_month"}


def _date_part(spec: ColumnSpec) -> str | None:
    """``year`` / ``month`` / ``day_of_month`` for an integer column whose name ends in that part of a date."""
    words = tokens(spec.name) or tokens(spec.attr)
    if spec.kind != "integer" or not words or words[-1] not in _DATE_PARTS:
        return None
    return _DATE_PARTS[words[-1]]


def _epoch_unit(spec: ColumnSpec) -> str:
    """Milliseconds for 64-bit columns or comments that say so, seconds for 32 bits, days for 16 bits (seconds
    would overflow them: the type's range wins over the name)."""
    if (spec.int_bits or 32) <= 16:
        return "D"
    words = spec.description.lower()
    if re.search(r"\b(ms|millis|milliseconds?)\b", words):
        return "ms"
    if re.search(r"\b(seconds?|secs?)\b", words):
        return "s"
    return "ms" if (spec.int_bits or 32) >= 64 else "s"


def _resolve_ambiguous(meaning: Meaning, phrase: tuple[str, ...], words: list[str], table: TableSpec) -> Meaning:
    """A bare 'name' or 'title' column takes its meaning from the table name and docstring."""
    if phrase not in (("full", "name"),) and not (meaning.name in ("full_name", "title") and len(phrase) == 1):
        return meaning
    if words not in (["name"], ["title"], ["display", "name"]) and phrase != ("name",):
        return meaning
    prefix = set(words[:-1]) - {"display", "full"}
    if prefix:  # "<thing>_name": the thing decides (author_name: a person; study_name: a title)
        if prefix & _PERSON_WORDS:
            return MEANINGS["full_name"]
        for vocabulary, name in _CONTEXT_NAME:
            if prefix & vocabulary:
                return MEANINGS[name]
        return MEANINGS["title"]
    table_words = set(tokens(table.name)) | set(tokens(table.model_name))
    for vocabulary, name in _CONTEXT_NAME:
        if table_words & vocabulary:
            return MEANINGS[name]
    person = MEANINGS["job_title"] if words == ["title"] else MEANINGS["full_name"]  # a person's title: their job's
    if table_words & _PERSON_WORDS:
        return person
    for word in tokens(table.description):  # the docstring's subject: its first telling noun
        if word in _PERSON_WORDS:
            return person
        for vocabulary, name in _CONTEXT_NAME:
            if word in vocabulary:
                return MEANINGS[name]
    return MEANINGS["title"] if words == ["title"] else MEANINGS["full_name"]


def plan_columns(table: TableSpec, overrides: Mapping[str, Any] | None = None) -> dict[str, ColumnPlan]:
    """Plans for every column of ``table``, with row coherence (person, address, ordered timestamps)."""
    overrides = dict(overrides or {})
    unknown = [k for k in overrides if not table.has_column(k)]
    if unknown:
        raise SchemaError(f"overrides name columns that {table.display_name!r} does not have: "
                          f"{', '.join(map(repr, unknown))}. Columns: {', '.join(table.column_names)}.")
    by_name = {table.column(k).name: v for k, v in overrides.items()}
    needed = constrained_defaults(table)
    plans = {c.name: infer_column(table, c, by_name.get(c.name, _NO_OVERRIDE), needed) for c in table.columns}
    _assign_groups(table, plans)
    _order_timestamps(table, plans)
    link_columns(table, plans)
    return plans


def _assign_groups(table: TableSpec, plans: dict[str, ColumnPlan]) -> None:
    """Columns sharing a prefix (``billing_city``, ``billing_zip``) share an address or person."""
    from .generators.address import AddressPart
    from .generators.person import PersonPart

    families: dict[tuple[str, str], list[str]] = {}
    for name, plan in plans.items():
        gen = plan.generator
        if isinstance(gen, (AddressPart, PersonPart)):
            family = "address" if isinstance(gen, AddressPart) else "person"
            families.setdefault((family, plan.group or ""), []).append(name)
    for (family, prefix), names in families.items():
        own_group = bool(prefix) and len(names) >= 2
        group = f"{family}:{prefix}" if own_group else family
        members = names if own_group else [n for (f, p), ns in families.items() if f == family and
                                           (p == "" or len(ns) < 2) for n in ns]
        for name in names:
            gen = plans[name].generator
            if isinstance(gen, AddressPart):
                lone_country = gen.part.startswith("country") and all(
                    plans[m].generator.part.startswith("country") for m in members)  # type: ignore[union-attr]
                new = AddressPart(gen.part, group, international=gen.international or lone_country)
            else:
                new = PersonPart(gen.part, group, business=gen.business)  # type: ignore[union-attr]
            plans[name] = replace(plans[name], generator=new, group=group)


def _order_timestamps(table: TableSpec, plans: dict[str, ColumnPlan]) -> None:
    """updated_at after created_at, end after start: the later column is derived from the earlier."""
    by_meaning: dict[str, str] = {}
    for name, plan in plans.items():
        if plan.meaning and plan.source in ("name", "comment") and plan.meaning not in by_meaning:
            by_meaning[plan.meaning] = name
    for later, earlier_options in _ORDER_AFTER.items():
        target = by_meaning.get(later)
        if target is None:
            continue
        for earlier in earlier_options:
            base = by_meaning.get(earlier)
            if base is None or base == target:
                continue
            base_spec, spec = table.column(base), table.column(target)
            plan = plans[target]
            strict = later == "end_date"
            days = 540.0 if later == "end_date" else 365.0
            epochs = [plans[base].generator, plan.generator]
            if all(isinstance(g, EpochTime) for g in epochs) and epochs[0].unit == epochs[1].unit:
                per_day = epochs[1].per_day  # integer Unix times: offsets in the column's own unit
                gen = After(base, max_days=days * per_day, min_days=per_day / 24 if strict else 0.0,
                            strict=strict, fallback=plan.generator)
                plans[target] = replace(plan, generator=gen, reason=f"{plan.reason}; after {base!r}")
                break
            if base_spec.kind not in ("date", "datetime") or spec.kind not in ("date", "datetime"):
                continue
            gen = After(base, max_days=days, min_days=1.0 if strict else 0.0, strict=strict,
                        fallback=plan.generator)
            plans[target] = replace(plan, generator=gen, reason=f"{plan.reason}; after {base!r}")
            break


def explain(table: Any, overrides: Mapping[str, Any] | None = None) -> list[dict[str, str]]:
    """One row per column: column, type, generator, source and reason (what ``syda inspect`` prints).

    ``table`` is a mapped class, a ``Table`` or a :class:`~.specs.TableSpec`.
    """
    if not isinstance(table, TableSpec):
        from .introspect import table_spec

        table = table_spec(table)
    rows = []
    plans = plan_columns(table, overrides)
    for spec in table.columns:
        plan = plans[spec.name]
        gen = plan.generator
        text = {"database": "(database)", "foreign_key": "(parent keys)"}.get(plan.source) if gen is None \
            else repr(gen)
        if gen is not None and plan.null_rate:
            text += f".nullable({plan.null_rate:g})"
        rows.append({"column": spec.name, "type": spec.type_repr or spec.kind, "generator": text,
                     "source": plan.source, "reason": plan.reason})
    return rows
