"""Tests for sqlalchemy_syda.dict_schema: the seed document's dict schemas -> specs."""

from __future__ import annotations

import importlib.util

import pytest

from sqlalchemy_syda.dict_schema import BASE_TYPES, dict_schema_specs, dict_table_spec
from sqlalchemy_syda.exceptions import SchemaError
from sqlalchemy_syda.specs import KINDS, ColumnSpec, ForeignKeySpec, UniqueSpec

SEED_SCHEMA = {
    "patient_id": "number",
    "diagnosis_code": "icd10_code",
    "email": "email",
    "visit_date": "date",
    "notes": "text",
}

HAS_SEMANTICS = importlib.util.find_spec("sqlalchemy_syda.semantics") is not None


def test_base_type_names() -> None:
    """Every base type name maps to a kind of specs.KINDS."""
    assert set(BASE_TYPES.values()) <= set(KINDS)
    spec = dict_table_spec({name: name for name in BASE_TYPES})
    assert {c.name: c.kind for c in spec.columns} == BASE_TYPES
    assert spec.column("number") == ColumnSpec(name="number", kind="integer", key="number", type_repr="number",
                                               hint="number")


@pytest.mark.skipif(not HAS_SEMANTICS, reason="needs the generators")
def test_every_base_type_name_generates_values_of_its_kind() -> None:
    """'string', 'float', 'json', ... are type names, not meanings: each gets its type's generator."""
    from sqlalchemy_syda import generate

    schema = {name: name for name in BASE_TYPES if name != "foreign_key"}
    frame = generate(dict_table_spec(schema), 20, seed=3)
    assert list(frame.columns) == list(schema)
    for name in ("integer", "int", "number"):
        assert all(isinstance(v, int) or float(v).is_integer() for v in frame[name].dropna())
    for name in ("string", "str", "text"):
        assert all(isinstance(v, str) and v for v in frame[name].dropna())
    assert set(frame["bool"].dropna()) <= {True, False}
    assert all(isinstance(v, dict) for v in frame["json"].dropna())


def test_defaults_name_doc_and_no_implicit_keys() -> None:
    """Table name and doc are taken; a *_id column is neither a PK nor an FK on its own."""
    spec = dict_table_spec({"patient_id": "number", "notes": "text"}, name="visits", doc="Clinic visits.")
    assert (spec.name, spec.doc, spec.primary_key, spec.foreign_keys, spec.uniques) == (
        "visits", "Clinic visits.", (), (), ())
    assert dict_table_spec({"x": "text"}).name == "records"
    patient = spec.column("patient_id")
    assert (patient.primary_key, patient.nullable, patient.references) == (False, True, None)


@pytest.mark.skipif(not HAS_SEMANTICS, reason="sqlalchemy_syda.semantics (MEANINGS) is not written yet")
def test_seed_patient_schema() -> None:
    """The seed document's patient schema: meanings keep their name as the hint."""
    spec = dict_table_spec(SEED_SCHEMA, name="patients")
    assert spec.column_names == tuple(SEED_SCHEMA)
    assert spec.column("email").hint == "email"
    assert spec.column("diagnosis_code").hint == "icd10_code"
    assert spec.column("email").kind in KINDS
    assert spec.column("visit_date").kind == "date"
    assert spec.column("notes").kind == "text"


def test_id_column_is_an_autoincrement_primary_key() -> None:
    """A column named id is the primary key, NOT NULL and filled as an integer sequence."""
    spec = dict_table_spec({"id": "number", "name": "string"})
    assert spec.primary_key == ("id",)
    assert spec.column("id") == ColumnSpec(name="id", kind="integer", key="id", type_repr="number", hint="number",
                                           nullable=False, primary_key=True, autoincrement=True)
    uuid_pk = dict_table_spec({"id": "uuid"}).column("id")
    assert (uuid_pk.primary_key, uuid_pk.autoincrement) == (True, False)
    assert dict_table_spec({"id": {"type": "number", "primary_key": False}}).primary_key == ()


def test_explicit_and_composite_primary_keys() -> None:
    """primary_key: True wins over a column named id; several make a composite key."""
    spec = dict_table_spec({
        "id": "number",
        "region": {"type": "string", "primary_key": True, "length": 2},
        "code": {"type": "number", "primary_key": True},
    })
    assert spec.primary_key == ("region", "code")
    assert not spec.column("id").primary_key
    assert not spec.column("code").autoincrement  # composite: the generator must fill it


def test_option_dict() -> None:
    """min/max/values go into the hint; length, nullable, unique, comment into the spec."""
    spec = dict_table_spec({
        "id": "number",
        "score": {"type": "number", "min": 0, "max": 100, "nullable": False},
        "grade": {"type": "string", "values": ["A", "B", "C"], "length": 1},
        "code": {"type": "Text", "unique": True, "length": 20, "comment": "Internal code"},
    })
    assert spec.column("score") == ColumnSpec(
        name="score", kind="integer", key="score", type_repr="number",
        hint={"type": "number", "min": 0, "max": 100}, nullable=False)
    assert spec.column("grade") == ColumnSpec(
        name="grade", kind="string", key="grade", type_repr="string", length=1,
        hint={"type": "string", "values": ["A", "B", "C"]})
    assert spec.column("code") == ColumnSpec(
        name="code", kind="text", key="code", type_repr="text", length=20, unique=True,
        comment="Internal code", hint="text")
    assert spec.uniques == (UniqueSpec(columns=("code",), origin="column"),)


