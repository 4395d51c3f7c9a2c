"""Any dialect: one prepared INSERT, executemany over positional rows (SQLite, MariaDB/MySQL, ...).

Column arrays become Python values column-wise (``tolist()``), go through
the column type's SQLAlchemy bind processor where it has one (dates on
SQLite, JSON, UUID, Enum), and are zipped into tuples for the DBAPI cursor's
``executemany``, the fastest path each driver has (pymysql folds it into
multi-row INSERTs)::

    >>> ExecutemanyWriter().write(conn, spec, [batch])
    50000
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

import numpy as np

from ..prefetch import prefetch
from ..specs import ColumnSpec, TableSpec
from .base import null_mask

__all__ = ["ExecutemanyWriter", "python_values"]

_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": ":{}", "named": ":p{}",
                "numeric_dollar": "${}"}


_SQLITE_DATE = "%(year)04d-%(month)02d-%(day)02d"
_SQLITE_DATETIME = "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"


def _sqlite_text(spec: ColumnSpec, values: np.ndarray, dialect) -> list | None:
    """SQLite stores dates as text: with SQLAlchemy's default storage format, numpy formats the whole column
    at once (the bind processor would run once per cell). None when another format is configured."""
    if dialect is None or dialect.name != "sqlite" or spec.sa_type is None or values.dtype.kind != "M":
        return None
    impl = spec.sa_type.dialect_impl(dialect)
    wanted = _SQLITE_DATE if spec.kind == "date" else _SQLITE_DATETIME
    if getattr(impl, "_storage_format", None) != wanted or getattr(impl, "_reg", None) is not None:
        return None
    if spec.kind == "date":
        text = np.datetime_as_string(values.astype("datetime64[D]"), unit="D")
    else:
        text = np.strings.replace(np.datetime_as_string(values.astype("datetime64[us]"), unit="us"), "T", " ")
    cells = text.tolist()
    nulls = np.isnat(values)
    if nulls.any():
        cells = [None if n else c for c, n in zip(cells, nulls.tolist())]
    return cells


def python_values(spec: ColumnSpec, values: np.ndarray, dialect=None) -> list:
    """A column as Python objects ready for the driver (None for NULL)."""
    fast = _sqlite_text(spec, values, dialect)
    if fast is not None:
        return fast
    nulls = null_mask(values)
    if values.dtype.kind == "f" and spec.kind == "integer":
        cells = np.where(nulls, 0, values).astype(np.int64).tolist()
    elif values.dtype.kind == "M":
        cells = values.astype("datetime64[D]" if spec.kind == "date" else "datetime64[us]").tolist()
    elif values.dtype.kind == "m":
        cells = values.astype("timedelta64[us]").tolist()
    else:
        cells = values.tolist()
    if nulls.any():
        cells = [None if n else c for c, n in zip(cells, nulls)]
    if spec.kind == "uuid" and getattr(spec.sa_type, "as_uuid", False):
        cells = [None if c is None else uuid.UUID(c) if isinstance(c, str) else c for c in cells]
    if dialect is not None and spec.sa_type is not None:
        proc = spec.sa_type._cached_bind_processor(dialect)
        if proc is not None:
            cells = [None if c is None else proc(c) for c in cells]
    return cells


class ExecutemanyWriter:
    """INSERT through the DBAPI cursor of the caller's connection (same transaction)."""

    def __init__(self, page_size: int = 10_000) -> None:
        self.page_size = page_size

    def insert_sql(self, conn, table: TableSpec, names: list[str]) -> str:
        prep = conn.dialect.identifier_preparer
        target = prep.quote(table.name)
        if table.schema:
            target = f"{prep.quote_schema(table.schema)}.{target}"
        mark = _PLACEHOLDER.get(conn.dialect.paramstyle, "?")
        marks = ", ".join(mark.format(i + 1) for i in range(len(names)))
        return f"INSERT INTO {target} ({', '.join(prep.quote(n) for n in names)}) VALUES ({marks})"

    last_batch: Mapping[str, np.ndarray] | None = None

    def write(self, conn, table: TableSpec, batches: Iterable[Mapping[str, np.ndarray]]) -> int:
        total = 0
        cursor = None

        def as_rows():  # runs in a worker thread, ahead of the driver
            for batch in batches:
                names = list(batch)
                yield batch, names, list(zip(*[python_values(table.column(c), batch[c], conn.dialect)
                                               for c in names]))

        try:
            for batch, names, rows in prefetch(as_rows()):
                self.last_batch = batch
                n = len(rows)
                if not n:
                    continue
                if cursor is None:
                    sql = self.insert_sql(conn, table, names)
                    cursor = conn.connection.driver_connection.cursor() if not conn.dialect.is_async else None
                for start in range(0, n, self.page_size):
                    page = rows[start:start + self.page_size]
                    if cursor is None:  # async drivers: through SQLAlchemy's adapted cursor
                        conn.exec_driver_sql(sql, page)
                    else:
                        cursor.executemany(sql, page)
                total += n
        finally:
            if cursor is not None:
                cursor.close()
        return total
