"""Byte-stable output: the same content always gives the same bytes.

Zip containers (.docx) written by libraries carry the wall-clock time in every entry; PDFs carry a
creation date. Both are pinned here, so a document rendered twice from the same seed is identical,
byte for byte::

    >>> import io, zipfile
    >>> def docx_written_at(minute):              # what a library writes: the wall-clock time in each entry
    ...     out = io.BytesIO()
    ...     with zipfile.ZipFile(out, "w") as book:
    ...         book.writestr(zipfile.ZipInfo("word/document.xml", date_time=(2024, 5, 17, 9, minute, 0)), "<w:document/>")
    ...     return out.getvalue()
    >>> docx_written_at(30) == docx_written_at(31)
    False
    >>> stable_zip(docx_written_at(30)) == stable_zip(docx_written_at(31))
    True
    >>> zipfile.ZipFile(io.BytesIO(stable_zip(docx_written_at(30)))).infolist()[0].date_time, PINNED_DATE.year
    ((1980, 1, 1, 0, 0, 0), 2000)
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["PINNED_DATE", "stable_zip", "zip_files"]

PINNED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""The creation date written into every document (and every zip entry)."""

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def stable_zip(data: bytes) -> bytes:
    """The same zip with every entry's timestamp and attributes pinned, entries in their order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(_entry(info.filename), source.read(info))
    return out.getvalue()


def zip_files(paths: Iterable[Path], archive: Path) -> Path:
    """A byte-stable zip of ``paths`` (stored under their names, in sorted order)."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target:
        for path in sorted(paths, key=lambda p: p.name):
            target.writestr(_entry(path.name), path.read_bytes())
    return archive


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3
    return info
