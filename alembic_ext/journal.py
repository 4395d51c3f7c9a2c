"""What the running migrations did to the schema, per migration context: the hook's and offline mode's memory.

The post-migration hook must know which tables a step created and which columns it added (to seed
the first and backfill the second); offline (``--sql``) mode has no database to reflect, so it
needs the columns that ``op.create_table`` / ``op.add_column`` declared earlier in the same run.
Both come from here: :func:`install` wraps Alembic's built-in ``create_table``, ``add_column``,
``drop_table`` and ``drop_column`` implementations through ``Operations.implementation_for(...,
replace=True)`` (Alembic's documented way to augment a built-in operation). The wrapper calls the
previous implementation unchanged and then notes the operation object::

    >>> import io
    >>> from alembic.migration import MigrationContext
    >>> from alembic.operations import Operations
    >>> context = MigrationContext.configure(dialect_name="sqlite", opts={"as_sql": True, "output_buffer": io.StringIO()})
    >>> op = Operations(context)
    >>> _ = op.create_table("users", sa.Column("id", sa.Integer, primary_key=True), sa.Column("email", sa.String(120)))
    >>> op.add_column("users", sa.Column("tier", sa.String(20)))
    >>> journal = journal_for(context)
    >>> list(journal.table("users").c.keys())         # offline: the columns declared so far in this run
    ['id', 'email', 'tier']
    >>> [type(o).__name__ for o in journal.take_step()], journal.take_step()
    (['CreateTableOp', 'AddColumnOp'], [])

Limits: DDL run as raw SQL (``op.execute("ALTER TABLE ...")``) is not seen; offline, the columns
of a table are known only when the same ``--sql`` run created it (or they are passed explicitly).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic.operations import Operations, ops

__all__ = ["Journal", "install", "journal_for"]

_JOURNALS: weakref.WeakKeyDictionary[Any, Journal] = weakref.WeakKeyDictionary()
_WATCHED = (ops.CreateTableOp, ops.AddColumnOp, ops.DropTableOp, ops.DropColumnOp)


class Journal:
    """The schema operations of one migration run, and (offline) the tables they declare."""

    def __init__(self, offline: bool) -> None:
        self.offline = offline
        self.step_ops: list[Any] = []
        self.metadata = sa.MetaData()
        """Offline only: the tables the run declared, with the columns added and dropped since."""
        self.generated: dict[str, Any] = {}
        """Offline only: table fullname -> the generator of the rows rendered for it so far (parents' keys)."""
        self.rendered: dict[str, int] = {}
        """Offline only: rows rendered per table in this run (row numbers continue after them)."""

    def take_step(self) -> list[Any]:
        """The operations since the last call (the hook calls it once per migration step)."""
        done, self.step_ops = self.step_ops, []
        return done

    def table(self, name: str, schema: str | None = None) -> sa.Table | None:
        key = f"{schema}.{name}" if schema else name
        return self.metadata.tables.get(key)

    def record(self, operation: Any, result: Any = None) -> None:
        """Note ``operation``; ``result`` is what its implementation returned (the Table of a create_table)."""
        self.step_ops.append(operation)
        if not self.offline:
            return
        if isinstance(operation, ops.CreateTableOp) and isinstance(result, sa.Table):
            # the Table the implementation built: building another one would lose the foreign keys,
            # which belong to the first Table their Column objects were given to
            self._forget(operation.table_name, operation.schema)
            result.to_metadata(self.metadata)
        elif isinstance(operation, ops.DropTableOp):
            self._forget(operation.table_name, operation.schema)
        elif isinstance(operation, ops.AddColumnOp):
            table = self.table(operation.table_name, operation.schema)
            if table is not None:
                table.append_column(operation.column._copy(), replace_existing=True)
        elif isinstance(operation, ops.DropColumnOp):
            table = self.table(operation.table_name, operation.schema)
            if table is not None and operation.column_name in table.c:
                self._rebuild_without(table, operation.column_name)

    def _forget(self, name: str, schema: str | None) -> None:
        table = self.table(name, schema)
        if table is not None:
            self.metadata.remove(table)
        self.generated.pop(table.fullname if table is not None else name, None)
        self.rendered.pop(table.fullname if table is not None else name, None)

    def _rebuild_without(self, table: sa.Table, column: str) -> None:
        keep = [c._copy() for c in table.columns if c.name != column]
        self.metadata.remove(table)
        sa.Table(table.name, self.metadata, *keep, schema=table.schema, comment=table.comment)


def journal_for(ctx: Any) -> Journal:
    """The journal of a ``MigrationContext`` (created on first use)."""
    journal = _JOURNALS.get(ctx)
    if journal is None:
        journal = _JOURNALS[ctx] = Journal(offline=bool(getattr(ctx, "as_sql", False)))
    return journal


def install() -> None:
    """Wrap the built-in DDL implementations so the journal sees them (idempotent)."""
    for op_cls in _WATCHED:
        previous = _current_impl(op_cls)
        if getattr(previous, "_syda_journal", False):
            continue
        Operations.implementation_for(op_cls, replace=True)(_journaled(previous))


def _current_impl(op_cls: type) -> Callable[..., Any]:
    try:
        return Operations._to_impl.dispatch(op_cls)  # chain to whatever is registered (maybe another plugin's)
    except (AttributeError, ValueError):
        from alembic.operations import toimpl

        return getattr(toimpl, {ops.CreateTableOp: "create_table", ops.AddColumnOp: "add_column",
                                ops.DropTableOp: "drop_table", ops.DropColumnOp: "drop_column"}[op_cls])


def _journaled(previous: Callable[..., Any]) -> Callable[..., Any]:
    def implementation(operations: Any, operation: Any, **kw: Any) -> Any:
        result = previous(operations, operation, **kw)
        journal_for(operations.migration_context).record(operation, result)
        return result

    implementation._syda_journal = True  # type: ignore[attr-defined]
    implementation.__name__ = getattr(previous, "__name__", "implementation")
    implementation.__doc__ = previous.__doc__
    return implementation
