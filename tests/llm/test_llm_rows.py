"""Rows mode: the LLM writes records in batches; every value is validated, the engine replaces what fails."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from llm_stubs import StubServer, completion, fake_llm, requested_n

from examples.crm_models import Contact, Customer
from sqlalchemy_syda import LLM, LLMConfig, SchemaError, generate

SCHEMA = {
    "id": "number",
    "name": "full_name",
    "email": {"type": "email", "unique": True, "nullable": False},
    "visits": {"type": "number", "min": 1, "max": 5},
    "notes": "text",
}


def _llm(url: str, **options) -> LLM:
    return LLM(LLMConfig(base_url=url, model="stub", lockfile=None, batch_size=3, mode="rows", max_retries=1,
                         backoff=0.01, **options))


def test_valid_values_are_kept_and_invalid_ones_replaced_by_the_engine():
    """Test that each bad value (type, pattern, bound, length, UNIQUE repeat) becomes the engine's value."""
    records = [
        {"name": "Ana Ruiz", "email": "ana@example.com", "visits": 3, "notes": "Follow-up in spring."},
        {"name": 42, "email": "not an email", "visits": 9, "notes": None},
        {"name": "Bo Li", "email": "ana@example.com", "visits": "3", "notes": "x" * 5000},
    ]
    with StubServer(lambda path, body: (200, completion(json.dumps({"records": records})))) as server:
        llm = _llm(server.url)
        frame = generate(SCHEMA, 3, llm=llm)
    engine = generate(SCHEMA, 3)
    assert frame.loc[0, ["name", "email", "visits", "notes"]].tolist() == \
        ["Ana Ruiz", "ana@example.com", 3, "Follow-up in spring."]
    assert frame.loc[1, "name"] == engine.loc[1, "name"]            # a number where text belongs
    assert frame.loc[1, "email"] == engine.loc[1, "email"]          # not an e-mail address
    assert frame.loc[1, "visits"] == engine.loc[1, "visits"]        # above the schema's max of 5
    assert pd.isna(frame.loc[1, "notes"])                           # NULL is fine in a nullable column
    assert frame.loc[2, "name"] == "Bo Li"
    assert frame.loc[2, "email"] == engine.loc[2, "email"]          # repeats row 0 in a UNIQUE column
    assert frame.loc[2, "visits"] == engine.loc[2, "visits"]        # "3" is a string, not a number
    assert frame.loc[2, "notes"] == engine.loc[2, "notes"]          # longer than the 400 characters asked for
    assert frame["id"].tolist() == [1, 2, 3]                        # keys are the engine's
    assert frame["email"].is_unique
    assert llm.report.table("records").replaced == 6


def test_missing_records_are_filled_by_the_engine():
    """Test that an answer with fewer records than asked leaves the remaining rows to the engine."""
    one = [{"name": "Ana Ruiz", "email": "ana@example.com", "visits": 2, "notes": "ok"}]
    with StubServer(lambda path, body: (200, completion(json.dumps({"records": one})))) as server:
        llm = _llm(server.url)
        frame = generate(SCHEMA, 3, llm=llm)
    engine = generate(SCHEMA, 3)
    assert frame.loc[0, "name"] == "Ana Ruiz"
    pd.testing.assert_frame_equal(frame.iloc[1:], engine.iloc[1:])
    assert llm.report.table("records").replaced == 8


def test_batches_cover_every_row_and_the_report_counts_them():
    """Test that 7 rows in batches of 3 make 3 requests for 3, 3 and 1 records, with tokens recorded."""
    with StubServer(fake_llm) as server:
        llm = _llm(server.url)
        frame = generate(SCHEMA, 7, llm=llm)
        sizes = [requested_n(body) for _, body in server.requests]
    assert sorted(sizes) == [1, 3, 3]                     # sent concurrently: any order
    assert len(frame) == 7 and frame["email"].str.endswith("@example.com").all()
    entry = llm.report.table("records")
    assert (entry.calls, entry.rows, entry.mode, entry.replaced) == (3, 7, "rows", 0)
    assert entry.prompt_tokens == 33 and entry.completion_tokens == 66


