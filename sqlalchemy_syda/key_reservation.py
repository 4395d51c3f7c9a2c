"""Reserving the ids a seed writes, before it writes them, so that other writers never get them.

A seed writes explicit integer ids (children need their parents' keys before any row is written), so
the block of ids a table gets must be taken out of the table's id source up front: otherwise a second
seed, or an application inserting through the sequence while the seed runs, is handed the same ids
and one side ends in a duplicate key. :func:`reserve_keys` runs after planning and before writing:

* **PostgreSQL**: for a serial / identity column or a ``Sequence`` default, in a short transaction of
  its own (another connection of the same engine), ``ALTER SEQUENCE`` takes the sequence's lock (every
  ``nextval`` waits for it), ``nextval`` gives the first free id and ``setval`` moves the sequence past
  the whole block; the lock goes with that transaction's COMMIT, milliseconds later. Other sessions'
  ``nextval`` then continue after the block. Where that is not possible (the sequence was created in
  the caller's still open transaction, the role does not own it) the same ``setval(nextval)`` runs as
  one statement on the seed's own connection.
* **MariaDB / MySQL (InnoDB)**: ``AUTO_INCREMENT`` moves past an explicit id as soon as it is
  inserted, even when that insert is rolled back. So in a transaction of its own the seed inserts the
  *last* row of the table's block (the row the engine generates for it, foreign-key and CHECK
  checks off for that session) and rolls it back: the counter is past the block. Tables whose engine
  has no transactions (MyISAM) get no reservation (the row would stay). A row another session committed
  inside the block before the counter moved moves the block past it and the seed is planned again; a
  row another session inserted in those milliseconds and has not committed yet makes the seed fail
  on its duplicate key (rolled back, never the other session's insert: its later ids are past the block).
* **SQLite** has no id source to reserve from: ``INTEGER PRIMARY KEY`` continues after the largest id
  there when a row is inserted, and there is one writer at a time. While the seed writes (from its first
  INSERT to its COMMIT) another connection's write waits for the busy timeout and then gets ``database
  is locked``; it is never handed one of the seed's ids, since it numbers after the seed's rows once it
  gets to write. Rows another connection commits between the seed's planning and its first INSERT can
  take ids the seed planned: the seed then fails on the duplicate key and rolls back (the other rows
  stay). Run seeds that must not fail that way when no other connection writes.

On PostgreSQL the block starts one past the largest id in the table when no other session has the table
open for writing (ids the sequence gave out above it were deleted or rolled back), so a seed into an idle
database writes the same ids as it always did, also after a DELETE; otherwise at the sequence's next
value. On MariaDB it starts at the AUTO_INCREMENT counter (which a DELETE does not move back). A failed
seed leaves the sequence / counter past the block (neither rolls back: an application's failed INSERT
skips ids the same way).

    >>> import sqlalchemy as sa
    >>> from sqlalchemy_syda.planner import plan_seed
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> metadata = sa.MetaData()
    >>> tags = sa.Table("tags", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.Text))
    >>> plan = plan_seed(table_specs([tags]), {"tags": 3})
    >>> reservable(plan.table("tags"), {})            # an integer key the engine numbers 1, 2, 3
    'id'
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from typing import TYPE_CHECKING

import sqlalchemy as sa

from .dialects import dialect_for
from .dialects.base import NO_PARAMETERS, quote_table
from .exceptions import WriteError
from .generators.numbers import Sequence as SequenceGen

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .options import SeedOptions
    from .plan import PlanRequest, SeedPlan, TablePlan
    from .run import RunData

__all__ = ["reservable", "reserve_keys"]

_ATTEMPTS = 5
"""How often MariaDB's block moves past rows other sessions took inside it before the seed gives up."""


def reservable(tp: TablePlan, overrides: Mapping[str, object]) -> str | None:
    """The integer primary key of ``tp`` whose ids the engine numbers itself (``start + row``), if any."""
    spec = tp.spec
    if not tp.count or len(spec.primary_key) != 1:
        return None
    pk = spec.primary_key[0]
    fk_columns = {c for fk in spec.foreign_keys for c in fk.columns}
    if spec.column(pk).kind != "integer" or pk in fk_columns or pk in overrides:
        return None
    generator = tp.recipe.column(pk).generator if tp.recipe is not None else None
    if not isinstance(generator, SequenceGen) or generator.step != 1:
        return None
    return pk


