"""Files in and files out: reading uploads, synthetic workbooks, documents from templates.

* :func:`read_file` — PDF, Word .docx, Excel .xlsx, images (OCR when ``tesseract`` is installed),
  text and CSV into one JSON-ready :class:`FileContent`, hardened by :class:`FileLimits`.
* :func:`synthesize_workbook` — the same .xlsx with generated rows per sheet or named table: headers,
  formats, validations, resized tables, live formulas and valid cross-sheet references kept.
* :func:`render_documents` — one document per generated row (with its child rows) from a Jinja2
  text/HTML template, an HTML layout rendered as PDF, or a Word .docx with template tags; byte-identical
  for the same seed.

Needs the ``files`` extra: ``pip install 'sqlalchemy-syda[files]'``::

    >>> content = read_file(shop_xlsx, filename="shop.xlsx")
    >>> content.kind, [t.name for t in content.tables]
    ('xlsx', ['CustomerTable', 'Orders'])
    >>> synthesize_workbook(shop_xlsx, 30, seed=1, filename="shop.xlsx").counts
    {'CustomerTable': 30, 'Orders': 30}
"""

from .content import FileContent, FileTable
from .documents import render_documents
from .limits import DEFAULT_LIMITS, FileLimits
from .read import read_bytes, read_file
from .workbook.synthesize import SyntheticWorkbook, synthesize_workbook

__all__ = ["DEFAULT_LIMITS", "FileContent", "FileLimits", "FileTable", "SyntheticWorkbook", "read_bytes",
           "read_file", "render_documents", "synthesize_workbook"]
