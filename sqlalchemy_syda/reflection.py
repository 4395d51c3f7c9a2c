"""Reflect a live database into specs, adding what SQLAlchemy's generic reflection misses.

SQLite's inline ``UNIQUE`` columns (visible only as ``sqlite_autoindex_*`` indexes) and its unique indexes
over expressions (read from their DDL); MariaDB's column-level CHECKs, including the ``json_valid()`` check
that marks a ``JSON`` column, which MariaDB otherwise reports as ``LONGTEXT``::

    >>> [s.name for s in reflect_specs(engine, only=["orders", "customers"])]
    ['orders', 'customers']
    >>> reflect_specs(engine, only=["orders"])[0].foreign_keys[0].ref_table
    'customers'
"""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine

from .exceptions import IntrospectionError
from .lock_waits import DEFAULT_LOCK_TIMEOUT, bounded_lock_waits
from .mapped_classes import described
from .spec_builder import build_spec, expression_columns, split_top_level
from .specs import CheckSpec, TableSpec, UniqueSpec

__all__ = ["reflect_specs"]

def reflect_specs(
    bind: Engine | Connection, *, schema: str | None = None, only: Iterable[str] | None = None,
    lock_timeout: float | None = DEFAULT_LOCK_TIMEOUT,
) -> list[TableSpec]:
    """Reflect a live database into specs (no model code needed).

    Works on PostgreSQL, SQLite and MariaDB/MySQL, and on any dialect SQLAlchemy
    can reflect. Reflected tables have no docstrings; PostgreSQL and MariaDB
    keep table and column comments.

    :param bind: an ``Engine`` or a ``Connection`` (reflection then runs in its
        transaction).
    :param schema: the schema to read; the default schema when None.
    :param only: table names to read; tables they reference are not returned.
    :param lock_timeout: seconds to wait for a table another session holds (PostgreSQL's catalog reads wait
        for an ``ACCESS EXCLUSIVE`` lock) before a :class:`~.exceptions.LockTimeoutError` names it.
    :raises IntrospectionError: when the database cannot be reached or a table in
        ``only`` does not exist.
    """
    if not isinstance(bind, (Engine, Connection)):
        raise IntrospectionError(f"reflect_specs() needs an Engine or Connection; got {described(bind)}.")
    wanted = [only] if isinstance(only, str) else list(only) if only is not None else None
    url = bind.engine.url.render_as_string(hide_password=True)
    md = sa.MetaData()
    try:
        with _connection(bind) as conn, bounded_lock_waits(conn, lock_timeout), warnings.catch_warnings():
            # SQLite's expression indexes: _reflected_extras reads them from their DDL
            warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
            md.reflect(conn, schema=schema, only=wanted)
            tables = [t for t in md.tables.values() if t.schema == schema]
            if wanted is not None:
                tables = sorted((t for t in tables if t.name in wanted), key=lambda t: wanted.index(t.name))
            extras = {t: _reflected_extras(conn, t) for t in tables}
    except sa_exc.DBAPIError as e:
        raise IntrospectionError(
            f"Cannot read the database at {url}: {e.orig or e}. "
            "Check that the server is running and the URL, user and database are right."
        ) from e
    except sa_exc.InvalidRequestError as e:
        raise IntrospectionError(f"Cannot reflect {url}: {e}") from e
    return [build_spec(t, **extras[t]) for t in tables]


@contextlib.contextmanager
def _connection(bind: Engine | Connection) -> Iterator[Connection]:
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.connect() as conn:
            yield conn


def _reflected_extras(conn: Connection, table: sa.Table) -> dict[str, Any]:
    """What generic reflection misses, as keyword arguments for :func:`.build_spec`."""
    if conn.dialect.name == "sqlite":
        indexes = sa.inspect(conn).get_indexes(table.name, schema=table.schema, include_auto_indexes=True)
        uniques = [
            UniqueSpec(columns=tuple(c for c in ix["column_names"] if c is not None), origin="constraint")
            for ix in indexes
            if (ix["name"] or "").startswith("sqlite_autoindex_") and None not in ix["column_names"]
        ]
        return {"extra_uniques": uniques + _sqlite_expression_uniques(conn, table)}
    if getattr(conn.dialect, "is_mariadb", False):
        return _mariadb_column_checks(conn, table)
    return {}


_UNIQUE_INDEX_SQL = re.compile(r"^\s*CREATE\s+UNIQUE\s+INDEX\s+.*?\bON\s+\S+\s*\((.*)\)\s*(WHERE\s+.*)?$",
                               re.IGNORECASE | re.DOTALL)


def _sqlite_expression_uniques(conn: Connection, table: sa.Table) -> list[UniqueSpec]:
    """Unique indexes over expressions (``lower(name)``), which SQLite's reflection skips, read from their DDL."""
    rows = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t "
                                "AND sql IS NOT NULL"), {"t": table.name}).all()
    found = []
    for name, sql in rows:
        match = _UNIQUE_INDEX_SQL.match(sql)
        if match is None or match.group(2):
            continue
        columns = expression_columns(split_top_level(match.group(1)), table)
        if columns is not None and any("(" in part for part in split_top_level(match.group(1))):
            found.append(UniqueSpec(columns=columns, name=name, origin="index"))
    return found


_JSON_VALID = re.compile(r"^\s*json_valid\(\s*`?(\w+)`?\s*\)\s*$", re.IGNORECASE)


def _mariadb_column_checks(conn: Connection, table: sa.Table) -> dict[str, Any]:
    """MariaDB keeps column-level CHECKs (and JSON's ``json_valid``) out of SHOW CREATE's table checks."""
    sql = sa.text(
        "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = COALESCE(:schema, DATABASE()) AND TABLE_NAME = :table AND LEVEL = 'Column'"
    )
    try:
        rows = conn.execute(sql, {"schema": table.schema, "table": table.name}).all()
    except sa_exc.DBAPIError:  # a server without information_schema.CHECK_CONSTRAINTS.LEVEL
        return {}
    json_columns, checks = set(), []
    for column, clause in rows:
        match = _JSON_VALID.match(clause)
        if match and match.group(1) == column:
            json_columns.add(column)
        else:
            checks.append(CheckSpec(sqltext=clause, column=column))
    return {"extra_checks": checks, "json_columns": json_columns}