def reserve_keys(conn: sa.Connection, request: PlanRequest, plan: SeedPlan, options: SeedOptions,
                 data: RunData, replan: Callable[[PlanRequest], SeedPlan]) -> tuple[PlanRequest, SeedPlan]:
    """Take each table's id block out of its sequence / AUTO_INCREMENT (see the module docstring); the request
    and plan again when a block had to start elsewhere than planned."""
    name = dialect_for(conn).name
    if name == "postgresql":
        starts = _reserve_postgresql(conn, request, plan)
    elif name == "mysql":
        return _reserve_mysql(conn, request, plan, options, data, replan)
    else:
        return request, plan
    if not starts:
        return request, plan
    request = _with_starts(request, starts)
    return request, replan(request)


def _planned_start(tp: TablePlan, pk: str) -> int:
    return int(tp.key_starts.get(pk, 1))


def _with_starts(request: PlanRequest, starts: Mapping[str, tuple[str, int]]) -> PlanRequest:
    key_starts = {table: dict(cols) for table, cols in request.key_starts.items()}
    for table, (pk, start) in starts.items():
        key_starts.setdefault(table, {})[pk] = start
    return replace(request, key_starts=key_starts)


# --- PostgreSQL -------------------------------------------------------------------------------------------

def _reserve_postgresql(conn: sa.Connection, request: PlanRequest, plan: SeedPlan) -> dict[str, tuple[str, int]]:
    dialect = dialect_for(conn)
    moved = {}
    me = None
    for tp in plan.tables:
        pk = reservable(tp, request.overrides.get(tp.spec.fullname, {}))
        sequence = dialect.sequence_of(conn, tp.spec, pk) if pk else None
        if not sequence:
            continue
        if me is None:
            me = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        floor = _planned_start(tp, pk)
        start = _postgresql_block(conn, sequence, quote_table(conn, tp.spec), tp.count, floor, me)
        if start is not None and start != floor:
            moved[tp.spec.fullname] = (pk, start)
    return moved


_INCREMENT_SQL = sa.text("SELECT seqincrement FROM pg_sequence WHERE seqrelid = CAST(:s AS regclass)")
_OTHER_WRITERS_SQL = sa.text("""
    SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = CAST(:t AS regclass) AND granted
                   AND pid NOT IN (:me, pg_backend_pid())
                   AND mode IN ('RowExclusiveLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'))
""")
"""Whether another session's open transaction writes to the table (its uncommitted rows may hold any id the
sequence gave out, even below the largest id the seed sees)."""
_TAKE_SQL = sa.text("""
    SELECT CASE WHEN :others THEN greatest(nextval(CAST(:s AS regclass)), :floor) ELSE :floor END
""")
_MOVE_SQL = sa.text("""
    SELECT setval(CAST(:s AS regclass), greatest(coalesce(pg_sequence_last_value(CAST(:s AS regclass)), 0), :top))
""")


def _postgresql_block(conn: sa.Connection, sequence: str, table: str, count: int, floor: int, me: int) -> int | None:
    """The first id of a block of ``count`` the sequence will not give out (see the module docstring).

    With no other session writing to the table, every id past its largest one is free (ids the sequence gave
    out above it were deleted or rolled back): the block starts there, as a seed into an idle database always
    did, and the sequence moves past it. Otherwise it starts at the sequence's next value. None when the
    sequence does not count up by one (its ids are left as planned, and set after the load as before).
    """
    if conn.execute(_INCREMENT_SQL, {"s": sequence}).scalar() != 1:
        return None
    try:
        with conn.engine.connect() as side, side.begin():
            side.execute(sa.text("SELECT set_config('lock_timeout', '5s', true)"))
            # ALTER SEQUENCE takes the sequence's lock: every other nextval waits until this COMMIT
            side.exec_driver_sql(f"ALTER SEQUENCE {sequence} INCREMENT BY 1", execution_options=NO_PARAMETERS)
            return _take(side, sequence, table, count, floor, me)
    except sa.exc.DBAPIError:
        pass  # not visible outside the caller's transaction, not ours to ALTER, or locked by the caller
    try:
        with conn.begin_nested():
            return _take(conn, sequence, table, count, floor, me)
    except sa.exc.DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0]
        raise WriteError(f"Cannot reserve the ids of {table} from its sequence {sequence}: {reason}. Grant this role "
                         "USAGE and UPDATE on the sequence (GRANT USAGE, UPDATE ON SEQUENCE ...), or seed as its "
                         "owner. Nothing was written.") from exc


def _take(conn: sa.Connection, sequence: str, table: str, count: int, floor: int, me: int) -> int:
    others = bool(conn.execute(_OTHER_WRITERS_SQL, {"t": table, "me": me}).scalar())
    start = int(conn.execute(_TAKE_SQL, {"s": sequence, "floor": floor, "others": others}).scalar_one())
    conn.execute(_MOVE_SQL, {"s": sequence, "top": start + count - 1})
    return start


