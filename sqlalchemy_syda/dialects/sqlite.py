"""SQLite: the driver's lazy BEGIN, opened for real before a SAVEPOINT nests in the caller's transaction.

pysqlite (and aiosqlite) begin a transaction lazily, at the first INSERT; a SAVEPOINT issued before that is
the outermost one, and its RELEASE commits, so the caller's rollback would not undo the seed. A seed inside
the caller's transaction therefore sends ``BEGIN`` first when the driver has not. SQLite has no sequences to
move (``INTEGER PRIMARY KEY`` continues after the largest id), no deferrable foreign keys the planner uses
and no bulk foreign-key checks::

    >>> import sqlalchemy as sa
    >>> engine = sa.create_engine("sqlite://")
    >>> with engine.connect() as conn:
    ...     conn.exec_driver_sql("SELECT 1").scalar()       # the driver has not begun a transaction yet
    ...     SQLite().begin_before_savepoint(conn)
    ...     conn.connection.driver_connection.in_transaction
    1
    True
"""

from __future__ import annotations

import sqlalchemy as sa

from .base import Dialect

__all__ = ["SQLite"]


class SQLite(Dialect):
    """SQLite (pysqlite, aiosqlite)."""

    name = "sqlite"

    def begin_before_savepoint(self, conn: sa.Connection) -> None:
        raw = conn.connection.driver_connection
        if getattr(raw, "in_transaction", True) is False:
            conn.exec_driver_sql("BEGIN")
