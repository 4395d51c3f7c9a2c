"""Plain text and CSV (delimiter sniffed, header row, cell cap ``FileLimits.max_cells``)::

    >>> from sqlalchemy_syda.files.limits import DEFAULT_LIMITS
    >>> found = read_csv("region;revenue\\nNorth;1200\\nSouth;950\\n".encode(), "q3.csv", DEFAULT_LIMITS)
    >>> found["metadata"], found["tables"][0].rows
    ({'delimiter': ';', 'rows': 2, 'columns': ['region', 'revenue']}, (('North', '1200'), ('South', '950')))
    >>> read_text("Dear customer,\\nthank you.".encode(), "letter.txt", DEFAULT_LIMITS)["metadata"]
    {'lines': 2, 'characters': 25, 'words': 4}
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..content import FileTable
from ..limits import FileLimits
from ..sniff import decode_text


def read_text(data: bytes, name: str, limits: FileLimits) -> dict[str, Any]:
    text = decode_text(data, name)
    lines = text.splitlines()
    return {"text": text, "metadata": {"lines": len(lines), "characters": len(text), "words": len(text.split())}}


def read_csv(data: bytes, name: str, limits: FileLimits) -> dict[str, Any]:
    text = decode_text(data, name)
    sample = "\n".join(text.splitlines()[:20])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    grid, cells = [], 0
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        cells += len(row)
        limits.check(name, "cells (or more)", cells, "max_cells")
        grid.append(row)
    table = FileTable.from_grid(_stem(name), grid, "csv")
    tables = [table] if table is not None else []
    return {"text": text, "tables": tables,
            "metadata": {"delimiter": delimiter, "rows": len(table.rows) if table else 0,
                         "columns": list(table.columns) if table else []}}


def _stem(name: str) -> str:
    from pathlib import PurePath

    return PurePath(name).stem or "table"
