"""Tests for sqlalchemy_syda.from_examples: columns inferred from a few values, and new values like them."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from sqlalchemy_syda.exceptions import SchemaError
from sqlalchemy_syda.from_examples import generate_like, infer_examples

SEED_EXAMPLE = {"email": ["test@example.com"], "phone": ["123-456-7890"]}


def test_seed_document_example_keeps_meaning_and_format() -> None:
    frame = generate_like(SEED_EXAMPLE, 200, seed=7)
    assert list(frame.columns) == ["email", "phone"] and len(frame) == 200
    assert frame["phone"].str.fullmatch(r"[2-9]\d\d-[2-9]\d\d-\d{4}").all()
    assert frame["email"].str.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}").all()
    assert "test@example.com" not in set(frame["email"]) and "123-456-7890" not in set(frame["phone"])
    assert frame["phone"].nunique() > 190  # new values, not one value repeated


def test_inferred_columns_say_why() -> None:
    schema = infer_examples({**SEED_EXAMPLE, "customer_name": ["Ann Lee", "Bob Stone"]})
    assert {n: c.meaning for n, c in schema.columns.items()} == {"email": "email", "phone": "phone",
                                                                 "customer_name": "full_name"}
    assert schema.columns["phone"].to_dict() == {"meaning": "phone", "format": "&##-&##-####",
                                                 "reason": "every example has the shape '###-###-####'"}


def test_numbers_dates_flags_codes_and_categories() -> None:
    data = {
        "amount": [12.5, 99.99, 40.1],
        "quantity": [3, 7, 12],
        "active": [True, False, True],
        "signed_up": ["2024-01-05", "2024-03-01"],
        "sku": ["AB-1234", "XY-9876"],
        "zip": ["02134", "10001"],
        "status": ["new", "paid", "new", "paid", "void", "new"],
    }
    frame = generate_like(data, 300, seed=1)
    assert frame["amount"].map(lambda v: round(v, 2) == v).all() and (frame["amount"] >= 0).all()
    assert frame["quantity"].between(0, 30).all() and frame["quantity"].dtype.kind == "i"
    assert set(frame["active"]) == {True, False}
    days = frame["signed_up"].map(dt.date.fromisoformat)
    assert days.between(dt.date(2022, 1, 1), dt.date(2026, 1, 1)).all()
    assert frame["sku"].str.fullmatch(r"[A-Z]{2}-\d{4}").all()
    assert frame["zip"].str.fullmatch(r"\d{5}").all()  # leading zeros: a code, not a number
    assert set(frame["status"]) == {"new", "paid", "void"}


def test_missing_examples_become_nulls_at_their_share() -> None:
    frame = generate_like({"score": [1, None, 3, None]}, 1000, seed=2)
    assert 0.4 < frame["score"].isna().mean() < 0.6


def test_same_seed_same_values() -> None:
    assert generate_like(SEED_EXAMPLE, 50, seed=3).equals(generate_like(SEED_EXAMPLE, 50, seed=3))
    assert not generate_like(SEED_EXAMPLE, 50, seed=3).equals(generate_like(SEED_EXAMPLE, 50, seed=4))


@pytest.mark.parametrize(("data", "message"), [
    ({}, "non-empty mapping"),
    (["a"], "non-empty mapping"),
    ({"email": "test@example.com"}, "must be a list of values"),
    ({"email": []}, "has no example values"),
    ({"email": [None]}, "has no example values"),
    ({"email": [{"nested": 1}]}, "is not a string, number or boolean"),
    ({"": ["x"]}, "non-empty strings"),
])
def test_bad_examples_get_a_clear_error(data, message) -> None:
    with pytest.raises(SchemaError, match=re.escape(message)):
        infer_examples(data)


def test_negative_count_is_refused() -> None:
    with pytest.raises(SchemaError, match="non-negative integer"):
        generate_like(SEED_EXAMPLE, -1)


def test_huge_and_mixed_examples_do_not_break_generation() -> None:
    """Found by the service's property-based run: numbers far beyond int64, and mixed types in a column."""
    frame = generate_like({"big": [5821273668780358.0, 7.382405719691627e41], "huge_int": [2**62, 3],
                           "mixed": [None, "", True, 3.5, "Jq"]}, 20, seed=1)
    assert len(frame) == 20
    assert set(frame["big"]) <= {5821273668780358.0, 7.382405719691627e41}
    assert frame["mixed"].map(lambda v: pd.isna(v) or isinstance(v, str)).all()
    with pytest.raises(SchemaError, match="not a finite number"):
        infer_examples({"x": [float("nan")]})
    with pytest.raises(SchemaError, match="does not fit a 64-bit integer"):
        infer_examples({"x": [2**70]})
