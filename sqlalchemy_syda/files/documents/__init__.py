"""Documents from templates, one per generated row: :func:`render_documents` (see :mod:`.render`)."""

from .render import render_documents
from .stable import PINNED_DATE
from .templates import DocumentTemplate, load_template

__all__ = ["PINNED_DATE", "DocumentTemplate", "load_template", "render_documents"]
