"""Documents from templates, one per generated row: :func:`render_documents` (see :mod:`.render`).

::

    >>> _ = (tmp / "card.txt").write_text("{{ name }} ({{ status }})")
    >>> paths = render_documents(tmp / "card.txt", Customer, 2, table=Customer, out=tmp / "cards", seed=1)
    >>> [p.read_text() for p in paths]
    ['Miller-Humphrey (Prospect)', 'Cross-Lawrence (Active)']
"""

from .render import render_documents
from .stable import PINNED_DATE
from .templates import DocumentTemplate, load_template

__all__ = ["PINNED_DATE", "DocumentTemplate", "load_template", "render_documents"]
