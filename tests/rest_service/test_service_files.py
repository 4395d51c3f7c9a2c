"""Files in the real service: /upload/unstructured, /upload/unstructured/generate, /upload/preview, documents."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "files"))
from file_fixtures import (  # noqa: E402
    docx_with_table,
    huge_png,
    pdf_many_pages,
    pdf_with_table,
    related_workbook,
    xxe_xlsx,
    zip_bomb_xlsx,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def project(files_service):
    return files_service.project()


def _upload(svc, path: str, name: str, data: bytes, **form):
    return svc.client.post(path, files={"file": (name, data)}, data=form)


def test_read_pdf_returns_the_document_and_stores_it(files_service, project):
    r = _upload(files_service, "/upload/unstructured", "report.pdf", pdf_with_table(), project_name=project)
    assert r.status_code == 200, r.text
    body = r.json()
    document = body["document"]
    assert document["format"] == "syda.file/1" and document["kind"] == "pdf"
    assert document["tables"][0]["columns"] == ["region", "revenue", "growth"]
    stored = files_service.client.get(body["artifact"]["links"]["download"])
    assert stored.status_code == 200 and stored.json() == document
    assert body["artifact"]["media_type"] == "application/json"


def test_read_docx(files_service, project):
    r = _upload(files_service, "/upload/unstructured", "suppliers.docx", docx_with_table(), project_name=project)
    assert r.status_code == 200, r.text
    assert r.json()["document"]["metadata"]["title"] == "Supplier list"


@pytest.mark.parametrize(("name", "make", "status", "words"), [
    ("bomb.xlsx", zip_bomb_xlsx, 422, "zip bomb"),
    ("huge.png", huge_png, 413, "decompression bomb|max_pixels"),
    ("evil.xlsx", xxe_xlsx, 422, "external entity"),
    ("long.pdf", pdf_many_pages, 413, "3,000 pages"),
])
def test_hostile_files_are_refused(files_service, project, name, make, status, words):
    import re

    r = _upload(files_service, "/upload/unstructured", name, make(), project_name=project)
    assert r.status_code == status, r.text
    assert re.search(words, r.json()["detail"])


def test_unsupported_and_unauthenticated(files_service, project):
    r = _upload(files_service, "/upload/unstructured", "x.bin", b"\x00\x01binary", project_name=project)
    assert r.status_code == 422 and "unsupported type" in r.json()["detail"]
    r = files_service.client.post("/upload/unstructured", files={"file": ("a.txt", b"hi")},
                                  data={"project_name": project}, headers={"Authorization": ""})
    assert r.status_code == 401


def test_synthetic_workbook_job(files_service, project):
    r = _upload(files_service, "/upload/unstructured/generate", "shop.xlsx", related_workbook(),
                project_name=project, sample_size="40", seed="3")
    assert r.status_code == 202, r.text
    job = files_service.wait_job(r.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["result"]["counts"] == {"CustomerTable": 40, "Orders": 40}
    artifacts = {a["name"]: a for a in job["artifacts"]}
    assert artifacts["shop-synthetic.xlsx"]["media_type"] == XLSX
    data = files_service.client.get(artifacts["shop-synthetic.xlsx"]["links"]["download"]).content
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Customers", "Orders"] and book["Orders"]["E41"].value == "=C41*D41"
    ids = {book["Customers"].cell(r, 1).value for r in range(2, 42)}
    assert {book["Orders"].cell(r, 2).value for r in range(2, 42)} <= ids
    assert {p["table"] for p in job["progress"]} == {"CustomerTable", "Orders"}
    report = files_service.client.get(artifacts["report.html"]["links"]["download"])
    assert report.status_code == 200 and "Column Shapes" in report.text and "data:image/png;base64" in report.text


def test_workbook_route_refuses_other_files_and_names(files_service, project):
    r = _upload(files_service, "/upload/unstructured/generate", "r.pdf", pdf_with_table(1), project_name=project)
    assert r.status_code == 415 and "not an Excel" in r.json()["detail"]
    r = _upload(files_service, "/upload/unstructured/generate", "shop.xlsx", related_workbook(),
                project_name=project, counts='{"Nope": 3}')
    assert r.status_code == 422 and "Unknown sheets or tables" in r.json()["detail"]
    r = _upload(files_service, "/upload/unstructured/generate", "shop.xlsx", related_workbook(),
                project_name=project, counts="{not json")
    assert r.status_code == 422


def test_preview(files_service, project):
    r = _upload(files_service, "/upload/preview", "shop.xlsx", related_workbook(), project_name=project)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["kind"] == "xlsx" and body["run"]["endpoint"] == "/upload/unstructured/generate"
    orders = next(t for t in body["tables"] if t["name"] == "Orders")
    assert {c["name"]: c["meaning"] for c in orders["columns"]}["total"] == "formula =C2*D2"


def test_documents_job(files_service, project):
    template = (b"<h1>Invoice {{ number }}</h1><p>{{ customers.name }}</p>"
                b"<ul>{% for l in lines %}<li>{{ l.item }}</li>{% endfor %}</ul>")
    schema = ("tables:\n  customers:\n    id: number\n    name: full_name\n"
              "  invoices:\n    id: number\n    number: code\n"
              "    customer_id: {type: foreign_key, references: customers.id}\n"
              "  lines:\n    id: number\n    invoice_id: {type: foreign_key, references: invoices.id}\n"
              "    item: product_name\n"
              "counts: {customers: 3, invoices: 5, lines: 12}\n")
    r = files_service.client.post("/documents", files={"template": ("invoice.html", template)},
                                  data={"project_name": project, "schema_text": schema, "table": "invoices",
                                        "to": "pdf", "seed": "1"})
    assert r.status_code == 202, r.text
    job = files_service.wait_job(r.json()["id"])
    assert job["status"] == "succeeded", job
    archive = files_service.client.get(job["artifacts"][0]["links"]["download"]).content
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert job["result"]["documents"] == 5 and len(names) == 5 and names[0].endswith(".pdf")
    bad = files_service.client.post("/documents", files={"template": ("t.html", b"{{ x }")},
                                    data={"project_name": project, "schema_text": schema, "table": "invoices"})
    assert bad.status_code == 422 and "syntax error" in bad.json()["detail"]
