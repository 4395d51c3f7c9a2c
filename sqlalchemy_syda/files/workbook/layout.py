"""The structure of a workbook as data: sheets, data regions, columns, formats, validations, formulas.

A *region* is one table of data: a named Excel table (``ws.tables``), or else the block under a
sheet's header row (the first non-empty row whose cells are all text) down to the first empty row.
Per column it records what a synthetic copy must keep: header, width, number format, the list of a
data validation, the formula of the first data row (formula columns are written back as formulas,
never sampled), and a *reference* when the column's values are another region's key column
(through a validation list that points at it, or because every value is one of its keys)::

    >>> from sqlalchemy_syda.files.limits import DEFAULT_LIMITS
    >>> book = read_layout(open_workbook(shop_xlsx, "shop.xlsx", DEFAULT_LIMITS))
    >>> [(r.sheet, r.name, [c.header for c in r.columns]) for r in book.regions]
    [('Customers', 'CustomerTable', ['customer_id', 'name', 'tier']), ('Orders', 'Orders', ['order_id',
    'customer_id', 'qty', 'price', 'total'])]
    >>> orders = book.region("Orders")
    >>> orders.column("total").formula, orders.column("customer_id").reference
    ('=C2*D2', ('CustomerTable', 'customer_id'))
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ...exceptions import FileError
from ..limits import FileLimits

__all__ = ["ColumnLayout", "RegionLayout", "WorkbookLayout", "open_workbook", "read_layout"]

_RANGE = re.compile(r"^=?(?:'?(?P<sheet>[^'!]+)'?!)?\$?(?P<c1>[A-Z]{1,3})\$?(?P<r1>\d+)?(?::\$?(?P<c2>[A-Z]{1,3})\$?(?P<r2>\d+)?)?$")


@dataclass(frozen=True)
class ColumnLayout:
    index: int
    """1-based sheet column."""
    letter: str
    header: str
    kind: str
    """``integer``, ``number``, ``date``, ``datetime``, ``boolean``, ``text``, ``formula`` or ``empty``."""
    number_format: str = "General"
    width: float | None = None
    formula: str | None = None
    """The first data row's formula (``=C2*D2``) for a formula column."""
    validation: tuple[str, ...] | None = None
    """The allowed values of a list validation."""
    validation_source: str | None = None
    """A list validation's range (``=Customers!$A$2:$A$40``) when it is a range and not literal values."""
    reference: tuple[str, str] | None = None
    """(region name, column header) of the key column this column's values come from."""
    unique: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, False)} | {"unique": self.unique}


@dataclass(frozen=True)
class RegionLayout:
    sheet: str
    name: str
    header_row: int
    first_row: int
    """First data row."""
    last_row: int
    """Last data row (``first_row - 1`` when there is none)."""
    columns: tuple[ColumnLayout, ...]
    table: str | None = None
    """The Excel table's name, when the region is one."""
    values: dict[str, list[Any]] = field(default_factory=dict, repr=False)
    """Data values per header (formula cells as their formula text)."""

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1

    def column(self, header: str) -> ColumnLayout:
        for c in self.columns:
            if c.header == header:
                return c
        raise KeyError(f"region {self.name!r} has no column {header!r}")

    @property
    def ref(self) -> str:
        return f"{self.columns[0].letter}{self.header_row}:{self.columns[-1].letter}{max(self.last_row, self.header_row)}"

    def to_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "name": self.name, "table": self.table, "ref": self.ref,
                "header_row": self.header_row, "rows": self.rows, "columns": [c.to_dict() for c in self.columns]}


@dataclass(frozen=True)
class WorkbookLayout:
    sheets: tuple[str, ...]
    regions: tuple[RegionLayout, ...]

    def region(self, name: str) -> RegionLayout:
        for r in self.regions:
            if r.name == name:
                return r
        raise KeyError(f"the workbook has no sheet or table {name!r}; it has {[r.name for r in self.regions]}")


def open_workbook(data: bytes, name: str, limits: FileLimits):
    """Load with openpyxl after checking sheet and cell counts from a streaming (read-only) pass."""
    import openpyxl

    def load(**options):
        try:
            return openpyxl.load_workbook(io.BytesIO(data), **options)
        except (KeyError, ValueError, TypeError, OSError) as exc:
            raise FileError(f"{name!r} is not a readable Excel workbook: {exc}.") from None

    streaming = load(read_only=True)
    limits.check(name, "sheets", len(streaming.sheetnames), "max_sheets")
    declared = sum((ws.max_row or 0) * (ws.max_column or 0) for ws in streaming.worksheets
                   if hasattr(ws, "max_row"))
    streaming.close()
    limits.check(name, "cells", declared, "max_cells")
    book = load()
    cells = sum(ws.max_row * ws.max_column for ws in book.worksheets)
    limits.check(name, "cells", cells, "max_cells")
    return book


def read_layout(book) -> WorkbookLayout:
    """Regions of every worksheet, with references between them resolved."""
    regions = []
    for ws in book.worksheets:
        regions.extend(_regions(ws))
    regions = _with_references(book, regions)
    return WorkbookLayout(tuple(book.sheetnames), tuple(regions))


def _regions(ws) -> list[RegionLayout]:
    from openpyxl.utils.cell import range_boundaries

    found = []
    for table in ws.tables.values():
        c1, r1, c2, r2 = range_boundaries(table.ref)
        last = r2 - (table.totalsRowCount or 0)
        found.append(_region(ws, table.displayName, r1, last, c1, c2, table.displayName))
    if found:
        return found
    header = _header_row(ws)
    if header is None:
        return []
    cols = [c.column for c in ws[header] if c.value not in (None, "")]
    c1, c2 = min(cols), max(cols)
    last = header
    while last + 1 <= ws.max_row and any(ws.cell(last + 1, c).value not in (None, "") for c in range(c1, c2 + 1)):
        last += 1
    return [_region(ws, ws.title, header, last, c1, c2, None)]


