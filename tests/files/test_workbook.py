"""Synthetic workbooks: two related sheets with validations and a formula column round-trip."""

from __future__ import annotations

import io

import openpyxl
import pytest
from file_fixtures import related_workbook

from sqlalchemy_syda import FileError, PlanError
from sqlalchemy_syda.files import synthesize_workbook

pytest.importorskip("sqlalchemy_syda.learn")


@pytest.fixture(scope="module")
def original():
    return related_workbook()


@pytest.fixture(scope="module")
def synthetic(original):
    return synthesize_workbook(original, 60, seed=5, filename="shop.xlsx")


def _open(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_same_structure(original, synthetic):
    """Same sheets, headers, widths, number formats, freeze panes; the named table resized."""
    before, after = _open(original), _open(synthetic.data)
    assert after.sheetnames == before.sheetnames == ["Customers", "Orders"]
    for name in after.sheetnames:
        assert [c.value for c in after[name][1]] == [c.value for c in before[name][1]]
    assert after["Customers"].column_dimensions["B"].width == 24
    assert after["Orders"].column_dimensions["E"].width == 14
    assert after["Orders"].freeze_panes == "A2"
    assert after["Customers"].tables["CustomerTable"].ref == "A1:D61"
    assert after["Customers"].max_row == 61 and after["Orders"].max_row == 61
    assert synthetic.counts == {"CustomerTable": 60, "Orders": 60}
    assert after["Orders"]["D40"].number_format == "#,##0.00"
    assert after["Customers"]["D50"].number_format == "yyyy-mm-dd"


def test_formulas_are_live_and_shifted(synthetic):
    orders = _open(synthetic.data)["Orders"]
    assert [orders.cell(r, 5).value for r in (2, 3, 61)] == ["=C2*D2", "=C3*D3", "=C61*D61"]
    assert all(isinstance(orders.cell(r, 3).value, int) for r in range(2, 62))
    assert all(isinstance(orders.cell(r, 4).value, (int, float)) for r in range(2, 62))


def test_references_stay_valid(synthetic):
    """Every order's customer_id is one of the synthetic customers; the id list validation follows."""
    book = _open(synthetic.data)
    customers = [book["Customers"].cell(r, 1).value for r in range(2, 62)]
    assert len(set(customers)) == 60 and customers[0] == "C101" and customers[-1] == "C160"
    used = {book["Orders"].cell(r, 2).value for r in range(2, 62)}
    assert used <= set(customers) and len(used) > 10
    formulas = {str(dv.sqref): dv.formula1 for dv in book["Orders"].data_validations.dataValidation}
    assert formulas["B2:B61"] == "=Customers!$A$2:$A$61"
    assert formulas["F2:F61"] == '"new,paid,shipped"'
    tiers = {str(dv.sqref): dv.formula1 for dv in book["Customers"].data_validations.dataValidation}
    assert tiers == {"C2:C61": '"gold,silver,bronze"'}


def test_validation_lists_hold_and_no_real_rows_leak(original, synthetic):
    before, after = _open(original), _open(synthetic.data)
    assert {after["Orders"].cell(r, 6).value for r in range(2, 62)} <= {"new", "paid", "shipped"}
    assert {after["Customers"].cell(r, 3).value for r in range(2, 62)} <= {"gold", "silver", "bronze"}
    real_orders = {tuple(c.value for c in row) for row in before["Orders"].iter_rows(min_row=2, max_col=4)}
    fake_orders = {tuple(c.value for c in row) for row in after["Orders"].iter_rows(min_row=2, max_col=4)}
    assert not real_orders & fake_orders
    assert [after["Orders"].cell(r, 1).value for r in (2, 61)] == [1000, 1059]


def test_byte_identical_for_the_same_seed(original, synthetic):
    again = synthesize_workbook(original, 60, seed=5, filename="shop.xlsx")
    assert again.data == synthetic.data
    assert synthesize_workbook(original, 60, seed=6).data != synthetic.data


def test_fewer_rows_and_totals_row_follow(original):
    book = _open(original)
    orders = book["Orders"]
    orders["D33"] = "Total"
    orders["E33"] = "=SUM(E2:E31)"
    buffer = io.BytesIO()
    book.save(buffer)
    result = _open(synthesize_workbook(buffer.getvalue(), {"Orders": 10, "CustomerTable": 5}, seed=1).data)
    assert result["Orders"]["E13"].value == "=SUM(E2:E11)" and result["Orders"]["D13"].value == "Total"
    assert result["Orders"].max_row == 13 and result["Orders"]["A12"].value is None
    grown = _open(synthesize_workbook(buffer.getvalue(), {"Orders": 40}, seed=1).data)
    assert grown["Orders"]["E43"].value == "=SUM(E2:E41)"


def test_errors(original):
    with pytest.raises(FileError, match="not an Excel .xlsx"):
        synthesize_workbook(b"a,b\n1,2\n", 5, filename="x.csv")
    with pytest.raises(PlanError, match="Unknown sheets or tables"):
        synthesize_workbook(original, {"Nope": 3})
    with pytest.raises(PlanError, match="non-negative"):
        synthesize_workbook(original, -1)
