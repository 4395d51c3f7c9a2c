"""Bounded lock waits: a table another session holds fails the seed after ``lock_timeout`` seconds, by name.

A seed reads and writes tables other sessions use. When one of them holds a lock the seed needs (an
``ACCESS EXCLUSIVE`` lock on PostgreSQL, ``LOCK TABLES ... WRITE`` or an open transaction's metadata lock on
MariaDB, another connection's write on SQLite), the seed waits at most ``lock_timeout`` seconds (default
30; ``None`` waits as long as the database lets it) and then fails with a
:class:`~.exceptions.LockTimeoutError` naming the table and the session that holds it, read from
``pg_locks`` / ``pg_stat_activity`` on PostgreSQL and from ``information_schema`` on MariaDB (the
``metadata_lock_info`` plugin names the holder exactly; without it the message lists the other sessions
on the database). The wait applies to every statement of the seed, ``fk_checks="bulk"`` included::

    >>> import sqlalchemy as sa
    >>> with engine.connect() as conn, bounded_lock_waits(conn, 5.0):    # SQLite: PRAGMA busy_timeout = 5000
    ...     conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
    5000

PostgreSQL sets ``lock_timeout`` for the seed's transaction (restored afterwards), MariaDB
``lock_wait_timeout`` and ``innodb_lock_wait_timeout`` for its session (restored), SQLite the
driver's busy timeout (``PRAGMA busy_timeout``, restored).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from .exceptions import LockTimeoutError

__all__ = ["DEFAULT_LOCK_TIMEOUT", "bounded_lock_waits", "is_lock_timeout"]

DEFAULT_LOCK_TIMEOUT = 30.0
"""Seconds a seed waits for a lock another session holds, unless told otherwise."""

_PG_HOLDERS = sa.text("""
    SELECT DISTINCT c.oid::regclass::text AS target, l.mode, a.pid, a.usename, a.application_name,
           coalesce(host(a.client_addr), 'local') AS client, a.state,
           extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))::int AS seconds,
           left(regexp_replace(a.query, '\\s+', ' ', 'g'), 120) AS query
    FROM pg_locks l
    JOIN pg_class c ON c.oid = l.relation
    JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.granted AND l.pid <> :me AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND c.relkind IN ('r', 'p', 'S') AND c.relnamespace <> 'pg_catalog'::regnamespace
      AND (c.oid = ANY(CAST(:tables AS regclass[]))
           OR c.oid IN (SELECT confrelid FROM pg_constraint WHERE contype = 'f'
                        AND conrelid = ANY(CAST(:tables AS regclass[])))
           OR l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'))
    ORDER BY target, a.pid
""")
"""Locks other sessions hold on the seed's tables and their parents (any mode: a reader blocks the ALTER TABLE
of ``fk_checks="bulk"``), and elsewhere those that block INSERTs (or, ACCESS EXCLUSIVE, reads)."""


def is_lock_timeout(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) is the database giving up on a lock wait."""
    seen = 0
    while exc is not None and seen < 5:
        orig = getattr(exc, "orig", exc)
        code = getattr(orig, "sqlstate", None) or getattr(getattr(orig, "diag", None), "sqlstate", None)
        if code == "55P03":  # PostgreSQL lock_not_available
            return True
        args = getattr(orig, "args", ())
        if args and args[0] in (1205,):  # MariaDB / MySQL: Lock wait timeout exceeded
            return True
        if "database is locked" in str(orig):  # SQLite busy
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


@contextlib.contextmanager
def bounded_lock_waits(conn: sa.Connection, timeout: float | None,
                       tables: Callable[[], Sequence[str]] = tuple) -> Iterator[None]:
    """Wait at most ``timeout`` seconds for any lock inside the block (see the module docstring); ``tables``
    says, when asked after a timeout, which tables (quoted, as the database reads them) the seed works on."""
    if timeout is None:
        yield
        return
    name = conn.dialect.name
    millis = max(1, int(round(timeout * 1000)))
    restore = _set(conn, name, millis)
    try:
        yield
    except Exception as exc:
        if is_lock_timeout(exc):
            raise LockTimeoutError(_message(conn, name, timeout, list(tables()))) from exc
        raise
    else:
        restore(ok=True)
    finally:
        restore(ok=False)


