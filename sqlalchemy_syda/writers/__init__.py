"""Writers: where generated column batches go, and the choice of one for a connection.

One small protocol (:class:`~.base.Writer`) with one implementation per target:
PostgreSQL COPY (:mod:`.postgresql_copy`), SQLAlchemy/DBAPI executemany for every
other dialect (:mod:`.executemany`), and files (:mod:`.files`: CSV, JSON, Parquet)::

    >>> from sqlalchemy_syda import seed
    >>> with engine.connect() as conn:
    ...     writer = writer_for(conn)      # PostgresCopyWriter on psycopg 3 or asyncpg, else ExecutemanyWriter
    ...     type(writer).__name__
    'ExecutemanyWriter'
    >>> plan = seed(engine, {Customer: 3}, dry_run=True).plan
    >>> with engine.connect() as conn:
    ...     print(writer.preview(conn, plan)[0])   # what a dry run prints: the statement per table
    INSERT INTO customers (...) VALUES (...);  -- executemany, 3 rows
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Writer

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["Writer", "writer_for"]


def writer_for(conn: Connection) -> Writer:
    """COPY for PostgreSQL through psycopg 3 (sync or async) or asyncpg, executemany everywhere else."""
    if conn.dialect.name == "postgresql" and conn.dialect.driver in ("psycopg", "asyncpg"):
        from .postgresql_copy import PostgresCopyWriter

        return PostgresCopyWriter()
    from .executemany import ExecutemanyWriter

    return ExecutemanyWriter()
