"""Executing a plan into a database: one transaction, tables in FK order, bulk-load writers.

The database sink of a run (:mod:`.run`): per table in insert order it streams the engine's batches
into the writer (COPY on PostgreSQL through psycopg 3, multi-row INSERTs / executemany elsewhere), with
the next table generated in a background thread while the database ingests the current one. Around
the load it defers the constraints a cycle needs, drops and re-adds foreign keys checked in bulk,
closes nullable FK cycles with UPDATEs, and moves sequences past the ids it wrote::

    >>> from sqlalchemy_syda.run import engines_for
    >>> from sqlalchemy_syda.run_request import database_request, run_data
    >>> from sqlalchemy_syda.planner import plan_run
    >>> from sqlalchemy_syda.transactions import all_or_nothing_connection
    >>> options = SeedOptions(seed=1)
    >>> with all_or_nothing_connection(engine) as conn:
    ...     plan = plan_run(database_request(conn, {Customer: 5, Order: 12}, options), options)
    ...     timings, fk = execute(conn, plan, engines_for(plan, run_data(conn, plan, options)), options)
    >>> sorted(timings)
    ['customers', 'orders']

Errors from the database come back as :class:`~.exceptions.WriteError` naming the table, the
constraint and a sample row.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from .dialects import dialect_for
from .engine.rows import RowEngine
from .exceptions import SydaError
from .options import SeedOptions
from .plan import SeedPlan, TablePlan
from .prefetch import prefetch
from .run import computed_by, table_batches
from .specs import ForeignKeySpec
from .write_errors import is_database_error, write_error
from .writers import writer_for
from .writers.base import Prepared, Writer
from .written_after import database_updates, update_statements

__all__ = ["FkChecks", "execute", "preview_sql"]


def execute(conn, plan: SeedPlan, engines: Mapping[str, RowEngine], options: SeedOptions,
            keys: dict | None = None) -> tuple[dict[str, float], FkChecks]:
    """Write every table of ``plan`` through ``conn`` (see the module docstring); ``keys`` collects primary keys."""
    writer: Writer = options.writer or writer_for(conn)
    chunk_size, workers, progress = options.chunk_size, options.workers, options.progress
    dialect = dialect_for(conn)
    dropped = dialect.drop_foreign_keys(conn, [tp.spec for tp in plan.tables if tp.bulk_fk_checks],
                                        strict=options.fk_checks == "bulk")
    timings: dict[str, float] = {}
    deferral = dialect.defer_constraints(conn, plan)
    pending: list[tuple[TablePlan, ForeignKeySpec, list, list]] = []
    held = {tp.spec.fullname: {fk: ([], []) for fk in tp.deferred} for tp in plan.tables}
    stream = _all_batches(plan, engines, chunk_size, workers, held, writer.prepare, conn)
    if workers == 1:  # worker processes already run ahead; a thread on top would only fork from it
        stream = prefetch(stream)
    try:
        for tp in plan.tables:
            t0 = time.perf_counter()
            batches = _observe(_one_table(stream), tp, _guarded(conn, progress), keys)
            try:
                if tp.recipe.output_columns:
                    writer.write(conn, tp.spec, batches)
                else:  # nothing to generate: the database fills every column
                    dialect.insert_default_rows(conn, tp.spec, tp.count)
                for _ in batches:  # what the writer left (or all of it): skip to the next table's batches
                    pass
            except SydaError:
                raise
            except Exception as exc:  # the driver's own error: name table, constraint, row
                if not is_database_error(conn, exc):
                    raise  # e.g. a user's override or progress callback: their own exception, rolled back
                raise write_error(exc, tp.spec, writer.last_batch, _row_at(engines[tp.spec.fullname])) from exc
            for fk, (held_keys, held_vals) in held[tp.spec.fullname].items():  # not `keys`: the return_keys one
                if held_keys:
                    pending.append((tp, fk, [np.concatenate(k) for k in zip(*held_keys)],
                                    [np.concatenate(v) for v in zip(*held_vals)]))
            timings[tp.spec.fullname] = time.perf_counter() - t0
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # stops the generation thread when a table failed
    for tp, fk, held_keys, held_vals in pending:
        try:
            dialect.close_cycle(conn, tp.spec, fk, held_keys, held_vals)
        except Exception as exc:
            raise write_error(exc, tp.spec, None) from exc
    try:
        database_updates(conn, plan, computed_by(engines))  # what the engines could not compute with the rows
    except Exception as exc:
        if not is_database_error(conn, exc):
            raise
        from .exceptions import WriteError

        raise WriteError(f"Setting the relations written after the rows failed: {exc}. Turn the rule off with "
                         "relations={'table.column': None}.") from exc
    t0 = time.perf_counter()
    dialect.restore_foreign_keys(conn, dropped)
    fk_checks = FkChecks(tuple(spec.fullname for spec in dropped.specs), time.perf_counter() - t0)
    dialect.check_deferred(conn, plan, deferral)
    dialect.reset_sequences(conn, plan)
    return timings, fk_checks


@dataclass(frozen=True)
class FkChecks:
    tables: tuple[str, ...]
    seconds: float


_TABLE_END = object()


def _all_batches(plan: SeedPlan, engines: Mapping[str, RowEngine], chunk_size: int, workers: int, held: dict,
                 prepare, conn):
    """Every table's batches in insert order, each followed by ``_TABLE_END``; prepared for the writer.

    One stream for the whole seed, so that (in the prefetch thread) the next table is generated and
    formatted while the database is still ingesting the end of the current one.
    """
    for tp in plan.tables:
        batches = _hold_deferred(table_batches(engines[tp.spec.fullname], chunk_size, workers), tp,
                                 held[tp.spec.fullname])
        for batch in batches:
            yield prepare(conn, tp.spec, batch)
        yield _TABLE_END


def _one_table(stream):
    """The items of ``stream`` up to the next ``_TABLE_END``."""
    for item in stream:
        if item is _TABLE_END:
            return
        yield item


def _observe(items, tp: TablePlan, progress, keys: dict | None):
    """Report progress and collect primary keys as batches go by."""
    done = 0
    for item in items:
        batch = item.batch if isinstance(item, Prepared) else item
        if keys is not None and tp.spec.primary_key:
            from .writers.executemany import python_values

            cols = [python_values(tp.spec.column(c), batch[c]) for c in tp.spec.primary_key]
            keys.setdefault(tp.spec.fullname, []).extend(zip(*cols))
        yield item
        done += len(next(iter(batch.values()))) if batch else 0
        if progress is not None:
            progress(tp.spec.fullname, done, tp.count)


def _row_at(engine: RowEngine):
    """Row ``k`` of the table again, for the error message (a row is a pure function of its number, unless
    repairs ran in row order)."""
    if engine.repairs.ordered:
        return None

    def row(k: int) -> dict | None:
        if not 0 <= k < engine.count:
            return None
        return {name: values[0] for name, values in engine.batch(k, k + 1).items()}

    return row


def _guarded(conn, progress):
    """``progress`` refused the seed's own connection: it runs while the table is being written (an open COPY
    holds the connection), so a query from it would wait on itself forever; it gets an error instead."""
    if progress is None:
        return None

    def refuse(*_args, **_kwargs) -> None:
        raise SydaError("The progress callback ran a query on the seed's own connection while a table is being "
                        "written, which would deadlock (the load holds the connection). Query another "
                        "connection in the callback, or after seed() returns.")

    def guarded(table: str, done: int, total: int) -> None:
        sa.event.listen(conn, "before_cursor_execute", refuse)
        try:
            progress(table, done, total)
        finally:
            sa.event.remove(conn, "before_cursor_execute", refuse)

    return guarded


def _hold_deferred(batches, tp: TablePlan, held: dict):
    """Keep the values of cycle-closing FKs aside and write NULL in their place."""
    for batch in batches:
        for fk, (keys, vals) in held.items():
            keys.append([batch[c] for c in tp.spec.primary_key])
            vals.append([batch[c].copy() for c in fk.columns])
            for c in fk.columns:
                col = np.empty(len(batch[c]), dtype=object)
                batch[c] = col
        yield batch


def preview_sql(conn, plan: SeedPlan, writer: Writer | None = None) -> list[str]:
    """The SQL a seed of ``plan`` would run (what a dry run shows): each table's statement from the writer
    that would run (``writer``, else the connection's own), then the dialect's steps around the load."""
    dialect = dialect_for(conn)
    out = []
    for tp, statement in zip(plan.tables, (writer or writer_for(conn)).preview(conn, plan), strict=True):
        out.append(statement)
        out.extend(dialect.preview_close_cycle(conn, tp))
    from .run import engines_for

    done = computed_by(engines_for(plan))  # computed with the rows: no UPDATE (rows already there are not read)
    after = [f"{statement};  -- a relation written after the rows" for statement in update_statements(conn, plan, done)]
    return out + after + dialect.preview_bulk_checks(conn, plan)
