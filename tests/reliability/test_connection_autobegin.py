"""A Connection with no transaction open: the seed's rows are in the transaction it begins, the caller commits.

SQLAlchemy 2.x begins a Connection's transaction at its first statement and commits only on
``conn.commit()``; a seed behaves the same way, on every database.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sqlalchemy_syda import seed
from tests.schemas import make_engine


def _table() -> sa.Table:
    return sa.Table("notes", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("body", sa.String(80), nullable=False), mysql_engine="InnoDB")


def _count(engine: sa.Engine, table: sa.Table) -> int:
    with engine.connect() as other:
        return other.execute(sa.select(sa.func.count()).select_from(table)).scalar()


@pytest.fixture
def file_db_url(request, tmp_path):
    """SQLite in a file (another connection must be able to look), PostgreSQL, MariaDB."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'notes.db'}"
    return request.getfixturevalue({"postgresql": "pg_schema_url", "mariadb": "mariadb_url"}[request.param])


on_three = pytest.mark.parametrize("file_db_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres),
                                                   pytest.param("mariadb", marks=pytest.mark.mariadb)],
                                   indirect=True)


@on_three
def test_the_rows_wait_for_the_callers_commit(file_db_url):
    """Test seed(conn) outside a transaction: not visible to another connection until conn.commit()."""
    engine = make_engine(file_db_url)
    table = _table()
    table.metadata.create_all(engine)
    with engine.connect() as conn:
        seed(conn, {table: 7})
        assert conn.in_transaction()
        assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 7
        assert _count(engine, table) == 0
        conn.commit()
    assert _count(engine, table) == 7
    engine.dispose()


@on_three
def test_closing_without_commit_discards_and_a_failure_leaves_no_transaction(file_db_url):
    """Test rollback on close, and a failed seed: the connection is left with no transaction, nothing written."""
    engine = make_engine(file_db_url)
    table = _table()
    table.metadata.create_all(engine)
    with engine.connect() as conn:
        seed(conn, {table: 3})
    assert _count(engine, table) == 0
    with engine.connect() as conn:
        def fail(table_name: str, done: int, total: int) -> None:  # after the first batch went in
            raise RuntimeError("stop")

        with pytest.raises(RuntimeError, match="stop"):
            seed(conn, {table: 3}, progress=fail)
        assert not conn.in_transaction()
        assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0
        seed(conn, {table: 2})  # still usable
        conn.commit()
    assert _count(engine, table) == 2
    engine.dispose()
