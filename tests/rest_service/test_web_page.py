"""The web page in a real headless Chromium (Debian's ``chromium``, driven by Playwright through
``executable_path``): key, project, upload, preview, run, progress, download, report, transaction log."""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

import openpyxl
import pytest

from .conftest import ADMIN_KEY

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "files"))
from file_fixtures import related_workbook  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCHEMA = b"""tables:
  customers:
    id: number
    name: full_name
    email: email
  orders:
    id: number
    customer_id: {type: foreign_key, references: customers.id}
    total: {type: price, min: 5, max: 500}
"""


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with tempfile.TemporaryDirectory() as profile, playwright_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True,
                                                       args=FLAGS, accept_downloads=True,
                                                       viewport={"width": 1100, "height": 1400})
        yield context
        context.close()


@pytest.fixture(scope="module")
def page(browser, files_service):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(files_service.url + "/")
    page.fill("#api-key", ADMIN_KEY)
    page.click("#key-form button")
    page.wait_for_selector("#key-state:has-text('key set')")
    page.errors = errors
    yield page
    page.close()


def _create_project(page, name: str) -> None:
    page.fill("#new-project-name", name)
    page.click("#new-project button")
    page.wait_for_selector(f"#project option[value='{name}']", state="attached")
    assert page.input_value("#project") == name


def test_page_needs_no_key_and_says_so(files_service):
    import httpx

    r = httpx.get(files_service.url + "/")
    assert r.status_code == 200 and "API key" in r.text and r.headers["content-type"].startswith("text/html")
    assert httpx.get(files_service.url + "/ui/app.js").status_code == 200
    assert httpx.get(files_service.url + "/ui/secret.py").status_code == 404


def test_workbook_upload_generate_download(page, tmp_path):
    """Upload an Excel file, preview what was learned, choose rows, run, watch, download the workbook."""
    _create_project(page, "web_books")
    source = tmp_path / "shop.xlsx"
    source.write_bytes(related_workbook())
    page.set_input_files("#file", str(source))
    page.click("#upload-form button")
    page.wait_for_selector("table.columns[data-table='Orders']")
    orders = page.inner_text("table.columns[data-table='Orders']")
    assert "formula =C2*D2" in orders and "reference to CustomerTable.customer_id" in orders
    page.fill("#count-Orders", "25")
    page.fill("#count-CustomerTable", "10")
    page.fill("#seed", "4")
    page.click("#run")
    page.wait_for_selector("#job-status.status-succeeded", timeout=120_000)
    assert "Orders" in page.inner_text("#progress") and "25 / 25" in page.inner_text("#progress")
    with page.expect_download() as info:
        page.click("button.artifact[data-name='shop-synthetic.xlsx']")
    saved = tmp_path / "downloaded.xlsx"
    info.value.save_as(saved)
    book = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()))
    assert book["Orders"].max_row == 26 and book["Orders"]["E26"].value == "=C26*D26"
    assert book["Customers"].max_row == 11
    page.wait_for_selector("#report iframe")  # the quality report of the Orders sheet, with its plots
    frame = page.frame_locator("#report iframe")
    assert frame.locator("img").count() > 0 and "Column Shapes" in frame.locator("body").inner_text()
    page.click("#refresh-log")
    page.wait_for_selector("#log tbody tr:has-text('job.succeeded')")
    assert page.errors == []


def test_schema_upload_generate_csv(page, tmp_path):
    """A schema file: preview the generators, choose counts, run and download the CSV."""
    _create_project(page, "web_schema")
    schema = tmp_path / "shop.yaml"
    schema.write_bytes(SCHEMA)
    page.set_input_files("#file", str(schema))
    page.click("#upload-form button")
    page.wait_for_selector("table.columns[data-table='customers']")
    assert "email()" in page.inner_text("table.columns[data-table='customers']")
    page.fill("#count-customers", "7")
    page.fill("#count-orders", "12")
    page.select_option("#format", "csv")
    page.click("#run")
    page.wait_for_selector("#job-status.status-succeeded", timeout=120_000)
    assert page.is_visible("#downloads a.download:has-text('customers.csv')")
    lines = {}
    for table in ("customers", "orders"):
        with page.expect_download() as info:
            page.click(f"#downloads a.download:has-text('{table}.csv')")
        lines[table] = Path(info.value.path()).read_text().strip().splitlines()
    assert lines["customers"][0] == "id,name,email" and len(lines["customers"]) == 8
    assert lines["orders"][0] == "id,customer_id,total" and len(lines["orders"]) == 13
    ids = {line.split(",")[0] for line in lines["customers"][1:]}
    assert {line.split(",")[1] for line in lines["orders"][1:]} <= ids
    assert page.errors == []


def test_csv_upload_learn_generate_download(page, tmp_path):
    """A CSV: the columns learned (meaning, type, samples), rows chosen, a job, the synthetic CSV and its report."""
    import numpy as np

    _create_project(page, "web_csv")
    rng = np.random.default_rng(3)
    rows = ["plan,seats,monthly_fee,signup_date"]
    for i in range(120):
        plan = ["basic", "team", "enterprise"][i % 3]
        seats = int(rng.integers(1, 50))
        rows.append(f"{plan},{seats},{seats * (9 + 10 * (i % 3))}.00,2024-0{1 + i % 9}-1{i % 10}")
    source = tmp_path / "subscriptions.csv"
    source.write_text("\n".join(rows) + "\n")
    page.set_input_files("#file", str(source))
    page.click("#upload-form button")
    page.wait_for_selector("table.columns[data-table='subscriptions']")
    learned = page.inner_text("table.columns[data-table='subscriptions']")
    assert "plan" in learned and "seats" in learned and "monthly_fee" in learned
    page.fill("#count-subscriptions", "40")
    page.select_option("#format", "csv")
    page.click("#run")
    page.wait_for_selector("#job-status.status-succeeded", timeout=120_000)
    link = page.locator("#downloads a.download, #downloads button.artifact").filter(has_text=".csv").first
    with page.expect_download() as info:
        link.click()
    lines = Path(info.value.path()).read_text().strip().splitlines()
    assert lines[0] == "plan,seats,monthly_fee,signup_date" and len(lines) == 41
    assert {line.split(",")[0] for line in lines[1:]} <= {"basic", "team", "enterprise"}
    assert page.errors == []


def test_screenshot_shows_the_page(page, tmp_path):
    """The page renders: a full-page screenshot with the sections' text and more than a blank canvas."""
    from PIL import Image

    shot = Path(os.environ.get("SYDA_PAGE_SCREENSHOT") or tmp_path / "page.png")
    page.screenshot(path=str(shot), full_page=True)
    image = Image.open(shot).convert("RGB")
    assert image.width == 1100 and image.height > 800
    colours = image.resize((220, 200)).getcolors(maxcolors=1 << 16)
    assert colours is not None and len(colours) > 20
    for heading in ("1. Project", "2. Upload", "Transaction log"):
        assert page.is_visible(f"h2:has-text('{heading}')")
