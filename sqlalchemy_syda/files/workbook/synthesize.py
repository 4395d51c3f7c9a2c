"""Synthetic workbooks: the same workbook, with every data region's rows replaced by generated ones.

Per region (a sheet's table or a named Excel table, see :mod:`.layout`) a profile is learned
(:func:`sqlalchemy_syda.learn`) from the columns that hold data, ``n`` rows are sampled, and the
rows are written back into the *same* workbook structure: sheet names, headers, column widths,
number formats and cell styles, data-validation lists (their ranges resized), named tables resized,
freeze panes. Columns the profile must not decide are written by rule instead:

* **formula columns** get the first data row's formula shifted to each row (live formulas, never values);
* **key columns** (unique, named like a key or referenced from elsewhere) get new keys that look like
  the old ones (``C101``, ``C102`` ... or ``1000, 1001`` ...), never the real ones;
* **reference columns** (another region's keys, found from a validation list or the values) get keys
  of the synthetic parent rows, so every reference stays valid.

Cells below a region (a totals row) move with its end, and ranges over the region's rows
(``=SUM(E2:E31)``, ``=Customers!$A$2:$A$13``) are resized. One-column regions that only feed a
validation list (a "Lists" sheet) are copied unchanged. The result is byte-identical for the same
seed (zip timestamps and document dates pinned)::

    >>> import io, openpyxl
    >>> book = synthesize_workbook(shop_xlsx, {"Orders": 20}, seed=1, filename="shop.xlsx")
    >>> book.counts                                  # regions not named keep their row count
    {'CustomerTable': 6, 'Orders': 20}
    >>> book.data == synthesize_workbook(shop_xlsx, {"Orders": 20}, seed=1, filename="shop.xlsx").data
    True
    >>> copy = openpyxl.load_workbook(io.BytesIO(book.data))
    >>> [[cell.value for cell in row] for row in copy["Orders"].iter_rows(max_row=3)]
    [['order_id', 'customer_id', 'qty', 'price', 'total'], [1000, 'C101', 8, 6.5, '=C2*D2'], [1001, 'C105',
    6, 19.25, '=C3*D3']]
    >>> copy["Customers"].tables["CustomerTable"].ref, str(copy["Orders"].data_validations.dataValidation[0].sqref)
    ('A1:C7', 'B2:B21')
    >>> path = book.save(tmp / "shop-synthetic.xlsx")
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ...exceptions import FileError, PlanError
from ...streams import Stream
from ..containers import check_container
from ..documents.stable import PINNED_DATE, stable_zip
from ..limits import DEFAULT_LIMITS, FileLimits
from ..sniff import sniff
from .layout import ColumnLayout, RegionLayout, WorkbookLayout, open_workbook, read_layout
from .ranges import RegionMove, resize_ranges

__all__ = ["SyntheticWorkbook", "synthesize_workbook"]

_KEY_NAME = re.compile(r"(^|[_ ])(id|key|code|number|no|nr|ref)$|^(id|key|code)[_ ]|[a-z]Id$|^ID$", re.I)
_NUMBERED = re.compile(r"^(\D*?)(\d+)(\D*)$")


@dataclass(frozen=True)
class SyntheticWorkbook:
    """The generated workbook's bytes, rows per region, and the structure it kept."""

    data: bytes
    counts: dict[str, int]
    layout: WorkbookLayout
    kept: tuple[str, ...] = ()
    """Regions copied unchanged (validation lists)."""

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_bytes(self.data)
        return path


def synthesize_workbook(source: str | Path | bytes, rows: int | Mapping[str, int] | None = None, *, seed: int = 0,
                        filename: str | None = None, limits: FileLimits = DEFAULT_LIMITS) -> SyntheticWorkbook:
    """A synthetic copy of an .xlsx workbook.

    :param source: a path or the workbook's bytes.
    :param rows: rows per region: one number for all, ``{region: n}`` (others keep their row count), or
        None (every region keeps its row count).
    :param seed: same seed, same workbook (byte for byte).
    """
    if isinstance(source, (str, Path)):
        filename = filename or Path(source).name
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise FileError(f"Cannot read {str(source)!r}: {exc.strerror}.") from None
    else:
        data, filename = bytes(source), filename or "workbook.xlsx"
    limits.check(filename, "bytes", len(data), "max_bytes")
    if sniff(data, filename).kind != "xlsx":
        raise FileError(f"{filename!r} is not an Excel .xlsx workbook; synthetic workbooks are made from .xlsx files.")
    check_container(data, filename, limits)
    book = open_workbook(data, filename, limits)
    layout = read_layout(book)
    if not layout.regions:
        raise FileError(f"{filename!r} has no table of data: no sheet has a header row (text cells) with rows "
                        "under it, and there is no named table.")
    lookups = _lookup_regions(layout)
    counts = _counts(layout, rows, lookups)
    frames: dict[str, dict[str, list[Any]]] = {}
    for region in _parents_first(layout, lookups):
        frames[region.name] = _generate(region, counts[region.name], seed, frames, layout)
    moves = [_write(book, region, frames[region.name]) for region in layout.regions if region.name in frames]
    _resize_everything(book, moves)
    for ws in book.worksheets:
        ws._pivots = []  # pivot caches hold copies of the real rows
    book.properties.created = book.properties.modified = PINNED_DATE.replace(tzinfo=None)
    book.properties.lastModifiedBy = "sqlalchemy-syda"
    return SyntheticWorkbook(_stable_bytes(book), {n: counts[n] for n in frames}, layout, tuple(lookups))