# --- MariaDB / MySQL ----------------------------------------------------------------------------------------

_COUNTER_SQL = sa.text("SELECT t.AUTO_INCREMENT FROM information_schema.TABLES t "
                       "JOIN information_schema.ENGINES e ON e.ENGINE = t.ENGINE AND e.TRANSACTIONS = 'YES' "
                       "WHERE t.TABLE_SCHEMA = COALESCE(:schema, DATABASE()) AND t.TABLE_NAME = :name")
"""The next AUTO_INCREMENT value of a table whose engine rolls back (only there can a row be tried and undone)."""


def _reserve_mysql(conn: sa.Connection, request: PlanRequest, plan: SeedPlan, options: SeedOptions,
                   data: RunData, replan: Callable[[PlanRequest], SeedPlan]) -> tuple[PlanRequest, SeedPlan]:
    from .run import engines_for

    done: set[str] = set()
    for _ in range(_ATTEMPTS):
        starts: dict[str, tuple[str, int]] = {}
        todo = []
        for tp in plan.tables:
            pk = reservable(tp, request.overrides.get(tp.spec.fullname, {}))
            if pk is None or tp.spec.fullname in done or not tp.spec.column(pk).autoincrement:
                continue
            counter = conn.execute(_COUNTER_SQL, {"schema": tp.spec.schema, "name": tp.spec.name}).scalar()
            if counter is None:  # no AUTO_INCREMENT column after all, or MyISAM & co. (nothing to roll back)
                continue
            planned = _planned_start(tp, pk)
            if int(counter) > planned:
                starts[tp.spec.fullname] = (pk, int(counter))
            todo.append((tp.spec.fullname, pk))
        if not todo:
            return request, plan
        if starts:
            request = _with_starts(request, starts)
            plan = replan(request)
        engines = engines_for(plan, data)
        moved: dict[str, tuple[str, int]] = {}
        for table, pk in todo:
            tp = plan.table(table)
            start = _planned_start(tp, pk)
            taken = _mysql_block(conn, tp, pk, engines[table].batch(tp.count - 1, tp.count), start)
            if taken is None:
                done.add(table)
            else:
                moved[table] = (pk, taken)
        if not moved:
            return request, plan
        request = _with_starts(request, moved)
        plan = replan(request)
        done -= set(moved)
    raise WriteError("Could not reserve ids for the seed: other sessions kept inserting into "
                     f"{', '.join(sorted(moved))} inside every block it tried. Try again, or seed while they pause.")


def _mysql_block(conn: sa.Connection, tp: TablePlan, pk: str, last_row: Mapping, start: int) -> int | None:
    """Move AUTO_INCREMENT past the block by inserting its last row in a transaction that rolls back; None when
    the block is free, else the id to start after (another session committed a row inside the block)."""
    from .writers.executemany import python_values

    spec = tp.spec
    top = start + tp.count - 1
    columns = list(last_row)
    table = sa.table(spec.name, *[sa.column(c, spec.column(c).sa_type) for c in columns], schema=spec.schema)
    row = {c: python_values(spec.column(c), last_row[c])[0] for c in columns}
    if int(row[pk]) != top:
        raise WriteError(f"Internal error: the last id of {spec.fullname} is {row[pk]}, not {top}.")
    target = quote_table(conn, spec)
    quoted_pk = conn.dialect.identifier_preparer.quote(pk)
    try:
        with conn.engine.connect() as side:
            side.exec_driver_sql("SET SESSION foreign_key_checks = 0, innodb_lock_wait_timeout = 3")
            if "mariadb" in side.exec_driver_sql("SELECT VERSION()").scalar().lower():
                side.exec_driver_sql("SET SESSION check_constraint_checks = 0")
            side.exec_driver_sql("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
            side.commit()
            with side.begin() as trans:
                side.execute(table.insert(), [row])
                trans.rollback()
            with side.begin():  # rows other sessions committed inside the block before the counter moved
                inside = side.execute(sa.text(f"SELECT MAX({quoted_pk}) FROM {target} WHERE {quoted_pk} >= :lo "
                                              f"AND {quoted_pk} <= :hi"), {"lo": start, "hi": top}).scalar()
    except sa.exc.DBAPIError as exc:
        warnings.warn(f"Could not reserve the ids {start}..{top} of {spec.fullname} ({str(exc.orig).strip()}); the "
                      "seed writes them without a reservation: another session inserting into the table meanwhile "
                      "may collide with them.", RuntimeWarning, stacklevel=4)
        return None
    if inside is None:
        return None
    counter = conn.execute(_COUNTER_SQL, {"schema": spec.schema, "name": spec.name}).scalar()
    return max(int(inside) + 1, int(counter or 0))
