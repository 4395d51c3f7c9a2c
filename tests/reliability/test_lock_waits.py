"""A table another session holds: the seed waits at most lock_timeout seconds, then names table and session.

Each test holds a lock from a second connection of the real server, runs the seed in a thread and gives it a
bounded time; the holder lets go in ``finally``, so a seed that waits forever (before the fix) fails the test
instead of hanging it.
"""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from sqlalchemy_syda import LockTimeoutError, PlanError, seed
from tests.schemas import make_engine

LIMIT = 20.0
"""Seconds the test gives a seed that should give up after one."""


def _tables(engine: sa.Engine) -> tuple[sa.Table, sa.Table]:
    metadata = sa.MetaData()
    teams = sa.Table("teams", metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("name", sa.String(40), nullable=False), mysql_engine="InnoDB")
    members = sa.Table("members", metadata, sa.Column("id", sa.Integer, primary_key=True),
                       sa.Column("team_id", sa.ForeignKey("teams.id"), nullable=False),
                       sa.Column("name", sa.String(40), nullable=False), mysql_engine="InnoDB")
    metadata.create_all(engine)
    return teams, members


def _seed_bounded(call) -> tuple[BaseException | None, float]:
    """Run ``call`` in a thread; its exception (None) and seconds, or fail when it is still waiting after LIMIT."""
    box: dict = {}

    def run() -> None:
        try:
            call()
        except BaseException as exc:  # handed to the test
            box["exc"] = exc

    t0 = time.perf_counter()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(LIMIT)
    assert not thread.is_alive(), f"the seed was still waiting for the lock after {LIMIT:g} s"
    return box.get("exc"), time.perf_counter() - t0


def _count(engine: sa.Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


@pytest.mark.postgres
def test_postgresql_access_exclusive_lock_fails_after_the_timeout_naming_table_and_session(pg_engine):
    """Test ACCESS EXCLUSIVE held by another session: LockTimeoutError after ~1 s, with the holder's pid."""
    teams, members = _tables(pg_engine)
    holder = pg_engine.connect()
    try:
        holder.exec_driver_sql("SET application_name = 'nightly-report'")
        holder.exec_driver_sql("LOCK TABLE teams IN ACCESS EXCLUSIVE MODE")
        pid = holder.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        exc, seconds = _seed_bounded(lambda: seed(pg_engine, {teams: 5, members: 10}, lock_timeout=1))
    finally:
        holder.rollback()
        holder.close()
    assert isinstance(exc, LockTimeoutError), exc
    text = str(exc)
    assert "teams" in text and f"pid {pid}" in text and "AccessExclusiveLock" in text and "nightly-report" in text
    assert "lock_timeout=" in text and "--lock-timeout" in text
    assert seconds < 10
    assert _count(pg_engine, teams) == 0
    seed(pg_engine, {teams: 5, members: 10}, lock_timeout=1)  # the lock gone, the same seed goes through
    assert _count(pg_engine, members) == 10


@pytest.mark.postgres
def test_postgresql_bulk_fk_checks_do_not_wait_forever_for_a_reader(pg_engine):
    """Test fk_checks='bulk' while another session's open transaction has read the parent table: dropping the
    foreign key needs ACCESS EXCLUSIVE, so it waits; bounded, with the reader named."""
    teams, members = _tables(pg_engine)
    seed(pg_engine, {teams: 5})
    reader = pg_engine.connect()
    try:
        reader.execute(sa.select(sa.func.count()).select_from(teams)).scalar()  # AccessShareLock until rollback
        pid = reader.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        exc, _ = _seed_bounded(lambda: seed(pg_engine, {members: 50}, fk_checks="bulk", lock_timeout=1))
    finally:
        reader.rollback()
        reader.close()
    assert isinstance(exc, LockTimeoutError), exc
    assert f"pid {pid}" in str(exc) and "teams" in str(exc) and "AccessShareLock" in str(exc)
    assert _count(pg_engine, members) == 0


@pytest.mark.mariadb
def test_mariadb_lock_tables_fails_after_the_timeout_naming_table_and_sessions(mariadb_url):
    """Test LOCK TABLES ... WRITE in another session: LockTimeoutError after ~1 s naming the table and session."""
    engine = make_engine(mariadb_url)
    teams, members = _tables(engine)
    holder = engine.connect()
    try:
        holder.exec_driver_sql("LOCK TABLES teams WRITE")
        session = holder.exec_driver_sql("SELECT CONNECTION_ID()").scalar()
        exc, seconds = _seed_bounded(lambda: seed(engine, {teams: 5, members: 10}, lock_timeout=1))
    finally:
        holder.exec_driver_sql("UNLOCK TABLES")
        holder.close()
    assert isinstance(exc, LockTimeoutError), exc
    assert "teams" in str(exc) and f"session {session}" in str(exc)
    assert seconds < 10
    assert _count(engine, teams) == 0
    engine.dispose()


def test_sqlite_another_writer_fails_after_the_timeout(tmp_path):
    """Test SQLite with another connection in a write transaction: LockTimeoutError, not a raw OperationalError."""
    engine = make_engine(f"sqlite:///{tmp_path / 'shared.db'}")
    teams, members = _tables(engine)
    holder = engine.connect()
    try:
        holder.exec_driver_sql("BEGIN IMMEDIATE")
        exc, seconds = _seed_bounded(lambda: seed(engine, {teams: 5}, lock_timeout=0.5))
    finally:
        holder.rollback()
        holder.close()
    assert isinstance(exc, LockTimeoutError), exc
    assert "write lock" in str(exc)
    assert seconds < 5
    engine.dispose()


@pytest.mark.parametrize("bad", [0, -1, "5", True, 10**6])
def test_lock_timeout_must_be_a_number_of_seconds(bad):
    """Test the option's validation: one PlanError naming it."""
    with pytest.raises(PlanError, match="lock_timeout"):
        seed(sa.create_engine("sqlite://"), {"x": 1}, lock_timeout=bad)


@pytest.mark.postgres
def test_cli_lock_timeout_flag_prints_one_line_naming_the_table(pg_engine, pg_schema_url):
    """Test ``syda seed --lock-timeout 1`` against a held table: exit 1, one error line naming it, no traceback."""
    from click.testing import CliRunner

    from sqlalchemy_syda.cli import main

    _tables(pg_engine)
    holder = pg_engine.connect()
    try:
        holder.exec_driver_sql("LOCK TABLE teams IN ACCESS EXCLUSIVE MODE")
        result = CliRunner().invoke(main, ["seed", "--url", pg_schema_url, "--rows", "3", "--lock-timeout", "1"])
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "teams" in result.output and "AccessExclusiveLock" in result.output
