"""The ``syda`` command through click's CliRunner: inspect, plan, seed, generate, and its exit codes."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from schemas import ROOT

from sqlalchemy_syda.cli import main

CRM = "examples.crm_models:Base"
TABLES = ["customers", "contacts", "products", "orders", "order_items"]


@pytest.fixture(autouse=True)
def in_project_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # --models module:attr imports from the working directory


@pytest.fixture
def db(tmp_path) -> tuple[str, str]:
    path = tmp_path / "crm.db"
    return f"sqlite:///{path}", str(path)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def counts(path: str) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def test_inspect_shows_each_columns_generator_and_why():
    result = run("inspect", "--models", CRM)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for title in ("Customer (customers)", "Contact (contacts)", "OrderItem (order_items)"):
        assert title in out
    assert "email().unique()" in out and "comment mentions 'email address'" in out
    assert "parent_key(customers.id)" in out

    only = run("inspect", "--models", CRM, "--table", "contacts")
    assert only.exit_code == 0 and "Contact (contacts)" in only.stdout and "Customer (customers)" not in only.stdout


def test_plan_prints_order_counts_and_sql_and_writes_nothing(db):
    url, path = db
    result = run("plan", "--url", url, "--models", CRM, "--rows", "10", "--create-tables")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("customers") < out.index("orders") < out.index("order_items")
    assert "10 rows" in out and "INSERT INTO order_items" in out
    assert not Path(path).exists()  # not even the tables: a plan creates nothing


def test_seed_creates_tables_and_writes_rows(db):
    url, path = db
    result = run("seed", "--url", url, "--create-tables", "--models", CRM, "--rows", "100")
    assert result.exit_code == 0, result.output
    assert counts(path) == dict.fromkeys(TABLES, 100)
    assert "seeded" in result.stdout and "total" in result.stdout and "500" in result.stdout
    conn = sqlite3.connect(path)
    try:
        orphans = conn.execute("SELECT COUNT(*) FROM order_items i LEFT JOIN orders o ON o.id = i.order_id "
                               "WHERE o.id IS NULL").fetchone()[0]
    finally:
        conn.close()
    assert orphans == 0


def test_seed_with_counts_per_table_and_with_reflection(db):
    url, path = db
    assert run("seed", "--url", url, "--create-tables", "--models", CRM, "--counts", "customers=3,products=2") \
        .exit_code == 0
    assert counts(path) == {"customers": 3, "contacts": 0, "products": 2, "orders": 0, "order_items": 0}
    # no --models: the tables are read from the database; --counts and --rows together
    result = run("seed", "--url", url, "--counts", "orders=7", "--rows", "1")
    assert result.exit_code == 0, result.output
    assert counts(path) == {"customers": 4, "contacts": 1, "products": 3, "orders": 7, "order_items": 1}


def test_seed_dry_run_writes_nothing(db):
    url, path = db
    run("seed", "--url", url, "--create-tables", "--models", CRM, "--rows", "5")
    result = run("seed", "--url", url, "--models", CRM, "--counts", "customers=1,contacts=2", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "after 5 existing rows" in result.stdout and "INSERT INTO contacts" in result.stdout
    assert counts(path) == dict.fromkeys(TABLES, 5)


def test_generate_writes_files(tmp_path):
    out = tmp_path / "out"
    result = run("generate", "--models", CRM, "--counts", "customers=4,orders=6", "--rows", "2", "-o", str(out))
    assert result.exit_code == 0, result.output
    with open(out / "orders.csv", newline="") as f:
        orders = list(csv.DictReader(f))
    with open(out / "customers.csv", newline="") as f:
        customers = list(csv.DictReader(f))
    assert len(orders) == 6 and len(customers) == 4
    assert {o["customer_id"] for o in orders} <= {c["id"] for c in customers}
    assert "orders: 6 rows" in result.stdout


@pytest.mark.parametrize("args, words", [
    (["--counts", "bogus=1"], ["--counts", "unknown table 'bogus'", "customers"]),
    (["--counts", "customers=x"], ["--counts", "'x' is not a number"]),
    (["--counts", "customers=-1"], ["--counts", "negative"]),
    (["--counts", "customers"], ["--counts", "table=n"]),
    ([], ["--rows N", "--counts"]),
    (["--rows", "-3"], ["--rows"]),
    (["--rows", "1", "--existing", "replace"], ["--existing", "replace"]),
])
def test_usage_errors_exit_2(db, args, words):
    url, _ = db
    result = run("seed", "--url", url, "--models", CRM, *args)
    assert result.exit_code == 2, result.output
    assert "Error" in result.stderr and "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


@pytest.mark.parametrize("models, words", [
    ("no_such_module:Base", ["--models", "cannot import 'no_such_module'"]),
    ("examples.crm_models:Nope", ["--models", "no attribute 'Nope'"]),
    ("examples.crm_models", ["--models", "module:attribute"]),
])
def test_bad_models_exit_2(db, models, words):
    result = run("seed", "--url", db[0], "--models", models, "--rows", "1")
    assert result.exit_code == 2
    for word in words:
        assert word in result.stderr


def test_bad_urls_exit_2_or_1():
    bad_scheme = run("seed", "--url", "nosuchdb://x", "--models", CRM, "--rows", "1")
    assert bad_scheme.exit_code == 2 and "--url" in bad_scheme.stderr
    unreachable = run("seed", "--url", "postgresql+psycopg://postgres@127.0.0.1:1/x", "--models", CRM, "--rows", "1")
    assert unreachable.exit_code == 1
    assert "Cannot connect" in unreachable.stderr and "Traceback" not in unreachable.stderr


def test_syda_errors_exit_1_with_one_clear_line(db):
    url, path = db
    no_file = run("seed", "--url", url, "--models", CRM, "--rows", "3")  # no database file: refused before connecting
    assert no_file.exit_code == 2 and "no SQLite database at" in no_file.stderr and not Path(path).exists()
    sqlite3.connect(path).close()
    missing = run("seed", "--url", url, "--models", CRM, "--rows", "3")  # tables were never created
    assert missing.exit_code == 1
    assert missing.stderr.startswith("Error: ") and "does not exist" in missing.stderr and "create" in missing.stderr

    cycle = run("seed", "--url", url, "--create-tables", "--models", "schemas:NOT_NULL_CYCLE", "--rows", "3")
    assert cycle.exit_code == 1
    assert "NOT NULL cycle" in cycle.stderr and "nullable" in cycle.stderr and "Traceback" not in cycle.stderr


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and "0.1.0" in result.stdout


def test_fk_checks_option_on_postgresql(pg_schema_url):
    """Test --fk-checks: bulk re-adds the foreign keys (named in the summary), row leaves them alone, the plan says so."""
    import sqlalchemy as sa

    plan = run("plan", "--url", pg_schema_url, "--models", CRM, "--create-tables", "--rows", "10",
               "--fk-checks", "bulk")
    assert plan.exit_code == 0, plan.output
    assert "FKs checked in bulk after the load" in plan.stdout and "DROP CONSTRAINT ... / ADD CONSTRAINT" in plan.stdout
    bulk = run("seed", "--url", pg_schema_url, "--models", CRM, "--create-tables", "--rows", "50", "--fk-checks", "bulk")
    assert bulk.exit_code == 0, bulk.output
    assert "foreign keys re-added, checked" in bulk.stdout
    row = run("seed", "--url", pg_schema_url, "--models", CRM, "--rows", "50", "--fk-checks", "row")
    assert row.exit_code == 0 and "foreign keys re-added" not in row.stdout
    engine = sa.create_engine(pg_schema_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM order_items")).scalar() == 100
        assert conn.execute(sa.text("SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
                                    "AND connamespace = current_schema()::regnamespace")).scalar() == 4  # all back
    engine.dispose()
    bad = run("seed", "--url", pg_schema_url, "--models", CRM, "--rows", "5", "--fk-checks", "later")
    assert bad.exit_code == 2 and "later" in bad.output
