"""PostgreSQL: deferred constraints, foreign keys checked in bulk, serial and identity sequences.

**NOT NULL FK cycles** go through DEFERRABLE constraints: ``SET CONSTRAINTS ... DEFERRED`` for the seed,
``IMMEDIATE`` at its end (a missing parent is then a :class:`~sqlalchemy_syda.exceptions.WriteError`);
with ``alter_constraints=True`` a constraint is made ``DEFERRABLE INITIALLY DEFERRED`` for the seed and
``NOT DEFERRABLE`` again afterwards. An unnamed constraint is looked up in the catalog by its table and
columns.

**Foreign keys checked in bulk.** PostgreSQL checks a foreign key with a trigger per inserted row: a lookup
and a lock on the parent row. That is most of what a bulk load costs the server (about 70% of its CPU for
the CRM schema). The PostgreSQL manual's advice for bulk loads ("Populating a Database") is to drop the
foreign keys and create them again afterwards: ``ADD CONSTRAINT`` then validates every row with one join.
``seed()`` does this inside its own transaction, so it stays all-or-nothing and every row is still
checked: if one row has no parent, re-adding the constraint fails, the seed rolls back, and the constraint
is back as it was::

    steps = PostgreSQL()
    dropped = steps.drop_foreign_keys(conn, [orders_spec, order_items_spec], strict=False)
    ...  # COPY the rows
    steps.restore_foreign_keys(conn, dropped)   # ALTER TABLE ... ADD CONSTRAINT <same name> <same definition>

The constraints come back with their names, definitions (ON DELETE, DEFERRABLE, MATCH, ...) and
comments, as ``pg_get_constraintdef`` renders them. Constraints marked ``NOT VALID``, constraints whose
triggers are disabled and constraints inherited from a partitioned parent are left alone, and so are the
foreign keys of a table with other deferred INSERT triggers (their pending events forbid ``ALTER TABLE``).
Re-adding a constraint needs the REFERENCES privilege on its parent table; without it nothing is dropped.
Dropping a foreign key takes an ACCESS EXCLUSIVE lock on both tables until the transaction ends, so in
``"auto"`` mode the drop gives up after a short lock timeout (or when the role may not alter the table) and
the load falls back to per-row checks. Whether a table is checked in bulk is the planner's decision
(:mod:`sqlalchemy_syda.fk_check_modes`).

**Sequences**: serial and identity columns (``pg_get_serial_sequence``) and explicit ``Sequence(...)``
defaults are moved past the ids the seed wrote with ``setval``.

Every step needs a PostgreSQL connection; which steps a seed uses is decided by the dialect's name, before
any connection is made::

    >>> from sqlalchemy_syda.dialects import dialect_for
    >>> steps = dialect_for(sa.create_engine("postgresql+psycopg://syda@127.0.0.1/shop"))   # not connected
    >>> type(steps).__name__, steps.name, type(dialect_for("postgresql+asyncpg")).__name__
    ('PostgreSQL', 'postgresql', 'PostgreSQL')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..exceptions import PlanError, WriteError
from ..specs import ForeignKeySpec, TableSpec
from .base import (
    NO_PARAMETERS,
    Deferral,
    Dialect,
    DroppedForeignKeys,
    explicit_sequence,
    quote_name,
    quote_table,
)

if TYPE_CHECKING:
    from ..plan import SeedPlan

__all__ = ["AUTO_LOCK_TIMEOUT", "PostgreSQL"]

AUTO_LOCK_TIMEOUT = "1s"
"""How long ``fk_checks="auto"`` waits for the locks that dropping a foreign key takes."""

_CONSTRAINTS_SQL = sa.text("""
    SELECT c.oid, c.conrelid::regclass::text AS target, c.confrelid::regclass::text AS parent,
           has_table_privilege(c.confrelid, 'REFERENCES') AS can_reference,
           format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop_sql,
           format('ADD CONSTRAINT %I %s', c.conname, pg_get_constraintdef(c.oid)) AS add_clause,
           CASE WHEN obj_description(c.oid, 'pg_constraint') IS NOT NULL
                THEN format('COMMENT ON CONSTRAINT %I ON %s IS %L', c.conname, c.conrelid::regclass,
                            obj_description(c.oid, 'pg_constraint')) END AS comment_sql
    FROM pg_constraint c
    WHERE c.contype = 'f' AND c.conrelid = CAST(:table AS regclass) AND c.convalidated
      AND c.conislocal AND c.coninhcount = 0 AND c.conparentid = 0
      AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgconstraint = c.oid AND t.tgenabled <> 'O')
    ORDER BY c.conname
