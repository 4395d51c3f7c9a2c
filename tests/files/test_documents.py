"""render_documents: one document per row with its child rows, byte-identical for the same seed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from examples.invoices.models import Customer, Invoice, InvoiceLine
from sqlalchemy_syda import TemplateError, generate
from sqlalchemy_syda.files import read_bytes, read_file
from sqlalchemy_syda.files.documents import render_documents

MODELS = [Customer, Invoice, InvoiceLine]
COUNTS = {Customer: 4, Invoice: 6, InvoiceLine: 20}
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "invoices"


@pytest.fixture(scope="module")
def html_template():
    return EXAMPLE / "invoice.html"


@pytest.fixture(scope="module")
def docx_template(tmp_path_factory):
    """A Word template with docxtpl tags: fields in paragraphs and a row loop over the lines."""
    import docx

    document = docx.Document()
    document.add_heading("Invoice {{ number }}", level=1)
    document.add_paragraph("Customer: {{ customers.name }} ({{ customers.email }})")
    table = document.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Description", "Qty", "Unit price")):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for line in invoice_lines %}"
    for cell, text in zip(table.rows[2].cells, ("{{ line.description }}", "{{ line.quantity }}",
                                                 "{{ line.unit_price }}")):
        cell.text = text
    row = table.add_row()
    row.cells[0].text = "{%tr endfor %}"
    path = tmp_path_factory.mktemp("tpl") / "invoice.docx"
    document.save(path)
    return path


def test_one_pdf_per_invoice_with_its_lines(html_template, tmp_path):
    """Each invoice PDF names its customer and lists exactly that invoice's lines."""
    paths = render_documents(html_template, MODELS, COUNTS, table=Invoice, to="pdf", out=tmp_path, seed=7)
    frames = generate(MODELS, COUNTS, seed=7)
    invoices, lines, customers = frames["invoices"], frames["invoice_lines"], frames["customers"]
    assert [p.name for p in paths] == [f"invoices-{i:04d}.pdf" for i in range(1, 7)]
    for path, invoice in zip(paths, invoices.itertuples()):
        content = read_file(path)
        own = lines[lines.invoice_id == invoice.id]
        customer = customers.set_index("id").loc[invoice.customer_id]
        assert f"Invoice {invoice.number}" in content.text
        assert customer["name"] in content.text
        assert f"Lines: {len(own)}" in content.text
        total = sum(q * p for q, p in zip(own.quantity, own.unit_price))
        assert f"Total: {total:.2f}" in content.text
        assert content.metadata["created"].year == 2000  # pinned
        if len(own):
            table = content.tables[0]
            assert table.columns == ("Description", "Qty", "Unit price", "Amount")
            assert [r[1] for r in table.rows] == [str(q) for q in own.quantity]


