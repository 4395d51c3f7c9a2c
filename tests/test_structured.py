"""The seed document's SyntheticDataGenerator API, without an LLM: outputs, custom generators, related data."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest

from examples.crm_models import Contact, Customer, Order, OrderItem, Product
from sqlalchemy_syda import OutputError, PlanError, SchemaError, SyntheticDataGenerator
from sqlalchemy_syda.structured import WrittenPath

PATIENTS = {
    "patient_id": "number",
    "diagnosis_code": "icd10_code",
    "email": "email",
    "visit_date": "date",
    "notes": "text",
}


@pytest.fixture
def generator() -> SyntheticDataGenerator:
    return SyntheticDataGenerator(llm=None)


def test_a_dict_schema_gives_a_dataframe(generator):
    """Test the seed's patients schema: 15 rows, its columns, values of each type name."""
    df = generator.generate_data(schema=PATIENTS, prompt="Patient records", sample_size=15)
    assert list(df.columns) == list(PATIENTS) and len(df) == 15
    assert df["diagnosis_code"].str.fullmatch(r"[A-TV-Z]\d[0-9AB](\.\w{1,4})?").all()
    assert df["email"].str.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+").all()
    assert pd.api.types.is_integer_dtype(df["patient_id"])
    assert df["visit_date"].map(lambda d: hasattr(d, "year")).all()
    assert (df["notes"].dropna().str.len() > 10).all()


@pytest.mark.parametrize("suffix", ["csv", "json", "parquet"])
def test_output_paths_write_the_file_and_return_the_path(generator, tmp_path, suffix):
    """Test .csv / .json / .parquet: the file holds the rows and the return value is its path."""
    path = tmp_path / f"patients.{suffix}"
    written = generator.generate_data(schema=PATIENTS, sample_size=7, output_path=str(path))
    assert written == str(path) and isinstance(written, str)
    frame = {"csv": pd.read_csv, "json": lambda p: pd.DataFrame(json.loads(p.read_text())),
             "parquet": pd.read_parquet}[suffix](path)
    assert len(frame) == 7 and list(frame.columns) == list(PATIENTS)
    assert frame["email"].tolist() == written["email"].tolist()      # the seed's example indexes the return value


def test_a_bad_output_extension_is_refused_before_generating(generator, tmp_path):
    """Test that output_path must end in .csv, .json or .parquet."""
    with pytest.raises(OutputError, match=r"output_path must end with \.csv, \.json, \.parquet"):
        generator.generate_data(schema=PATIENTS, sample_size=3, output_path=str(tmp_path / "out.xlsx"))
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_type_name_is_a_clear_error(generator):
    """Test that a misspelt type name lists close matches."""
    with pytest.raises(SchemaError, match=r"Unknown type name 'emial' for column 'email'.*close matches: email"):
        generator.generate_data(schema={"email": "emial"}, sample_size=3)


@pytest.mark.parametrize("schema", [None, "patients", ["email"]])
def test_a_schema_that_is_neither_dict_nor_model_is_refused(generator, schema):
    """Test the error for a schema of the wrong kind."""
    with pytest.raises(SchemaError, match="schema= must be a dict of column -> type name"):
        generator.generate_data(schema=schema, sample_size=3)


def test_every_meaning_is_a_type_name(generator):
    """Test that each name of MEANINGS works as a dict schema type."""
    from sqlalchemy_syda import MEANINGS

    schema = {f"c_{name}": name for name in MEANINGS if name != "constant"}
    df = generator.generate_data(schema=schema, sample_size=5)
    assert df.shape == (5, len(schema))


def test_the_foreign_key_generator_of_the_seed_keeps_references_valid(generator, tmp_path):
    """Test the seed's Department/Employee flow: ids read back from CSV, sampled by a registered generator."""
    path = generator.generate_data(schema=Customer, sample_size=5, output_path=str(tmp_path / "customers.csv"))
    customers = pd.read_csv(path)

    def customer_fk(row, col_name):
        assert col_name == "customer_id" and {"first_name", "email"} <= set(row)
        return random.choice(customers["id"].tolist())

    generator.register_generator("foreign_key", customer_fk, column_name="customer_id")
    contacts = generator.generate_data(schema=Contact, sample_size=40)
    assert set(contacts["customer_id"]) <= set(customers["id"]) and customers["id"].tolist() == [1, 2, 3, 4, 5]


def test_column_specific_generators_win_over_type_wide_ones(generator):
    """Test the precedence: column_name= first, then the dict type name, then the base type name."""
    generator.register_generator("email", lambda row, col: f"{col}@typewide.test")
    generator.register_generator("email", lambda row, col: "special@column.test", column_name="backup_email")
    generator.register_generator("text", lambda row, col: "any text")
    df = generator.generate_data(schema={"email": "email", "backup_email": "email", "notes": "text",
                                         "title": "title"}, sample_size=4)
    assert set(df["email"]) == {"email@typewide.test"} and set(df["backup_email"]) == {"special@column.test"}
    assert set(df["notes"]) == {"any text"}
    assert set(df["title"]) == {"any text"}            # a 'title' column is text too, and no 'title' was registered


