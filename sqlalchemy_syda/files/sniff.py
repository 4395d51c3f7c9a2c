"""What a file is, decided from its first bytes (and, for zip containers, its entry names).

The file name is only a hint: a ``.xlsx`` that starts with ``%PDF-`` is read as a PDF, and a
mismatch is reported as a warning. Kinds: ``pdf``, ``docx``, ``xlsx``, ``image``, ``csv``, ``text``::

    >>> sniff(b"%PDF-1.7 ...", "invoice.pdf")
    Sniffed(kind='pdf', media_type='application/pdf', warning=None)

Old binary Office files (OLE2 ``.doc`` / ``.xls``), archives and executables are refused with a
:class:`~..exceptions.FileError` that says which format to save as instead.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from ..exceptions import FileError

__all__ = ["KINDS", "Sniffed", "decode_text", "sniff"]

KINDS = ("pdf", "docx", "xlsx", "image", "csv", "text")

_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
)
_REFUSED = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old binary Office file (.doc / .xls / .ppt); save it as .docx or .xlsx"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "an ELF executable"),
)
_TEXT_EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".txt": "text", ".md": "text"}


@dataclass(frozen=True)
class Sniffed:
    kind: str
    media_type: str
    warning: str | None = None


def sniff(data: bytes, filename: str = "file") -> Sniffed:
    """The kind of ``data`` from its magic bytes; ``filename`` only breaks the CSV / text tie."""
    found = _by_magic(data, filename)
    ext = PurePath(filename).suffix.lower()
    expected = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".png": "image",
                ".jpg": "image", ".jpeg": "image", ".gif": "image", ".tif": "image", ".tiff": "image",
                ".bmp": "image", ".webp": "image", **_TEXT_EXTENSIONS}.get(ext)
    if expected and expected != found.kind and {expected, found.kind} != {"csv", "text"}:
        return Sniffed(found.kind, found.media_type,
                       f"the name {filename!r} says {ext} but the content is {found.kind}; read as {found.kind}")
    return found


def _by_magic(data: bytes, filename: str) -> Sniffed:
    if not data:
        raise FileError(f"{filename!r} is empty.")
    if b"%PDF-" in data[:1024]:
        return Sniffed("pdf", "application/pdf")
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, filename)
    for magic, media in _IMAGES:
        if data.startswith(magic):
            return Sniffed("image", media)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Sniffed("image", "image/webp")
    for magic, what in _REFUSED:
        if data.startswith(magic):
            raise FileError(f"{filename!r} is {what}. Supported: PDF, Word .docx, Excel .xlsx, images, text, CSV.")
    text = decode_text(data[:65536], filename, partial=len(data) > 65536)
    if _TEXT_EXTENSIONS.get(PurePath(filename).suffix.lower()) == "csv" or _looks_like_csv(text):
        return Sniffed("csv", "text/csv")
    return Sniffed("text", "text/plain")


def _zip_kind(data: bytes, filename: str) -> Sniffed:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        raise FileError(f"{filename!r} starts like a zip container (.xlsx / .docx) but is not a valid one; "
                        "it may be truncated.") from None
    if "word/document.xml" in names:
        return Sniffed("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    if "xl/workbook.xml" in names:
        return Sniffed("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    raise FileError(f"{filename!r} is a zip archive but neither a Word .docx nor an Excel .xlsx "
                    "(no word/document.xml or xl/workbook.xml inside).")


def decode_text(data: bytes, filename: str = "file", *, partial: bool = False) -> str:
    """Text from bytes: a UTF-8 / UTF-16 BOM decides, else UTF-8, else Windows-1252; NUL bytes mean binary."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data:
        raise FileError(f"{filename!r} is binary data of an unsupported type. "
                        "Supported: PDF, Word .docx, Excel .xlsx, images (PNG, JPEG, GIF, TIFF, BMP, WebP), text, CSV.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if partial and exc.start >= len(data) - 3:  # a character cut at the end of the sample
            return data[:exc.start].decode("utf-8")
        return data.decode("cp1252", errors="replace")


def _looks_like_csv(text: str) -> bool:
    """At least two lines with the same number (> 0) of one delimiter, as csv.Sniffer sees it."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) < 2:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t|")
    except csv.Error:
        return False
    widths = {len(row) for row in csv.reader(lines[:20], dialect)}
    return len(widths) == 1 and widths.pop() > 1
