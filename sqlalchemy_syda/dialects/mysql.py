"""MariaDB and MySQL: explicit sequences are moved past the ids written; the rest is the common steps.

``AUTO_INCREMENT`` moves past explicit ids by itself; a ``Sequence(...)`` default (MariaDB 10.3+) does not,
so it is set with ``SETVAL`` after the load. There are no deferrable constraints (a NOT NULL FK cycle is
refused at planning) and foreign keys are always checked per row::

    >>> steps = MySQL()
    >>> steps.name, steps.preview_bulk_checks(None, None)
    ('mysql', [])
"""

from __future__ import annotations

import sqlalchemy as sa

from ..specs import TableSpec
from .base import NO_PARAMETERS, Dialect, explicit_sequence

__all__ = ["MySQL"]


class MySQL(Dialect):
    """MariaDB and MySQL (PyMySQL, mysqlclient, aiomysql, ...)."""

    name = "mysql"

    def update_from(self, target: str, sets: list[tuple[str, str]], subquery: str,
                    keys: list[tuple[str, str]]) -> str:
        """MariaDB / MySQL spell an UPDATE from a subquery as a join."""
        on = " AND ".join(f"{target}.{col} = {value}" for col, value in keys)
        assignments = ", ".join(f"{target}.{col} = {value}" for col, value in sets)
        return f"UPDATE {target} JOIN ({subquery}) AS s ON {on} SET {assignments}"

    def sequence_of(self, conn: sa.Connection, spec: TableSpec, column: str) -> str | None:
        """An explicit ``Sequence`` default (``AUTO_INCREMENT`` needs nothing)."""
        return explicit_sequence(conn, spec, column)

    def set_sequence(self, conn: sa.Connection, sequence: str, value: int) -> None:
        conn.exec_driver_sql(f"SELECT SETVAL({sequence}, {int(value)})", execution_options=NO_PARAMETERS)
