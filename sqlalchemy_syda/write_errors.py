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
    Nothing was written (the seed rolled back). First row of the failing batch: {'id': 1, 'name': 'Acme'}

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
from collections.abc import Iterator, Mapping

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


def write_error(exc: Exception, spec: TableSpec, batch: Mapping[str, np.ndarray] | None) -> WriteError:
    orig = getattr(exc, "orig", exc)
    server = _server_error(orig)
    constraint = getattr(getattr(orig, "diag", None), "constraint_name", None) \
        or getattr(server, "constraint_name", None) or _constraint_in(str(orig))
    sample = {}
    if batch:
        sample = {k: (v[0].item() if hasattr(v[0], "item") else v[0]) for k, v in batch.items() if len(v)}
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    where = f" (constraint {constraint})" if constraint else ""
    detail = getattr(getattr(orig, "diag", None), "message_detail", None) or getattr(server, "detail", None)
    if batch:
        evidence = f" First row of the failing batch: {sample}"
    else:
        evidence = f" {detail}" if detail else ""
    return WriteError(f"Writing {spec.fullname!r} failed{where}: {text}. Nothing was written (the seed rolled "
                      f"back).{evidence}")


_CONSTRAINT_PATTERNS = (
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
