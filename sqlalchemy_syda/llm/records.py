"""Pydantic record models built from column specs: the request schema, and the check of every value.

A :class:`FieldRule` holds what one column accepts, read from the same decisions the engine uses
(type, length, NOT NULL, enum and listed values, numeric bounds from the type, CHECK rules and the
meaning's range, a pattern for e-mails, URLs, phones and ICD-10 codes; no NUL or lone surrogate in
text, which databases cannot store). From the rules come

* a pydantic model per record and the strict JSON schema sent as ``response_format`` (``enum``,
  ``minimum``/``maximum``, ``minLength``/``maxLength``, ``pattern``, nullability, and
  ``minItems``/``maxItems`` equal to the batch size), and
* :func:`validate_record`, which checks each value on its own, so one bad field costs only that
  field: the caller replaces it by the engine's value::

    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.planner import plan_seed
    >>> recipe = plan_seed(table_specs([Product]), {"products": 10}).table("products").recipe
    >>> rules = field_rules(recipe, ["name", "category", "price"])
    >>> [(r.name, r.kind, r.nullable, r.max_length, r.minimum, r.unique) for r in rules]
    [('name', 'string', False, 100, None, True), ('category', 'string', True, 50, None, False), ('price',
    'number', False, None, 0, False)]
    >>> records = request_schema("products", rules, 5)["properties"]["records"]
    >>> records["minItems"], records["maxItems"], records["items"]["properties"]["name"]
    (5, 5, {'maxLength': 100, 'minLength': 1, 'type': 'string'})
    >>> validate_record(rules, {"name": "Kettle", "category": "Home", "price": "cheap"})
    {'name': 'Kettle', 'category': 'Home'}
    >>> validate_record(rules, {"name": "x" * 150, "category": "Home", "price": 19.5})   # VARCHAR(100)
    {'category': 'Home', 'price': 19.5}
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal, Optional

from ..constraints import Bounded, LikeShaped, type_bounds, value_length
from ..exceptions import MissingDependencyError
from ..generators.base import Nullable, SampledFrom, Unique
from ..generators.numbers import DecimalRange, IntRange

if TYPE_CHECKING:
    from ..checks import ColumnRule
    from ..recipe import TableRecipe

__all__ = ["FieldRule", "field_rules", "record_model", "request_schema", "validate_record"]

PATTERNS = {
    "email": r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$",
    "business_email": r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$",
    "url": r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[^\s]*)?$",
    "phone": r"^\+?[0-9][0-9 ()./-]{5,20}[0-9]$",
    "icd10_code": r"^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$",
}
"""Meaning -> regex a value of that meaning must match (sent as ``pattern``, checked again here)."""
UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
"""Characters no database stores in a text column alike: NUL (PostgreSQL refuses it) and lone surrogates
(not encodable in UTF-8). A value holding one is invalid and gets the engine's value."""
TEXT_CAP = 400
"""Longest text asked of the LLM for a column without a length (keeps answers inside the token budget)."""

_KINDS = {"integer": "integer", "float": "number", "decimal": "number", "string": "string", "text": "string",
          "enum": "string", "boolean": "boolean", "date": "date", "datetime": "datetime"}
MISSING = object()


@dataclass(frozen=True)
class FieldRule:
    """What one column accepts from the LLM."""

    name: str
    kind: str
    """``string``, ``integer``, ``number``, ``boolean``, ``date`` or ``datetime``."""
    nullable: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    enum: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False
    scale: int | None = None
    unique: bool = False
    check: ColumnRule | None = None

    def annotation(self) -> Any:
        """The pydantic type of the field."""
        from pydantic import Field, StringConstraints

        if self.enum is not None:
            ann: Any = Literal[self.enum]
        elif self.kind == "string":
            ann = Annotated[str, StringConstraints(strict=True, min_length=self.min_length,
                                                   max_length=self.max_length, pattern=self.pattern)]
        elif self.kind in ("integer", "number"):
            bounds = {("gt" if self.exclusive_minimum else "ge"): self.minimum,
                      ("lt" if self.exclusive_maximum else "le"): self.maximum}
            number: type = int if self.kind == "integer" else float
            ann = Annotated[number, Field(strict=True, **{k: v for k, v in bounds.items() if v is not None})]
        elif self.kind == "boolean":
            ann = Annotated[bool, Field(strict=True)]
        else:
            ann = dt.date if self.kind == "date" else dt.datetime
        return Optional[ann] if self.nullable else ann  # noqa: UP045 - a runtime type, not an annotation

    @cached_property
    def adapter(self) -> Any:
        from pydantic import TypeAdapter

        return TypeAdapter(self.annotation())

    def check_value(self, value: Any) -> Any:
        """The value as the column takes it, or :data:`MISSING` when it breaks a rule."""
        if value is None:
            return None if self.nullable else MISSING
        if self.kind in ("date", "datetime") and not isinstance(value, str):
            return MISSING  # numbers would be read as timestamps
        try:
            out = self.adapter.validate_python(value)
        except ValueError:
            return MISSING
        if isinstance(out, str) and UNSTORABLE.search(out):
            return MISSING
        if self.kind == "number" and out is not None:
            if not math.isfinite(out):
                return MISSING
            if self.scale is not None:
                out = round(out, self.scale)
        if self.kind == "datetime" and out is not None and out.tzinfo is not None:
            out = out.astimezone(dt.UTC).replace(tzinfo=None)
        if out is not None and self.check is not None:
            try:
                if not self.check.admits(out):
                    return MISSING
            except TypeError:
                return MISSING
        return out


