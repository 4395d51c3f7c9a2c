"""Writers: where generated column batches go, and the choice of one for a connection.

One small protocol (:class:`~.base.Writer`) with one implementation per target:
PostgreSQL COPY (:mod:`.postgresql_copy`), SQLAlchemy/DBAPI executemany for every
other dialect (:mod:`.executemany`), and files (:mod:`.files`: CSV, JSON, Parquet)::

    >>> writer = writer_for(conn)          # PostgresCopyWriter on psycopg 3 or asyncpg, else ExecutemanyWriter
    >>> writer.write(conn, table_spec, [batch1, batch2])
    100000
    >>> writer.preview(conn, plan)         # what a dry run prints: the statement per table
    ['COPY customers (id, name) FROM STDIN;  -- 100000 rows']
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