def _stable_bytes(book) -> bytes:
    """The workbook's bytes without wall-clock time (``Workbook.save`` stamps ``modified`` with now)."""
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    out = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return stable_zip(out.getvalue())


def _lookup_regions(layout: WorkbookLayout) -> list[str]:
    """One-column regions that other columns only use as a validation list."""
    sources = {c.reference for r in layout.regions for c in r.columns if c.validation_source and c.reference}
    return [r.name for r in layout.regions if len(r.columns) == 1 and (r.name, r.columns[0].header) in sources
            and not any(c.reference == (r.name, r.columns[0].header) and not c.validation_source
                        for o in layout.regions for c in o.columns)]


def _counts(layout: WorkbookLayout, rows, lookups: list[str]) -> dict[str, int]:
    counts = {}
    for region in layout.regions:
        if region.name in lookups:
            continue
        n = rows.get(region.name, region.rows) if isinstance(rows, Mapping) else (region.rows if rows is None else rows)
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise PlanError(f"Rows for {region.name!r} must be a non-negative whole number, not {n!r}.")
        counts[region.name] = int(n)
    if isinstance(rows, Mapping):
        unknown = set(rows) - set(counts)
        if unknown:
            raise PlanError(f"Unknown sheets or tables {sorted(unknown)}; the workbook has {sorted(counts)}.")
    return counts


def _parents_first(layout: WorkbookLayout, lookups: list[str]) -> list[RegionLayout]:
    import graphlib

    graph = {r.name: {c.reference[0] for c in r.columns if c.reference and c.reference[0] != r.name}
             for r in layout.regions if r.name not in lookups}
    graph = {name: deps - set(lookups) for name, deps in graph.items()}
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        raise PlanError(f"The sheets refer to each other in a cycle ({' -> '.join(exc.args[1])}); "
                        "a synthetic workbook needs one of them to be a plain list.") from None
    return [layout.region(name) for name in order]


def _role(region: RegionLayout, col: ColumnLayout, layout: WorkbookLayout) -> str:
    if col.kind == "formula":
        return "formula"
    if col.kind == "empty":
        return "empty"
    if col.reference and col.reference[0] != region.name:
        return "reference"
    referenced = any(c.reference == (region.name, col.header) for r in layout.regions for c in r.columns)
    if col.unique and (referenced or _KEY_NAME.search(col.header)):
        return "key"
    return "learned"


def _generate(region: RegionLayout, n: int, seed: int, frames: dict, layout: WorkbookLayout) -> dict[str, list]:
    import pandas as pd

    stream = Stream.root(seed).child("workbook", region.name)
    rows = np.arange(n, dtype=np.uint64)
    out: dict[str, list[Any]] = {}
    learned = [c for c in region.columns if _role(region, c, layout) == "learned"]
    if learned and n:
        from ...learn import learn

        frame = pd.DataFrame({c.header: _column_values(region.values[c.header], c) for c in learned})
        sample = learn(frame, name=region.name).sample(n, seed=seed)
        for col in learned:
            values = [_cell(v) for v in sample[col.header].tolist()]
            if col.validation:  # learned categories are real values; a list validation still has the last word
                allowed = set(col.validation)
                picks = stream.child(col.header).integers(rows, 0, len(col.validation))
                values = [v if v is None or str(v) in allowed else col.validation[int(p)] for v, p in zip(values, picks)]
            out[col.header] = values
    for col in region.columns:
        role = _role(region, col, layout)
        if role == "key":
            out[col.header] = _keys(region.values[col.header], n)
        elif role == "reference":
            parent = frames.get(col.reference[0], {}).get(col.reference[1]) or list(_lookup_values(layout, col))
            if not parent:
                raise PlanError(f"{region.name}.{col.header} refers to {col.reference[0]}.{col.reference[1]}, "
                                "which has no rows: give that sheet at least one row.")
            picks = stream.child(col.header).integers(rows, 0, len(parent))
            nulls = _null_share(region.values[col.header])
            blank = stream.child(col.header, "null").uniform(rows) < nulls if nulls else np.zeros(n, bool)
            out[col.header] = [None if b else parent[int(p)] for p, b in zip(picks, blank)]
        elif role in ("formula", "empty"):
            out[col.header] = [None] * n
    return out


