"""read_file on files generated here: each kind read, each hostile file refused with a clear error."""

from __future__ import annotations

import json
import shutil

import pytest
from file_fixtures import (
    docx_with_table,
    huge_png,
    jpeg_with_exif,
    many_entries_docx,
    pdf_many_pages,
    pdf_with_table,
    png_with_text,
    related_workbook,
    scanned_pdf,
    xxe_docx,
    xxe_xlsx,
    zip_bomb_xlsx,
)

from sqlalchemy_syda import FileError, FileLimitError, SydaError, UnsafeFileError
from sqlalchemy_syda.files import FileLimits, read_bytes, read_file

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr not installed")


def test_pdf_text_tables_and_metadata():
    """A PDF gives its text per page, its table cell for cell and its metadata."""
    content = read_bytes(pdf_with_table(), "report.pdf")
    assert content.kind == "pdf" and content.metadata["pages"] == 2
    assert content.metadata["title"] == "Quarterly report" and content.metadata["author"] == "Finance team"
    assert content.metadata["created"].year == 2024
    assert "Quarterly report page 2" in content.details["pages"][1]["text"]
    table = content.table("page1_table1")
    assert table.columns == ("region", "revenue", "growth")
    assert table.rows == (("North", "1200", "4.5"), ("South", "950", "-1.2"), ("West", "1730", "7.9"))
    frame = content.frames()["page1_table1"]
    assert frame["revenue"].sum() == 3880 and frame["growth"].dtype.kind == "f"


