"""Word .docx: paragraphs with their styles, tables (first row as header), core properties.

The zip container has already passed :func:`~..containers.check_container` (bomb caps, no DTD)::

    >>> import io, docx
    >>> from sqlalchemy_syda.files.limits import DEFAULT_LIMITS
    >>> document = docx.Document()
    >>> document.core_properties.title = "Supplier list"
    >>> _ = document.add_heading("Suppliers", level=1), document.add_paragraph("Approved suppliers for 2024.")
    >>> table = document.add_table(rows=1, cols=2)
    >>> for row in (("supplier", "country"), ("Acme GmbH", "DE"), ("Borealis AB", "SE")):
    ...     cells = table.rows[0].cells if row[0] == "supplier" else table.add_row().cells
    ...     for cell, text in zip(cells, row):
    ...         cell.text = text
    >>> out = io.BytesIO()
    >>> document.save(out)
    >>> found = read(out.getvalue(), "suppliers.docx", DEFAULT_LIMITS)
    >>> found["text"], found["metadata"]["title"], found["metadata"]["tables"]
    ('Suppliers\\nApproved suppliers for 2024.', 'Supplier list', 1)
    >>> found["tables"][0]
    FileTable(name='table1', columns=('supplier', 'country'), rows=(('Acme GmbH', 'DE'), ('Borealis AB',
    'SE')), source='table 1')
"""

from __future__ import annotations

import io
from typing import Any

from ...exceptions import FileError
from ..content import FileTable
from ..limits import FileLimits

_CORE = ("title", "author", "subject", "keywords", "category", "comments", "last_modified_by",
         "revision", "created", "modified", "language")


def read(data: bytes, name: str, limits: FileLimits) -> dict[str, Any]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise FileError(f"{name!r} is not a readable Word document: {exc}.") from None
    paragraphs = [{"style": p.style.name if p.style is not None else None, "text": p.text}
                  for p in document.paragraphs if p.text.strip()]
    cells = sum(len(t.rows) * len(t.columns) for t in document.tables)
    limits.check(name, "table cells", cells, "max_cells")
    tables = []
    for i, table in enumerate(document.tables, start=1):
        grid = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        found = FileTable.from_grid(f"table{i}", grid, f"table {i}")
        if found is not None:
            tables.append(found)
    props = document.core_properties
    metadata = {key: getattr(props, key) for key in _CORE if getattr(props, key, None) not in (None, "")}
    metadata.update(paragraphs=len(paragraphs), tables=len(tables), sections=len(document.sections))
    return {"text": "\n".join(p["text"] for p in paragraphs), "metadata": metadata, "tables": tables,
            "details": {"paragraphs": paragraphs}}
