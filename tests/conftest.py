"""Shared fixtures: a throwaway database per test on SQLite, PostgreSQL and MariaDB.

``pg_url`` and ``mariadb_url`` create a uniquely named database ``syda_test_<hex>`` on
the local server, yield its SQLAlchemy URL and drop it afterwards; the test is
skipped, with the reason, when the server cannot be reached. Servers come from
``setup.cfg [db]`` (override with ``SYDA_TEST_PG`` / ``SYDA_TEST_MARIADB``)::

    def test_something(pg_url):
        engine = sa.create_engine(pg_url)
        ...
        engine.dispose()
"""

from __future__ import annotations

import configparser
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

_SETUP_CFG = Path(__file__).resolve().parent.parent / "setup.cfg"


def _server_url(env: str, key: str, default: str) -> sa.URL:
    cfg = configparser.ConfigParser()
    cfg.read(_SETUP_CFG)
    return make_url(os.environ.get(env) or cfg.get("db", key, fallback=default))


def _admin_engine(url: sa.URL, what: str) -> sa.Engine:
    engine = sa.create_engine(
        url, isolation_level="AUTOCOMMIT", poolclass=NullPool, connect_args={"connect_timeout": 5}
    )
    try:
        engine.connect().close()
    except sa.exc.DBAPIError as e:
        engine.dispose()
        pytest.skip(f"{what} not reachable at {url.render_as_string(hide_password=True)}: {e.orig}")
    return engine


def _db_name() -> str:
    return f"syda_test_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database (psycopg 3), dropped after the test."""
    server = _server_url("SYDA_TEST_PG", "postgresql", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    admin = _admin_engine(server, "PostgreSQL")
    name = _db_name()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def _pg_shared_database() -> Iterator[sa.URL]:
    """One PostgreSQL database for the whole run, holding a fresh schema per test (``pg_schema_url``)."""
    server = _server_url("SYDA_TEST_PG", "postgresql", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    admin = _admin_engine(server, "PostgreSQL")
    name = _db_name()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def pg_schema_url(_pg_shared_database: sa.URL) -> Iterator[str]:
    """URL (psycopg 3) whose ``search_path`` is a fresh, empty schema, dropped after the test.

    As isolated as ``pg_url`` for code that does not name schemas, at a fraction of the cost of
    CREATE/DROP DATABASE; use ``pg_url`` where a whole database is needed (async drivers, pg_dump, ...).
    """
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(_pg_shared_database, poolclass=NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield _pg_shared_database.update_query_dict({"options": f"-csearch_path={schema}"}) \
            .render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                                 "current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"))
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def mariadb_url() -> Iterator[str]:
    """URL of a fresh, empty MariaDB database (PyMySQL, utf8mb4), dropped after the test."""
    server = _server_url("SYDA_TEST_MARIADB", "mariadb", "mysql+pymysql://root@127.0.0.1:3306/mysql")
    admin = _admin_engine(server, "MariaDB")
    name = _db_name()
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    try:
        url = server.set(database=name, query={"charset": "utf8mb4"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            # Sessions the test left open would hold metadata locks and block the DROP.
            ids = conn.execute(
                sa.text("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = :db AND ID <> CONNECTION_ID()"),
                {"db": name},
            ).scalars()
            for session_id in list(ids):
                try:
                    conn.exec_driver_sql(f"KILL CONNECTION {int(session_id)}")
                except sa.exc.DBAPIError:
                    pass  # it ended on its own meanwhile
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of an SQLite database file in the test's tmp_path."""
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(params=[
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.postgres),
    pytest.param("mariadb", marks=pytest.mark.mariadb),
])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on SQLite, PostgreSQL and MariaDB: a fresh database (PostgreSQL: schema) URL of each."""
    return request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "pg_schema_url",
                                    "mariadb": "mariadb_url"}[request.param])


@pytest.fixture
def db_engine(db_url: str) -> Iterator[sa.Engine]:
    """An engine on ``db_url`` (foreign keys enforced on SQLite too), disposed after the test."""
    from schemas import make_engine

    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_engine(pg_schema_url: str) -> Iterator[sa.Engine]:
    """An engine on a fresh PostgreSQL schema (psycopg 3), disposed after the test."""
    from schemas import make_engine

    engine = make_engine(pg_schema_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[sa.Engine]:
    """An engine on a fresh SQLite file with ``PRAGMA foreign_keys=ON``."""
    from schemas import make_engine

    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()