def test_user_overrides_win_and_are_left_out_of_the_request():
    """Test that an overridden column is neither asked of the LLM nor changed by it."""
    with StubServer(fake_llm) as server:
        frame = generate(SCHEMA, 3, overrides={"notes": "fixed"}, llm=_llm(server.url))
        body = server.requests[0][1]
    assert (frame["notes"] == "fixed").all()
    assert "notes" not in body["response_format"]["json_schema"]["schema"]["properties"]["records"]["items"][
        "properties"]
    assert "Leave out id, notes: they are filled in separately." in body["messages"][1]["content"]


def test_keys_and_foreign_keys_stay_with_the_engine():
    """Test that primary and foreign keys never go to the LLM and children point at generated parents."""
    with StubServer(fake_llm) as server:
        frames = generate([Customer, Contact], {Customer: 4, Contact: 9}, llm=_llm(server.url))
        asked = {name for _, body in server.requests for name in
                 body["response_format"]["json_schema"]["schema"]["properties"]["records"]["items"]["properties"]}
    assert not asked & {"id", "customer_id"}
    assert set(frames["contacts"]["customer_id"]) <= set(frames["customers"]["id"])
    assert frames["contacts"]["id"].tolist() == list(range(1, 10))
    assert frames["contacts"]["email"].is_unique


def test_only_metadata_is_sent_unless_samples_are_shared():
    """Test the governance rule: no row values in prompts; samples only with share_samples=True."""
    engine_frame = generate(SCHEMA, 3)
    with StubServer(fake_llm) as server:
        generate(SCHEMA, 3, llm=_llm(server.url))
        prompt = server.requests[0][1]["messages"][1]["content"]
    assert not any(str(v) in prompt for v in engine_frame["email"])
    with pytest.raises(SchemaError, match="share_samples"):
        LLM(LLMConfig(lockfile=None), samples={"records": [{"name": "Ana"}]})
    with StubServer(fake_llm) as server:
        llm = LLM(LLMConfig(base_url=server.url, model="stub", lockfile=None, mode="rows", share_samples=True),
                  samples={"records": [{"name": "Ana Ruiz", "email": "ana@example.com"}]})
        generate(SCHEMA, 2, llm=llm)
        prompt = server.requests[0][1]["messages"][1]["content"]
    assert 'Example records:\n{"name": "Ana Ruiz", "email": "ana@example.com"' in prompt


def test_rows_mode_in_a_seed_continues_after_existing_rows(tmp_path):
    """Test seed(llm=...) twice into SQLite: new rows get LLM values; a repeated UNIQUE e-mail is drawn again."""
    import sqlalchemy as sa

    from sqlalchemy_syda import seed
    from sqlalchemy_syda.dict_schema import dict_table_spec

    spec = dict_table_spec(SCHEMA, name="patients")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    metadata = sa.MetaData()
    sa.Table("patients", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(80)),
             sa.Column("email", sa.String(120), unique=True, nullable=False), sa.Column("visits", sa.Integer),
             sa.Column("notes", sa.Text))
    metadata.create_all(engine)
    with StubServer(fake_llm) as server:
        for _ in range(2):  # the fake LLM answers the same records both times
            seed(engine, {spec: 4}, llm=_llm(server.url))
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, name, email FROM patients ORDER BY id")).all()
    assert [r.id for r in rows] == list(range(1, 9))
    assert [r.name for r in rows[:4]] == [r.name for r in rows[4:]] == ["Value 0-0", "Value 0-1", "Value 0-2",
                                                                          "Value 1-0"]
    assert len({r.email for r in rows}) == 8 and rows[0].email == "user0.0@example.com"
    assert not any(r.email.endswith("@example.com") for r in rows[4:])   # taken: the engine's own values
