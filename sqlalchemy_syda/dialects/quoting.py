"""Identifiers quoted as the server reads them, for SQL text sent without parameters.

SQLAlchemy's identifier preparer doubles ``%`` for drivers with ``format``/``pyformat`` placeholders
(psycopg, PyMySQL), which is right only for statements sent *with* parameters: the driver halves it
again. COPY, DDL sent as it is and names passed as a parameter's value must keep a single ``%``::

    >>> import sqlalchemy as sa
    >>> engine = sa.create_engine("postgresql+psycopg://")   # only its dialect is read: no connection
    >>> engine.dialect.identifier_preparer.quote("100% Juice")
    '"100%% Juice"'
    >>> quote_name(engine, "100% Juice"), quote_name(engine, "orders")
    ('"100% Juice"', 'orders')
"""

from __future__ import annotations

from typing import Any

from ..specs import TableSpec

__all__ = ["quote_name", "quote_table"]


def quote_name(conn: Any, name: str) -> str:
    """``name`` quoted where it needs to be, as the server reads it (``%`` not doubled for the driver)."""
    prep = conn.dialect.identifier_preparer
    quoted = prep.quote(name)
    return quoted.replace("%%", "%") if "%%" in prep.quote("%") else quoted


def quote_table(conn: Any, spec: TableSpec) -> str:
    """The table's name, schema-qualified when it has a schema, quoted as the server reads it."""
    name = quote_name(conn, spec.name)
    return f"{quote_name(conn, spec.schema)}.{name}" if spec.schema else name
