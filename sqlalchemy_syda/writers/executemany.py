"""Any dialect: one prepared INSERT, executemany over positional rows (SQLite, MariaDB/MySQL, ...).

Column arrays become Python values column-wise (``tolist()``), go through
the column type's SQLAlchemy bind processor where it has one (dates on
SQLite, JSON, UUID, Enum), after supplied lists, dicts and bytes became what
:mod:`.cells` says their column stores, and become the parameters of the DBAPI cursor's
``executemany``, the fastest path each driver has: row tuples for one-row
INSERTs (pymysql folds them into multi-row INSERTs itself), and on the stdlib
``sqlite3`` driver INSERTs of up to 500 rows each, whose parameters are their
rows' values one after another. ``seed()`` calls :meth:`ExecutemanyWriter.prepare`
in its generation thread, so the conversion runs ahead of the driver::

    >>> from sqlalchemy_syda.introspect import table_spec
    >>> spec = table_spec(Customer)
    >>> batch = {"id": np.arange(1, 4), "name": np.array(["Acme", "Globex", "Initech"], dtype=object),
    ...          "created_at": np.array(["2024-01-05", "2024-02-29", "2024-03-01"], dtype="datetime64[D]")}
    >>> writer = ExecutemanyWriter()
    >>> with engine.begin() as conn:
    ...     print(writer.insert_sql(conn, spec, list(batch)))
    ...     writer.write(conn, spec, [batch])
    INSERT INTO customers (id, name, created_at) VALUES (?, ?, ?)
    3
    >>> python_values(spec.column("created_at"), batch["created_at"], engine.dialect)   # SQLite's date text
    ['2024-01-05', '2024-02-29', '2024-03-01']
    >>> with engine.connect() as conn:
    ...     conn.execute(sa.text("SELECT id, name, created_at FROM customers")).all()
    [(1, 'Acme', '2024-01-05'), (2, 'Globex', '2024-02-29'), (3, 'Initech', '2024-03-01')]
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy.types import TypeDecorator

from ..dialects.quoting import quote_name, quote_table
from ..prefetch import prefetch
from ..specs import ColumnSpec, TableSpec
from .base import Prepared, iso_dates, null_mask, prepared_parts, with_none
from .cells import TEXT_KINDS, binary_cells, refused_by_type, text_cells, unstorable

if TYPE_CHECKING:
    from ..plan import SeedPlan

__all__ = ["ExecutemanyWriter", "python_values"]

_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": ":{}", "named": ":p{}",
                "numeric_dollar": "${}"}


_SQLITE_ROWS_PER_INSERT = 500
"""Rows per INSERT statement on SQLite (fewer when the columns times this pass the bound-parameter limit)."""

_SQLITE_DATE = "%(year)04d-%(month)02d-%(day)02d"
_SQLITE_DATETIME = "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"


def _sqlite_text(spec: ColumnSpec, values: np.ndarray, dialect) -> list | None:
    """SQLite stores dates as text: with SQLAlchemy's default storage format, numpy formats the whole column
    at once (the bind processor would run once per cell). None when another format is configured."""
    if dialect is None or dialect.name != "sqlite" or spec.sa_type is None or values.dtype.kind != "M" \
            or isinstance(spec.sa_type, TypeDecorator):  # the type's own process_bind_param must see the values
        return None
    impl = spec.sa_type.dialect_impl(dialect)
    wanted = _SQLITE_DATE if spec.kind == "date" else _SQLITE_DATETIME
    if getattr(impl, "_storage_format", None) != wanted or getattr(impl, "_reg", None) is not None:
        return None
    if spec.kind == "date":
        return iso_dates(values.astype("datetime64[D]"))
    text = np.strings.replace(np.datetime_as_string(values.astype("datetime64[us]"), unit="us"), "T", " ")
    return with_none(text, np.isnat(values))


def _processed(proc, values: np.ndarray, cells: list) -> list:
    """``proc`` applied to every non-NULL cell; a boolean column runs it twice, for False and True, and looks
    the rest up (a bind processor is a function of its value)."""
    try:
        if values.dtype == bool:
            table = np.empty(2, dtype=object)
            table[0], table[1] = proc(False), proc(True)
            return table[values.view(np.uint8)].tolist()
        return [None if c is None else proc(c) for c in cells]
    except Exception:  # the type's own refusal, whatever it raises: find the cell
        for c in ([False, True] if values.dtype == bool else cells):
            try:
                None if c is None else proc(c)
            except Exception as error:
                raise TypeRefused(c, error) from error
        raise


class TypeRefused(Exception):
    """A column type's bind processing raised on ``value`` (turned into an UnstorableValueError with the table)."""

    def __init__(self, value: object, error: Exception) -> None:
        super().__init__(str(error))
        self.value, self.error = value, error