def test_same_seed_byte_identical(html_template, docx_template, tmp_path):
    for template, to in ((html_template, "pdf"), (html_template, "html"), (docx_template, "docx")):
        kw = {"table": "invoices", "to": to, "limit": 3}
        first = render_documents(template, MODELS, COUNTS, out=tmp_path / "a", seed=3, **kw)
        second = render_documents(template, MODELS, COUNTS, out=tmp_path / "b", seed=3, **kw)
        assert len(first) == 3 and [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
        other = render_documents(template, MODELS, COUNTS, out=tmp_path / "c", seed=4, **kw)
        assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
    one = render_documents(html_template, MODELS, COUNTS, table=Invoice, out=tmp_path / "x.zip", seed=3)
    two = render_documents(html_template, MODELS, COUNTS, table=Invoice, out=tmp_path / "y.zip", seed=3)
    assert one[0].read_bytes() == two[0].read_bytes()
    assert len(zipfile.ZipFile(one[0]).namelist()) == 6 and not (tmp_path / "x").exists()


def test_docx_documents_fill_fields_and_row_loops(docx_template, tmp_path):
    paths = render_documents(docx_template, MODELS, COUNTS, table=Invoice, out=tmp_path, seed=7,
                             name="invoice-{{ number }}")
    frames = generate(MODELS, COUNTS, seed=7)
    lines = frames["invoice_lines"]
    for path, invoice in zip(paths, frames["invoices"].itertuples()):
        assert path.name.startswith("invoice-") and path.suffix == ".docx"
        content = read_file(path)
        assert f"Invoice {invoice.number}" in content.text and "{{" not in content.text
        own = lines[lines.invoice_id == invoice.id]
        table = content.tables[0]
        assert [r[0] for r in table.rows] == list(own.description)
        assert content.metadata["created"].year == 2000
        assert {i.date_time for i in zipfile.ZipFile(path).infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_frames_with_explicit_links(tmp_path):
    import pandas as pd

    template = tmp_path / "note.txt"
    template.write_text("{{ title }} for {{ people.name }}:\n{% for t in tasks %}- {{ t.what }}\n{% endfor %}")
    frames = {"notes": pd.DataFrame({"id": [1, 2], "title": ["Plan", "Todo"], "person_id": [10, 11]}),
              "tasks": pd.DataFrame({"id": [1, 2, 3], "note_id": [1, 1, 2], "what": ["a", "b", "c"]}),
              "people": pd.DataFrame({"id": [10, 11], "name": ["Ann", "Bo"]})}
    paths = render_documents(template, frames, table="notes", children={"tasks": "note_id"},
                             parents={"people": "person_id"}, out=tmp_path / "out")
    assert [p.read_text() for p in paths] == ["Plan for Ann:\n- a\n- b\n", "Todo for Bo:\n- c\n"]
    pdf = render_documents(template, frames, table="notes", children={"tasks": "note_id"},
                           parents={"people": "person_id"}, out=tmp_path / "pdf", to="pdf")
    assert "Plan for Ann" in read_bytes(pdf[0].read_bytes(), "n.pdf").text


def test_template_errors(html_template, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text("<p>{{ number }</p>")
    with pytest.raises(TemplateError, match="syntax error on line 1"):
        render_documents(bad, MODELS, COUNTS, table=Invoice, out=tmp_path)
    unknown = tmp_path / "unknown.html"
    unknown.write_text("<p>{{ invoice_total }}</p>")
    with pytest.raises(TemplateError, match="'invoice_total' is undefined.*Available: .*customers"):
        render_documents(unknown, MODELS, COUNTS, table=Invoice, out=tmp_path)
    with pytest.raises(TemplateError, match="Unknown template kind"):
        render_documents(tmp_path / "x.odt", MODELS, COUNTS, table=Invoice, out=tmp_path)
    with pytest.raises(TemplateError, match="cannot produce 'docx'"):
        render_documents(html_template, MODELS, COUNTS, table=Invoice, to="docx", out=tmp_path)
    with pytest.raises(TemplateError, match="both be named"):
        render_documents(html_template, MODELS, COUNTS, table=Invoice, name="same", out=tmp_path)
    sandboxed = tmp_path / "escape.txt"
    sandboxed.write_text("{{ row.__class__.__mro__ }}")
    with pytest.raises(TemplateError, match="unsafe|failed"):
        render_documents(sandboxed, MODELS, COUNTS, table=Invoice, out=tmp_path)


def test_pdf_unicode_text(tmp_path):
    """Text beyond Latin-1 is laid out in an embedded Unicode font, not replaced."""
    import pandas as pd

    template = tmp_path / "t.html"
    template.write_text("<p>{{ name }} &mdash; {{ city }}</p>")
    frames = {"t": pd.DataFrame({"id": [1], "name": ["Łukasz Żółć"], "city": ["Kraków"]})}
    paths = render_documents(template, frames, table="t", out=tmp_path / "o", to="pdf")
    assert "Łukasz Żółć — Kraków" in read_file(paths[0]).text


def test_html_is_escaped(tmp_path):
    import pandas as pd

    template = tmp_path / "t.html"
    template.write_text("<p>{{ name }}</p>")
    paths = render_documents(template, {"t": pd.DataFrame({"id": [1], "name": ["<script>x</script>"]})},
                             table="t", out=tmp_path / "o")
    assert paths[0].read_text() == "<p>&lt;script&gt;x&lt;/script&gt;</p>"
    assert io.BytesIO(paths[0].read_bytes()).getvalue()


def test_invoices_example_runs(tmp_path):
    """examples/invoices/render.py writes one PDF per invoice."""
    env = {**os.environ, "PYTHONPATH": str(EXAMPLE.parents[1])}
    done = subprocess.run([sys.executable, str(EXAMPLE / "render.py")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "12 invoices written to invoices/"
    assert len(list((tmp_path / "invoices").glob("invoice-*.pdf"))) == 12
