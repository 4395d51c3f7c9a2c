"""The caps a file must stay under before and while it is read.

Every reader checks the caps that apply to it *before* the expensive step: the byte size before
anything is parsed, a zip container's entry count and declared uncompressed size before a single
entry is inflated, a PDF's page count before any page is extracted, an image's pixel count from its
header before it is decoded. A file over a cap is refused with a :class:`~..exceptions.FileLimitError`
that names the cap, the file's value and how to raise the cap::

    >>> from sqlalchemy_syda.files.read import read_file
    >>> read_file(shop_xlsx, filename="shop.xlsx", limits=FileLimits(max_sheets=1))
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.FileLimitError: 'shop.xlsx' has 2 sheets; the limit is 1
    (FileLimits.max_sheets). Split the file, or pass a larger FileLimits(max_sheets=...) if it is trusted.
    >>> FileLimits(max_pages=0)
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.FileLimitError: FileLimits.max_pages must be a positive number, not 0.
    >>> DEFAULT_LIMITS.max_pages, DEFAULT_LIMITS.max_bytes
    (500, 52428800)

The defaults suit an upload service; a trusted batch job can pass larger ones.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from ..exceptions import FileLimitError

__all__ = ["DEFAULT_LIMITS", "FileLimits"]


@dataclass(frozen=True)
class FileLimits:
    """Caps on what reading one file may cost."""

    max_bytes: int = 50 * 1024 * 1024
    """Size of the file itself."""
    max_pages: int = 500
    """Pages of a PDF."""
    max_sheets: int = 50
    """Worksheets of a workbook."""
    max_cells: int = 2_000_000
    """Cells of a workbook (all sheets) or of a CSV file."""
    max_pixels: int = 50_000_000
    """Pixels of an image (width x height), checked from the header before decoding."""
    max_zip_entries: int = 10_000
    """Entries of a zip container (.xlsx, .docx)."""
    max_uncompressed_bytes: int = 256 * 1024 * 1024
    """Declared uncompressed size of all entries of a zip container together."""
    max_compression_ratio: int = 200
    """Uncompressed / compressed size of one zip entry larger than 1 MiB (office XML stays far below)."""
    ocr_seconds: float = 30.0
    """Time for the OCR of one image or one scanned PDF page."""
    max_ocr_pages: int = 20
    """Scanned (text-less) PDF pages passed to OCR; further ones are reported, not read."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise FileLimitError(f"FileLimits.{f.name} must be a positive number, not {value!r}.")

    def check(self, name: str, what: str, value: int, cap: str) -> None:
        """Raise :class:`FileLimitError` when ``value`` exceeds the cap called ``cap``."""
        limit = getattr(self, cap)
        if value > limit:
            raise FileLimitError(f"{name!r} has {value:,} {what}; the limit is {limit:,} (FileLimits.{cap}). "
                                 f"Split the file, or pass a larger FileLimits({cap}=...) if it is trusted.")


DEFAULT_LIMITS = FileLimits()
