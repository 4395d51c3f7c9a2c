"""Database errors as one clear :class:`~.exceptions.WriteError`: table, constraint, a sample row.

PostgreSQL names the constraint in a structured field; SQLite and MariaDB only in the message text,
which the patterns below read::

    >>> from sqlalchemy_syda.introspect import table_spec
    >>> batch = {"id": np.array([1, 2]), "name": np.array(["Acme", "Acme"], dtype=object)}
    >>> with engine.connect() as conn:
    ...     try:
    ...         conn.execute(sa.insert(Customer.__table__), [{"id": 1, "name": "Acme"}, {"id": 2, "name": "Acme"}])
    ...     except sa.exc.IntegrityError as exc:
    ...         error = write_error(exc, table_spec(Customer), batch)
    >>> print(error)
    Writing 'customers' failed (constraint customers.name): UNIQUE constraint failed: customers.name.
    Nothing was written (the seed rolled back). Failing row: {'id': 2, 'name': 'Acme'}

The failing row is the one the database names (PostgreSQL's COPY line, MariaDB's duplicate value, the row
repeating a SQLite UNIQUE column), with PostgreSQL's own detail ("Failing row contains ...", "Key ...")
and the column of a type error; only when the database says nothing more is it the batch's first row.

Errors from the statements around the load (counting rows, reading the largest ids, the keys and UNIQUE
values already there, reserving ids) become a one-line ``WriteError`` saying what the seed was doing::

    >>> with sa.create_engine("sqlite://").connect() as conn, database_stage("counting the rows already there"):
    ...     conn.exec_driver_sql("SELECT count(*) FROM nowhere")
    Traceback (most recent call last):
    ...
    sqlalchemy_syda.exceptions.WriteError: The seed failed counting the rows already there: no such table: nowhere. ...
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
import sqlalchemy as sa

from .exceptions import SydaError, WriteError
from .specs import TableSpec

__all__ = ["database_stage", "is_database_error", "write_error"]


@contextlib.contextmanager
def database_stage(what: str) -> Iterator[None]:
    """Turn a database error raised inside the block into one ``WriteError`` saying the seed was ``what``."""
    try:
        yield
    except SydaError:
        raise
    except sa.exc.DBAPIError as exc:
        orig = getattr(exc, "orig", None) or exc
        reason = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        raise WriteError(f"The seed failed {what}: {reason}. Nothing was written (the seed rolled back).") from exc


def write_error(exc: Exception, spec: TableSpec, batch: Mapping[str, np.ndarray] | None,
                row_at: Callable[[int], Mapping[str, Any] | None] | None = None) -> WriteError:
    """The error, naming the constraint, the database's own detail and context, and the failing row.

    The row is the one the database names when it does (PostgreSQL's COPY context gives its line, which
    ``row_at`` turns back into the row: rows are a pure function of their number; MariaDB's duplicate entry
    gives its value; SQLite's UNIQUE columns find the batch's first repeat), else the failing batch's first.
    """
    orig = getattr(exc, "orig", exc)
    server = _server_error(orig)
    diag = getattr(orig, "diag", None)
    message = str(orig)
    constraint = getattr(diag, "constraint_name", None) or getattr(server, "constraint_name", None) \
        or _constraint_in(message)
    text = message.strip().splitlines()[0] if message.strip() else type(orig).__name__
    where = f" (constraint {_constraint_label(constraint, spec)})" if constraint else ""
    detail = getattr(diag, "message_detail", None) or getattr(server, "detail", None)
    context = getattr(diag, "context", None) or getattr(server, "context", None)
    parts = [f"Writing {spec.fullname!r} failed{where}: {text}. Nothing was written (the seed rolled back)."]
    if detail:
        parts.append(detail.strip())
    line, column = _copy_position(context)
    if column:
        parts.append(f"Column {column!r} (COPY line {line}).")
    row = _failing_row(line, row_at, message, spec, batch)
    if row is not None:
        parts.append(f"Failing row (new row {row[0]}): {row[1]}" if row[0] is not None else f"Failing row: {row[1]}")
    elif batch:
        parts.append(f"First row of the failing batch: {_row_of(batch, 0)}")
    return WriteError(" ".join(parts))


_COPY_LINE = re.compile(r"COPY [^,]+, line (\d+)(?:, column ([^:]+))?")
_DUPLICATE_ENTRY = re.compile(r"Duplicate entry '(.*)' for key '([^']+)'")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: ((?:[\w]+\.[\w]+(?:, )?)+)")


def _copy_position(context: str | None) -> tuple[int | None, str | None]:
    """PostgreSQL's COPY context: the (1-based) line and, for a type error, the column."""
    m = _COPY_LINE.search(context or "")
    if m is None:
        return None, None
    return int(m.group(1)), m.group(2)