def _header_row(ws) -> int | None:
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 10)):
        filled = [c.value for c in row if c.value not in (None, "")]
        if filled:
            return row[0].row if all(isinstance(v, str) and not v.startswith("=") for v in filled) else None
    return None


def _region(ws, name: str, header: int, last: int, c1: int, c2: int, table: str | None) -> RegionLayout:
    from openpyxl.utils import get_column_letter

    columns, values = [], {}
    for index in range(c1, c2 + 1):
        letter = get_column_letter(index)
        label = str(ws.cell(header, index).value or f"column_{letter}").strip()
        cells = [ws.cell(r, index) for r in range(header + 1, last + 1)]
        data = [c.value for c in cells]
        formulas = [v for v in data if isinstance(v, str) and v.startswith("=")]
        filled = [v for v in data if v not in (None, "")]
        formats = Counter(c.number_format for c in cells if c.value is not None)
        options, source = _validation(ws, f"{letter}{header + 1}")
        dim = ws.column_dimensions.get(letter)
        is_formula = bool(formulas) and len(formulas) * 2 >= len(filled)
        columns.append(ColumnLayout(
            index=index, letter=letter, header=label,
            kind="formula" if is_formula else _kind(filled),
            number_format=formats.most_common(1)[0][0] if formats else "General",
            width=dim.width if dim is not None and dim.customWidth else None,
            formula=next((v for v in data if isinstance(v, str) and v.startswith("=")), None) if is_formula else None,
            validation=options, validation_source=source,
            unique=bool(filled) and not is_formula and len(set(map(str, filled))) == len(filled) == len(data)))
        values[label] = data
    return RegionLayout(ws.title, name, header, header + 1, last, tuple(columns), table, values)


def _kind(values: list[Any]) -> str:
    if not values:
        return "empty"
    kinds = set()
    for v in values:
        if isinstance(v, bool):
            kinds.add("boolean")
        elif isinstance(v, int):
            kinds.add("integer")
        elif isinstance(v, float):
            kinds.add("integer" if v.is_integer() else "number")
        elif isinstance(v, dt.datetime):
            kinds.add("date" if v.time() == dt.time() else "datetime")
        elif isinstance(v, dt.date):
            kinds.add("date")
        else:
            kinds.add("text")
    for kind, members in (("integer", {"integer"}), ("number", {"integer", "number"}),
                          ("date", {"date"}), ("datetime", {"date", "datetime"}), ("boolean", {"boolean"})):
        if kinds <= members:
            return kind
    return "text"


def _validation(ws, cell: str) -> tuple[tuple[str, ...] | None, str | None]:
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list" and dv.formula1 and cell in dv.sqref:
            formula = dv.formula1.strip()
            if formula.startswith('"'):
                return tuple(v.strip() for v in formula.strip('"').split(",")), None
            return None, formula if formula.startswith("=") else "=" + formula
    return None, None


def _with_references(book, regions: list[RegionLayout]) -> list[RegionLayout]:
    """Resolve range validations into their values, and find columns that hold another region's keys."""
    from dataclasses import replace

    keys = {(r.name, c.header): set(map(_norm, r.values[c.header])) for r in regions for c in r.columns if c.unique}
    out = []
    for region in regions:
        cols = []
        for col in region.columns:
            ref, options = None, col.validation
            if col.validation_source:
                ref = _range_column(col.validation_source, region.sheet, regions)
                if ref is None:
                    options = _range_values(book, col.validation_source, region.sheet)
            if ref is None and col.kind not in ("formula", "empty") and not col.unique:
                present = {_norm(v) for v in region.values[col.header] if v not in (None, "")}
                candidates = [k for k, members in keys.items() if k[0] != region.name and present <= members
                              and len(present) >= 2]
                if candidates:  # several: prefer the one whose name the header mentions
                    candidates.sort(key=lambda k: (k[0].lower().rstrip("s") not in col.header.lower(), k[0]))
                    ref = candidates[0]
            cols.append(replace(col, reference=ref, validation=options))
        out.append(replace(region, columns=tuple(cols)))
    return out


def _norm(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _range_column(formula: str, sheet: str, regions: list[RegionLayout]) -> tuple[str, str] | None:
    """(region, header) when a validation range is the data column of a region."""
    from openpyxl.utils import column_index_from_string

    m = _RANGE.match(formula.replace(" ", ""))
    if not m:
        return None
    target, col = (m["sheet"] or sheet), column_index_from_string(m["c1"])
    for region in regions:
        if region.sheet == target:
            for c in region.columns:
                if c.index == col and (m["r1"] is None or int(m["r1"]) <= region.first_row):
                    return region.name, c.header
    return None


def _range_values(book, formula: str, sheet: str) -> tuple[str, ...] | None:
    m = _RANGE.match(formula.replace(" ", ""))
    target = (m["sheet"] or sheet) if m else None
    if not m or target not in book.sheetnames or m["r1"] is None:
        return None
    ws = book[target]
    ref = f"{m['c1']}{m['r1']}:{m['c2'] or m['c1']}{m['r2'] or m['r1']}"
    return tuple(str(c.value) for row in ws[ref] for c in row if c.value not in (None, ""))
