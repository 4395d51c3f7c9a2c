"""An override of the later column of a CHECK ordering (``a < b``, ``shipped_at >= ordered_at``) stands: the
earlier column goes below it, within its own bounds. Before, the ordering replaced the override (``b``
overridden to 50 came out as 50 in one row of 200)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from sqlalchemy_syda import ConstraintUnsatisfiableError, generate, seed


def _tables() -> tuple[sa.MetaData, sa.Table, sa.Table]:
    md = sa.MetaData()
    spans = sa.Table("spans", md, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("a", sa.Integer, nullable=False), sa.Column("b", sa.Integer, nullable=False),
                     sa.CheckConstraint("a < b"), sa.CheckConstraint("a BETWEEN 0 AND 100"),
                     sa.CheckConstraint("b BETWEEN 0 AND 100"))
    orders = sa.Table("orders", md, sa.Column("id", sa.Integer, primary_key=True),
                      sa.Column("ordered_at", sa.DateTime, nullable=False), sa.Column("shipped_at", sa.DateTime),
                      sa.CheckConstraint("shipped_at >= ordered_at"))
    return md, spans, orders


@pytest.mark.postgres
def test_the_later_column_keeps_its_override_in_the_database(pg_url, sqlite_url):
    """Test a constant, a per-row callable and a timestamp on PostgreSQL and SQLite, counted in SQL: every row
    holds the override, every row meets the CHECK, and the earlier column still varies."""
    shipped = dt.datetime(2024, 3, 1, 12)
    for url in (pg_url, sqlite_url):
        engine = sa.create_engine(url)
        md, spans, orders = _tables()
        md.create_all(engine)
        seed(engine, {spans: 300, orders: 300}, overrides={"spans.b": 50, "orders.shipped_at": shipped}, seed=1)
        with engine.connect() as conn:
            counts = conn.execute(sa.text("SELECT count(*), sum(CASE WHEN b = 50 THEN 1 ELSE 0 END), "
                                          "sum(CASE WHEN a < b AND a >= 0 THEN 1 ELSE 0 END), count(DISTINCT a) "
                                          "FROM spans")).one()
            assert counts[:3] == (300, 300, 300) and counts[3] >= 20, counts
            counts = conn.execute(sa.text("SELECT count(*), count(DISTINCT shipped_at), "
                                          "sum(CASE WHEN ordered_at <= shipped_at THEN 1 ELSE 0 END), "
                                          "count(DISTINCT ordered_at) FROM orders")).one()
            assert counts[:3] == (300, 1, 300) and counts[3] >= 250, counts
            assert conn.execute(sa.select(sa.func.min(orders.c.shipped_at))).scalar_one() == shipped
        md.drop_all(engine)
        md.create_all(engine)
        seed(engine, {spans: 300}, overrides={"spans.b": lambda k: 5 + k % 60}, seed=2)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, a, b FROM spans ORDER BY id")).all()
        assert [b for _, _, b in rows] == [5 + k % 60 for k in range(300)]
        assert all(0 <= a < b for _, a, b in rows) and len({a for _, a, _ in rows}) >= 20
        md.drop_all(engine)
        engine.dispose()


def test_generate_keeps_it_too_and_a_value_with_no_room_below_is_refused():
    """Test ``generate()`` with the smallest constants: b = 1 leaves a = 0 only; b = 0 leaves nothing under the
    CHECK a >= 0, a ConstraintUnsatisfiableError naming the CHECK and the row; and the earlier column overridden
    alone still pushes the later one above it."""
    _, spans, _ = _tables()
    one = generate(spans, 50, overrides={"b": 1}, seed=1)
    assert set(one.b) == {1} and set(one.a) == {0}
    with pytest.raises(ConstraintUnsatisfiableError, match=r"CHECK \(a < b\) on 'spans' cannot be met.*'b': 0"):
        generate(spans, 50, overrides={"b": 0}, seed=1)
    high = generate(spans, 200, overrides={"a": 90}, seed=1)
    assert set(high.a) == {90} and high.b.between(91, 100).all() and high.b.nunique() > 3


def test_a_unique_earlier_column_stays_unique_under_a_per_row_override():
    """Test ``a`` UNIQUE with ``b`` overridden per row (``1000 + k``) under ``CHECK (a < b)``, seeded into SQLite:
    a step below each b would have repeated a's values (a WriteError on the UNIQUE; review of this change);
    ``a`` keeps its distinct draw and every row meets the CHECK."""
    md = sa.MetaData()
    u = sa.Table("u", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("a", sa.Integer, nullable=False, unique=True), sa.Column("b", sa.Integer, nullable=False),
                 sa.CheckConstraint("a < b"))
    engine = sa.create_engine("sqlite://")
    md.create_all(engine)
    seed(engine, {u: 300}, overrides={"u.b": lambda k: 1000 + k}, seed=1)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*), count(DISTINCT a), sum(CASE WHEN a < b THEN 1 ELSE 0 END), "
                                    "sum(CASE WHEN b = 1000 + id - 1 THEN 1 ELSE 0 END) FROM u")).one() == \
            (300, 300, 300, 300)