def _ensure_pydantic() -> None:
    try:
        import pydantic  # noqa: F401
    except ImportError as exc:
        raise MissingDependencyError("The LLM needs pydantic: pip install 'sqlalchemy-syda[llm]'") from exc


def _base(gen: Any) -> Any:
    """The generator under its combinators (NULLs, UNIQUE, CHECK bounds, LIKE shapes)."""
    while isinstance(gen, (Nullable, Unique, Bounded, LikeShaped)):
        gen = gen.inner
    return gen


def field_rules(recipe: TableRecipe, columns: Sequence[str], *, nullable: bool = True,
                meanings: Mapping[str, str | None] | None = None) -> list[FieldRule]:
    """Rules for ``columns`` of the engine's table; ``nullable=False`` asks for a value in every field."""
    _ensure_pydantic()
    from ..constraints import unique_sets

    single_unique = {u[0] for u in unique_sets(recipe.spec) if len(u) == 1}
    out = []
    for name in columns:
        spec = recipe.spec.column(name)
        kind = _KINDS.get(spec.kind)
        if kind is None:
            continue
        rule = recipe.checks.rules.get(name)
        plan = recipe.column(name)
        gen = _base(plan.generator if plan.role in ("value", "joint") else None)
        meaning = (meanings or {}).get(name, plan.meaning)
        enum = None
        if spec.enum_values:
            enum = tuple(spec.enum_values)
        elif rule is not None and rule.allowed is not None:
            enum = tuple(v for v in rule.allowed if v is not None)
        elif isinstance(gen, SampledFrom) and kind in ("string", "integer"):
            enum = tuple(v.item() if hasattr(v, "item") else v for v in gen.values.tolist())
        lo, hi = type_bounds(spec)
        lo_x = hi_x = False
        if rule is not None and rule.lower is not None and isinstance(rule.lower, (int, float)):
            lo, lo_x = rule.lower, not rule.lower_inclusive
        if rule is not None and rule.upper is not None and isinstance(rule.upper, (int, float)):
            hi, hi_x = rule.upper, not rule.upper_inclusive
        if isinstance(spec.hint, Mapping):  # a dict schema's own min / max
            lo = spec.hint.get("min", lo) if isinstance(spec.hint.get("min"), (int, float)) else lo
            hi = spec.hint.get("max", hi) if isinstance(spec.hint.get("max"), (int, float)) else hi
        if isinstance(gen, (IntRange, DecimalRange)) and gen.lo >= 0 and (lo is None or lo < 0):
            lo, lo_x = 0, False  # the meaning is never negative (prices, ages, counts)
        length = value_length(spec, rule)
        if kind == "string" and length is None and enum is None:
            length = TEXT_CAP
        can_be_null = nullable and spec.nullable and not spec.primary_key and not (rule and rule.not_null)
        out.append(FieldRule(
            name=name, kind=kind, nullable=can_be_null,
            min_length=max(1, (rule.min_length if rule else None) or 0) if kind == "string" else None,
            max_length=length if kind == "string" else None,
            pattern=PATTERNS.get(meaning or "") if kind == "string" and enum is None else None,
            enum=enum, minimum=lo if kind in ("integer", "number") else None,
            maximum=hi if kind in ("integer", "number") else None, exclusive_minimum=lo_x, exclusive_maximum=hi_x,
            scale=spec.scale if spec.kind == "decimal" else (2 if kind == "number" else None),
            unique=name in single_unique, check=rule))
    return out


def record_model(name: str, rules: Sequence[FieldRule]) -> Any:
    """A pydantic model of one record (extra keys forbidden)."""
    _ensure_pydantic()
    from pydantic import ConfigDict, create_model

    fields = {r.name: (r.annotation(), ...) for r in rules}
    return create_model(_identifier(name) + "Record", __config__=ConfigDict(extra="forbid"), **fields)


def request_schema(name: str, rules: Sequence[FieldRule], n: int) -> dict[str, Any]:
    """The strict JSON schema of ``{"records": [n records]}``, from the pydantic models."""
    from pydantic import Field, create_model

    row = record_model(name, rules)
    batch = create_model(_identifier(name) + "Batch", records=(list[row], Field(min_length=n, max_length=n)))
    schema = batch.model_json_schema()
    return _strict(schema, schema.get("$defs", {}))


def _strict(node: Any, defs: Mapping[str, Any]) -> Any:
    """Inline ``$ref``s, drop titles and defaults, require every property, forbid others."""
    if isinstance(node, list):
        return [_strict(n, defs) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _strict(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    out = {k: _strict(v, defs) for k, v in node.items() if k not in ("title", "default", "$defs")}
    if out.get("type") == "object" and "properties" in out:
        out["required"] = list(out["properties"])
        out["additionalProperties"] = False
    return out


def validate_record(rules: Sequence[FieldRule], record: Any) -> dict[str, Any]:
    """The fields of ``record`` that pass their rule (missing, extra and failing fields are left out)."""
    if not isinstance(record, Mapping):
        return {}
    out = {}
    for rule in rules:
        if rule.name in record:
            value = rule.check_value(record[rule.name])
            if value is not MISSING:
                out[rule.name] = value
    return out


def _identifier(name: str) -> str:
    text = re.sub(r"\W+", "_", name).strip("_") or "Table"
    return text[:1].upper() + text[1:]
