"""PDF: text and tables per page (pdfplumber), metadata (pypdf), OCR of scanned pages.

The page count is read from the page tree (pypdf) and checked against ``FileLimits.max_pages``
before any page is extracted; pages without a text layer but with images are OCR'd, each within
``FileLimits.ocr_seconds``::

    >>> from fpdf import FPDF
    >>> from sqlalchemy_syda.files.limits import DEFAULT_LIMITS
    >>> report = FPDF()
    >>> report.set_title("Quarterly report")
    >>> report.set_font("helvetica", size=12)
    >>> report.add_page()
    >>> _ = report.cell(text="Revenue grew 4.5% in the North.")
    >>> found = read(bytes(report.output()), "q3.pdf", DEFAULT_LIMITS)
    >>> found["text"], found["metadata"]["pages"], found["metadata"]["title"], found["ocr"]
    ('Revenue grew 4.5% in the North.', 1, 'Quarterly report', None)
"""

from __future__ import annotations

import io
from typing import Any

from ...exceptions import FileError
from ..content import FileTable
from ..limits import FileLimits
from ..ocr import ocr_image, ocr_status

_META = {"/Title": "title", "/Author": "author", "/Subject": "subject", "/Keywords": "keywords",
         "/Creator": "creator", "/Producer": "producer"}


def read(data: bytes, name: str, limits: FileLimits) -> dict[str, Any]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileError(f"{name!r} is a password-protected PDF; save it without a password.")
        count = len(reader.pages)
    except PyPdfError as exc:
        raise FileError(f"{name!r} is a damaged PDF: {exc}.") from None
    limits.check(name, "pages", count, "max_pages")
    metadata: dict[str, Any] = {"pages": count, "pdf_version": reader.pdf_header.removeprefix("%PDF-")}
    info = reader.metadata or {}
    for key, label in _META.items():
        if info.get(key):
            metadata[label] = str(info[key])
    for attr, label in (("creation_date", "created"), ("modification_date", "modified")):
        try:
            value = getattr(info, attr, None)
        except ValueError:  # a malformed date string
            value = None
        if value is not None:
            metadata[label] = value
    return _pages(data, name, limits, metadata)


def _pages(data: bytes, name: str, limits: FileLimits, metadata: dict[str, Any]) -> dict[str, Any]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    pages, tables, texts, warnings = [], [], [], []
    ocr: dict[str, Any] | None = None
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                text = page.extract_text() or ""
                entry: dict[str, Any] = {"number": number, "width": float(page.width), "height": float(page.height),
                                         "text": text, "tables": []}
                if not text.strip() and page.images:
                    ocr = ocr if ocr is not None else {**ocr_status(), "pages": []}
                    text = _ocr_page(page, number, limits, ocr, warnings)
                    entry.update(text=text, ocr=True)
                for i, grid in enumerate(page.extract_tables(), start=1):
                    table = FileTable.from_grid(f"page{number}_table{i}", grid, f"page {number}")
                    if table is not None:
                        tables.append(table)
                        entry["tables"].append(table.name)
                pages.append(entry)
                texts.append(text)
    except PDFSyntaxError as exc:
        raise FileError(f"{name!r} is a damaged PDF: {exc}.") from None
    return {"text": "\n\n".join(texts), "metadata": metadata, "tables": tables, "details": {"pages": pages},
            "ocr": ocr, "warnings": warnings}


def _ocr_page(page, number: int, limits: FileLimits, ocr: dict[str, Any], warnings: list[str]) -> str:
    if not ocr["available"]:
        return ""
    if len(ocr["pages"]) >= limits.max_ocr_pages:
        warnings.append(f"page {number} has no text layer and was not OCR'd (FileLimits.max_ocr_pages="
                        f"{limits.max_ocr_pages})")
        return ""
    result = ocr_image(page.to_image(resolution=200).original, limits.ocr_seconds)
    ocr["pages"].append({"number": number, "status": result.get("status")})
    if result.get("status") == "timeout":
        warnings.append(f"OCR of page {number} stopped after {limits.ocr_seconds} s (FileLimits.ocr_seconds)")
    return result.get("text", "")