def python_values(spec: ColumnSpec, values: np.ndarray, dialect=None) -> list:
    """A column as Python objects ready for the driver (None for NULL)."""
    fast = _sqlite_text(spec, values, dialect)
    if fast is not None:
        return fast
    nulls = null_mask(values)
    if values.dtype.kind == "f" and spec.kind == "integer":
        cells = with_none(np.where(nulls, 0, values).astype(np.int64), nulls)
    elif values.dtype.kind == "M":
        cells = with_none(values.astype("datetime64[D]" if spec.kind == "date" else "datetime64[us]"), nulls)
        if spec.kind == "datetime" and spec.timezone and isinstance(spec.sa_type, TypeDecorator):
            # a decorator over a timezone-aware column is handed aware times, as applications do (DateTimeUTC)
            cells = [None if c is None else c.replace(tzinfo=dt.UTC) for c in cells]
    elif values.dtype.kind == "m":
        cells = with_none(values.astype("timedelta64[us]"), nulls)
    else:
        cells = with_none(values, nulls)
    if values.dtype == object and spec.kind in TEXT_KINDS:
        cells = text_cells(cells)
    elif values.dtype == object and spec.kind == "binary":
        cells = binary_cells(cells)
    if spec.kind == "uuid" and (getattr(spec.sa_type, "as_uuid", False) or isinstance(spec.sa_type, TypeDecorator)):
        cells = [None if c is None else uuid.UUID(c) if isinstance(c, str) else c for c in cells]
    if dialect is not None and spec.sa_type is not None:
        proc = spec.sa_type._cached_bind_processor(dialect)
        if proc is not None:
            cells = _processed(proc, values, cells)
    return cells