def _set(conn: sa.Connection, name: str, millis: int):
    done = []

    def restore(ok: bool) -> None:
        if done:
            return
        done.append(True)
        with contextlib.suppress(sa.exc.DBAPIError, sa.exc.InvalidRequestError):
            back(ok)

    if name == "postgresql":
        previous = conn.execute(sa.text("SELECT current_setting('lock_timeout')")).scalar()
        conn.execute(sa.text("SELECT set_config('lock_timeout', :v, true)"), {"v": f"{millis}ms"})

        def back(ok: bool) -> None:  # after a failure the rollback puts the setting back by itself
            if ok:
                conn.execute(sa.text("SELECT set_config('lock_timeout', :v, true)"), {"v": previous})
    elif name in ("mysql", "mariadb"):
        previous = conn.exec_driver_sql("SELECT @@SESSION.lock_wait_timeout, @@SESSION.innodb_lock_wait_timeout").one()
        seconds = max(1, -(-millis // 1000))
        conn.exec_driver_sql(f"SET SESSION lock_wait_timeout = {seconds}, innodb_lock_wait_timeout = {seconds}")

        def back(ok: bool) -> None:
            conn.exec_driver_sql(f"SET SESSION lock_wait_timeout = {int(previous[0])}, "
                                 f"innodb_lock_wait_timeout = {int(previous[1])}")
    elif name == "sqlite":
        previous = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {millis}")

        def back(ok: bool) -> None:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(previous)}")
    else:
        def back(ok: bool) -> None:
            return None
    return restore


def _message(conn: sa.Connection, name: str, timeout: float, tables: list[str]) -> str:
    try:
        holders = _holders(conn, name, tables)
    except Exception as lookup:  # the lookup is a courtesy: never hide the lock error behind its failure
        holders = f"(could not ask the database who holds it: {str(lookup).splitlines()[0]})"
    return (f"The seed waited {timeout:g} s for a lock another session holds, and gave up: {holders}. Nothing was "
            "written (the seed rolled back). End or commit that session's transaction (or UNLOCK TABLES), or "
            "wait longer with lock_timeout=SECONDS (CLI: --lock-timeout SECONDS).")


def _holders(conn: sa.Connection, name: str, tables: list[str]) -> str:
    if name == "postgresql":
        return _pg_holders(conn, tables)
    if name in ("mysql", "mariadb"):
        return _mysql_holders(conn)
    if name == "sqlite":
        return "another connection holds the database's write lock (SQLite has one writer at a time)"
    return "the database did not say which"


def _side(conn: sa.Connection) -> Any:
    return conn.engine.connect()


def _pg_holders(conn: sa.Connection, tables: list[str]) -> str:
    me = conn.connection.driver_connection.info.backend_pid if hasattr(conn.connection.driver_connection, "info") \
        else None
    with _side(conn) as side:
        rows = side.execute(_PG_HOLDERS, {"me": me if me is not None else -1, "tables": tables}).all()
    if not rows:
        return "the lock was released before the seed could ask who held it"
    return "; ".join(f"table {r.target} is locked {r.mode} by session pid {r.pid} (user {r.usename}"
                     f"{', application ' + repr(r.application_name) if r.application_name else ''}, from {r.client}, "
                     f"{r.state}, transaction open for {r.seconds} s, last query: {r.query!r})" for r in rows)


def _mysql_holders(conn: sa.Connection) -> str:
    me = conn.exec_driver_sql("SELECT CONNECTION_ID()").scalar()
    database = conn.exec_driver_sql("SELECT DATABASE()").scalar()
    with _side(conn) as side:
        try:
            rows = side.execute(sa.text(
                "SELECT m.THREAD_ID, m.LOCK_MODE, m.TABLE_SCHEMA, m.TABLE_NAME, p.USER, p.HOST, p.TIME, p.INFO "
                "FROM information_schema.METADATA_LOCK_INFO m JOIN information_schema.PROCESSLIST p "
                "ON p.ID = m.THREAD_ID WHERE m.THREAD_ID <> :me AND m.TABLE_SCHEMA = :db"),
                {"me": me, "db": database}).all()
            if rows:
                return "; ".join(f"table {r.TABLE_SCHEMA}.{r.TABLE_NAME} is locked ({r.LOCK_MODE}) by session "
                                 f"{r.THREAD_ID} ({r.USER}@{r.HOST}, for {r.TIME} s, query: {r.INFO!r})" for r in rows)
        except sa.exc.DBAPIError:
            side.rollback()  # the metadata_lock_info plugin is not installed
        in_use = [r[1] for r in side.exec_driver_sql(f"SHOW OPEN TABLES FROM `{database}` WHERE In_use > 0")]
        sessions = side.execute(sa.text(
            "SELECT ID, USER, HOST, COMMAND, TIME, STATE, INFO FROM information_schema.PROCESSLIST "
            "WHERE ID <> :me AND ID <> CONNECTION_ID() AND DB = :db ORDER BY TIME DESC"), {"me": me, "db": database}).all()
    tables = f"table{'s' if len(in_use) > 1 else ''} {', '.join(in_use)} in use by another session" if in_use \
        else "a table of the seed is locked by another session"
    listed = "; ".join(f"session {s.ID} ({s.USER}@{s.HOST}, {s.COMMAND} for {s.TIME} s"
                       f"{', ' + s.STATE if s.STATE else ''}{', query: ' + repr(s.INFO) if s.INFO else ''})"
                       for s in sessions) or "none"
    return (f"{tables}; the other sessions on database {database} are: {listed} (MariaDB names the holder exactly "
            "with the metadata_lock_info plugin installed)")