def _lookup_values(layout: WorkbookLayout, col: ColumnLayout) -> list[Any]:
    region = layout.region(col.reference[0])
    return [v for v in region.values[col.reference[1]] if v not in (None, "")]


def _null_share(values: list[Any]) -> float:
    return sum(v in (None, "") for v in values) / len(values) if values else 0.0


def _column_values(values: list[Any], col: ColumnLayout) -> list[Any]:
    if col.kind == "date":  # Excel stores dates as datetimes at midnight
        return [v.date() if isinstance(v, dt.datetime) else v for v in values]
    return [None if v == "" else v for v in values]


def _cell(value: Any) -> Any:
    if value is None or value.__class__.__name__ in ("NaTType", "NAType"):
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _keys(values: list[Any], n: int) -> list[Any]:
    """New keys in the style of the old ones: numbers from the smallest old one, or prefix + number."""
    present = [v for v in values if v not in (None, "")]
    if present and all(isinstance(v, (int, float)) and float(v).is_integer() for v in present):
        start = int(min(present))
        return [start + i for i in range(n)]
    parts = [_NUMBERED.match(str(v)) for v in present]
    if present and all(parts) and len({(m[1], m[3]) for m in parts}) == 1:
        prefix, suffix = parts[0][1], parts[0][3]
        width = min(len(m[2]) for m in parts)
        start = min(int(m[2]) for m in parts)
        return [f"{prefix}{start + i:0{width}d}{suffix}" for i in range(n)]
    return [f"K{i + 1:0{max(4, len(str(n)))}d}" for i in range(n)]


def _write(book, region: RegionLayout, values: dict[str, list[Any]]) -> RegionMove:
    """Replace the region's rows in its sheet; returns how its end moved."""
    from openpyxl.formula.translate import Translator

    ws = book[region.sheet]
    n = len(next(iter(values.values()))) if values else 0
    c1, c2 = region.columns[0].index, region.columns[-1].index
    styles = {c.index: copy(ws.cell(region.first_row, c.index)._style) if region.rows else None for c in region.columns}
    for r in range(region.first_row, region.last_row + 1):
        for c in range(c1, c2 + 1):
            ws._cells.pop((r, c), None)
    new_last = region.first_row + n - 1
    shift = new_last - region.last_row
    if shift and ws.max_row > region.last_row:  # a totals row or notes under the table move with its end
        ws.move_range(f"{region.columns[0].letter}{region.last_row + 1}:{region.columns[-1].letter}{ws.max_row}",
                      rows=shift)
    for col in region.columns:
        column = values.get(col.header, [None] * n)
        origin = f"{col.letter}{region.first_row}"
        for i in range(n):
            cell = ws.cell(region.first_row + i, col.index)
            if col.formula:
                cell.value = Translator(col.formula, origin=origin).translate_formula(f"{col.letter}{cell.row}")
            else:
                cell.value = column[i]
            if styles[col.index] is not None:
                cell._style = copy(styles[col.index])
    if region.table:
        from openpyxl.utils.cell import range_boundaries

        table = ws.tables[region.table]
        _, _, _, old_end = range_boundaries(table.ref)
        end = max(new_last, region.header_row + 1) + (table.totalsRowCount or 0)
        table.ref = f"{region.columns[0].letter}{region.header_row}:{region.columns[-1].letter}{end}"
        if table.autoFilter is not None:
            table.autoFilter.ref = (f"{region.columns[0].letter}{region.header_row}:"
                                    f"{region.columns[-1].letter}{max(new_last, region.header_row + 1)}")
    _resize_validations(ws, region, new_last)
    return RegionMove(region.sheet, c1, c2, region.header_row, region.first_row, region.last_row, new_last)


def _resize_validations(ws, region: RegionLayout, new_last: int) -> None:
    from openpyxl.worksheet.cell_range import CellRange, MultiCellRange

    c1, c2 = region.columns[0].index, region.columns[-1].index
    for dv in ws.data_validations.dataValidation:
        ranges = []
        for rng in dv.sqref.ranges:
            if c1 <= rng.min_col <= rng.max_col <= c2 and rng.min_row == region.first_row:
                last = max(rng.max_row, new_last) if rng.max_row > region.last_row else new_last
                rng = CellRange(min_col=rng.min_col, min_row=rng.min_row, max_col=rng.max_col,
                                max_row=max(last, rng.min_row))
            ranges.append(rng)
        dv.sqref = MultiCellRange(ranges)


def _resize_everything(book, moves: list[RegionMove]) -> None:
    """Formulas, validation lists and defined names that span a region's rows follow its new end."""
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.value = resize_ranges(cell.value, ws.title, moves)
        for dv in ws.data_validations.dataValidation:
            if dv.formula1 and ":" in dv.formula1:
                dv.formula1 = resize_ranges(dv.formula1, ws.title, moves)
    for defined in book.defined_names.values():
        if defined.attr_text:
            defined.attr_text = resize_ranges(defined.attr_text, "", moves)