def test_references_in_one_table() -> None:
    """references gives the column a target and the table a ForeignKeySpec."""
    spec = dict_table_spec({
        "id": "number",
        "patient_id": {"type": "foreign_key", "references": "patients.id", "nullable": False},
        "parent_id": {"type": "foreign_key", "references": "records.id"},
    })
    assert spec.column("patient_id").references == ("patients", "id")
    assert spec.foreign_keys == (
        ForeignKeySpec(columns=("patient_id",), ref_table="patients", ref_columns=("id",), nullable=False),
        ForeignKeySpec(columns=("parent_id",), ref_table="records", ref_columns=("id",), nullable=True),
    )


def test_several_tables_with_references() -> None:
    """dict_schema_specs reads each table and gives foreign_key columns the target's kind."""
    patients, visits = dict_schema_specs({
        "patients": {"id": "uuid", "name": "string"},
        "visits": {
            "id": "number",
            "patient_id": {"type": "foreign_key", "references": "patients.id", "nullable": False},
            "visit_date": "date",
        },
    })
    assert (patients.name, visits.name) == ("patients", "visits")
    assert visits.column("patient_id").kind == "uuid"
    assert visits.column("patient_id").references == ("patients", "id")
    assert visits.foreign_keys[0].ref_table == "patients"
    assert patients.column("id").kind == "uuid"


def test_error_reference_to_missing_table_or_column() -> None:
    """A reference to a missing table or column names the column and what exists."""
    with pytest.raises(SchemaError, match=r"visits\.patient_id references patiens\.id, but there is no table "
                                          r"'patiens' \(did you mean 'patients'\?\)"):
        dict_schema_specs({
            "patients": {"id": "number"},
            "visits": {"patient_id": {"type": "foreign_key", "references": "patiens.id"}},
        })
    with pytest.raises(SchemaError, match=r"table 'patients' has no column 'pid'; its columns: id, name"):
        dict_schema_specs({
            "patients": {"id": "number", "name": "string"},
            "visits": {"patient_id": {"type": "number", "references": "patients.pid"}},
        })


def test_error_unknown_type_name() -> None:
    """An unknown type name is named, with the known names and close matches."""
    with pytest.raises(SchemaError, match=r"Unknown type name 'emial' for column 'contact'") as info:
        dict_table_spec({"contact": "emial"})
    assert "Known names: number, integer" in str(info.value)
    if HAS_SEMANTICS:
        assert "email" in str(info.value).split("close matches:")[1]
    with pytest.raises(SchemaError, match=r"close matches: number"):
        dict_table_spec({"n": "numbr"})


def test_error_unknown_option_and_missing_type() -> None:
    """Unknown option keys are named with the allowed ones; an option dict needs 'type'."""
    with pytest.raises(SchemaError, match=r"Column 'score' of table 'records': unknown option 'maximum'; "
                                          r"allowed options: type, min, max"):
        dict_table_spec({"score": {"type": "number", "maximum": 5}})
    with pytest.raises(SchemaError, match=r"needs a 'type' key"):
        dict_table_spec({"score": {"min": 0}})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"type": "number", "min": 10, "max": 1}, r"'min' 10 is greater than 'max' 1"),
        ({"type": "number", "min": 1, "max": "z"}, r"cannot be compared"),
        ({"type": "string", "length": 0}, r"'length' must be a positive integer"),
        ({"type": "string", "values": []}, r"'values' must be a non-empty list"),
        ({"type": "number", "unique": "yes"}, r"'unique' must be True or False"),
        ({"type": "number", "references": "patients"}, r"'references' must name a column as 'table\.column'"),
        ({"type": "number", "primary_key": True, "nullable": True}, r"primary key column cannot be nullable"),
    ],
)
def test_error_bad_option_values(options: dict, message: str) -> None:
    """Each option is checked, with a message that says how to fix it."""
    with pytest.raises(SchemaError, match=message):
        dict_table_spec({"c": options})


def test_error_malformed_schemas() -> None:
    """Not a dict, empty, or a value that is neither a type name nor an option dict."""
    with pytest.raises(SchemaError, match=r"must be a dict mapping column names to type names.*got <list"):
        dict_table_spec(["email"])  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match=r"table 'records' has no columns; add at least one"):
        dict_table_spec({})
    with pytest.raises(SchemaError, match=r"Column 'age' of table 'people': expected a type name like 'email'.*got <int 5>"):
        dict_table_spec({"age": 5}, name="people")
    with pytest.raises(SchemaError, match=r"needs a non-empty dict mapping table names"):
        dict_schema_specs({})
    with pytest.raises(SchemaError, match=r"table name must be a non-empty string"):
        dict_table_spec({"a": "text"}, name="")
    assert issubclass(SchemaError, ValueError)
