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


def page_picture(target: Path) -> Path:
    """The page after a workbook upload, its preview and a finished run, on a service started for it."""
    import os
    import shutil
    import socket
    import subprocess
    import time

    import httpx
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests" / "files"))
    from file_fixtures import related_workbook

    key = "docs-admin-key-" + "x" * 24
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SYDA_SERVICE_DATABASE": f"sqlite:///{tmp}/state.db", "SYDA_SERVICE_ADMIN_KEY": key,
               "SYDA_SERVICE_DATA_DIR": f"{tmp}/data", "PYTHONPATH": str(ROOT)}
        server = subprocess.Popen([sys.executable, "-m", "service", "--host", "127.0.0.1", "--port", str(port)],
                                  cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(url + "/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            book = Path(tmp) / "shop.xlsx"
            book.write_bytes(related_workbook())
            flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync"]
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=flags)
                page = browser.new_page(viewport={"width": 1100, "height": 900})
                page.goto(url + "/")
                page.fill("#api-key", key)
                page.click("#key-form button")
                page.fill("#new-project-name", "shop")
                page.click("#new-project button")
                page.wait_for_selector("#project option[value='shop']", state="attached")
                page.set_input_files("#file", str(book))
                page.click("#upload-form button")
                page.wait_for_selector("table.columns[data-table='Orders']")
                page.fill("#count-Orders", "500")
                page.fill("#count-CustomerTable", "80")
                page.click("#run")
                page.wait_for_selector("#job-status.status-succeeded", timeout=120_000)
                page.click("#refresh-log")
                page.wait_for_timeout(500)
                page.screenshot(path=str(target), full_page=True)
                browser.close()
        finally:
            server.terminate()
            server.wait(20)
    return target


if __name__ == "__main__":
    print(invoice_picture(ROOT / "docs" / "invoice.png"))
    try:
        import service  # noqa: F401
    except ImportError:
        print("the service is not installed: no picture of the web page")
    else:
        print(page_picture(ROOT / "docs" / "web-page.png"))