def test_result_is_one_json_document(tmp_path):
    """The result is plain JSON with the format tag, hash, text, tables and warnings."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_with_table())
    doc = json.loads(read_file(path).to_json())
    assert doc["format"] == "syda.file/1" and doc["filename"] == "report.pdf"
    assert len(doc["sha256"]) == 64 and doc["size"] == path.stat().st_size
    assert doc["tables"][0]["rows"][0] == ["North", "1200", "4.5"]
    assert doc["metadata"]["created"].startswith("2024-05-17")
    assert doc["warnings"] == []


def test_docx_paragraphs_tables_properties():
    content = read_bytes(docx_with_table(), "suppliers.docx")
    assert content.kind == "docx"
    assert content.metadata["title"] == "Supplier list" and content.metadata["author"] == "Procurement"
    assert {"style": "Heading 1", "text": "Suppliers"} in content.details["paragraphs"]
    assert content.tables[0].columns == ("supplier", "country", "rating")
    assert content.tables[0].rows[1] == ("Borealis AB", "SE", "5")


def test_xlsx_sheets_tables_formats_validations_formulas():
    content = read_bytes(related_workbook(), "shop.xlsx")
    assert content.kind == "xlsx" and content.metadata["sheets"] == ["Customers", "Orders"]
    sheets = {s["name"]: s for s in content.to_dict()["sheets"]}
    assert sheets["Customers"]["tables"] == {"CustomerTable": "A1:D13"}
    orders = sheets["Orders"]["regions"][0]
    cols = {c["header"]: c for c in orders["columns"]}
    assert cols["total"]["kind"] == "formula" and cols["total"]["formula"] == "=C2*D2"
    assert cols["unit_price"]["number_format"] == "#,##0.00"
    assert cols["status"]["validation"] == ["new", "paid", "shipped"]
    assert cols["customer_id"]["reference"] == ["CustomerTable", "customer_id"]
    customers = {c["header"]: c for c in sheets["Customers"]["regions"][0]["columns"]}
    assert customers["since"]["kind"] == "date" and customers["since"]["number_format"] == "yyyy-mm-dd"
    assert customers["name"]["width"] == 24
    assert content.table("Orders").rows[0][:2] == (1000, "C101")


def test_csv_and_text():
    csv_content = read_bytes(b"id;city;amount\n1;Lyon;3,5\n2;Nice;4\n", "sales.csv")
    assert csv_content.kind == "csv" and csv_content.metadata["delimiter"] == ";"
    assert csv_content.tables[0].columns == ("id", "city", "amount")
    sniffed = read_bytes(b"a,b\n1,2\n3,4\n", "upload")
    assert sniffed.kind == "csv"
    text = read_bytes("Plain notes, with a comma.\nSecond line – ünïcode.".encode(), "notes.txt")
    assert text.kind == "text" and text.metadata["lines"] == 2 and "ünïcode" in text.text


def test_image_metadata_and_exif():
    content = read_bytes(jpeg_with_exif(), "photo.jpg")
    assert content.kind == "image" and content.details["image"]["width"] == 64
    assert content.metadata["exif"]["Make"] == "SydaCam" and content.metadata["exif"]["Model"] == "Model 7"
    assert content.ocr is not None and "available" in content.ocr


@needs_tesseract
def test_image_ocr():
    content = read_bytes(png_with_text("INVOICE 4711"), "scan.png")
    assert content.ocr["status"] == "ok" and "INVOICE" in content.text and "4711" in content.text


@needs_tesseract
def test_scanned_pdf_page_is_ocrd():
    content = read_bytes(scanned_pdf("PAID 2024"), "scan.pdf")
    assert content.details["pages"][0].get("ocr") is True and "PAID" in content.text


@needs_tesseract
def test_ocr_time_cap():
    """OCR past FileLimits.ocr_seconds stops and says so; the rest of the result stands."""
    content = read_bytes(png_with_text("INVOICE 4711"), "scan.png", limits=FileLimits(ocr_seconds=0.01))
    assert content.ocr["status"] == "timeout" and content.text == ""
    assert any("ocr_seconds" in w for w in content.warnings)


def test_ocr_unavailable_is_reported_not_failed(monkeypatch):
    """Without the tesseract program the result says OCR is unavailable."""
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "tesseract-not-installed-here")
    content = read_bytes(png_with_text(), "scan.png")
    assert content.ocr["available"] is False and "tesseract-ocr" in content.ocr["reason"]


def test_type_comes_from_magic_bytes():
    """A PDF named .xlsx is read as a PDF, with a warning."""
    content = read_bytes(pdf_with_table(1), "sales.xlsx")
    assert content.kind == "pdf" and "content is pdf" in content.warnings[0]


@pytest.mark.parametrize(("data", "name", "error", "words"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", FileError, "save it as .docx or .xlsx"),
    (b"PK\x03\x04garbage", "broken.xlsx", FileError, "not a valid one"),
    (b"\x00\x01\x02\x03binary", "blob.bin", FileError, "unsupported type"),
    (b"", "empty.csv", FileError, "is empty"),
    (b"%PDF-1.4\nnot really a pdf", "fake.pdf", FileError, "damaged PDF"),
])
def test_unreadable_files(data, name, error, words):
    with pytest.raises(error, match=words):
        read_bytes(data, name)


def test_zip_bomb_refused():
    """An entry inflating a thousand times is refused before anything parses it."""
    data = zip_bomb_xlsx()
    assert len(data) < 1 << 20
    with pytest.raises(UnsafeFileError, match="zip bomb") as info:
        read_bytes(data, "bomb.xlsx")
    assert "xl/media/padding.bin" in str(info.value) and isinstance(info.value, SydaError)


def test_uncompressed_size_and_entry_caps():
    with pytest.raises(FileLimitError, match="max_uncompressed_bytes"):
        read_bytes(related_workbook(), "shop.xlsx", limits=FileLimits(max_uncompressed_bytes=10_000))
    with pytest.raises(FileLimitError, match=r"12,0\d\d zip entries; the limit is 10,000"):
        read_bytes(many_entries_docx(), "many.docx")


def test_huge_image_refused():
    """A PNG header claiming 10 gigapixels is refused from the header, before decoding."""
    with pytest.raises(FileLimitError, match="decompression bomb|max_pixels"):
        read_bytes(huge_png(), "huge.png")
    with pytest.raises(FileLimitError, match="max_pixels"):
        read_bytes(huge_png(8000, 8000), "big.png")


@pytest.mark.parametrize("make", [xxe_docx, xxe_xlsx])
def test_xml_external_entity_refused(make):
    with pytest.raises(UnsafeFileError, match="external entity"):
        read_bytes(make(), "evil.docx" if make is xxe_docx else "evil.xlsx")


def test_pdf_with_thousands_of_pages_refused():
    with pytest.raises(FileLimitError, match="3,000 pages; the limit is 500"):
        read_bytes(pdf_many_pages(3000), "long.pdf")


def test_size_sheet_and_cell_caps(tmp_path):
    with pytest.raises(FileLimitError, match="max_bytes"):
        read_bytes(b"a,b\n" * 1000, "big.csv", limits=FileLimits(max_bytes=100))
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" * 1000)
    with pytest.raises(FileLimitError, match="max_bytes"):
        read_file(path, limits=FileLimits(max_bytes=100))
    with pytest.raises(FileLimitError, match="max_sheets"):
        read_bytes(related_workbook(), "shop.xlsx", limits=FileLimits(max_sheets=1))
    with pytest.raises(FileLimitError, match="max_cells"):
        read_bytes(related_workbook(), "shop.xlsx", limits=FileLimits(max_cells=50))
    with pytest.raises(FileLimitError, match="max_cells"):
        read_bytes(b"a,b\n" * 1000, "big.csv", limits=FileLimits(max_cells=100))


def test_bad_limits():
    with pytest.raises(FileLimitError, match="max_pages must be a positive number"):
        FileLimits(max_pages=0)
