"""Pools mode: a few distinct records per column group, asked once; rows pick whole records from them."""

from __future__ import annotations

import json
import logging

import numpy as np
import pandas as pd
import sqlalchemy as sa
from llm_stubs import StubServer, completion, fake_llm

from examples.crm_models import Base, Contact, Customer, Product
from sqlalchemy_syda import LLM, LLMConfig, generate, seed, table_spec
from sqlalchemy_syda.llm.pools import Pool, pool_calls, pool_groups
from sqlalchemy_syda.llm.records import field_rules
from sqlalchemy_syda.recipe_planner import TableInputs, table_recipe


def _llm(url: str, **options) -> LLM:
    settings = {"base_url": url, "model": "stub", "lockfile": None, "mode": "pools", "pool_size": 20,
                "batch_size": 10, "max_retries": 1, "backoff": 0.01, **options}
    return LLM(LLMConfig(**settings))


def test_columns_are_grouped_by_what_belongs_together():
    """Test that names, e-mail and job title form one person group; other text forms the record group."""
    assert pool_groups(table_recipe(TableInputs(table_spec(Contact), 10))) == {
        "person": ["first_name", "last_name", "email", "position"]}
    assert pool_groups(table_recipe(TableInputs(table_spec(Customer), 10))) == {"record": ["name", "industry"]}
    assert pool_groups(table_recipe(TableInputs(table_spec(Product), 10))) == {"record": ["name", "category", "description"]}
    address = {"id": "number", "city": "city", "state": "state", "zip": "postcode", "note": "text"}
    assert pool_groups(table_recipe(TableInputs(table_spec_of(address), 10))) == {
        "address": ["city", "state", "zip"], "record": ["note"]}


def table_spec_of(schema: dict):
    from sqlalchemy_syda.dict_schema import dict_table_spec

    return dict_table_spec(schema, name="places")


def test_a_pool_keeps_valid_distinct_records_only():
    """Test that records with a bad field, repeats and numbered-looking UNIQUE values are dropped."""
    rules = field_rules(table_recipe(TableInputs(table_spec(Contact), 10)), ["first_name", "last_name", "email"], nullable=False)
    answers = [{"first_name": "Ana", "last_name": "Ruiz", "email": "ana@example.com"},
               {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@example.com"},      # repeat
               {"first_name": "Bo", "last_name": "Li", "email": "ANA@example.com"},         # UNIQUE repeat
               {"first_name": "Cy", "last_name": None, "email": "cy@example.com"},          # NULL
               {"first_name": "Di", "last_name": "Wu", "email": "di+2@example.com"},        # looks numbered
               {"first_name": "Ed", "last_name": "Ng", "email": "ed@example.com"},
               "not a record"]
    pool, dropped = Pool.from_answers("person", rules, answers)
    assert pool.records == [("Ana", "Ruiz", "ana@example.com"), ("Ed", "Ng", "ed@example.com")]
    assert dropped == 2 and pool.unique == {"email"}


def test_100k_rows_make_the_same_calls_as_1k_and_stay_coherent_and_unique():
    """Test that the row count does not change the number of requests; UNIQUE e-mails get numbered laps."""
    calls = {}
    for rows in (1_000, 100_000):
        with StubServer(fake_llm) as server:
            llm = _llm(server.url)
            frame = generate(Contact, rows, llm=llm)
            calls[rows] = (len(server.requests), llm.report.calls)
            records = [r for _, body in server.requests for r in
                       json.loads(fake_llm("", body)[1]["choices"][0]["message"]["content"])["records"]]
    assert calls[1_000] == calls[100_000] == (pool_calls(LLMConfig(pool_size=20, batch_size=10), 1),) * 2
    assert len(frame) == 100_000 and frame["email"].is_unique
    pool = {(r["first_name"], r["last_name"]): r for r in records}
    pairs = set(zip(frame["first_name"], frame["last_name"]))
    assert pairs <= set(pool)                                     # first and last name come from one record
    base = frame["email"].str.replace(r"\+\d+@", "@", regex=True)
    expected = [pool[(f, last)]["email"] for f, last in zip(frame["first_name"], frame["last_name"])]
    assert (base == expected).all()                               # ... and so does the e-mail
    assert frame["email"].str.contains(r"\+\d+@").mean() > 0.99   # 20 records, 100k rows: laps are numbered


def test_pools_feed_a_real_seed_with_keys_and_foreign_keys_from_the_engine(tmp_path):
    """Test seed(llm=...) into SQLite: the database enforces UNIQUE and foreign keys on the pooled values."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'crm.db'}")
    sa.event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA foreign_keys=ON"))
    Base.metadata.create_all(engine)
    with StubServer(fake_llm) as server:
        llm = _llm(server.url)
        result = seed(engine, {Customer: 30, Contact: 3_000}, llm=llm)
    assert result.counts == {"customers": 30, "contacts": 3_000}
    with engine.connect() as conn:
        contacts = pd.read_sql("SELECT * FROM contacts", conn)
        names = set(conn.execute(sa.text("SELECT name FROM customers")).scalars())
    assert contacts["email"].is_unique and contacts["first_name"].str.startswith("Value").all()
    assert all(n.startswith("Value") for n in names)
    assert llm.report.table("contacts").mode == "pools" and llm.report.table("customers").mode == "pools"
    engine.dispose()


def test_a_group_with_no_valid_record_falls_back_to_the_engine(caplog):
    """Test that when every pooled record fails validation the built-in generators fill the group, with a warning."""
    garbage = {"records": [{"first_name": 1, "last_name": 2, "email": "x", "position": 3}] * 10}
    with StubServer(lambda path, body: (200, completion(json.dumps(garbage)))) as server:
        llm = _llm(server.url)
        with caplog.at_level(logging.WARNING, logger="sqlalchemy_syda.llm"):
            frame = generate(Contact, 50, llm=llm)
    pd.testing.assert_frame_equal(frame, generate(Contact, 50))
    assert "gave no valid records for contacts (person)" in caplog.text
    assert llm.report.table("contacts").replaced == 20


def test_nullable_pool_columns_keep_a_realistic_null_rate():
    """Test that a nullable pooled column gets the engine's NULL rate, a NOT NULL one none."""
    with StubServer(fake_llm) as server:
        frame = generate(Contact, 20_000, llm=_llm(server.url))
    assert 0.02 < frame["position"].isna().mean() < 0.09
    assert not frame["first_name"].isna().any()
    assert np.isin(frame["position"].dropna().str[:6], ["Value "]).all()
