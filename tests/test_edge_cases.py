"""Tests for sqlalchemy_syda.edge_cases: boundary values in the first rows, accepted by the real database."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from sqlalchemy_syda import generate
from sqlalchemy_syda.ddl_schema import ddl_metadata, ddl_specs
from sqlalchemy_syda.edge_cases import edge_values, with_edge_cases
from sqlalchemy_syda.specs import ColumnSpec

DDL = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    nickname VARCHAR(20) NOT NULL UNIQUE,
    age INT CHECK (age >= 18 AND age < 130),
    tier VARCHAR(5) NOT NULL CHECK (tier IN ('free', 'pro', 'team')),
    score NUMERIC(5, 2),
    bio TEXT,
    active BOOLEAN NOT NULL,
    born DATE,
    low INT,
    high INT,
    CHECK (low <= high)
);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    title VARCHAR(40) NOT NULL
);
"""


def _rows(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if v is None or (not isinstance(v, (str, bytes)) and pd.isna(v)) else v)
             for k, v in row.items()} for row in frame.astype(object).to_dict("records")]


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_edge_rows_are_accepted_by_the_database(db, request) -> None:
    url = request.getfixturevalue("sqlite_url" if db == "sqlite" else "pg_schema_url")
    engine = sa.create_engine(url)
    metadata = ddl_metadata(DDL)
    metadata.create_all(engine)
    specs = ddl_specs(DDL)
    frames = with_edge_cases(specs, generate(specs, {"users": 30, "posts": 60}, seed=5))
    with engine.begin() as conn:
        for name in ("users", "posts"):
            conn.execute(metadata.tables[name].insert(), _rows(frames[name]))
    with engine.connect() as conn:
        q = lambda sql: conn.execute(sa.text(sql)).scalar()  # noqa: E731
        assert q("SELECT max(length(nickname)) FROM users") == 20
        assert q("SELECT min(length(nickname)) FROM users") == 1
        assert q("SELECT count(*) FROM users WHERE age IS NULL") >= 1
        assert (q("SELECT min(age) FROM users"), q("SELECT max(age) FROM users")) == (18, 129)
        assert q("SELECT count(DISTINCT tier) FROM users") == 3
        assert float(q("SELECT max(score) FROM users")) == 999.99
        assert float(q("SELECT min(score) FROM users")) == -999.99
        assert q("SELECT count(*) FROM users WHERE nickname LIKE '%😀%'") == 1
        assert q("SELECT count(*) FROM users WHERE born = '2000-02-29'") == 1
        assert q("SELECT max(length(title)) FROM posts") == 40
        assert q("SELECT count(*) FROM users WHERE low > high") == 0
    engine.dispose()


def test_keys_and_foreign_keys_stay_as_generated() -> None:
    specs = ddl_specs(DDL)
    plain = generate(specs, {"users": 10, "posts": 20}, seed=2)
    edged = with_edge_cases(specs, plain)
    assert edged["users"]["id"].equals(plain["users"]["id"])
    assert edged["posts"]["user_id"].equals(plain["posts"]["user_id"])
    assert not edged["users"]["nickname"].equals(plain["users"]["nickname"])
    assert edged["users"].iloc[10:].equals(plain["users"].iloc[10:]) or len(plain["users"]) <= 10


def test_edge_values_follow_the_column() -> None:
    assert edge_values(ColumnSpec("flag", kind="boolean", nullable=False)) == [True, False]
    assert edge_values(ColumnSpec("kind", kind="enum", enum_values=("a", "b"), nullable=True)) == [None, "a", "b"]
    small = edge_values(ColumnSpec("n", kind="integer", int_bits=16, nullable=False))
    assert min(small) == -32768 and max(small) == 32767
    assert all(len(v) <= 3 for v in edge_values(ColumnSpec("code", kind="string", length=3, nullable=False)))
