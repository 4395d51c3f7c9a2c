"""The template kinds and how each renders one document.

* **Text / HTML** (``.html``, ``.htm``, ``.txt``, ``.md``, ``.xml``, ``.csv``, ``.j2``, ``.jinja``):
  Jinja2 in a sandbox with undefined names as errors; HTML is autoescaped.
* **PDF** from an HTML template (``to="pdf"``): the rendered HTML laid out by fpdf2 (headings,
  paragraphs, bold/italic, tables, lists) in Helvetica, or in DejaVu Sans (embedded) when the text
  needs more than Latin-1 and the font is installed; creation date pinned.
* **Word** (``.docx`` with docxtpl tags: ``{{ number }}``, ``{%tr for line in lines %}`` ...): rendered by
  docxtpl, core properties and zip timestamps pinned.

::

    >>> _ = (tmp / "invoice.html").write_text("<h1>Invoice {{ number }}</h1><p>For {{ customer }}</p>")
    >>> template = load_template(tmp / "invoice.html")
    >>> template.kind, template.outputs()
    ('html', ('html', 'pdf'))
    >>> template.render({"number": "INV-1", "customer": "Smith & <Sons>"})          # autoescaped
    b'<h1>Invoice INV-1</h1><p>For Smith &amp; &lt;Sons&gt;</p>'
    >>> pdf = template.render({"number": "INV-1", "customer": "Smith & Sons"}, to="pdf")
    >>> pdf[:5], pdf == template.render({"number": "INV-1", "customer": "Smith & Sons"}, to="pdf")
    (b'%PDF-', True)
    >>> template.render({"number": "INV-1"})
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.TemplateError: The template 'invoice.html' uses a name the rows do not have:
    'customer' is undefined. Available: number.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

from ...exceptions import MissingDependencyError, TemplateError
from .stable import PINNED_DATE, stable_zip

__all__ = ["DocumentTemplate", "kind_of", "load_template"]

_TEXT = {".html": "html", ".htm": "html", ".txt": "txt", ".md": "md", ".xml": "xml", ".csv": "csv",
         ".j2": "txt", ".jinja": "txt", ".jinja2": "txt"}
_OUTPUTS = {"html": ("html", "pdf"), "txt": ("txt", "pdf"), "md": ("md",), "xml": ("xml",), "csv": ("csv",),
            "docx": ("docx",)}
_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class DocumentTemplate:
    """A loaded template: its kind (``html``, ``txt``, ``docx`` ...) and its source."""

    kind: str
    source: bytes
    name: str = "template"

    def outputs(self) -> tuple[str, ...]:
        return _OUTPUTS[self.kind]

    def render(self, context: dict[str, Any], to: str | None = None, title: str | None = None) -> bytes:
        """One document's bytes, in the format ``to`` (default: the template's own kind)."""
        to = to or self.kind
        if to not in self.outputs():
            raise TemplateError(f"A {self.kind} template cannot produce {to!r}; it can produce "
                                f"{', '.join(self.outputs())}.")
        if self.kind == "docx":
            return _render_docx(self.source, context, self.name)
        text = _jinja(self.source.decode("utf-8"), self.name, html=self.kind == "html").render_ctx(context)
        if to == "pdf":
            return _pdf_from_html(text if self.kind == "html" else f"<pre>{_escape(text)}</pre>", title)
        return text.encode("utf-8")


def load_template(template: str | Path | DocumentTemplate, kind: str | None = None) -> DocumentTemplate:
    """A template from a file; ``kind`` overrides the extension (``html``, ``txt``, ``docx`` ...)."""
    if isinstance(template, DocumentTemplate):
        return template
    path = Path(template)
    kind = kind or kind_of(path.name)
    if kind not in _OUTPUTS:
        raise TemplateError(f"Unknown template kind {kind!r}; use one of {', '.join(_OUTPUTS)}.")
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"Cannot read the template {str(path)!r}: {exc.strerror}.") from None
    template_obj = DocumentTemplate(kind, source, path.name)
    if kind != "docx":  # syntax errors now, not at the first row
        _jinja(source.decode("utf-8", errors="replace"), path.name, html=kind == "html")
    return template_obj


def kind_of(filename: str) -> str:
    """The template kind its file name says (``.docx`` -> ``docx``, ``.htm`` -> ``html`` ...)."""
    suffix = Path(filename).suffix.lower()
    kind = "docx" if suffix == ".docx" else _TEXT.get(suffix)
    if kind is None:
        raise TemplateError(f"Unknown template kind for {Path(filename).name!r}: use .html, .txt, .md, .xml, .csv, "
                            ".j2 (Jinja2) or .docx (Word with template tags), or pass kind=.")
    return kind


class _Compiled:
    def __init__(self, template: Any, name: str) -> None:
        self.template, self.name = template, name

    def render_ctx(self, context: dict[str, Any]) -> str:
        import jinja2

        try:
            return self.template.render(context)
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"The template {self.name!r} uses a name the rows do not have: {exc.message}. "
                                f"Available: {', '.join(sorted(k for k in context if k != 'row'))}.") from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"The template {self.name!r} failed: {exc}.") from None


def _environment(html: bool):
    try:
        import jinja2
        from jinja2.sandbox import SandboxedEnvironment
    except ImportError as exc:
        raise MissingDependencyError("Document templates need jinja2: pip install 'sqlalchemy-syda[files]'") from exc
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=html, keep_trailing_newline=True)


def _jinja(source: str, name: str, html: bool) -> _Compiled:
    import jinja2

    try:
        return _Compiled(_environment(html).from_string(source), name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"The template {name!r} has a syntax error on line {exc.lineno}: {exc.message}.") from None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pdf_from_html(html: str, title: str | None) -> bytes:
    try:
        from fpdf import FPDF
    except ImportError as exc:
        raise MissingDependencyError("PDF documents need fpdf2: pip install 'sqlalchemy-syda[files]'") from exc
    pdf = FPDF()
    pdf.set_creation_date(PINNED_DATE)
    pdf.set_creator("sqlalchemy-syda")
    if title:
        pdf.set_title(title)
    family = "helvetica"  # the PDF core font: nothing to embed, but Latin-1 only
    latin1 = _latin1(unescape(html))
    if not latin1 and (_FONT_DIR / "DejaVuSans.ttf").exists():
        family = "dejavu"
        for style, suffix in (("", ""), ("B", "-Bold"), ("I", "-Oblique"), ("BI", "-BoldOblique")):
            path = _FONT_DIR / f"DejaVuSans{suffix}.ttf"
            pdf.add_font(family, style, str(path if path.exists() else _FONT_DIR / "DejaVuSans.ttf"))
    elif not latin1:
        html = unescape(html).encode("latin-1", errors="replace").decode("latin-1")
    html = _BETWEEN_TAGS.sub("><", html)  # line breaks between tags are layout of the source, not text
    pdf.add_page()
    pdf.set_font(family, size=11)
    try:
        pdf.write_html(html, font_family=family, table_line_separators=True)
    except Exception as exc:  # fpdf2's HTML parser raises plain errors on markup it cannot lay out
        raise TemplateError(f"The HTML could not be laid out as PDF: {exc}.") from None
    return bytes(pdf.output())


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _render_docx(source: bytes, context: dict[str, Any], name: str) -> bytes:
    try:
        from docxtpl import DocxTemplate
    except ImportError as exc:
        raise MissingDependencyError("Word templates need docxtpl: pip install 'sqlalchemy-syda[files]'") from exc
    import jinja2

    document = DocxTemplate(io.BytesIO(source))
    try:
        document.render(context, jinja_env=_environment(html=False), autoescape=True)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"The template {name!r} uses a name the rows do not have: {exc.message}.") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"The template {name!r} failed: {exc}.") from None
    props = document.docx.core_properties
    props.created = props.modified = PINNED_DATE.replace(tzinfo=None)
    props.last_printed = PINNED_DATE.replace(tzinfo=None)
    props.revision = 1
    props.last_modified_by = "sqlalchemy-syda"
    out = io.BytesIO()
    document.save(out)
    return stable_zip(out.getvalue())
