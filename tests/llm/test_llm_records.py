"""Pydantic record models and the strict request schema, built from the column specs."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from examples.crm_models import Contact, Order, Product
from sqlalchemy_syda import table_spec
from sqlalchemy_syda.llm.records import field_rules, record_model, request_schema, validate_record
from sqlalchemy_syda.recipe_planner import TableInputs, table_recipe


class _Base(DeclarativeBase):
    pass


class Visit(_Base):
    """A visit to the clinic."""

    __tablename__ = "visits"
    __table_args__ = (sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.Enum("in_person", "video", name="visit_kind"))
    score: Mapped[int] = mapped_column(sa.SmallInteger)
    fee: Mapped[float | None] = mapped_column(sa.Numeric(6, 2), comment="Fee in USD")
    day: Mapped[dt.date]
    website: Mapped[str | None] = mapped_column(sa.String(80))


def _rules(model, columns, **kw):
    return {r.name: r for r in field_rules(table_recipe(TableInputs(table_spec(model), 10)), columns, **kw)}


def test_rules_carry_lengths_nullability_patterns_enums_and_bounds():
    """Test what the rules read from the schema and the engine's decisions."""
    rules = _rules(Contact, ["first_name", "email", "phone", "position"])
    assert (rules["first_name"].max_length, rules["first_name"].min_length, rules["first_name"].nullable) == \
        (50, 1, False)
    assert "@" in rules["email"].pattern and rules["email"].unique
    assert rules["phone"].pattern is not None and rules["position"].nullable
    order = _rules(Order, ["status", "total_amount", "order_date"])
    assert order["status"].enum == ("New", "Processing", "Shipped", "Delivered", "Cancelled")
    assert order["total_amount"].minimum == 0 and order["order_date"].kind == "date"
    visit = _rules(Visit, ["kind", "score", "fee", "website"])
    assert visit["kind"].enum == ("in_person", "video")
    assert (visit["score"].minimum, visit["score"].maximum) == (1, 5)      # the CHECK, inside SMALLINT's range
    assert visit["fee"].scale == 2 and visit["fee"].maximum == pytest.approx(9999.99)
    assert visit["website"].max_length == 80 and visit["website"].pattern.startswith("^https?://")


def test_the_request_schema_is_strict_and_sized_to_the_batch():
    """Test required fields, no extra keys, inlined definitions, minItems = maxItems = n, enum and nullability."""
    rules = list(_rules(Visit, ["kind", "score", "fee", "day"]).values())
    schema = request_schema("visits", rules, 7)
    records = schema["properties"]["records"]
    assert schema["required"] == ["records"] and schema["additionalProperties"] is False
    assert (records["minItems"], records["maxItems"]) == (7, 7)
    item = records["items"]
    assert item["required"] == ["kind", "score", "fee", "day"] and item["additionalProperties"] is False
    assert item["properties"]["kind"]["enum"] == ["in_person", "video"]
    assert (item["properties"]["score"]["minimum"], item["properties"]["score"]["maximum"]) == (1, 5)
    assert {"type": "null"} in item["properties"]["fee"]["anyOf"]
    assert item["properties"]["day"] == {"format": "date", "type": "string"}
    assert "$ref" not in str(schema) and "title" not in str(schema)


def test_values_are_checked_one_by_one():
    """Test that validate_record keeps good fields, drops bad ones and coerces only safely."""
    rules = list(_rules(Visit, ["kind", "score", "fee", "day"]).values())
    assert validate_record(rules, {"kind": "video", "score": 6, "fee": 12.345, "day": "2024-03-01", "x": 1}) == \
        {"kind": "video", "fee": 12.35, "day": dt.date(2024, 3, 1)}
    assert validate_record(rules, {"kind": "phone", "score": True, "fee": "12", "day": 20240301}) == {}
    assert validate_record(rules, ["not", "a", "record"]) == {}


def test_the_record_model_is_a_pydantic_model():
    """Test that the model validates whole records and forbids extra keys."""
    model = record_model("visits", list(_rules(Product, ["name", "price"]).values()))
    assert model(name="Cloud Backup", price=12.5).price == 12.5
    with pytest.raises(ValidationError):
        model(name="Cloud Backup", price=12.5, extra=1)
    with pytest.raises(ValidationError):
        model(name="", price=-1)
