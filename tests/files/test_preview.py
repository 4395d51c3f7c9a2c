"""preview_upload: what an upload would generate, with synthetic (never real) sample values."""

from __future__ import annotations

import pytest
from file_fixtures import pdf_with_table, related_workbook

from sqlalchemy_syda import FileError
from sqlalchemy_syda.files.preview import preview_upload

pytest.importorskip("sqlalchemy_syda.learn")

CSV = ("id,city,amount,email\n" + "".join(f"{i},{['Lyon', 'Nice', 'Paris'][i % 3]},{3 + i % 7 * 0.5},"
                                          f"person{i}@example.org\n" for i in range(1, 41))).encode()


def test_workbook_preview_names_roles():
    tables = {t["name"]: t for t in preview_upload(related_workbook(), "shop.xlsx")["tables"]}
    orders = {c["name"]: c for c in tables["Orders"]["columns"]}
    assert orders["total"]["meaning"] == "formula =C2*D2"
    assert orders["customer_id"]["meaning"] == "reference to CustomerTable.customer_id"
    assert orders["order_id"]["meaning"].startswith("key") and orders["order_id"]["samples"] == [1000, 1001, 1002,
                                                                                                  1003, 1004]
    customers = [c["samples"] for c in tables["CustomerTable"]["columns"] if c["name"] == "customer_id"][0]
    assert set(orders["customer_id"]["samples"]) <= set(customers)
    assert set(orders["status"]["samples"]) <= {"new", "paid", "shipped"}
    assert tables["Orders"]["rows"] == 30 and tables["CustomerTable"]["default_rows"] == 12


def test_csv_preview_is_learned_and_synthetic():
    table = preview_upload(CSV, "sales.csv")["tables"][0]
    columns = {c["name"]: c for c in table["columns"]}
    assert table["rows"] == 40 and columns["email"]["meaning"] == "email"
    real = {f"person{i}@example.org" for i in range(1, 41)}
    assert len(columns["email"]["samples"]) == 5 and not real & set(columns["email"]["samples"])
    assert all(isinstance(v, float) for v in columns["amount"]["samples"])


def test_schema_preview():
    tables = preview_upload(b"customers:\n  id: number\n  email: email\n", "shop.yaml")["tables"]
    columns = {c["name"]: c for c in tables[0]["columns"]}
    assert columns["email"]["meaning"] == "email()" and "@" in columns["email"]["samples"][0]


def test_other_files_are_refused():
    with pytest.raises(FileError, match="upload a CSV or Excel file"):
        preview_upload(pdf_with_table(1), "report.pdf")
