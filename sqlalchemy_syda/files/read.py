"""``read_file``: any supported file -> one :class:`~.content.FileContent` (JSON-ready), hardened.

::

    >>> _ = (tmp / "q3.csv").write_text("region,revenue\\nNorth,1200\\nSouth,950\\n")
    >>> content = read_file(tmp / "q3.csv")                 # a path, bytes or a binary file object
    >>> content.kind, content.tables[0].name, content.tables[0].columns, content.tables[0].rows
    ('csv', 'q3', ('region', 'revenue'), (('North', '1200'), ('South', '950')))
    >>> content = read_file(shop_xlsx, filename="shop.xlsx")
    >>> content.kind, [t.name for t in content.tables], content.to_dict()["format"]
    ('xlsx', ['CustomerTable', 'Orders'], 'syda.file/1')
    >>> read_file(b"MZ\\x90\\x00" + bytes(60), filename="setup.exe")
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.FileError: 'setup.exe' is a Windows executable. Supported: PDF, Word .docx,
    Excel .xlsx, images, text, CSV.

Order of the checks: the size cap while the bytes are read; the type from magic bytes; for zip
containers the entry count, the uncompressed size, compression ratios and DTDs in the XML parts;
then the reader of the kind, which checks pages, sheets, cells or pixels before it extracts.
Every refusal is a :class:`~..exceptions.FileError` (or its subclasses ``FileLimitError`` /
``UnsafeFileError``) whose message says what was wrong.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import BinaryIO

from ..exceptions import FileError, MissingDependencyError
from .containers import check_container
from .content import FileContent
from .limits import DEFAULT_LIMITS, FileLimits
from .sniff import sniff

__all__ = ["read_bytes", "read_file"]


def read_file(source: str | Path | bytes | BinaryIO, *, filename: str | None = None,
              limits: FileLimits = DEFAULT_LIMITS) -> FileContent:
    """Read a PDF, Word .docx, Excel .xlsx, image, text or CSV file.

    :param source: a path, the file's bytes, or a binary file object (read up to ``limits.max_bytes``).
    :param filename: the name to report (and a hint for CSV vs. text); defaults to the path's name.
    :param limits: the caps (:class:`~.limits.FileLimits`).
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise FileError(f"Cannot read {str(path)!r}: {exc.strerror}.") from None
        limits.check(filename or path.name, "bytes", size, "max_bytes")
        return read_bytes(path.read_bytes(), filename or path.name, limits=limits)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return read_bytes(bytes(source), filename or "file", limits=limits)
    data = source.read(limits.max_bytes + 1)
    return read_bytes(data, filename or getattr(source, "name", None) or "file", limits=limits)


def read_bytes(data: bytes, filename: str = "file", *, limits: FileLimits = DEFAULT_LIMITS) -> FileContent:
    """:func:`read_file` for bytes already in memory."""
    limits.check(filename, "bytes", len(data), "max_bytes")
    found = sniff(data, filename)
    if found.kind in ("docx", "xlsx"):
        check_container(data, filename, limits)
    try:
        parts = _reader(found.kind)(data, filename, limits)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in _EXTRA_MODULES:
            raise MissingDependencyError(f"Reading {found.kind} files needs {exc.name}: "
                                         "pip install 'sqlalchemy-syda[files]'") from exc
        raise
    warnings = ([found.warning] if found.warning else []) + list(parts.pop("warnings", None) or [])
    return FileContent(filename=filename, kind=found.kind, media_type=found.media_type, size=len(data),
                       sha256=hashlib.sha256(data).hexdigest(), text=parts.get("text", ""),
                       metadata=parts.get("metadata", {}), tables=tuple(parts.get("tables", ())),
                       details=parts.get("details", {}), ocr=parts.get("ocr"), warnings=tuple(warnings))


_EXTRA_MODULES = {"pdfplumber", "pdfminer", "pypdf", "docx", "openpyxl", "PIL", "defusedxml", "pytesseract"}


def _reader(kind: str):
    if kind == "pdf":
        from .readers.pdf import read
    elif kind == "docx":
        from .readers.docx import read
    elif kind == "xlsx":
        from .readers.xlsx import read
    elif kind == "image":
        from .readers.image import read
    elif kind == "csv":
        from .readers.text import read_csv as read
    else:
        from .readers.text import read_text as read
    return read
