"""Foreign keys checked in bulk on PostgreSQL: dropped for the load, re-added (and so validated) at its end.

PostgreSQL checks a foreign key with a trigger per inserted row: a lookup and a lock on the parent row.
That is most of what a bulk load costs the server (about 70% of its CPU for the CRM schema). The
PostgreSQL manual's advice for bulk loads ("Populating a Database") is to drop the foreign keys and
create them again afterwards: ``ADD CONSTRAINT`` then validates every row with one join. ``seed()``
does this inside its own transaction, so it stays all-or-nothing and every row is still checked: if one
row has no parent, re-adding the constraint fails, the seed rolls back, and the constraint is back as
it was::

    >>> dropped = drop_foreign_keys(conn, [orders_spec, order_items_spec], strict=False)
    >>> ...  # COPY the rows
    >>> restore_foreign_keys(conn, dropped)      # ALTER TABLE ... ADD CONSTRAINT <same name> <same definition>

The constraints come back with their names, definitions (ON DELETE, DEFERRABLE, MATCH, ...) and
comments, as ``pg_get_constraintdef`` renders them. Constraints marked ``NOT VALID``, constraints whose
triggers are disabled and constraints inherited from a partitioned parent are left alone, and so are the
foreign keys of a table with other deferred INSERT triggers (their pending events forbid ``ALTER TABLE``).
Re-adding a constraint needs the REFERENCES privilege on its parent table; without it nothing is dropped. Dropping a foreign key takes an ACCESS EXCLUSIVE
lock on both tables until the transaction ends, so in ``"auto"`` mode the drop gives up after a short
lock timeout (or when the role may not alter the table) and the load falls back to per-row checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from .exceptions import PlanError, WriteError
from .specs import TableSpec

__all__ = ["AUTO_MIN_ROWS", "FK_CHECK_MODES", "DroppedForeignKeys", "check_fk_mode", "drop_foreign_keys",
           "restore_foreign_keys", "wants_bulk_checks"]

FK_CHECK_MODES = ("auto", "row", "bulk")
AUTO_MIN_ROWS = 10_000
"""``"auto"`` checks a table's foreign keys in bulk from this many new rows on (and only when the new rows are
at least as many as those already there, since ``ADD CONSTRAINT`` validates the whole table)."""
AUTO_LOCK_TIMEOUT = "1s"

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
_NO_PARAMETERS = {"no_parameters": True}  # DDL text goes to the driver as it is ('100% ...' is no placeholder)


@dataclass(frozen=True)
class DroppedForeignKeys:
    """What was dropped, as the statements that put it back: one ``ALTER TABLE`` per table, then comments."""

    specs: tuple[TableSpec, ...] = ()
    add_statements: tuple[str, ...] = ()
    comment_statements: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.add_statements)


def check_fk_mode(mode: str, dialect: str | None) -> None:
    """Refuse an unknown ``fk_checks`` value, and ``"bulk"`` where the database cannot re-check skipped rows."""
    if mode not in FK_CHECK_MODES:
        raise PlanError(f"fk_checks={mode!r}; choose one of {', '.join(map(repr, FK_CHECK_MODES))}.")
    if mode == "bulk" and dialect is not None and dialect != "postgresql":
        raise PlanError(f"fk_checks='bulk' needs PostgreSQL (this is {dialect}): other databases cannot re-check "
                        "a foreign key they skipped. Use fk_checks='auto' or 'row'.")


def wants_bulk_checks(mode: str, *, dialect: str | None, new_rows: int, existing_rows: int,
                      has_foreign_keys: bool) -> bool:
    """Whether a table's foreign keys are checked in bulk (the decision ``plan_seed`` records per table)."""
    if mode == "row" or dialect != "postgresql" or not has_foreign_keys or not new_rows:
        return False
    return mode == "bulk" or (new_rows >= AUTO_MIN_ROWS and new_rows >= existing_rows)


def drop_foreign_keys(conn: sa.Connection, specs: list[TableSpec], *, strict: bool) -> DroppedForeignKeys:
    """Drop the validated foreign keys of ``specs`` inside a savepoint; what to run to restore them.

    With ``strict=False`` a failure (another session holds a lock for longer than a second, the role does
    not own the table, the table has pending trigger events) rolls the savepoint back and returns nothing
    dropped, so the load checks rows one by one as usual. With ``strict=True`` the error propagates.
    """
    from .writers.postgresql_copy import quote_table

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
                    conn.exec_driver_sql(row.drop_sql, execution_options=_NO_PARAMETERS)
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


def restore_foreign_keys(conn: sa.Connection, dropped: DroppedForeignKeys) -> None:
    """Re-add the dropped constraints; PostgreSQL validates every row (a row without a parent: WriteError)."""
    from .write_errors import write_error

    for spec, statement in zip(dropped.specs, dropped.add_statements):
        try:
            conn.exec_driver_sql(statement, execution_options=_NO_PARAMETERS)
        except sa.exc.DBAPIError as exc:
            raise write_error(exc, spec, None) from exc
    for statement in dropped.comment_statements:
        conn.exec_driver_sql(statement, execution_options=_NO_PARAMETERS)
