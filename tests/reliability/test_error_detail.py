"""A refused write names the row, the column and the constraint the database names, in plain values.

Before: the "first row of the failing batch" was the first row of the *last batch sent* (COPY streams
ahead of the server's check), PostgreSQL's "Failing row contains ..." and CONTEXT (the column of a type
error) were dropped, numpy scalars printed as ``np.int64(22)``, unnamed CHECKs as ``CHECK  (a < b)`` and
SQLite unique-index failures as "(constraint index)".
"""

from __future__ import annotations

import numpy as np
import pytest
import sqlalchemy as sa

from sqlalchemy_syda import ConstraintUnsatisfiableError, WriteError, generate, seed
from tests.schemas import count, make_engine


def _things(engine: sa.Engine, *ddl: str) -> sa.Table:
    metadata = sa.MetaData()
    table = sa.Table("things", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("n", sa.Integer),
                     sa.Column("small", sa.Integer), sa.Column("label", sa.String(20)))
    metadata.create_all(engine)
    with engine.begin() as conn:
        for statement in ddl:  # constraints the models do not know: only the database refuses the rows
            conn.exec_driver_sql(statement)
    return table


@pytest.mark.postgres
def test_postgresql_names_the_failing_row_of_a_streamed_copy(pg_engine):
    table = _things(pg_engine, "ALTER TABLE things ADD CONSTRAINT n_small CHECK (n < 30)")
    with pytest.raises(WriteError) as info:
        seed(pg_engine, {table: 100}, chunk_size=10, overrides={table: {"n": lambda k: k}})
    message = str(info.value)
    assert "(constraint n_small)" in message
    assert "Failing row contains (31, 30, " in message  # the database's own words
    assert "Failing row (new row 30): {'id': 31, 'n': 30, " in message  # not row 90, the last batch's first
    assert "First row of the failing batch" not in message
    assert count(pg_engine, "things") == 0


@pytest.mark.postgres
def test_postgresql_type_errors_name_the_column_and_the_row(pg_engine):
    table = _things(pg_engine)
    with pytest.raises(WriteError) as info:
        seed(pg_engine, {table: 100}, chunk_size=10,
             overrides={table: {"small": lambda k: 10**12 if k == 37 else 1}})
    message = str(info.value)
    assert 'value "1000000000000" is out of range for type integer' in message
    assert "Column 'small' (COPY line 38)." in message
    assert "Failing row (new row 37): {'id': 38, " in message and "'small': 1000000000000" in message
    assert count(pg_engine, "things") == 0


@pytest.mark.postgres
def test_postgresql_unique_violations_keep_the_key_and_name_its_row(pg_engine):
    table = _things(pg_engine, "CREATE UNIQUE INDEX ix_label ON things (label)")
    with pytest.raises(WriteError) as info:
        seed(pg_engine, {table: 100}, chunk_size=10,
             overrides={table: {"label": lambda k: "dup" if k in (41, 55) else f"x{k}"}})
    message = str(info.value)
    assert "(constraint ix_label)" in message and "Key (label)=(dup) already exists." in message
    assert "Failing row (new row 55): {'id': 56, " in message


def test_sqlite_unique_index_failures_name_the_index_and_the_repeating_row(sqlite_engine):
    table = _things(sqlite_engine, "CREATE UNIQUE INDEX ix_lower ON things (lower(label))",
                    "CREATE UNIQUE INDEX ix_n ON things (n)")
    with pytest.raises(WriteError) as info:
        seed(sqlite_engine, {table: 100}, chunk_size=10, overrides={table: {"label": lambda k: "Dup" if k in (41, 45)
                                                                            else f"x{k}", "n": lambda k: k}})
    assert "(constraint unique index ix_lower)" in str(info.value)
    with pytest.raises(WriteError) as info:  # numpy scalars from a vectorised override print as plain numbers
        seed(sqlite_engine, {table: 100}, chunk_size=10, overrides={table: {
            "label": lambda k: f"x{k}",
            "n": lambda rows, stream: np.array([np.int64(7 if k in (12, 18) else k) for k in rows], dtype=object)}})
    message = str(info.value)
    assert "(constraint things.n)" in message
    assert "Failing row: {'id': 19, 'n': 7, " in message
    assert "np.int64" not in message
    assert count(sqlite_engine, "things") == 0


@pytest.mark.mariadb
def test_mariadb_duplicate_entries_name_the_row_holding_the_value(mariadb_url):
    engine = make_engine(mariadb_url)
    table = _things(engine, "CREATE UNIQUE INDEX ix_label ON things (label)")
    with pytest.raises(WriteError) as info:
        seed(engine, {table: 100}, chunk_size=10,
             overrides={table: {"label": lambda k: "dup" if k in (51, 55) else f"x{k}"}})
    message = str(info.value)
    assert "Duplicate entry 'dup' for key 'ix_label'" in message
    assert "Failing row: {'id': 56, " in message and "'label': 'dup'" in message
    assert count(engine, "things") == 0
    engine.dispose()


def test_unnamed_checks_print_without_a_gap():
    metadata = sa.MetaData()
    table = sa.Table("t2", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.Integer),
                     sa.Column("b", sa.Integer), sa.CheckConstraint("a * a < b - 100000000000"))
    with pytest.raises(ConstraintUnsatisfiableError) as info:
        generate(table, 5)
    assert str(info.value).startswith("CHECK (a * a < b - 100000000000) on 't2' cannot be met")
