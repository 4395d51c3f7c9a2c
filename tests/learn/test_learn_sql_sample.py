"""The sample ``learn(engine)`` reads from a table larger than ``sample_rows`` is seeded on SQLite and MariaDB:
learning the same database twice gives the same profile, and the sample still spans the table."""

from __future__ import annotations

import numpy as np
import pytest
import sqlalchemy as sa

from sqlalchemy_syda import learn
from sqlalchemy_syda.learn.sql import read_sample

N = 4000
SAMPLE = 400

DIALECTS = ["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)]


@pytest.fixture(params=DIALECTS)
def engine(request: pytest.FixtureRequest):
    url = request.getfixturevalue({"sqlite": "sqlite_url", "mariadb": "mariadb_url"}[request.param])
    engine = sa.create_engine(url)
    yield engine
    engine.dispose()


def _events(engine: sa.Engine, **table_kw) -> sa.Table:
    """``events``: N rows, ids 1..N (or the key ``table_kw`` gives), values that differ from row to row."""
    metadata = sa.MetaData()
    key = table_kw.pop("key", "int")
    columns = {
        "int": [sa.Column("id", sa.Integer, primary_key=True, autoincrement=False)],
        "text": [sa.Column("id", sa.Integer, nullable=False), sa.Column("code", sa.String(20), primary_key=True)],
        "none": [sa.Column("id", sa.Integer, nullable=False), sa.Column("code", sa.String(20), nullable=False)],
    }[key]
    table = sa.Table("events", metadata, *columns, sa.Column("amount", sa.Float, nullable=False),
                     sa.Column("qty", sa.Integer, nullable=False), sa.Column("status", sa.String(10), nullable=False),
                     **table_kw)
    metadata.create_all(engine)
    rng = np.random.default_rng(3)
    rows = [{"id": i, "amount": float(np.round(rng.lognormal(3, 1), 2)), "qty": int(rng.integers(1, 50)),
             "status": str(rng.choice(["paid", "new", "void"], p=[0.6, 0.3, 0.1]))} for i in range(1, N + 1)]
    if key != "int":
        for row in rows:
            row["code"] = f"E-{row['id'] * 7919 % 100_003:06d}"
    with engine.begin() as conn:
        conn.execute(table.insert(), rows)
    return table


def _sample_ids(engine: sa.Engine, seed: int = 0) -> list[int]:
    with engine.connect() as conn:
        table = sa.Table("events", sa.MetaData(), autoload_with=conn)
        return read_sample(conn, table, N, SAMPLE, seed=seed)["id"].tolist()


def _spans_the_table(ids: list[int]) -> None:
    assert len(ids) == SAMPLE and len(set(ids)) == SAMPLE
    ids = np.sort(ids)
    assert ids[0] < N * 0.02 and ids[-1] > N * 0.98          # not the lowest (or highest) ids
    per_tenth = np.bincount((ids - 1) * 10 // N, minlength=10)
    assert per_tenth.min() > SAMPLE / 10 * 0.6, per_tenth     # about as many rows from every tenth of the table
    gaps = np.diff(ids)
    assert len(set(gaps.tolist())) > 10                       # not every k-th row


def test_learning_a_sampled_table_twice_gives_the_same_profile(engine):
    _events(engine)
    first = learn(engine, sample_rows=SAMPLE)
    second = learn(engine, sample_rows=SAMPLE)
    assert first.source["sampled_tables"] == ["events"] and first.source["rows_read"] == SAMPLE
    assert first.digest == second.digest
    assert first.to_json() == second.to_json()


def test_the_seeded_sample_spans_the_table_and_depends_on_the_seed(engine):
    _events(engine)
    ids = _sample_ids(engine)
    _spans_the_table(ids)
    assert _sample_ids(engine) == ids                         # the same rows, in the same order
    other = _sample_ids(engine, seed=1)
    _spans_the_table(other)
    assert len(set(ids) & set(other)) < SAMPLE * 0.3          # another seed, another sample (~10% overlap)


@pytest.mark.parametrize("key", ["text", "none"])
def test_a_table_without_an_integer_key_is_sampled_reproducibly(engine, key):
    """A text primary key (and, on SQLite, a WITHOUT ROWID table) or no primary key at all: the rows are
    numbered in key (or column) order and the numbers hashed."""
    options = {"sqlite_with_rowid": False} if key == "text" and engine.dialect.name == "sqlite" else {}
    _events(engine, key=key, **options)
    ids = _sample_ids(engine)
    _spans_the_table(ids)
    assert _sample_ids(engine) == ids
    assert learn(engine, sample_rows=SAMPLE).digest == learn(engine, sample_rows=SAMPLE).digest
