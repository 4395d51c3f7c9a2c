"""Appending next to a big table: taken UNIQUE values are asked of the database for the new values only.

Measured, not timed: the values the seed reads back from the table and the Python memory it allocates
follow the rows added (1,000), not the rows there (200,000), and the new rows still avoid every value
already there.
"""

from __future__ import annotations

import tracemalloc

import pytest
import sqlalchemy as sa

from sqlalchemy_syda import generate, seed
from tests.schemas import make_engine

EXISTING = 200_000
ADDED = 1_000


def _table() -> sa.Table:
    return sa.Table("members", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("email", sa.String(120), nullable=False, unique=True),
                    sa.Column("handle", sa.String(40), nullable=False, unique=True), mysql_engine="InnoDB")


def _fill(engine: sa.Engine, table: sa.Table) -> None:
    """200,000 rows, among them the very emails and handles a seed of 1,000 rows with seed=5 draws first."""
    table.metadata.create_all(engine)
    first = generate(table, ADDED, seed=5)
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"email": e, "handle": h} for e, h in zip(first["email"], first["handle"])])
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"INSERT INTO members (email, handle) SELECT 'm' || g || '@example.org', 'h' || g "
                                 f"FROM generate_series(1, {EXISTING - ADDED}) g")
        else:
            conn.exec_driver_sql("WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < "
                                 f"{EXISTING - ADDED}) INSERT INTO members (email, handle) "
                                 "SELECT 'm' || n || '@example.org', 'h' || n FROM g")


def _values_read(engine: sa.Engine) -> list[int]:
    """Rows each SELECT on the table's UNIQUE columns returned."""
    counts: list[int] = []

    @sa.event.listens_for(engine, "after_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "members.email" in statement \
                or "members.handle" in statement and statement.lstrip().upper().startswith("SELECT"):
            counts.append(max(cursor.rowcount, 0) if cursor.rowcount is not None else 0)
    return counts


@pytest.mark.parametrize("db_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_adding_1000_rows_next_to_200000_reads_and_allocates_for_1000(db_url):
    """Test the bound: values read back <= 2 per new value drawn, Python peak memory < 12 MB (loading the
    200,000 values of two columns took ~40 MB), and no new value repeats one already there."""
    engine = make_engine(db_url)
    table = _table()
    _fill(engine, table)
    seed(engine, {table: 10}, seed=99)  # pools and imports warm: the measured seed allocates only its own work
    reads = _values_read(engine)
    tracemalloc.start()
    try:
        seed(engine, {table: ADDED}, seed=5)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sum(reads) <= 2 * 2 * ADDED, f"read {sum(reads)} values back for {ADDED} rows"
    assert peak < 12 * 2**20, f"peak {peak / 2**20:.1f} MB"
    with engine.connect() as conn:
        total, emails, handles = conn.execute(sa.text(
            "SELECT count(*), count(DISTINCT email), count(DISTINCT handle) FROM members")).one()
    assert total == emails == handles == EXISTING + 10 + ADDED
    engine.dispose()
