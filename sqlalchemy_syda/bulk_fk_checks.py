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
comments, as ``pg_get_constraintdef`` renders them. Constraints marked ``NOT VALID`` and constraints
inherited from a partitioned parent are left alone. Dropping a foreign key takes an ACCESS EXCLUSIVE
lock on both tables until the transaction ends, so in ``"auto"`` mode the drop gives up after a short
lock timeout (or when the role may not alter the table) and the load falls back to per-row checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from .exceptions import PlanError, WriteError
from .specs import TableSpec

__all__ = ["AUTO_MIN_ROWS", "FK_CHECK_MODES", "DroppedForeignKeys", "drop_foreign_keys", "restore_foreign_keys",
           "wants_bulk_checks"]

FK_CHECK_MODES = ("auto", "row", "bulk")
AUTO_MIN_ROWS = 10_000
"""``"auto"`` checks a table's foreign keys in bulk from this many new rows on (and only when the new rows are
at least as many as those already there, since ``ADD CONSTRAINT`` validates the whole table)."""
AUTO_LOCK_TIMEOUT = "1s"

_CONSTRAINTS_SQL = sa.text("""
    SELECT c.conrelid::regclass::text AS target,
           format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop_sql,
           format('ADD CONSTRAINT %I %s', c.conname, pg_get_constraintdef(c.oid)) AS add_clause,
           CASE WHEN obj_description(c.oid, 'pg_constraint') IS NOT NULL
                THEN format('COMMENT ON CONSTRAINT %I ON %s IS %L', c.conname, c.conrelid::regclass,
                            obj_description(c.oid, 'pg_constraint')) END AS comment_sql
    FROM pg_constraint c
    WHERE c.contype = 'f' AND c.conrelid = CAST(:table AS regclass) AND c.convalidated
      AND c.conislocal AND c.coninhcount = 0 AND c.conparentid = 0
    ORDER BY c.conname
""")


@dataclass(frozen=True)
class DroppedForeignKeys:
    """What was dropped, as the statements that put it back: one ``ALTER TABLE`` per table, then comments."""

    specs: tuple[TableSpec, ...] = ()
    add_statements: tuple[str, ...] = ()
    comment_statements: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.add_statements)


def wants_bulk_checks(mode: str, *, dialect: str | None, new_rows: int, existing_rows: int,
                      has_foreign_keys: bool) -> bool:
    """Whether a table's foreign keys are checked in bulk (the decision ``plan_seed`` records per table)."""
    if mode not in FK_CHECK_MODES:
        raise PlanError(f"fk_checks={mode!r}; choose one of {', '.join(map(repr, FK_CHECK_MODES))}.")
    if mode == "bulk" and dialect is not None and dialect != "postgresql":
        raise PlanError(f"fk_checks='bulk' needs PostgreSQL (this is {dialect}): other databases cannot re-check "
                        "a foreign key they skipped. Use fk_checks='auto' or 'row'.")
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
        rows = conn.execute(_CONSTRAINTS_SQL, {"table": quote_table(conn, spec)}).all()
        if rows:
            found.append((spec, rows))
    if not found:
        return DroppedForeignKeys()
    previous = None
    if not strict:
        previous = conn.execute(sa.text("SELECT current_setting('lock_timeout')")).scalar()
        conn.execute(sa.text("SELECT set_config('lock_timeout', :v, true)"), {"v": AUTO_LOCK_TIMEOUT})
    try:
        with conn.begin_nested():
            for _, rows in found:
                for row in rows:
                    conn.exec_driver_sql(row.drop_sql)
    except sa.exc.DBAPIError as exc:
        if strict:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            raise WriteError(f"fk_checks='bulk' could not drop the foreign keys of "
                             f"{', '.join(spec.fullname for spec, _ in found)} for the load: {reason}. Seed as the "
                             "tables' owner, or use fk_checks='auto' (falls back to per-row checks) or 'row'. "
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
            conn.exec_driver_sql(statement)
        except sa.exc.DBAPIError as exc:
            raise write_error(exc, spec, None) from exc
    for statement in dropped.comment_statements:
        conn.exec_driver_sql(statement)
