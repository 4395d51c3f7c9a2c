"""The ``syda`` command tried as a new user would: each case went wrong before (a file left behind, tables
created by a dry run, an "OK" plan for a seed that must fail, a traceback, Python spellings in hints, datetimes
for dates in JSON, no progress in a log)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import NullPool

from sqlalchemy_syda.cli import main
from sqlalchemy_syda.cli.flag_hints import as_flags
from tests.schemas import ROOT

CRM = "examples.crm_models:Base"
CAPACITY = "tests.reliability.test_cli_new_user:CapacityBase"


class CapacityBase(DeclarativeBase):
    pass


class Role(CapacityBase):
    __tablename__ = "roles"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.Enum("admin", "staff", "guest", name="role_name", create_constraint=True),
                                      unique=True)


class Flag(CapacityBase):
    __tablename__ = "flags"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[int] = mapped_column(sa.SmallInteger, sa.CheckConstraint("code BETWEEN 1 AND 5"), unique=True)


@pytest.fixture(autouse=True)
def in_project_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # --models module:attr imports from the working directory


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def _tables(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


def test_an_empty_or_missing_database_is_one_clear_error_and_no_file(tmp_path):
    path = tmp_path / "crm.db"
    for args in (["--rows", "10"], ["--counts", "x=5"]):
        result = run("seed", "--url", f"sqlite:///{path}", *args)
        assert result.exit_code == 2 and "no SQLite database at" in result.output, result.output
        assert not path.exists()  # connecting used to leave a 0-byte file
    sqlite3.connect(path).close()  # an existing, empty database
    for args in (["--rows", "10"], ["--counts", "x=5"]):
        result = run("seed", "--url", f"sqlite:///{path}", *args)
        assert result.exit_code == 2 and "has no tables; create them first (--create-tables" in result.output


@pytest.mark.parametrize("command", [["plan"], ["seed", "--dry-run"]])
def test_a_dry_run_with_create_tables_creates_nothing_on_sqlite(tmp_path, command):
    path = tmp_path / "crm.db"
    result = run(*command, "--url", f"sqlite:///{path}", "--create-tables", "--models", CRM, "--rows", "5")
    assert result.exit_code == 0, result.output
    assert "customers" in result.output and "INSERT INTO customers" in result.output
    assert not path.exists()
    sqlite3.connect(path).execute("CREATE TABLE other (x INTEGER)").connection.close()
    result = run(*command, "--url", f"sqlite:///{path}", "--create-tables", "--models", CRM, "--rows", "5")
    assert result.exit_code == 0, result.output
    assert _tables(path) == ["other"]


@pytest.mark.postgres
def test_a_dry_run_with_create_tables_creates_nothing_on_postgresql(pg_url):
    result = run("plan", "--url", pg_url, "--create-tables", "--models", CRM, "--rows", "5")
    assert result.exit_code == 0, result.output
    assert "COPY customers" in result.output
    engine = sa.create_engine(pg_url, poolclass=NullPool)
    assert sa.inspect(engine).get_table_names() == []
    engine.dispose()


def test_plan_refuses_what_the_seed_would_refuse(tmp_path):
    url = f"sqlite:///{tmp_path / 'cap.db'}"
    assert run("seed", "--url", url, "--create-tables", "--models", CAPACITY, "--counts", "roles=2,flags=3").exit_code == 0
    result = run("plan", "--url", url, "--models", CAPACITY, "--counts", "roles=10")
    assert result.exit_code == 1 and "UNIQUE on 'roles.name' cannot hold 12 rows" in result.output
    result = run("plan", "--url", url, "--models", CAPACITY, "--counts", "roles=1,flags=9", "--existing", "top-up")
    assert result.exit_code == 1 and "UNIQUE on 'flags.code' cannot hold 9 rows" in result.output
    result = run("seed", "--dry-run", "--url", url, "--models", CAPACITY, "--counts", "roles=1,flags=3")
    assert result.exit_code == 1 and "UNIQUE on 'flags.code' cannot hold 6 rows" in result.output
    result = run("plan", "--url", url, "--models", CAPACITY, "--counts", "roles=1,flags=2")
    assert result.exit_code == 0, result.output  # within capacity: planned
    assert "estimate: 3 rows" in result.output


def test_sqlite_without_models_says_once_what_it_cannot_read(tmp_path):
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    assert run("seed", "--url", url, "--create-tables", "--models", CRM, "--rows", "3").exit_code == 0
    result = run("seed", "--url", url, "--rows", "3")
    assert result.exit_code == 0, result.output
    assert result.output.count("SQLite keeps no column comments") == 1
    assert "SQLite keeps no column comments" not in run("seed", "--url", url, "--models", CRM, "--rows", "3").output


def test_alembic_init_into_a_folder_it_cannot_create_is_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run("alembic", "init", str(blocker / "migrations"), "-c", str(tmp_path / "alembic.ini"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Error: cannot write the Alembic environment at" in result.output and "Not a directory" in result.output


def test_json_output_writes_dates_as_dates_and_no_escaped_slashes(tmp_path):
    result = run("generate", "--models", CRM, "--rows", "3", "-o", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "customers.json").read_text()
    assert "\\/" not in text and "https://" in text
    rows = json.loads(text)
    assert all(len(r["created_at"]) == 10 and r["created_at"][4] == "-" for r in rows)  # 2024-06-08, no time
    orders = json.loads((tmp_path / "orders.json").read_text())
    assert all(len(r["order_date"]) == 10 for r in orders)


def test_progress_lines_when_the_output_is_a_pipe(tmp_path):
    """CliRunner's streams are not terminals, as a CI log is not."""
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    result = CliRunner().invoke(main, ["seed", "--url", url, "--create-tables", "--models", CRM, "--rows", "2500"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    for table in ("customers", "contacts", "products", "orders", "order_items"):
        assert f"{table}: 2,500/2,500 rows" in lines, result.stderr


def test_hints_name_the_flags_not_the_python_keywords():
    assert as_flags("pass alter_constraints=True to make it deferrable") == "pass --alter-constraints to make it deferrable"
    assert as_flags("or run without the LLM (llm=None).") == "or run without the LLM (without --llm)."
    assert as_flags("Use fk_checks='auto' or 'row'.") == "Use --fk-checks auto or row."
    assert as_flags("raise the limit (max_rows=N, or max_rows=None for none).") == "raise the limit (--max-rows N)."


def test_a_cli_error_hint_names_the_flag(tmp_path):
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    assert run("seed", "--url", url, "--create-tables", "--models", CRM, "--rows", "1").exit_code == 0
    result = run("plan", "--url", url, "--models", CRM, "--rows", "200000000")
    assert result.exit_code == 1
    assert "--max-rows N" in result.output and "max_rows=" not in result.output
    assert run("plan", "--url", url, "--models", CRM, "--rows", "200000000", "--max-rows", "300000000").exit_code == 0


_WITHOUT_OPENAI = textwrap.dedent("""
    import sys
    sys.modules["openai"] = None  # as if the [llm] extra were not installed: importing it fails
    from click.testing import CliRunner
    from sqlalchemy_syda.cli import main
    for args in (["prompt", sys.argv[1], "--table", "customers"], ["generate", sys.argv[1], "-o", sys.argv[2]]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (args, result.output, result.exception)
    print("ok", sorted(name for name in sys.modules if name.startswith("openai") and sys.modules[name] is not None))
""")


def test_yaml_schemas_and_prompt_need_no_llm_extra(tmp_path):
    schema = tmp_path / "shop.yaml"
    schema.write_text("tables:\n  customers:\n    id: number\n    name: company_name\n    email: email\n"
                      "counts: {customers: 4}\nprompts: {customers: B2B buyers}\n")
    done = subprocess.run([sys.executable, "-c", _WITHOUT_OPENAI, str(schema), str(tmp_path / "out")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok []"
    assert (tmp_path / "out" / "customers.csv").read_text().count("\n") == 5
