"""Against a real OpenAI-compatible server: xllamacpp serving SmolLM2-135M (see conftest.py).

Few and small requests (the model writes about 50-100 tokens a second on one core). They check the
prompt that is sent, that real structured output is parsed and validated value by value, lockfile
replay with the server gone (zero requests), retries against a server that fails first, that a
100k-row pools seed asks as often as a 1k-row one, and the seed document's example with the LLM.
Assertions are about structure and types, not about how realistic a 135M model's data is.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from llm_stubs import StubServer, dead_url, flaky_proxy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sqlalchemy_syda import LLM, LLMConfig, generate, seed
from sqlalchemy_syda.dict_schema import dict_table_spec
from sqlalchemy_syda.llm.records import validate_record

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = {"id": "number", "first_name": {"type": "first_name", "nullable": False},
          "city": {"type": "city", "length": 40}, "visits": {"type": "number", "min": 1, "max": 5}}


def _config(url: str, lockfile=None, **options) -> LLMConfig:
    return LLMConfig(**{"base_url": url, "model": "smollm2", "lockfile": lockfile, "batch_size": 3, "pool_size": 3,
                        "max_retries": 2, "backoff": 0.1, "timeout": 300.0, "seed": 1, **options})


@pytest.fixture(scope="module")
def rows_run(smollm_url, tmp_path_factory):
    """One rows-mode run of 3 records against the real model, with its lockfile."""
    lock = tmp_path_factory.mktemp("lock") / "syda.lock.json"
    llm = LLM(_config(smollm_url, lock, mode="rows"), prompts={"records": "Patients of a clinic in Utrecht."})
    frame = generate(SCHEMA, 3, llm=llm)
    return llm, frame, lock


def test_real_structured_output_is_parsed_and_validated(rows_run):
    """Test the prompt sent, the parsed answer, and that each value is the LLM's if valid, else the engine's."""
    llm, frame, lock = rows_run
    (entry,) = json.loads(lock.read_text())["entries"].values()
    plan = LLM(_config("http://unused/v1", mode="rows"), prompts={"records": "Patients of a clinic in Utrecht."}) \
        .plan(dict_table_spec(SCHEMA), 3)
    prompt = plan.requests[0].prompt
    assert prompt.startswith("Generate 3 records JSON objects with these fields:\n- id: number (primary_key)\n"
                             "- first_name: first_name (not_null)\n- city: city (max_length=40)\n"
                             "- visits: number (min=1, max=5)\n\nPatients of a clinic in Utrecht.")
    assert entry["prompt_sha256"] == hashlib.sha256(prompt.encode()).hexdigest()
    assert entry["model"] == "smollm2" and entry["completion_tokens"] > 0 and len(entry["records"]) == 3
    assert llm.report.calls == 1 and llm.report.tokens > 0
    engine = generate(SCHEMA, 3)
    for i, record in enumerate(entry["records"]):
        valid = validate_record(plan.rules, record)
        for column in ("first_name", "city", "visits"):
            expected = valid[column] if column in valid else engine.loc[i, column]
            assert frame.loc[i, column] == expected
    assert frame["id"].tolist() == [1, 2, 3]
    assert frame["visits"].between(1, 5).all() and (frame["city"].str.len() <= 40).all()
    assert frame["first_name"].map(lambda v: isinstance(v, str) and v != "").all()


def test_the_lockfile_replays_with_the_server_stopped(rows_run):
    """Test that a second run with nothing listening sends zero requests and gives identical rows."""
    _, frame, lock = rows_run
    replay = LLM(_config(dead_url(), lock, mode="rows"), prompts={"records": "Patients of a clinic in Utrecht."})
    again = generate(SCHEMA, 3, llm=replay)
    pd.testing.assert_frame_equal(frame, again)
    assert replay.client.requests == 0 and replay.report.replayed == 1 and replay.report.calls == 0


def test_retries_against_a_server_that_fails_first(smollm_url):
    """Test a real proxy answering 503 twice before forwarding to the model: two retries, then the answer."""
    with StubServer(flaky_proxy(smollm_url, failures=2)) as proxy:
        llm = LLM(_config(proxy.url, mode="rows", max_retries=3))
        frame = generate({"id": "number", "city": {"type": "city", "length": 30}}, 2, llm=llm)
        assert len(proxy.requests) == 3
    assert llm.report.retries == 2 and llm.report.calls == 1 and len(frame) == 2


class _Base(DeclarativeBase):
    pass


class Member(_Base):
    """Members of a sports club."""

    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(sa.String(40), comment="Given name")
    last_name: Mapped[str] = mapped_column(sa.String(40), comment="Family name")
    email: Mapped[str] = mapped_column(sa.String(120), unique=True, comment="E-mail address")


def test_a_100k_row_pools_seed_makes_as_many_calls_as_a_1k_row_one(smollm_url, tmp_path):
    """Test seed(llm=...) in pools mode: the request count does not grow with the row count."""
    counted = {}
    for rows in (1_000, 100_000):
        engine = sa.create_engine(f"sqlite:///{tmp_path / f'club{rows}.db'}")
        _Base.metadata.create_all(engine)
        with StubServer(flaky_proxy(smollm_url, failures=0)) as proxy:
            llm = LLM(_config(proxy.url, mode="pools"))
            seed(engine, {Member: rows}, llm=llm)
            counted[rows] = (len(proxy.requests), llm.report.calls)
        with engine.connect() as conn:
            n, distinct = conn.execute(sa.text("SELECT count(*), count(DISTINCT email) FROM members")).one()
        engine.dispose()
        assert n == distinct == rows
    assert counted[1_000] == counted[100_000] == (1, 1)


def _run_example(name: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SYDA_LLM_"))}
    return subprocess.run([sys.executable, str(ROOT / "examples" / f"{name}.py")], cwd=cwd, env={**clean, **env},
                          capture_output=True, text=True, timeout=600)


def test_the_seed_example_runs_with_the_llm_and_replays_from_the_lockfile(smollm_url, tmp_path):
    """Test departments_employees.py with the LLM configured by environment, then offline from its lockfile."""
    env = {"OPENAI_BASE_URL": smollm_url, "SYDA_LLM_MODEL": "smollm2", "SYDA_LLM_MODE": "pools",
           "SYDA_LLM_POOL_SIZE": "3", "SYDA_LLM_BATCH_SIZE": "3", "PYTHONPATH": str(ROOT)}
    done = _run_example("departments_employees", tmp_path, env)
    assert done.returncode == 0, done.stderr
    assert "✅ All employee department_id values reference valid departments" in done.stdout
    entries = json.loads((tmp_path / "syda.lock.json").read_text())["entries"]
    assert sorted((e["table"], e["group"]) for e in entries.values()) == [
        ("departments", "address"), ("departments", "record"), ("employees", "person")]
    first = {f: pd.read_csv(tmp_path / f) for f in ("departments.csv", "employees.csv")}
    offline = {**env, "OPENAI_BASE_URL": dead_url(), "SYDA_LLM_OFFLINE": "1"}
    again = _run_example("departments_employees", tmp_path, offline)
    assert again.returncode == 0, again.stderr
    assert "✅" in again.stdout
    pd.testing.assert_frame_equal(first["departments.csv"], pd.read_csv(tmp_path / "departments.csv"))
    people = ["first_name", "last_name", "email", "role", "salary"]  # department_id: the example's random.choice
    pd.testing.assert_frame_equal(first["employees.csv"][people], pd.read_csv(tmp_path / "employees.csv")[people])
