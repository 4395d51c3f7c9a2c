"""The SQL steps around a bulk load, as one interface with what every database shares.

A seed writes its rows through a writer (:mod:`..writers`); around that it runs a few statements whose
spelling, or whose very existence, depends on the database: opening a transaction a SAVEPOINT can nest in,
deferring constraints, dropping foreign keys for the load and putting them back, the UPDATE that closes a
nullable FK cycle, rows the database fills entirely, moving sequences past the ids written. :class:`Dialect`
declares them all and implements the common ones; ``postgresql``, ``mysql`` and ``sqlite`` override what
their database does differently, and :func:`~sqlalchemy_syda.dialects.dialect_for` picks one::

    >>> from sqlalchemy_syda.dialects import dialect_for
    >>> steps = dialect_for("sqlite")
    >>> steps.name, steps.drop_foreign_keys(None, [], strict=False)
    ('sqlite', DroppedForeignKeys(specs=(), add_statements=(), comment_statements=()))

Identifiers are quoted as the server reads them (:mod:`.quoting`): the statements here are sent without
parameters (``NO_PARAMETERS``) or carry a name as a parameter's value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import sqlalchemy as sa

from ..exceptions import PlanError, WriteError
from ..specs import ForeignKeySpec, TableSpec
from .quoting import quote_name, quote_table

if TYPE_CHECKING:
    from ..plan import SeedPlan, TablePlan

__all__ = ["NO_PARAMETERS", "Deferral", "Dialect", "DroppedForeignKeys", "explicit_sequence", "sa_table"]

NO_PARAMETERS = {"no_parameters": True}
"""Execution options for SQL text sent to the driver as it is (``'100% juice'`` holds no placeholder)."""


def sa_table(spec: TableSpec) -> sa.Table:
    """The spec's SQLAlchemy Table, or a bare one with its column names (a spec from a dict schema)."""
    if spec.table is not None:
        return spec.table
    md = sa.MetaData()
    return sa.Table(spec.name, md, *[sa.Column(c.name) for c in spec.columns], schema=spec.schema)


def _bare_table(spec: TableSpec, columns: Sequence[str]) -> sa.TableClause:
    """A lightweight table of only ``columns`` (typed as the spec says): no defaults, no ``onupdate``."""
    return sa.table(spec.name, *[sa.column(c, spec.column(c).sa_type) for c in columns], schema=spec.schema)


def explicit_sequence(conn: Any, spec: TableSpec, column: str) -> str | None:
    """The quoted name of a ``Sequence`` the model declares as the column's default, if any."""
    if spec.table is None or column not in spec.table.c:
        return None
    default = spec.table.c[column].default
    if not isinstance(default, sa.Sequence):
        return None
    name = quote_name(conn, default.name)
    schema = default.schema or spec.schema
    return f"{quote_name(conn, schema)}.{name}" if schema else name


@dataclass(frozen=True)
class DroppedForeignKeys:
    """What was dropped, as the statements that put it back: one ``ALTER TABLE`` per table, then comments."""

    specs: tuple[TableSpec, ...] = ()
    add_statements: tuple[str, ...] = ()
    comment_statements: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.add_statements)


@dataclass(frozen=True)
class Deferral:
    """Constraints deferred for the seed: the quoted names ``SET CONSTRAINTS`` took, and the
    ``(table, constraint)`` pairs made DEFERRABLE that must be made NOT DEFERRABLE again."""

    names: tuple[str, ...] = ()
    altered: tuple[tuple[str, str], ...] = ()