def _failing_row(line: int | None, row_at, message: str, spec: TableSpec,
                 batch: Mapping[str, np.ndarray] | None) -> tuple[int | None, dict] | None:
    if line is not None and row_at is not None:
        try:
            row = row_at(line - 1)
        except Exception:  # noqa: BLE001 - the error message must not fail on its own
            row = None
        if row is not None:
            return line - 1, {k: _plain(v) for k, v in row.items()}
    if not batch:
        return None
    m = _DUPLICATE_ENTRY.search(message)
    if m is not None:  # MariaDB: the value; the row holding it (its second holder when the batch has two)
        value, key = m.groups()
        unique = next((u for u in spec.uniques if u.name == key), None)
        names = [n for n in (unique.columns if unique is not None and len(unique.columns) == 1 else batch)
                 if n in batch]
        for name in names:
            hits = [i for i, v in enumerate(batch[name].tolist()) if str(_plain(v)) == value]
            if hits:
                return None, _row_of(batch, hits[1] if len(hits) > 1 else hits[0])
    m = _SQLITE_UNIQUE.search(message)
    if m is not None:  # SQLite: the batch's first row whose values repeat an earlier row's
        names = [c.split(".", 1)[1] for c in m.group(1).split(", ")]
        if all(n in batch for n in names):
            seen: set = set()
            for i, key in enumerate(zip(*(batch[n].tolist() for n in names))):
                if key in seen:
                    return None, _row_of(batch, i)
                seen.add(key)
    return None


def _row_of(batch: Mapping[str, np.ndarray], i: int) -> dict:
    return {k: _plain(v[i]) for k, v in batch.items() if len(v) > i}


def _plain(value: Any) -> Any:
    """A cell as the user would write it: numpy scalars as Python values (22, not np.int64(22))."""
    return value.item() if isinstance(value, np.generic) else value


def _constraint_label(constraint: str, spec: TableSpec) -> str:
    """The constraint as the database names it, with the columns of a unique index SQLite names only by index."""
    if constraint.startswith("index "):
        name = constraint[len("index "):].strip("'")
        unique = next((u for u in spec.uniques if u.name == name), None)
        return f"unique index {name}" + (f" on ({', '.join(unique.columns)})" if unique else "")
    return constraint


_CONSTRAINT_PATTERNS = (
    re.compile(r"UNIQUE constraint failed: (index '[^']+')"),                # SQLite unique index on expressions
    re.compile(r"(?:UNIQUE|CHECK|NOT NULL) constraint failed: ([\w.]+)"),     # SQLite
    re.compile(r"CONSTRAINT [`\"]?([\w$]+)[`\"]? FOREIGN KEY"),                # MariaDB / MySQL FK
    re.compile(r"for key '([^']+)'"),                                         # MariaDB / MySQL duplicate key
    re.compile(r"CONSTRAINT [`\"]?([\w$]+)[`\"]? failed"),                   # MariaDB CHECK
    re.compile(r"(FOREIGN KEY) constraint failed"),                          # SQLite FK (unnamed)
)


def _constraint_in(message: str) -> str | None:
    """The constraint a driver's error message names (SQLite and MariaDB have no structured field)."""
    for pattern in _CONSTRAINT_PATTERNS:
        m = pattern.search(message)
        if m:
            return m.group(1)
    return None


def _server_error(error: BaseException | None) -> BaseException | None:
    """asyncpg's own exception (it carries ``constraint_name`` and ``detail``), also behind SQLAlchemy's adapter."""
    for candidate in (error, getattr(error, "__cause__", None)):
        if candidate is not None and type(candidate).__module__.startswith("asyncpg"):
            return candidate
    return None


def is_database_error(conn: sa.Connection, exc: Exception) -> bool:
    """Raised by the database or its driver (not by generation or a user callback)."""
    dbapi_error = getattr(conn.dialect.loaded_dbapi, "Error", None)
    return isinstance(exc, sa.exc.DBAPIError) or (dbapi_error is not None and isinstance(exc, dbapi_error)) \
        or _server_error(exc) is not None  # asyncpg's COPY runs on the driver connection itself
