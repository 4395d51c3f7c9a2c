"""`syda generate --llm`: the LLM from the environment, the run report, the lockfile, offline replay."""

from __future__ import annotations

import logging

import pandas as pd
from click.testing import CliRunner
from llm_stubs import StubServer, dead_url, fake_llm

from sqlalchemy_syda.cli import main
from sqlalchemy_syda.llm import source

SCHEMA = """\
tables:
  people:
    id: number
    first_name: first_name
    last_name: last_name
    bio: text
counts: {people: 6}
prompts: {people: Members of a rowing club}
"""


def _env(url: str) -> dict[str, str]:
    return {"OPENAI_BASE_URL": url, "SYDA_LLM_MODEL": "stub", "OPENAI_API_KEY": "", "SYDA_LLM_BATCH_SIZE": "3",
            "SYDA_LLM_MAX_RETRIES": "0"}


def test_generate_with_the_llm_prints_the_report_and_replays_offline(tmp_path):
    """Test --llm (requests, report, lockfile), then --offline against a dead URL (same files, no request)."""
    (tmp_path / "club.yaml").write_text(SCHEMA)
    lock = tmp_path / "club.lock.json"
    runner = CliRunner()
    args = ["generate", str(tmp_path / "club.yaml"), "--lockfile", str(lock), "--mode", "rows"]
    with StubServer(fake_llm) as server:
        result = runner.invoke(main, [*args, "-o", str(tmp_path / "a"), "--llm"], env=_env(server.url))
        prompts = [body["messages"][1]["content"] for _, body in server.requests]
    assert result.exit_code == 0, result.output
    assert "LLM run report (model stub)" in result.output and "people" in result.output
    assert len(prompts) == 2 and all("Members of a rowing club" in p for p in prompts)
    assert lock.exists()
    offline = runner.invoke(main, [*args, "-o", str(tmp_path / "b"), "--offline"], env=_env(dead_url()))
    assert offline.exit_code == 0, offline.output
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "a" / "people.csv"), pd.read_csv(tmp_path / "b" / "people.csv"))
    assert pd.read_csv(tmp_path / "a" / "people.csv")["first_name"].str.startswith("Value").all()


def test_offline_without_an_answer_is_an_error(tmp_path):
    """Test --offline with an empty lockfile: exit status 1 and the LockfileError's message."""
    (tmp_path / "club.yaml").write_text(SCHEMA)
    result = CliRunner().invoke(main, ["generate", str(tmp_path / "club.yaml"), "-o", str(tmp_path / "o"),
                                       "--offline", "--lockfile", str(tmp_path / "none.json")],
                                env={"OPENAI_BASE_URL": "", "OPENAI_API_KEY": "", "SYDA_LLM_MODEL": ""})
    assert result.exit_code == 1 and "Offline run" in result.output and "has no answer for 'people'" in result.output


def test_llm_without_configuration_falls_back_and_says_so(tmp_path, monkeypatch, caplog):
    """Test --llm with nothing configured: the built-in generators, one message, no report."""
    (tmp_path / "club.yaml").write_text(SCHEMA)
    monkeypatch.setattr(source, "_announced", [False])
    with caplog.at_level(logging.WARNING, logger="sqlalchemy_syda.llm"):
        result = CliRunner().invoke(main, ["generate", str(tmp_path / "club.yaml"), "-o", str(tmp_path / "o"),
                                           "--llm"], env={"OPENAI_BASE_URL": "", "OPENAI_API_KEY": "",
                                                          "SYDA_LLM_MODEL": ""})
    assert result.exit_code == 0, result.output
    assert "no LLM configured" in caplog.text and "LLM run report" not in result.output
    assert len(pd.read_csv(tmp_path / "o" / "people.csv")) == 6


def test_seed_with_the_llm_writes_its_text_into_the_database(tmp_path, monkeypatch):
    """Test `syda seed --llm`: text-like columns from the LLM server, keys and FKs from the engine, the report."""
    import sqlite3

    from schemas import ROOT

    monkeypatch.chdir(ROOT)
    path = tmp_path / "crm.db"
    lock = tmp_path / "crm.lock.json"
    args = ["seed", "--url", f"sqlite:///{path}", "--models", "examples.crm_models:Base", "--create-tables",
            "--counts", "customers=4,contacts=6", "--lockfile", str(lock), "--mode", "rows"]
    with StubServer(fake_llm) as server:
        result = CliRunner().invoke(main, [*args, "--llm"], env=_env(server.url))
        asked = len(server.requests)
    assert result.exit_code == 0, result.output
    assert asked >= 2 and lock.exists()
    assert "seeded" in result.output and "LLM run report (model stub)" in result.output
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT first_name FROM contacts")]
        orphans = conn.execute("SELECT COUNT(*) FROM contacts c LEFT JOIN customers u ON u.id = c.customer_id "
                               "WHERE u.id IS NULL").fetchone()[0]
    finally:
        conn.close()
    assert len(names) == 6 and all(n.startswith("Value") for n in names) and orphans == 0
