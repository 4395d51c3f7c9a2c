"""Writers: where generated column batches go.

One small protocol (:class:`~.base.Writer`) with one implementation per target:
PostgreSQL COPY (:mod:`.postgresql_copy`), SQLAlchemy/DBAPI executemany for every
other dialect (:mod:`.executemany`), and files (:mod:`.files`: CSV, JSON, Parquet).
"""

from .base import Writer, writer_for

__all__ = ["Writer", "writer_for"]
