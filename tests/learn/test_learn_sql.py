"""Profiling a live PostgreSQL table with SQL aggregates and TABLESAMPLE instead of downloading it."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from sqlalchemy_syda import learn
from sqlalchemy_syda.learn.report.fidelity import ks_complement, tv_complement

_FILL = """
CREATE TABLE events (
    id integer PRIMARY KEY, amount numeric(10, 2), qty integer NOT NULL, status text NOT NULL,
    created_at timestamp NOT NULL, score double precision);
INSERT INTO events
SELECT g, CASE WHEN mod(g, 10) = 0 THEN NULL ELSE round((exp(random() * 5))::numeric, 2) END,
       1 + mod(g * 7919, 40), (ARRAY['paid', 'new', 'void', 'paid', 'paid'])[1 + mod(g, 5)],
       timestamp '2024-01-01' + mod(g, 86400) * interval '1 minute', mod(g, 1000) / 10.0
FROM generate_series(1, 30000) AS g;
"""


@pytest.fixture
def events(pg_url):
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        for statement in _FILL.split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)
    yield engine
    engine.dispose()


def test_a_large_table_is_profiled_in_sql_and_sampled(events):
    engine = events
    profile = learn(engine, tables=["events"], sample_rows=3000)
    source = profile.source
    assert source["method"] == "aggregates + TABLESAMPLE" and source["sampled_tables"] == ["events"]
    assert source["rows"] == 30_000 and 2000 < source["rows_read"] < 4500
    table = profile.table("events")
    assert table.rows == 30_000
    cols = {c.name: c for c in table.columns}
    assert cols["amount"].null_share == pytest.approx(0.1)  # from count(amount), not from the sample
    assert cols["status"].params["values"] == ["paid", "new", "void"]
    assert cols["status"].params["weights"] == pytest.approx([0.6, 0.2, 0.2])
    with engine.connect() as conn:
        real = pd.read_sql(sa.text("SELECT * FROM events"), conn)
    synthetic = profile.sample(30_000, seed=1)
    for col in ("amount", "qty", "score", "created_at"):
        assert ks_complement(real[col], synthetic[col]) > 0.95, col
    assert tv_complement(real.status, synthetic.status) > 0.98


def test_integer_columns_with_nulls_are_learned_and_written_as_integers(pg_url):
    """Test that a nullable INTEGER column (which pandas reads as floats) is learned as integers from a live
    database, and that learned floats with NULLs written into an INTEGER column are whole numbers and NULLs
    (PostgreSQL refused ``22.0``)."""
    engine = sa.create_engine(pg_url)
    try:
        metadata = sa.MetaData()
        table = sa.Table("people", metadata, sa.Column("id", sa.Integer, primary_key=True),
                         sa.Column("death_day", sa.Integer, nullable=True))
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(table.insert(), [{"id": i, "death_day": (i % 28) + 1 if i % 4 == 0 else None}
                                          for i in range(1, 401)])
        profile = learn(engine)
        assert profile.table("people").column("death_day").dtype == "integer"
        floats = learn(pd.DataFrame({"death_day": [float(d % 12 + 1) if d % 4 else None for d in range(400)]}),
                       name="people")
        assert floats.table("people").column("death_day").dtype == "float"  # an ordered category of floats
        with engine.begin() as conn:
            conn.execute(table.delete())
        from sqlalchemy_syda import seed

        seed(engine, {"people": 300}, profile=floats, seed=2)
        with engine.connect() as conn:
            nulls, total = conn.execute(sa.text("SELECT COUNT(*) - COUNT(death_day), COUNT(*) FROM people")).one()
        assert total == 300 and 50 < nulls < 110
    finally:
        engine.dispose()
