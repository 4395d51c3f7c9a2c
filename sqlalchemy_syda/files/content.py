"""What reading a file produced: one JSON document (text, tables as rows, metadata).

:class:`FileContent` is the result of :func:`~.read.read_file`, whatever the kind of file. Its
:meth:`~FileContent.to_dict` is the stored artifact (``"format": "syda.file/1"``); the tables it found
(PDF and Word tables, worksheets and named tables, CSV) become DataFrames with :meth:`~FileContent.frames`,
so they can be learned from like any other source::

    >>> from sqlalchemy_syda import learn
    >>> from sqlalchemy_syda.files.read import read_file
    >>> content = read_file(shop_xlsx, filename="shop.xlsx")
    >>> content.kind, content.metadata["sheets"], [(t.name, t.columns) for t in content.tables]
    ('xlsx', ['Customers', 'Orders'], [('CustomerTable', ('customer_id', 'name', 'tier')), ('Orders',
    ('order_id', 'customer_id', 'qty', 'price', 'total'))])
    >>> content.table("CustomerTable").rows[0]
    ('C101', 'Ada Lovelace', 'gold')
    >>> content.to_dict()["format"]
    'syda.file/1'
    >>> profile = learn(content.frames()["CustomerTable"], name="customers")
    >>> profile.counts
    {'customers': 6}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FORMAT", "FileContent", "FileTable"]

FORMAT = "syda.file/1"


@dataclass(frozen=True)
class FileTable:
    """A table found in a file: a header and rows of cell values."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    source: str = ""
    """Where it was found: ``page 2``, ``sheet Orders``, ``table 1`` ..."""

    @classmethod
    def from_grid(cls, name: str, grid: list[list[Any]], source: str = "") -> FileTable | None:
        """The first row as header (blank or repeated names made unique), the rest as rows; None if empty."""
        grid = [[("" if v is None else v) for v in row] for row in grid if any(v not in (None, "") for v in row)]
        if not grid:
            return None
        width = max(len(r) for r in grid)
        header: list[str] = []
        for i, cell in enumerate(grid[0] + [""] * (width - len(grid[0]))):
            label = " ".join(str(cell).split()) or f"column_{i + 1}"
            while label in header:
                label = f"{label}_{i + 1}"
            header.append(label)
        rows = tuple(tuple(r) + ("",) * (width - len(r)) for r in grid[1:])
        return cls(name, tuple(header), rows, source)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "source": self.source, "columns": list(self.columns),
                "rows": [[_jsonable(v) for v in row] for row in self.rows]}

    def to_frame(self):
        """A DataFrame; columns whose every non-empty cell is a number become numeric."""
        import pandas as pd

        frame = pd.DataFrame([list(r) for r in self.rows], columns=list(self.columns))
        for name in frame.columns:
            col = frame[name]
            if col.dtype == object or pd.api.types.is_string_dtype(col):
                blank = col.isna() | (col.astype(str).str.strip() == "")
                numbers = pd.to_numeric(col.where(~blank), errors="coerce")
                if (numbers.notna() | blank).all() and numbers.notna().any():
                    frame[name] = numbers
        return frame


@dataclass(frozen=True)
class FileContent:
    """Everything read from one file, as plain data."""

    filename: str
    kind: str
    media_type: str
    size: int
    sha256: str
    text: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    tables: tuple[FileTable, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    """Kind-specific structure: ``pages`` (PDF), ``paragraphs`` (Word), ``sheets`` (Excel), ``image``."""
    ocr: dict[str, Any] | None = None
    """``{"available": bool, ...}`` for images and scanned PDF pages; None where OCR does not apply."""
    warnings: tuple[str, ...] = ()

    def table(self, name: str) -> FileTable:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(f"{self.filename!r} has no table {name!r}; it has {[t.name for t in self.tables]}")

    def frames(self) -> dict[str, Any]:
        """``{table name: DataFrame}`` for every table found."""
        return {t.name: t.to_frame() for t in self.tables}

    def to_dict(self) -> dict[str, Any]:
        doc = {"format": FORMAT, "filename": self.filename, "kind": self.kind, "media_type": self.media_type,
               "size": self.size, "sha256": self.sha256, "metadata": _jsonable(self.metadata),
               "text": self.text, "tables": [t.to_dict() for t in self.tables], **_jsonable(self.details)}
        if self.ocr is not None:
            doc["ocr"] = _jsonable(self.ocr)
        doc["warnings"] = list(self.warnings)
        return doc

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


def _jsonable(value: Any) -> Any:
    """Plain JSON types: dates as ISO text, numbers kept, bytes and odd objects as text."""
    import datetime as dt
    import decimal
    import numbers

    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex() if len(value) <= 64 else f"<{len(value)} bytes>"
    if isinstance(value, numbers.Real):  # numpy scalars, Pillow's IFDRational
        return _jsonable(float(value)) if not float(value).is_integer() else int(value)
    return str(value)
