"""The migration operations ``op.seed`` and ``op.seed_rows``, as data.

Like Alembic's own ``BulkInsertOp``, an operation is an object holding its arguments; the same
object is executed against the migration's connection or rendered as INSERT statements in offline
(``--sql``) mode by :mod:`alembic_ext.toimpl`. The classes are registered with Alembic by
:func:`alembic_ext.plugin.setup` (the ``alembic.plugins`` entry point), never at import::

    def upgrade() -> None:
        users = op.create_table("users", sa.Column("id", sa.Integer, primary_key=True), ...)
        op.seed("users", 100)                          # top up to 100 rows
        op.seed({"users": 100, "orders": 300}, seed=7)  # several tables, FK order
        op.seed_rows("users", [{"email": "admin@example.com", "is_admin": True}])

An operation is plain data that describes itself::

    >>> SeedOp({"users": 100, "orders": 300}, options={"seed": 7}).describe()
    'seed(users=100, orders=300)'
    >>> op = SeedRowsOp("users", [{"email": "admin@example.com"}])
    >>> op.table, op.rows, op.describe()
    ('users', [{'email': 'admin@example.com'}], 'seed_rows(users, 1 rows)')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from alembic.operations import MigrateOperation

__all__ = ["SeedOp", "SeedRowsOp"]

TableRef = str | sa.Table | sa.TableClause


class SeedOp(MigrateOperation):
    """Seed tables with synthetic rows: ``op.seed("users", 100)`` or ``op.seed({"users": 100, ...})``."""

    def __init__(self, counts: Mapping[TableRef, int | None], *, schema: str | None = None,
                 columns: Sequence[sa.Column] | None = None, options: Mapping[str, Any] | None = None) -> None:
        self.counts = dict(counts)
        self.schema = schema
        self.columns = list(columns) if columns is not None else None
        self.options = dict(options or {})

    @classmethod
    def seed(cls, operations: Any, tables: TableRef | Mapping[TableRef, int | None], n: int | None = None, *,
             schema: str | None = None, columns: Sequence[sa.Column] | None = None, seed: int = 0,
             existing: str = "top-up", overrides: Mapping | None = None, cardinality: Mapping | None = None,
             locale: str | None = None) -> Any:
        """Fill tables with realistic rows as they are at this revision (the database is reflected, not your models).

        e.g.::

            op.seed("users", 100)
            op.seed({"users": 100, "orders": 300}, seed=7, cardinality={"orders.user_id": (1, 5)})
            users = op.create_table("users", ...)
            op.seed(users, 100)                      # also works offline (--sql)

        :param tables: a table name, a ``Table`` (e.g. what ``op.create_table`` returned), or
            ``{table: n}`` for several tables (seeded in FK order).
        :param n: rows for a single table.
        :param existing: ``"top-up"`` (default: the table ends up with at least n rows, so a migration
            that runs again adds nothing), ``"append"`` (n more rows) or ``"reuse"``.
        :param columns: offline mode only: the columns of a table that no ``op.create_table`` of the
            same ``--sql`` run declares.
        :param seed, overrides, cardinality, locale: as for :func:`sqlalchemy_syda.seed`.
        """
        if isinstance(tables, Mapping):
            if n is not None:
                raise TypeError("op.seed({table: n, ...}) takes the counts in the mapping; drop the n argument.")
            counts: dict[TableRef, int | None] = dict(tables)
        else:
            counts = {tables: 10 if n is None else n}
        options: dict[str, Any] = {"seed": seed, "existing": existing, "overrides": overrides,
                                   "cardinality": cardinality}
        if locale is not None:
            options["locale"] = locale
        return operations.invoke(cls(counts, schema=schema, columns=columns, options=options))

    def describe(self) -> str:
        counts = ", ".join(f"{_name(t)}={n}" for t, n in self.counts.items())
        return f"seed({counts})"


class SeedRowsOp(MigrateOperation):
    """Insert given rows, generating every column they leave out: ``op.seed_rows("users", [{...}, ...])``."""

    def __init__(self, table: TableRef, rows: Sequence[Mapping[str, Any]], *, schema: str | None = None,
                 columns: Sequence[sa.Column] | None = None, options: Mapping[str, Any] | None = None) -> None:
        self.table = table
        self.rows = [dict(r) for r in rows]
        self.schema = schema
        self.columns = list(columns) if columns is not None else None
        self.options = dict(options or {})

    @classmethod
    def seed_rows(cls, operations: Any, table: TableRef, rows: Sequence[Mapping[str, Any]], *,
                  schema: str | None = None, columns: Sequence[sa.Column] | None = None, seed: int = 0,
                  overrides: Mapping | None = None, locale: str | None = None) -> Any:
        """Insert ``rows`` (dicts of column name -> value); columns a row leaves out are generated.

        e.g.::

            op.seed_rows("users", [{"email": "admin@example.com", "role": "admin"},
                                   {"email": "ops@example.com", "role": "staff"}])

        Unlike ``op.bulk_insert`` the rows need not name every NOT NULL column: names, dates, keys
        and the rest come from the same generators as ``op.seed``. Given values are written as they
        are (the database checks them).
        """
        if isinstance(rows, Mapping) or not all(isinstance(r, Mapping) for r in rows):
            raise TypeError("op.seed_rows(table, rows) needs a list of dicts, e.g. [{'email': 'a@example.com'}].")
        options: dict[str, Any] = {"seed": seed, "overrides": overrides}
        if locale is not None:
            options["locale"] = locale
        return operations.invoke(cls(table, rows, schema=schema, columns=columns, options=options))

    def describe(self) -> str:
        return f"seed_rows({_name(self.table)}, {len(self.rows)} rows)"


def _name(table: TableRef) -> str:
    return table if isinstance(table, str) else table.name