class Dialect:
    """The steps of a seed that depend on the database; this class is what they have in common.

    A database without deferrable constraints, bulk foreign-key checks or sequences keeps the defaults
    (nothing to do); the planner never asks it for more (:mod:`..plan`, :mod:`..fk_check_modes`).
    """

    name = "default"

    # --- transactions ----------------------------------------------------------------------------------

    def begin_before_savepoint(self, conn: sa.Connection) -> None:
        """Make sure the caller's transaction is open on the server before a SAVEPOINT goes inside it."""

    # --- deferred constraints (NOT NULL FK cycles) -------------------------------------------------------

    def defer_constraints(self, conn: sa.Connection, plan: SeedPlan) -> Deferral:
        """Defer the constraints the plan breaks NOT NULL cycles at (making them deferrable first if asked)."""
        if plan.deferred_constraints or plan.altered_constraints:
            raise PlanError(f"{self.name} cannot defer constraints; NOT NULL FK cycles need PostgreSQL.")
        return Deferral()

    def check_deferred(self, conn: sa.Connection, plan: SeedPlan, deferral: Deferral) -> None:
        """Check the deferred constraints now, and make those made deferrable NOT DEFERRABLE again."""

    # --- foreign keys checked in bulk ----------------------------------------------------------------------

    def drop_foreign_keys(self, conn: sa.Connection, specs: list[TableSpec], *, strict: bool) -> DroppedForeignKeys:
        """Drop the foreign keys of ``specs`` for the load; what to run to restore them (here: nothing)."""
        return DroppedForeignKeys()

    def restore_foreign_keys(self, conn: sa.Connection, dropped: DroppedForeignKeys) -> None:
        """Re-add what :meth:`drop_foreign_keys` dropped, validating every row."""
        if dropped:
            raise PlanError(f"{self.name} cannot restore foreign keys it did not drop.")

    def preview_bulk_checks(self, conn: sa.Connection, plan: SeedPlan) -> list[str]:
        """The dry-run lines for the tables whose foreign keys are checked in bulk."""
        return []

    # --- rows ------------------------------------------------------------------------------------------------

    def close_cycle(self, conn: sa.Connection, spec: TableSpec, fk: ForeignKeySpec, keys: list[np.ndarray],
                    values: list[np.ndarray]) -> None:
        """UPDATE the FK a nullable cycle wrote as NULL, row by primary key, setting only the FK's columns
        (no other column's ``onupdate`` fires: the generated values stay as they were written)."""
        from ..writers.executemany import python_values

        pk = spec.primary_key
        if not pk:
            raise PlanError(f"{spec.fullname!r} closes an FK cycle but has no primary key to UPDATE it by.")
        table = _bare_table(spec, [*pk, *(c for c in fk.columns if c not in pk)])
        stmt = table.update().where(*[table.c[c] == sa.bindparam(f"k_{c}") for c in pk]).values(
            {c: sa.bindparam(f"v_{c}") for c in fk.columns})
        key_lists = [python_values(spec.column(c), k) for c, k in zip(pk, keys)]
        val_lists = [python_values(spec.column(c), v) for c, v in zip(fk.columns, values)]
        params = [{**{f"k_{c}": kv[i] for c, kv in zip(pk, key_lists)},
                   **{f"v_{c}": vv[i] for c, vv in zip(fk.columns, val_lists)}} for i in range(len(keys[0]))]
        for start in range(0, len(params), 10_000):
            conn.execute(stmt, params[start:start + 10_000])

    def update_from(self, target: str, sets: list[tuple[str, str]], subquery: str,
                    keys: list[tuple[str, str]]) -> str:
        """``UPDATE target SET col = s.x ... FROM (subquery) AS s WHERE target.key = s.k``: one set-based
        UPDATE from a grouped subquery (PostgreSQL, SQLite 3.33+); names arrive quoted."""
        assignments = ", ".join(f"{col} = {value}" for col, value in sets)
        where = " AND ".join(f"{target}.{col} = {value}" for col, value in keys)
        return f"UPDATE {target} SET {assignments} FROM ({subquery}) AS s WHERE {where}"

    def preview_close_cycle(self, conn: sa.Connection, tp: TablePlan) -> list[str]:
        """The dry-run lines of the UPDATEs that close the table's nullable FK cycles."""
        target = quote_table(conn, tp.spec)
        return [f"UPDATE {target} SET {', '.join(fk.columns)} = ... WHERE <primary key> = ...;  -- closes an FK cycle"
                for fk in tp.deferred]

    def insert_default_rows(self, conn: sa.Connection, spec: TableSpec, count: int) -> None:
        """``count`` rows of a table whose every column the database fills (server defaults, identity,
        computed): one ``INSERT ... DEFAULT VALUES`` each, in the dialect's spelling."""
        statement = sa_table(spec).insert()
        for _ in range(count):
            conn.execute(statement)

    # --- sequences ----------------------------------------------------------------------------------------

    def sequence_of(self, conn: sa.Connection, spec: TableSpec, column: str) -> str | None:
        """The sequence that numbers ``column``, quoted, if the database has one to move (here: none)."""
        return None

    def set_sequence(self, conn: sa.Connection, sequence: str, value: int) -> None:
        """Make ``value`` the sequence's last value, so that its next one is free."""
        raise NotImplementedError(f"{self.name} has no sequences to set")

    def reset_sequences(self, conn: sa.Connection, plan: SeedPlan) -> None:
        """Move sequences past the ids written explicitly, so the application's next INSERT gets a free id."""
        for tp in plan.tables:
            if not tp.count:
                continue
            for name in tp.spec.primary_key:
                if tp.spec.column(name).kind != "integer":
                    continue
                sequence = self.sequence_of(conn, tp.spec, name)
                if not sequence:
                    continue
                top = conn.execute(sa.select(sa.func.max(_bare_table(tp.spec, [name]).c[name]))).scalar()
                if top is None:
                    continue
                try:
                    self.set_sequence(conn, sequence, int(top))
                except sa.exc.DBAPIError as exc:
                    reason = str(exc.orig).strip().splitlines()[0]
                    raise WriteError(f"Cannot move the sequence {sequence} of {tp.spec.fullname}.{name} past the ids "
                                     f"the seed wrote: {reason}. Grant this role UPDATE on the sequence (GRANT USAGE, "
                                     "UPDATE ON SEQUENCE ...), or seed as its owner. Nothing was written.") from exc