def test_type_wide_generators_match_inferred_meanings_of_model_columns(generator):
    """Test that 'email' applies to a model's e-mail column and 'number' to its integer columns."""
    generator.register_generator("email", lambda row, col: f"{row['first_name']}.{row['last_name']}@acme.test")
    df = generator.generate_data(schema=Contact, sample_size=5)
    assert (df["email"] == df["first_name"] + "." + df["last_name"] + "@acme.test").all()


def test_vectorised_generators_get_the_whole_batch(generator):
    """Test vectorized=True: fn(frame, col_name) once per batch with the columns generated so far."""
    calls = []

    def total(frame, col):
        calls.append(len(frame))
        return frame["quantity"] * frame["unit_price"]

    generator.register_generator("number", total, column_name="total", vectorized=True)
    df = generator.generate_data(schema={"quantity": {"type": "number", "min": 1, "max": 9},
                                         "unit_price": "price", "total": "decimal"}, sample_size=50)
    assert calls == [50] and (df["total"] == df["quantity"] * df["unit_price"]).all()


def test_generators_and_meaning_names_register_too(generator):
    """Test that a Generator instance or a meaning name is accepted in place of a function."""
    from sqlalchemy_syda.generators.base import Constant

    generator.register_generator("text", Constant("fixed"), column_name="notes")
    generator.register_generator("text", "city", column_name="place")
    df = generator.generate_data(schema={"notes": "text", "place": "text"}, sample_size=3)
    assert set(df["notes"]) == {"fixed"} and df["place"].str.len().gt(2).all()
    with pytest.raises(SchemaError, match="needs a function fn\\(row, col_name\\)"):
        generator.register_generator("text", 42)


def test_related_data_in_fk_order_with_prompts_sizes_files_and_custom_generators(generator, tmp_path):
    """Test generate_related_data: parents first, valid FKs, one CSV per model, per-model custom generators."""
    sizes = {"Customer": 10, "Contact": 25, "Product": 15, "Order": 30, "OrderItem": 60}
    results = generator.generate_related_data(
        models=[OrderItem, Order, Contact, Product, Customer], sample_sizes=sizes, output_dir=str(tmp_path / "crm"),
        prompts={"Customer": "B2B SaaS customers"},
        custom_generators={"Customer": {"status": lambda row, col: "Prospect"},
                           Product: {"price": lambda row, col: 99.5}})
    order = list(results)
    assert order.index("Customer") < order.index("Contact") and order.index("Order") < order.index("OrderItem")
    assert order.index("Product") < order.index("OrderItem")
    assert {k: len(v) for k, v in results.items()} == sizes
    assert set(results["Contact"]["customer_id"]) <= set(results["Customer"]["id"])
    assert set(results["OrderItem"]["order_id"]) <= set(results["Order"]["id"])
    assert set(results["Customer"]["status"]) == {"Prospect"} and set(results["Product"]["price"]) == {99.5}
    assert sorted(p.name for p in (tmp_path / "crm").iterdir()) == sorted(f"{m}.csv" for m in sizes)
    assert len(pd.read_csv(tmp_path / "crm" / "OrderItem.csv")) == 60


def test_a_model_missing_from_sample_sizes_is_a_clear_error(generator):
    """Test that sample_sizes without one of the models names it and the fix."""
    with pytest.raises(PlanError, match="sample_sizes has no entry for 'Contact' \\(it has: Customer\\)"):
        generator.generate_related_data(models=[Customer, Contact], sample_sizes={"Customer": 3})


def test_without_sample_sizes_each_model_gets_ten_rows(generator):
    """Test the default size."""
    results = generator.generate_related_data(models=[Customer, Contact])
    assert {k: len(v) for k, v in results.items()} == {"Customer": 10, "Contact": 10}


def test_custom_generators_for_an_unknown_column_are_refused(generator):
    """Test the error for a custom generator naming a column the model does not have."""
    with pytest.raises(SchemaError, match="custom_generators name a column 'Customer' does not have: 'stat'"):
        generator.generate_related_data(models=[Customer], custom_generators={"Customer": {"stat": lambda r, c: 1}})


def test_empty_models_are_refused(generator):
    """Test generate_related_data(models=[])."""
    with pytest.raises(SchemaError, match="needs models="):
        generator.generate_related_data(models=[])


def test_same_seed_same_data_and_written_path_behaves_as_a_string(tmp_path):
    """Test determinism across instances, and that the returned path is an ordinary string."""
    a = SyntheticDataGenerator(llm=None, seed=3).generate_data(schema=PATIENTS, sample_size=20)
    b = SyntheticDataGenerator(llm=None, seed=3).generate_data(schema=PATIENTS, sample_size=20)
    pd.testing.assert_frame_equal(a, b)
    path = WrittenPath(tmp_path / "x.csv", a)
    assert path[0] == str(tmp_path)[0] and path.endswith("x.csv") and path["email"].equals(a["email"])
