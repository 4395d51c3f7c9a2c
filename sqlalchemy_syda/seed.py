"""``seed()``: fill a real database, in FK order, in one transaction, at bulk-load speed.

It runs the pipeline end to end: specs from the models, a :class:`~.plan.SeedPlan`, a
:class:`~.generate.TableGenerator` per table and a writer (COPY on PostgreSQL through psycopg 3,
executemany elsewhere), all on the caller's connection::

    >>> result = seed(engine, {Customer: 10_000, Order: 30_000}, seed=42)
    >>> result.counts
    {'customers': 10000, 'orders': 30000}
    >>> with Session(engine) as s, s.begin():
    ...     seed(s, [Customer, Order], rows=100)           # rolls back with the session

All or nothing: given an Engine it opens and commits its own transaction; given a Connection or
Session that is already in a transaction it works inside a SAVEPOINT, so a failure leaves the
database exactly as it was and the caller's transaction usable. Errors from the database come back
as :class:`~.exceptions.WriteError` naming the table, the constraint and a sample row.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .bulk_fk_checks import drop_foreign_keys, restore_foreign_keys
from .database_steps import (
    deferred_update,
    insert_default_rows,
    pg_constraint_name,
    quoted_table,
    reset_sequences,
)
from .exceptions import PlanError, SchemaError, SydaError
from .existing_rows import CombinedKeys, existing_facts, existing_keys, taken_values
from .generate import KeySource, TableGenerator
from .generators.numbers import Sequence as SequenceGen
from .generators.pools import DEFAULT_LOCALE
from .inheritance import IdentityBlocks, hierarchy_layout, merge_into
from .plan import SeedPlan, TablePlan, plan_seed
from .prefetch import prefetch
from .seed_request import (
    add_missing_parents,
    cardinalities,
    overrides_by_table,
    referred_table,
    requested,
    specs_and_counts,
    with_discriminators,
)
from .specs import ForeignKeySpec
from .transactions import all_or_nothing_connection
from .write_errors import is_database_error, write_error
from .writers.base import Prepared, Writer, writer_for

__all__ = ["SeedResult", "seed"]

EXISTING_MODES = ("append", "reuse", "top-up")


@dataclass
class SeedResult:
    """What a seed did: rows per table, seconds per table, the plan, and (dry run) the SQL it would run."""

    counts: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    plan: SeedPlan | None = None
    dry_run: bool = False
    sql: list[str] = field(default_factory=list)
    keys: dict[str, list[tuple]] = field(default_factory=dict)
    """Primary keys of the written rows per table (only with ``return_keys=True``)."""
    bulk_fk_tables: tuple[str, ...] = ()
    """PostgreSQL: tables whose foreign keys were dropped for the load and re-added (see ``fk_checks``)."""
    fk_check_seconds: float = 0.0
    """Seconds spent re-adding (and so validating) those foreign keys, after the last table was written."""

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def __repr__(self) -> str:
        what = "planned" if self.dry_run else f"in {self.seconds:.2f}s"
        return f"SeedResult({self.counts}, {what})"


def seed(bind: Any, models: Any = None, *, rows: int | None = None, seed: int | None = 0,
         overrides: Mapping | None = None, cardinality: Mapping | None = None, existing: str = "append",
         dry_run: bool = False, chunk_size: int = 20_000, locale: str = DEFAULT_LOCALE,
         alter_constraints: bool = False, workers: int = 1, writer: Writer | None = None,
         add_parents: bool = True, progress: Callable[[str, int, int], None] | None = None,
         return_keys: bool = False, llm: Any = None, fk_checks: str = "auto") -> SeedResult:
    """Generate rows for ``models`` and write them through ``bind``.

    :param bind: an Engine, Connection or Session (sync; for async use ``AsyncSeedSession`` or
        ``await session.run_sync(lambda s: seed(s, ...))``).
    :param models: ``{Model | Table | "table": n}``, or a list of them with ``rows=n``.
    :param seed: same seed, same data.
    :param overrides: ``{Model: {"col": value}}``, ``{Model.col: value}`` or ``{"table.col": value}``; a value
        is a generator name, a Generator, a constant or a callable.
    :param cardinality: children per parent, keyed by FK column or relationship:
        ``{Order.customer_id: 3, "order_items.order_id": (1, 5), Comment.post_id: zipf(1.1)}``.
    :param existing: ``"append"`` (default: continue ids and row numbers after existing rows; parents that are not
        seeded are sampled from the database), ``"reuse"`` (children also point at existing parent rows) or
        ``"top-up"`` (write only what is missing to reach n rows; like ``"reuse"``, new children also point at
        the parent rows already there).
    :param dry_run: plan only; the result holds the plan and a SQL preview, nothing is written.
    :param alter_constraints: PostgreSQL only: make NOT NULL cycle constraints deferrable for the seed.
    :param workers: processes generating in parallel (writing stays in the caller's transaction).
    :param progress: called as ``progress(table, rows_written_so_far, rows_total)`` after each batch.
    :param return_keys: collect the primary keys of the written rows in ``result.keys``.
    :param fk_checks: how PostgreSQL checks the foreign keys of the rows written: ``"row"`` (its per-row
        triggers), ``"bulk"`` (drop the constraints for the load and re-add them in the same transaction, which
        validates every row with one join; several times faster) or ``"auto"`` (default: bulk for tables that get
        at least 10,000 new rows and no fewer than they hold, when the constraints can be dropped without waiting
        on another session's locks; row otherwise). Other databases always check per row.
    :param llm: the optional LLM (an :class:`~.llm.LLM`, an ``LLMConfig``, ``"env"``, ...): it writes the
        text-like columns, which enter as overrides (user overrides win); keys and FKs stay the engine's.
    """
    if existing not in EXISTING_MODES:
        raise SchemaError(f"existing={existing!r}; choose one of {', '.join(EXISTING_MODES)}.")
    if not isinstance(workers, int) or workers < 1:
        raise PlanError(f"workers must be a positive integer; got {workers!r}.")
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
        raise PlanError(f"chunk_size must be a positive integer; got {chunk_size!r}.")
    started = time.perf_counter()
    with all_or_nothing_connection(bind) as conn:
        items = requested(models, rows)
        layout = hierarchy_layout(items)
        specs, counts = specs_and_counts(items if layout is None else layout.entries, conn)
        card = cardinalities(cardinality, specs)
        over = overrides_by_table(overrides, specs)
        if layout is not None:  # several classes of one hierarchy: a block of rows per class
            if existing == "top-up":
                raise PlanError("existing='top-up' cannot count rows per class of an inheritance hierarchy ("
                                + ", ".join(getattr(k, "__name__", str(k)) for k in layout.grouped) + "): seed "
                                "the missing rows of each class with existing='append', or one class at a time.")
            card.update(layout.cardinality)
            over = merge_into(over, layout.overrides)
        dialect = conn.dialect.name
        specs, counts, added = add_missing_parents(conn, specs, counts, add_parents)
        over = with_discriminators(over, specs)
        existing_rows: dict[str, int] = {}
        key_starts: dict[str, dict[str, int]] = {}
        for spec in specs:
            n_old, starts = existing_facts(conn, spec)
            existing_rows[spec.fullname] = n_old
            key_starts[spec.fullname] = starts
            if existing == "top-up" and counts.get(spec.fullname) is not None:
                counts[spec.fullname] = max(0, counts[spec.fullname] - n_old)
        plan = plan_seed(specs, counts, dialect=dialect, cardinality=card, existing=existing_rows,
                         key_starts=key_starts, alter_constraints=alter_constraints, seed=seed, added=added,
                         fk_checks=fk_checks)
        if dry_run:
            return SeedResult(plan.counts, plan=plan, dry_run=True, sql=_preview(conn, plan),
                              seconds=time.perf_counter() - started)
        if llm is not None:
            over = _with_llm(llm, plan, over, seed=seed, locale=locale)
        keys: dict[str, list[tuple]] = {} if return_keys else None  # type: ignore[assignment]
        timings, fk = _execute(conn, plan, seed=seed, overrides=over, existing=existing, chunk_size=chunk_size,
                           locale=locale, workers=workers, writer=writer, progress=progress, keys=keys,
                           strict_fk_checks=fk_checks == "bulk")
    return SeedResult(plan.counts, timings, time.perf_counter() - started, plan, keys=keys or {},
                      bulk_fk_tables=fk.tables, fk_check_seconds=fk.seconds)


def _with_llm(llm: Any, plan: SeedPlan, over: dict[str, dict[str, Any]], *, seed, locale) -> dict[str, dict[str, Any]]:
    """The LLM's values as per-column overrides (user overrides win; new rows continue after existing ones)."""
    from .llm.source import resolve_llm

    source = resolve_llm(llm)
    if source is None:
        return over
    return source.overrides([(tp.spec, tp.count, over.get(tp.spec.fullname, {})) for tp in plan.tables],
                            seed=seed, locale=locale, offsets={tp.spec.fullname: tp.existing for tp in plan.tables})


def _generators(plan: SeedPlan, conn, *, seed, overrides, existing, locale) -> dict[str, TableGenerator]:
    registry: dict[str, KeySource] = {}
    gens: dict[str, TableGenerator] = {}
    for tp in plan.tables:
        spec = tp.spec
        over = dict(overrides.get(spec.fullname, {}))
        for col, start in tp.key_starts.items():
            over.setdefault(col, SequenceGen(start - tp.existing))
        for col, gen in over.items():
            if isinstance(gen, IdentityBlocks):  # blocks of rows per class count from the first new row
                over[col] = gen.after(tp.existing)
        gens[spec.fullname] = TableGenerator(spec, tp.count, seed=seed, locale=locale, overrides=over,
                                             parents=registry, dialect=conn.dialect.name, row_offset=tp.existing,
                                             cardinality=_past_existing_parents(plan, tp, existing),
                                             avoid=taken_values(conn, tp))
    seeded = set(gens)
    for tp in plan.tables:
        for fk in tp.spec.foreign_keys:
            ref = fk.ref_table
            if ref in registry or ref == tp.spec.fullname:
                continue
            if ref in seeded:
                parent_plan = plan.table(ref)
                # top-up: a parent that is already full (0 new rows) must still serve its children
                if existing in ("reuse", "top-up") and parent_plan.existing:
                    registry[ref] = CombinedKeys(existing_keys(conn, parent_plan.spec, fk.ref_columns), gens[ref])
                else:
                    registry[ref] = gens[ref]
            else:
                parent = referred_table(tp.spec, fk)
                if parent is None:
                    continue
                from .introspect import table_spec

                registry[ref] = existing_keys(conn, table_spec(parent), fk.ref_columns)
    return gens


def _past_existing_parents(plan: SeedPlan, tp: TablePlan, existing: str) -> dict:
    """``tp``'s cardinalities, with inheritance blocks (``rows_from``) moved past the parent's existing rows
    where children index existing and new parent rows together (``reuse``)."""
    if existing not in ("reuse", "top-up"):
        return dict(tp.cardinality)
    out = {}
    for fk in tp.spec.foreign_keys:
        card = tp.cardinality.get(fk.columns)
        if card is not None and card.kind == "rows_from" and fk.ref_table in plan.counts:
            card = replace(card, a=card.a + plan.table(fk.ref_table).existing)
        if card is not None:
            out[fk.columns] = card
    return {**tp.cardinality, **out}


def _execute(conn, plan: SeedPlan, *, seed, overrides, existing, chunk_size, locale, workers,
             writer: Writer | None, progress=None, keys: dict | None = None,
             strict_fk_checks: bool = False) -> tuple[dict[str, float], _FkChecks]:
    writer = writer or writer_for(conn)
    gens = _generators(plan, conn, seed=seed, overrides=overrides, existing=existing, locale=locale)
    dropped = drop_foreign_keys(conn, [tp.spec for tp in plan.tables if tp.bulk_fk_checks], strict=strict_fk_checks)
    timings: dict[str, float] = {}
    names = []
    for table, fk in plan.altered_constraints:
        name = pg_constraint_name(conn, plan.table(table).spec, fk)
        conn.exec_driver_sql(f'ALTER TABLE {quoted_table(conn, plan.table(table).spec)} ALTER CONSTRAINT "{name}" '
                             "DEFERRABLE INITIALLY DEFERRED")
    for table, fk in plan.deferred_constraints:
        names.append(pg_constraint_name(conn, plan.table(table).spec, fk))
    if names:
        conn.exec_driver_sql("SET CONSTRAINTS " + ", ".join(f'"{n}"' for n in names) + " DEFERRED")
    pending: list[tuple[TablePlan, ForeignKeySpec, list, list]] = []
    held = {tp.spec.fullname: {fk: ([], []) for fk in tp.deferred} for tp in plan.tables}
    stream = _all_batches(plan, gens, chunk_size, workers, held, getattr(writer, "prepare", None), conn)
    if workers == 1:  # worker processes already run ahead; a thread on top would only fork from it
        stream = prefetch(stream)
    try:
        for tp in plan.tables:
            t0 = time.perf_counter()
            batches = _observe(_one_table(stream), tp, progress, keys)
            try:
                if gens[tp.spec.fullname].output_columns:
                    writer.write(conn, tp.spec, batches)
                else:  # nothing to generate: the database fills every column
                    insert_default_rows(conn, tp.spec, tp.count)
                for _ in batches:  # what the writer left (or all of it): skip to the next table's batches
                    pass
            except SydaError:
                raise
            except Exception as exc:  # the driver's own error: name table, constraint, row
                if not is_database_error(conn, exc):
                    raise  # e.g. a user's override or progress callback: their own exception, rolled back
                raise write_error(exc, tp.spec, writer.last_batch) from exc
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
            deferred_update(conn, tp.spec, fk, held_keys, held_vals)
        except Exception as exc:
            raise write_error(exc, tp.spec, None) from exc
    t0 = time.perf_counter()
    restore_foreign_keys(conn, dropped)
    fk_checks = _FkChecks(tuple(spec.fullname for spec in dropped.specs), time.perf_counter() - t0)
    if conn.dialect.name == "postgresql":
        try:
            if names:
                conn.exec_driver_sql("SET CONSTRAINTS " + ", ".join(f'"{n}"' for n in names) + " IMMEDIATE")
        except Exception as exc:
            raise write_error(exc, plan.table(plan.deferred_constraints[0][0]).spec, None) from exc
        for table, fk in plan.altered_constraints:
            name = pg_constraint_name(conn, plan.table(table).spec, fk)
            conn.exec_driver_sql(f'ALTER TABLE {quoted_table(conn, plan.table(table).spec)} ALTER CONSTRAINT "{name}" '
                                 "NOT DEFERRABLE")
    reset_sequences(conn, plan)
    return timings, fk_checks


@dataclass(frozen=True)
class _FkChecks:
    tables: tuple[str, ...]
    seconds: float


_TABLE_END = object()


def _all_batches(plan: SeedPlan, gens: dict[str, TableGenerator], chunk_size: int, workers: int, held: dict,
                 prepare, conn):
    """Every table's batches in insert order, each followed by ``_TABLE_END``; prepared for the writer.

    One stream for the whole seed, so that (in the prefetch thread) the next table is generated and
    formatted while the database is still ingesting the end of the current one.
    """
    for tp in plan.tables:
        batches = _hold_deferred(_batches(gens[tp.spec.fullname], chunk_size, workers), tp,
                                 held[tp.spec.fullname])
        for batch in batches:
            yield batch if prepare is None else prepare(conn, tp.spec, batch)
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


def _batches(gen: TableGenerator, chunk_size: int, workers: int):
    if workers > 1 and gen.count > chunk_size and not gen.partials:  # partial uniques need row order
        from .parallel import parallel_batches

        yield from parallel_batches(gen, chunk_size, workers)
        return
    for start in range(0, gen.count, chunk_size):
        yield gen.batch(start, min(gen.count, start + chunk_size))


def _preview(conn, plan: SeedPlan) -> list[str]:
    out = []
    copy = conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"
    prep = conn.dialect.identifier_preparer
    for tp in plan.tables:
        cols = [c.name for c in tp.spec.columns if not c.filled_by_database]
        target = quoted_table(conn, tp.spec)
        col_list = ", ".join(prep.quote(c) for c in cols)
        if copy:
            out.append(f"COPY {target} ({col_list}) FROM STDIN;  -- {tp.count} rows")
        else:
            out.append(f"INSERT INTO {target} ({col_list}) VALUES (...);  -- executemany, {tp.count} rows")
        for fk in tp.deferred:
            out.append(f"UPDATE {target} SET {', '.join(fk.columns)} = ... WHERE <primary key> = ...;  "
                       "-- closes an FK cycle")
    for tp in plan.tables:
        if tp.bulk_fk_checks:
            out.append(f"ALTER TABLE {quoted_table(conn, tp.spec)} DROP CONSTRAINT ... / ADD CONSTRAINT ...;  "
                       "-- foreign keys dropped before the load, re-added (every row validated) after it")
    return out
