"""Files made at test time (never committed as binaries): ordinary ones and hostile ones."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib

PINNED = dt.datetime(2024, 5, 17, 9, 30, tzinfo=dt.UTC)


def pdf_with_table(pages: int = 2) -> bytes:
    """A report: a title, text on each page and a bordered table on the first (fpdf2's table())."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(PINNED)
    pdf.set_title("Quarterly report")
    pdf.set_author("Finance team")
    pdf.set_font("helvetica", size=12)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(text=f"Quarterly report page {number}", new_x="LMARGIN", new_y="NEXT")
        if number == 1:
            with pdf.table() as table:
                for row in (("region", "revenue", "growth"), ("North", "1200", "4.5"),
                            ("South", "950", "-1.2"), ("West", "1730", "7.9")):
                    cells = table.row()
                    for value in row:
                        cells.cell(value)
    return bytes(pdf.output())


def pdf_many_pages(pages: int = 3000) -> bytes:
    """Thousands of (blank) pages: cheap to make, refused by the page cap before extraction."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scanned_pdf(text: str = "INVOICE 4711") -> bytes:
    """A PDF page that is only an image of text (no text layer), for OCR."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(PINNED)
    pdf.add_page()
    pdf.image(text_image(text), x=10, y=10, w=150)
    return bytes(pdf.output())


def docx_with_table() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "Supplier list"
    document.core_properties.author = "Procurement"
    document.add_heading("Suppliers", level=1)
    document.add_paragraph("Approved suppliers for 2024.")
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("supplier", "country", "rating")):
        cell.text = text
    for row in (("Acme GmbH", "DE", "4"), ("Borealis AB", "SE", "5")):
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def related_workbook() -> bytes:
    """Customers and Orders: a named table, a list validation, a range validation pointing at the
    customer ids, number and date formats, widths, and a formula column (total = qty * price)."""
    import openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table

    book = openpyxl.Workbook()
    customers = book.active
    customers.title = "Customers"
    customers.append(["customer_id", "name", "tier", "since"])
    tiers = ["gold", "silver", "bronze"]
    names = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov",
             "Donald Knuth", "Frances Allen", "John Backus", "Margaret Hamilton", "Ken Thompson",
             "Dennis Ritchie", "Niklaus Wirth"]
    for i, name in enumerate(names):
        customers.append([f"C{101 + i}", name, tiers[i % 3], dt.date(2019, 1 + i % 12, 1 + (7 * i) % 27)])
        customers.cell(i + 2, 4).number_format = "yyyy-mm-dd"
    customers.column_dimensions["B"].width = 24
    tier_list = DataValidation(type="list", formula1='"gold,silver,bronze"', allow_blank=False)
    tier_list.add(f"C2:C{len(names) + 1}")
    customers.add_data_validation(tier_list)
    customers.add_table(Table(displayName="CustomerTable", ref=f"A1:D{len(names) + 1}"))

    orders = book.create_sheet("Orders")
    orders.append(["order_id", "customer_id", "quantity", "unit_price", "total", "status"])
    statuses = ["new", "paid", "shipped"]
    for i in range(30):
        r = i + 2
        orders.append([1000 + i, f"C{101 + (i * 5) % len(names)}", 1 + (i * 7) % 9, round(4.5 + (i * 37) % 120 / 3, 2),
                       f"=C{r}*D{r}", statuses[i % 3]])
        orders.cell(r, 4).number_format = "#,##0.00"
        orders.cell(r, 5).number_format = "#,##0.00"
    orders.column_dimensions["E"].width = 14
    ids = DataValidation(type="list", formula1=f"=Customers!$A$2:$A${len(names) + 1}")
    ids.add("B2:B31")
    orders.add_data_validation(ids)
    status_list = DataValidation(type="list", formula1='"new,paid,shipped"')
    status_list.add("F2:F31")
    orders.add_data_validation(status_list)
    orders.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def text_image(text: str = "INVOICE 4711", size: tuple[int, int] = (900, 200)):
    """A PIL image of black text on white, big enough for tesseract."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", size, 255)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 72)
    except OSError:
        font = ImageFont.load_default(size=72)
    ImageDraw.Draw(image).text((30, 50), text, font=font, fill=0)
    return image


def png_with_text(text: str = "INVOICE 4711") -> bytes:
    out = io.BytesIO()
    text_image(text).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SydaCam"          # Make
    exif[0x0110] = "Model 7"          # Model
    exif[0x0132] = "2024:05:17 09:30:00"  # DateTime
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def huge_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A valid PNG header claiming 10 gigapixels, with a tiny image data chunk: a pixel bomb."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + \
        chunk(b"IEND", b"")


def zip_bomb_xlsx(inflated: int = 64 << 20) -> bytes:
    """A workbook-looking zip whose sheet inflates from ~64 KiB to ``inflated`` bytes of zeros."""
    base = zipfile.ZipFile(io.BytesIO(related_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in base.infolist():
            bomb.writestr(info.filename, base.read(info))
        with bomb.open("xl/media/padding.bin", "w", force_zip64=True) as entry:
            block = b"\x00" * (1 << 20)
            for _ in range(inflated >> 20):
                entry.write(block)
    return out.getvalue()


def many_entries_docx(entries: int = 12_000) -> bytes:
    base = zipfile.ZipFile(io.BytesIO(docx_with_table()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for info in base.infolist():
            archive.writestr(info.filename, base.read(info))
        for i in range(entries):
            archive.writestr(f"customXml/item{i}.txt", b"")
    return out.getvalue()


XXE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n')


def xxe_docx() -> bytes:
    """A .docx whose document.xml declares an external entity and uses it in a paragraph."""
    return _with_dtd(docx_with_table(), "word/document.xml", b"&xxe;")


def xxe_xlsx() -> bytes:
    return _with_dtd(related_workbook(), "xl/workbook.xml", None)


def _with_dtd(data: bytes, member: str, marker: bytes | None) -> bytes:
    base = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in base.infolist():
            body = base.read(info)
            if info.filename == member:
                body = body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body  # drop the XML declaration, put ours with the DTD first
                if marker:
                    body = body.replace(b"Approved suppliers", marker, 1)
                body = XXE.encode() + body.lstrip()
            archive.writestr(info.filename, body)
    return out.getvalue()
