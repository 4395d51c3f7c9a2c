"""Dict schemas from YAML and JSON files, and `syda generate schema.yaml -o out/`."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from sqlalchemy_syda import SchemaError, load_schema_file
from sqlalchemy_syda.cli import main

SHOP = """\
tables:
  customers:
    id: number
    name: company_name
    email: {type: email, unique: true, nullable: false}
  orders:
    id: number
    customer_id: {type: foreign_key, references: customers.id}
    total: {type: price, min: 5, max: 500}
counts: {customers: 4, orders: 12}
prompts: {customers: B2B software buyers}
descriptions: {orders: Orders placed online}
"""


def test_a_multi_table_yaml_file(tmp_path):
    """Test tables, references, counts, prompts and descriptions from one YAML file."""
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP)
    schema = load_schema_file(path)
    assert [s.name for s in schema.specs] == ["customers", "orders"]
    assert schema.counts == {"customers": 4, "orders": 12}
    assert schema.prompts == {"customers": "B2B software buyers"}
    orders = schema.specs[1]
    assert orders.doc == "Orders placed online" and orders.foreign_keys[0].ref_table == "customers"


def test_one_table_files_in_yaml_and_json(tmp_path):
    """Test a bare one-table file (named after the file) and __table_name__ / __description__."""
    (tmp_path / "patients.json").write_text(json.dumps({"patient_id": "number", "email": "email"}))
    (spec,) = load_schema_file(tmp_path / "patients.json").specs
    assert spec.name == "patients" and spec.column_names == ("patient_id", "email")
    (tmp_path / "p.yml").write_text("__table_name__: visits\n__description__: Clinic visits\nid: number\n"
                                    "code: {type: icd10_code}\n")
    (spec,) = load_schema_file(tmp_path / "p.yml").specs
    assert (spec.name, spec.doc, spec.primary_key) == ("visits", "Clinic visits", ("id",))


@pytest.mark.parametrize(("name", "text", "message"), [
    ("s.txt", "id: number", "use a .yaml, .yml or .json file"),
    ("s.yaml", "id: [unclosed", "is not valid YAML"),
    ("s.json", "{", "is not valid JSON"),
    ("s.yaml", "- just\n- a list\n", "must hold a mapping"),
    ("s.yaml", "tables: {t: {id: number}}\ncounts: {u: 3}\n", "'counts' names unknown table\\(s\\) u"),
    ("s.yaml", "tables: {t: {id: number}}\nextra: 1\n", "Unknown top-level key\\(s\\) in the schema file: extra"),
    ("s.yaml", "tables: {t: {id: number}}\ncounts: {t: -1}\n", "must be non-negative integers"),
    ("s.yaml", "id: numbr\n", "Unknown type name 'numbr'"),
])
def test_bad_schema_files_are_clear_errors(tmp_path, name, text, message):
    """Test each malformed file's message."""
    (tmp_path / name).write_text(text)
    with pytest.raises(SchemaError, match=message):
        load_schema_file(tmp_path / name)


def test_a_missing_file_is_a_clear_error(tmp_path):
    """Test reading a file that is not there."""
    with pytest.raises(SchemaError, match="Cannot read the schema file"):
        load_schema_file(tmp_path / "nope.yaml")


def test_syda_generate_writes_a_schema_files_tables(tmp_path):
    """Test the CLI with a schema file: the file's counts, one CSV per table, valid references."""
    (tmp_path / "shop.yaml").write_text(SHOP)
    result = CliRunner().invoke(main, ["generate", str(tmp_path / "shop.yaml"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    customers = pd.read_csv(tmp_path / "out" / "customers.csv")
    orders = pd.read_csv(tmp_path / "out" / "orders.csv")
    assert (len(customers), len(orders)) == (4, 12)
    assert set(orders["customer_id"]) <= set(customers["id"]) and orders["total"].between(5, 500).all()
    result = CliRunner().invoke(main, ["generate", str(tmp_path / "shop.yaml"), "-o", str(tmp_path / "out2"),
                                       "--counts", "orders=3", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads((tmp_path / "out2" / "orders.json").read_text())) == 3


def test_syda_generate_still_takes_models(tmp_path):
    """Test that --models keeps working, and that a schema file and --models together are refused."""
    result = CliRunner().invoke(main, ["generate", "--models", "examples.crm_models:Base", "--rows", "3",
                                       "-o", str(tmp_path / "crm")])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(tmp_path / "crm" / "order_items.csv")) == 3
    (tmp_path / "s.yaml").write_text("id: number\n")
    both = CliRunner().invoke(main, ["generate", str(tmp_path / "s.yaml"), "--models", "examples.crm_models:Base",
                                     "-o", str(tmp_path / "x")])
    assert both.exit_code == 2 and "not both" in both.output


def test_syda_generate_reports_schema_errors(tmp_path):
    """Test that a bad schema file exits with status 1 and one line naming the problem."""
    (tmp_path / "s.yaml").write_text("id: numbr\n")
    result = CliRunner().invoke(main, ["generate", str(tmp_path / "s.yaml"), "--rows", "2", "-o", str(tmp_path)])
    assert result.exit_code == 1 and "Unknown type name 'numbr'" in result.output