class ExecutemanyWriter:
    """INSERT through the DBAPI cursor of the caller's connection (same transaction)."""

    def __init__(self, page_size: int = 10_000) -> None:
        self.page_size = page_size

    def insert_sql(self, conn, table: TableSpec, names: list[str], rows: int = 1) -> str:
        """``INSERT INTO table (names) VALUES (...)`` with the driver's placeholders, for ``rows`` rows."""
        prep = conn.dialect.identifier_preparer
        target = prep.quote(table.name)
        if table.schema:
            target = f"{prep.quote_schema(table.schema)}.{target}"
        mark = _PLACEHOLDER.get(conn.dialect.paramstyle, "?")
        width = len(names)
        if "{}" in mark:  # numbered placeholders
            values = ", ".join("(" + ", ".join(mark.format(r * width + i + 1) for i in range(width)) + ")"
                               for r in range(rows))
        else:
            values = ", ".join(["(" + ", ".join([mark] * width) + ")"] * rows)
        return f"INSERT INTO {target} ({', '.join(prep.quote(n) for n in names)}) VALUES {values}"

    last_batch: Mapping[str, np.ndarray] | None = None

    def preview(self, conn, plan: SeedPlan) -> list[str]:
        """The INSERT per table (identifiers as the server reads them)."""
        out = []
        for tp in plan.tables:
            names = ", ".join(quote_name(conn, c.name) for c in tp.spec.columns if not c.filled_by_database)
            out.append(f"INSERT INTO {quote_table(conn, tp.spec)} ({names}) VALUES (...);  -- executemany, "
                       f"{tp.count} rows")
        return out

    def prepare(self, conn, table: TableSpec, batch: Mapping[str, np.ndarray]) -> Prepared:
        """The batch's column names and its driver values, row after row in one list (thread-safe: reads only
        the dialect)."""
        names = list(batch)
        columns = []
        try:
            for c in names:
                try:
                    columns.append(python_values(table.column(c), batch[c], conn.dialect))
                except TypeRefused as refused:
                    if not isinstance(table.column(c).sa_type, TypeDecorator):  # a plain type: the value's kind is wrong
                        raise _explained(refused.error, table, batch, conn) from refused.error
                    raise refused_by_type(table, c, refused.value, refused.error) from refused.error
            return Prepared(batch, (names, _row_major(columns)))
        except (TypeError, ValueError) as exc:  # a supplied value the column cannot take (e.g. not JSON)
            raise _explained(exc, table, batch, conn) from exc

    def write(self, conn, table: TableSpec, batches: Iterable[Mapping[str, np.ndarray] | Prepared]) -> int:
        total = 0
        cursor = None
        rows_per_insert = _rows_per_insert(conn)
        sql: dict[tuple[tuple[str, ...], int], str] = {}  # (columns, rows per INSERT) -> statement
        try:
            for batch, (names, values) in self._prepared(conn, table, batches):
                self.last_batch = batch
                for rows, params in _statements(values, len(names), rows_per_insert(len(names))):
                    key = (tuple(names), rows)
                    if key not in sql:
                        sql[key] = self.insert_sql(conn, table, names, rows)
                    if cursor is None and not conn.dialect.is_async:
                        cursor = conn.connection.driver_connection.cursor()
                    step = max(1, self.page_size // rows)
                    for start in range(0, len(params), step):
                        try:
                            if cursor is None:  # async drivers: through SQLAlchemy's adapted cursor
                                conn.exec_driver_sql(sql[key], params[start:start + step])
                            else:
                                cursor.executemany(sql[key], params[start:start + step])
                        except UnicodeEncodeError as exc:  # the driver met a lone surrogate
                            raise _explained(exc, table, batch, conn) from exc
                    total += rows * len(params)
        finally:
            if cursor is not None:
                cursor.close()
        return total

    def _prepared(self, conn, table: TableSpec, batches: Iterable[Mapping[str, np.ndarray] | Prepared]):
        """``(batch, payload)`` per batch: prepared ahead by ``seed()``, or here, in a worker thread that runs
        ahead of the driver."""
        items = iter(batches)
        first = next(items, None)
        if first is None:
            return
        items = itertools.chain([first], items)
        if not isinstance(first, Prepared):
            items = prefetch(self.prepare(conn, table, batch) for batch in items)
        for item in items:
            yield prepared_parts(item, lambda b: self.prepare(conn, table, b).payload)


def _explained(exc: Exception, table: TableSpec, batch: Mapping[str, np.ndarray], conn) -> Exception:
    """The error naming the cell no column can store, or ``exc`` itself when every cell looks storable."""
    return unstorable(table, batch, conn.dialect.name) or exc


def _rows_per_insert(conn):
    """Rows per INSERT statement, as a function of the number of columns.

    The stdlib ``sqlite3`` driver gets multi-row INSERTs (up to its bound-parameter limit): it binds a
    statement's values and then runs it in one ``sqlite3_step`` with the GIL released, so generating the next
    batch overlaps the database's work (one row per statement releases the GIL for microseconds only). Every
    other driver gets one row per statement, its ``executemany``'s own fast path.
    """
    driver = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
    if not isinstance(driver, sqlite3.Connection):
        return lambda width: 1
    limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return lambda width: max(1, min(_SQLITE_ROWS_PER_INSERT, limit // max(1, width)))


def _row_major(columns: list[list]) -> list:
    """The values of equally long columns, row after row, in one list."""
    width = len(columns)
    flat = [None] * (len(columns[0]) * width if columns else 0)
    for j, column in enumerate(columns):
        flat[j::width] = column
    return flat


def _statements(values: list, width: int, per_insert: int) -> list[tuple[int, list]]:
    """Row-major ``values`` as ``[(rows per INSERT, [parameters of one INSERT, ...]), ...]``.

    One row per INSERT: the parameters are row tuples. Several: each INSERT's parameters are its rows'
    values, in one list; the last INSERT holds the rows left over.
    """
    n = len(values) // width if width else 0
    if not n:
        return []
    if per_insert == 1:
        return [(1, list(zip(*[iter(values)] * width)))]
    step = per_insert * width
    full = n // per_insert * step
    out = [(per_insert, [values[i:i + step] for i in range(0, full, step)])] if full else []
    if full < len(values):
        out.append((n - full // width, [values[full:]]))
    return out