""")
_DEFERRED_INSERT_TRIGGERS_SQL = sa.text("""
    SELECT tgconstraint FROM pg_trigger
    WHERE tgrelid = CAST(:table AS regclass) AND tgdeferrable AND (tgtype & 4) <> 0
""")
"""Deferrable triggers that fire on INSERT: their pending events would make ``ALTER TABLE`` fail."""
_CONSTRAINT_NAME_SQL = sa.text("""
    SELECT c.conname FROM pg_constraint c
    WHERE c.contype = 'f' AND c.conrelid = CAST(:table AS regclass)
      AND ARRAY(SELECT a.attname::text
                FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, position)
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                ORDER BY k.position) = CAST(:columns AS text[])
    ORDER BY c.conname
""")
"""A foreign key by its table and its columns, in order (two FKs may join the same two tables)."""


class PostgreSQL(Dialect):
    """PostgreSQL (psycopg 3, asyncpg, ...)."""

    name = "postgresql"

    # --- deferred constraints --------------------------------------------------------------------------

    def constraint_name(self, conn: sa.Connection, spec: TableSpec, fk: ForeignKeySpec) -> str:
        """The foreign key's name: as declared, else the database's (looked up by table and columns)."""
        if fk.name:
            return fk.name
        name = conn.execute(_CONSTRAINT_NAME_SQL, {"table": quote_table(conn, spec), "columns": list(fk.columns)})\
            .scalar()
        if name is None:
            raise PlanError(f"Cannot find the foreign key {spec.fullname}({', '.join(fk.columns)}) -> {fk.ref_table} "
                            "in the database: create the tables first, or reflect them as they are.")
        return name

    def defer_constraints(self, conn: sa.Connection, plan: SeedPlan) -> Deferral:
        altered = []
        for table, fk in plan.altered_constraints:
            spec = plan.table(table).spec
            pair = (quote_table(conn, spec), quote_name(conn, self.constraint_name(conn, spec, fk)))
            conn.exec_driver_sql(f"ALTER TABLE {pair[0]} ALTER CONSTRAINT {pair[1]} DEFERRABLE INITIALLY DEFERRED",
                                 execution_options=NO_PARAMETERS)
            altered.append(pair)
        names = []
        for table, fk in plan.deferred_constraints:
            spec = plan.table(table).spec
            name = quote_name(conn, self.constraint_name(conn, spec, fk))
            names.append(f"{quote_name(conn, spec.schema)}.{name}" if spec.schema else name)
        if names:
            conn.exec_driver_sql(f"SET CONSTRAINTS {', '.join(names)} DEFERRED", execution_options=NO_PARAMETERS)
        return Deferral(tuple(names), tuple(altered))

    def check_deferred(self, conn: sa.Connection, plan: SeedPlan, deferral: Deferral) -> None:
        from ..write_errors import write_error

        try:
            if deferral.names:
                conn.exec_driver_sql(f"SET CONSTRAINTS {', '.join(deferral.names)} IMMEDIATE",
                                     execution_options=NO_PARAMETERS)
        except Exception as exc:
            raise write_error(exc, plan.table(plan.deferred_constraints[0][0]).spec, None) from exc
        for table, name in deferral.altered:
            conn.exec_driver_sql(f"ALTER TABLE {table} ALTER CONSTRAINT {name} NOT DEFERRABLE",
                                 execution_options=NO_PARAMETERS)

    # --- foreign keys checked in bulk ------------------------------------------------------------------

    def drop_foreign_keys(self, conn: sa.Connection, specs: list[TableSpec], *, strict: bool) -> DroppedForeignKeys:
        """Drop the validated foreign keys of ``specs`` inside a savepoint; what to run to restore them.

        With ``strict=False`` a failure (another session holds a lock for longer than a second, the role does
        not own the table, the table has pending trigger events) rolls the savepoint back and returns nothing
        dropped, so the load checks rows one by one as usual. With ``strict=True`` the error propagates.
        """
        found = []
        for spec in specs:
            table = quote_table(conn, spec)
            rows = conn.execute(_CONSTRAINTS_SQL, {"table": table}).all()
            ours = {row.oid for row in rows}
            others = {oid for (oid,) in conn.execute(_DEFERRED_INSERT_TRIGGERS_SQL, {"table": table})} - ours
            if rows and not others:  # deferred checks of other constraints would queue events ALTER TABLE refuses
                found.append((spec, rows))
        if not found:
            return DroppedForeignKeys()
        refused = [f"{spec.fullname} -> {row.parent}" for spec, rows in found for row in rows if not row.can_reference]
        if refused:  # re-adding needs REFERENCES on the parent table, which this role lacks
            if strict:
                raise WriteError("fk_checks='bulk' could not check the foreign keys in bulk: this role lacks the "
                                 f"REFERENCES privilege needed to re-add {', '.join(refused)}. Grant it, or use "
                                 "fk_checks='auto' (falls back to per-row checks) or 'row'. Nothing was written.")
            return DroppedForeignKeys()
        previous = None
        if not strict:
            previous = conn.execute(sa.text("SELECT current_setting('lock_timeout')")).scalar()
            conn.execute(sa.text("SELECT set_config('lock_timeout', :v, true)"), {"v": AUTO_LOCK_TIMEOUT})
        try:
            with conn.begin_nested():
                for _, rows in found:
                    for row in rows:
                        conn.exec_driver_sql(row.drop_sql, execution_options=NO_PARAMETERS)
        except sa.exc.DBAPIError as exc:
            if strict:
                reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
                owner = "seed as the tables' owner, or " if "owner" in reason else ""
                raise WriteError(f"fk_checks='bulk' could not drop the foreign keys of "
                                 f"{', '.join(spec.fullname for spec, _ in found)} for the load: {reason}. Please "
                                 f"{owner}use fk_checks='auto' (falls back to per-row checks) or 'row'. "
                                 "Nothing was written.") from exc
            return DroppedForeignKeys()
        finally:
            if previous is not None:
                conn.execute(sa.text("SELECT set_config('lock_timeout', :v, true)"), {"v": previous})
        return DroppedForeignKeys(
            tuple(spec for spec, _ in found),
            tuple(f"ALTER TABLE {rows[0].target} " + ", ".join(r.add_clause for r in rows) for _, rows in found),
            tuple(r.comment_sql for _, rows in found for r in rows if r.comment_sql is not None))

    def restore_foreign_keys(self, conn: sa.Connection, dropped: DroppedForeignKeys) -> None:
        """Re-add the dropped constraints; PostgreSQL validates every row (a row without a parent: WriteError)."""
        from ..write_errors import write_error

        for spec, statement in zip(dropped.specs, dropped.add_statements):
            try:
                conn.exec_driver_sql(statement, execution_options=NO_PARAMETERS)
            except sa.exc.DBAPIError as exc:
                raise write_error(exc, spec, None) from exc
        for statement in dropped.comment_statements:
            conn.exec_driver_sql(statement, execution_options=NO_PARAMETERS)

    def preview_bulk_checks(self, conn: sa.Connection, plan: SeedPlan) -> list[str]:
        return [f"ALTER TABLE {quote_table(conn, tp.spec)} DROP CONSTRAINT ... / ADD CONSTRAINT ...;  "
                "-- foreign keys dropped before the load, re-added (every row validated) after it"
                for tp in plan.tables if tp.bulk_fk_checks]

    # --- sequences ------------------------------------------------------------------------------------

    def sequence_of(self, conn: sa.Connection, spec: TableSpec, column: str) -> str | None:
        """An explicit ``Sequence`` default, else the serial / identity sequence of an autoincrement column."""
        sequence = explicit_sequence(conn, spec, column)
        if sequence is None and spec.column(column).autoincrement:
            sequence = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                                    {"t": quote_table(conn, spec), "c": column}).scalar()
        return sequence

    def set_sequence(self, conn: sa.Connection, sequence: str, value: int) -> None:
        """Forward only: a sequence other sessions (or the seed's reservation) moved further stays there."""
        conn.execute(sa.text("SELECT setval(CAST(:s AS regclass), greatest(:v, "
                             "coalesce(pg_sequence_last_value(CAST(:s AS regclass)), 0)))"),
                     {"s": sequence, "v": value})
