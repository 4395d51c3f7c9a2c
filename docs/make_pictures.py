"""Make the README's pictures of the files features (run from the repository root).

    python docs/make_pictures.py            # docs/invoice.png (and docs/web-page.png when the service is installed)

The invoice is page 1 of examples/invoices/render.py's first PDF, rasterised with pypdfium2 (installed
with pdfplumber); the web page is the service's page at ``/`` in Debian's headless chromium, after a
CSV upload (see tests/service/test_web_page.py for the same flow as a test).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def invoice_picture(target: Path) -> Path:
    import pdfplumber

    from examples.invoices.models import Customer, Invoice, InvoiceLine
    from sqlalchemy_syda import render_documents

    with tempfile.TemporaryDirectory() as tmp:
        paths = render_documents(ROOT / "examples" / "invoices" / "invoice.html", [Customer, Invoice, InvoiceLine],
                                 {Customer: 5, Invoice: 12, InvoiceLine: 40}, table=Invoice, to="pdf",
                                 out=tmp, seed=42, name="invoice-{{ number }}", limit=1)
        with pdfplumber.open(paths[0]) as pdf:
            page = pdf.pages[0].crop((0, 0, pdf.pages[0].width, pdf.pages[0].height * 0.45))
            page.to_image(resolution=110).save(target)
    return target


if __name__ == "__main__":
    print(invoice_picture(ROOT / "docs" / "invoice.png"))
