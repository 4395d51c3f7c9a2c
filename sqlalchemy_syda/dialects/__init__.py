"""Dialect code in one place per database: the SQL a seed runs around its bulk load.

One module per database (:mod:`.postgresql`, :mod:`.mysql` for MariaDB and MySQL, :mod:`.sqlite`) over the
interface and common steps of :mod:`.base`; :func:`dialect_for` picks the steps for a connection, an
engine or a dialect name::

    >>> dialect_for("postgresql+psycopg").name, dialect_for("mariadb").name, dialect_for("mssql").name
    ('postgresql', 'mysql', 'default')

What the planner decides about a dialect without running SQL (may foreign keys be checked in bulk?) is in
:mod:`sqlalchemy_syda.fk_check_modes`, so that planning imports nothing that executes SQL.
"""

from __future__ import annotations

from typing import Any

from .base import Dialect
from .mysql import MySQL
from .postgresql import PostgreSQL
from .sqlite import SQLite

__all__ = ["Dialect", "dialect_for"]

_BY_NAME: dict[str, Dialect] = {"postgresql": PostgreSQL(), "mysql": MySQL(), "mariadb": MySQL(), "sqlite": SQLite()}
_DEFAULT = Dialect()


def dialect_for(conn_or_name: Any) -> Dialect:
    """The steps for a Connection, Engine (anything with ``.dialect``) or a dialect name (``"mariadb+pymysql"``);
    the common ones for a database with no module here."""
    name = conn_or_name if isinstance(conn_or_name, str) else conn_or_name.dialect.name
    return _BY_NAME.get(name.split("+")[0].lower(), _DEFAULT)
