"""The seed API's custom generators: type names, row dicts, precedence and their errors."""

from __future__ import annotations

import pytest

from examples.crm_models import Base, Contact, Customer, Order
from sqlalchemy_syda import (
    ConstraintUnsatisfiableError,
    OverrideError,
    SchemaError,
    generate,
    seed,
    table_spec,
)
from sqlalchemy_syda.custom_generators import CustomGenerators, RowFunction, column_type_names
from sqlalchemy_syda.dict_schema import dict_schema_specs
from sqlalchemy_syda.parallel import WorkerTraceback
from sqlalchemy_syda.semantics import plan_columns


def test_type_names_of_a_column_go_from_specific_to_general():
    """Test dict type name, foreign_key, the inferred meaning, then the base name."""
    spec = table_spec(Order)
    assert column_type_names(spec, spec.column("customer_id")) == ["foreign_key", "number"]
    assert column_type_names(spec, spec.column("status"), "categorical") == ["categorical", "text"]
    _, visits = dict_schema_specs({"patients": {"id": "number"}, "visits": {
        "id": "number", "patient_id": {"type": "foreign_key", "references": "patients.id"}, "code": "icd10_code"}})
    assert column_type_names(visits, visits.column("patient_id")) == ["foreign_key", "number"]
    assert column_type_names(visits, visits.column("code"), "icd10_code") == ["icd10_code", "text"]


def test_the_row_holds_the_other_columns_but_not_other_custom_ones():
    """Test what fn(row, col_name) sees: every generated column except other custom columns."""
    seen = []
    custom = CustomGenerators()
    custom.register("text", lambda row, col: seen.append((col, sorted(row))) or "x", column_name="position")
    custom.register("text", lambda row, col: "y", column_name="phone")
    spec = table_spec(Contact)
    generate(spec, 2, overrides=custom.overrides(spec, meanings={n: p.meaning for n, p in plan_columns(spec).items()}))
    assert seen[0] == ("position", ["customer_id", "email", "first_name", "id", "is_primary", "last_name"])
    assert len(seen) == 2


def test_repeated_values_in_a_unique_column_are_an_error():
    """Test that a custom generator repeating a value in a UNIQUE column fails with the column's name."""
    custom = CustomGenerators()
    custom.register("email", lambda row, col: "same@example.com")
    spec = table_spec(Contact)
    with pytest.raises(ConstraintUnsatisfiableError, match="UNIQUE on 'contacts.email': the custom generator"):
        generate(spec, 3, overrides=custom.overrides(spec, meanings={"email": "email"}))


def test_a_vectorised_function_must_return_one_value_per_row():
    """Test the length check."""
    gen = RowFunction(lambda frame, col: [1, 2], "n", (), vectorized=True)
    with pytest.raises(SchemaError, match="returned 2 values for 3 rows"):
        generate({"n": "number"}, 3, overrides={"n": gen})


def test_a_type_name_must_be_a_non_empty_string():
    """Test register() input checks."""
    with pytest.raises(SchemaError, match="needs a type name"):
        CustomGenerators().register("", lambda row, col: 1)


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("this exception cannot be pickled")


def _position_fails_late(row: dict, col: str) -> str:
    if row["id"] > 1500:
        raise _Unpicklable(f"no {col} for contact {row['id']}")
    return "Buyer"


@pytest.mark.parametrize("workers", [1, 2])
def test_the_functions_own_exception_is_an_override_error_naming_the_column(sqlite_engine, workers):
    """Test that it used to escape raw (and, unpicklable, as MaybeEncodingError with ``workers=2``)."""
    Base.metadata.create_all(sqlite_engine)
    spec = table_spec(Contact)
    custom = CustomGenerators()
    custom.register("text", _position_fails_late, column_name="position")
    overrides = custom.overrides(spec, meanings={n: p.meaning for n, p in plan_columns(spec).items()})
    with pytest.raises(OverrideError, match=r"^Custom generator row_fn\('_position_fails_late'\) for "
                                            r"contacts\.position raised _Unpicklable: no position for contact "
                                            r"1501 \(rows 1500\.\.1999\)\.$") as raised:
        seed(sqlite_engine, {Customer: 10, Contact: 3000}, workers=workers, chunk_size=500,
             overrides={"contacts": overrides})
    assert isinstance(raised.value.__cause__, _Unpicklable if workers == 1 else WorkerTraceback)
