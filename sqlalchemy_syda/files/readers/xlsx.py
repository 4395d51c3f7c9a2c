"""Excel .xlsx: sheets, named tables, headers, types, number formats, validation lists, formulas.

Sheet and cell counts are checked from a streaming pass before the workbook is loaded; openpyxl
parses the XML through defusedxml (installed with the ``files`` extra), and the container has
already passed :func:`~..containers.check_container`::

    >>> from sqlalchemy_syda.files.limits import DEFAULT_LIMITS
    >>> found = read(shop_xlsx, "shop.xlsx", DEFAULT_LIMITS)
    >>> [(t.name, t.columns, len(t.rows)) for t in found["tables"]]
    [('CustomerTable', ('customer_id', 'name', 'tier'), 6), ('Orders', ('order_id', 'customer_id', 'qty',
    'price', 'total'), 12)]
"""

from __future__ import annotations

from typing import Any

from ..content import FileTable
from ..limits import FileLimits
from ..workbook.layout import open_workbook, read_layout


def read(data: bytes, name: str, limits: FileLimits) -> dict[str, Any]:
    book = open_workbook(data, name, limits)
    layout = read_layout(book)
    tables, texts = [], []
    for region in layout.regions:
        headers = [c.header for c in region.columns]
        rows = tuple(tuple(region.values[h][i] for h in headers) for i in range(region.rows))
        tables.append(FileTable(region.name, tuple(headers), rows, f"sheet {region.sheet}"))
        texts.append("\t".join(headers))
        texts.extend("\t".join("" if v is None else str(v) for v in row) for row in rows)
    sheets = []
    for ws in book.worksheets:
        sheets.append({
            "name": ws.title, "dimensions": ws.dimensions, "max_row": ws.max_row, "max_column": ws.max_column,
            "freeze_panes": ws.freeze_panes, "merged_cells": [str(r) for r in ws.merged_cells.ranges],
            "tables": {t.displayName: t.ref for t in ws.tables.values()},
            "validations": [{"type": dv.type, "formula1": dv.formula1, "sqref": str(dv.sqref)}
                            for dv in ws.data_validations.dataValidation],
            "regions": [r.to_dict() for r in layout.regions if r.sheet == ws.title],
        })
    props = book.properties
    metadata = {"sheets": list(book.sheetnames), "title": props.title, "creator": props.creator,
                "created": props.created, "modified": props.modified,
                "defined_names": sorted(book.defined_names.keys())}
    return {"text": "\n".join(texts), "metadata": {k: v for k, v in metadata.items() if v not in (None, "")},
            "tables": tables, "details": {"sheets": sheets}}
