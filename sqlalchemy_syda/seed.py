"""``seed()``: fill a real database, in FK order, in one transaction, at bulk-load speed.

It runs the pipeline end to end (:mod:`.run`): the request resolved against the database, a
:class:`~.plan.SeedPlan` with a recipe per table, the row engines and a writer (COPY on PostgreSQL through
psycopg 3, multi-row INSERTs / executemany elsewhere), all on the caller's connection::

    >>> result = seed(engine, {Customer: 10_000, Order: 30_000}, seed=42)
    >>> result.counts
    {'customers': 10000, 'orders': 30000}
    >>> from sqlalchemy.orm import Session
    >>> with Session(engine) as s, s.begin():
    ...     seed(s, [Customer, Order], rows=100)           # rolls back with the session
    SeedResult({'customers': 100, 'orders': 100}, in ...s)

All or nothing: given an Engine it opens and commits its own transaction; given a Connection or
Session that is already in a transaction it works inside a SAVEPOINT, so a failure leaves the
database exactly as it was and the caller's transaction usable. Errors from the database come back
as :class:`~.exceptions.WriteError` naming the table, the constraint and a sample row.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .generators.pools import DEFAULT_LOCALE
from .lock_waits import DEFAULT_LOCK_TIMEOUT
from .nontransactional import non_transactional_guard
from .options import EXISTING_MODES, SeedOptions
from .plan import SeedPlan
from .plan_size import MAX_ROWS
from .transactions import all_or_nothing_connection
from .writers.base import Writer

__all__ = ["EXISTING_MODES", "SeedResult", "seed"]


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
         return_keys: bool = False, llm: Any = None, fk_checks: str = "auto", profile: Any = None,
         scale: float = 1.0, allow_non_transactional: bool = False, max_rows: int | None = MAX_ROWS,
         relations: Any = None, lock_timeout: float | None = DEFAULT_LOCK_TIMEOUT, cluster: Any = None,
         partitions: int | None = None) -> SeedResult:
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
    :param progress: called as ``progress(table, rows_written_so_far, rows_total)`` after each batch, while the
        table is being written: it must not query the seed's own connection (or a Session on it), which the
        load holds; such a query raises a ``SydaError`` (and the seed rolls back) instead of deadlocking.
    :param return_keys: collect the primary keys of the written rows in ``result.keys``.
    :param fk_checks: how PostgreSQL checks the foreign keys of the rows written: ``"row"`` (its per-row
        triggers), ``"bulk"`` (drop the constraints for the load and re-add them in the same transaction, which
        validates every row with one join; several times faster) or ``"auto"`` (default: bulk for tables that get
        at least 10,000 new rows and no fewer than they hold, when the constraints can be dropped without waiting
        on another session's locks; row otherwise). Other databases always check per row.
    :param llm: the optional LLM (an :class:`~.llm.LLM`, an ``LLMConfig``, ``"env"``, ...): it writes the
        text-like columns, which enter as overrides (user overrides win); keys and FKs stay the engine's.
    :param profile: a :class:`~.learn.Profile` learned from real data (or its file): the columns and fan-outs
        of its tables become overrides and cardinality (yours win; the schema's constraints still rule); with
        ``models=None`` every profile table is seeded with its learned row count times ``scale``.
    :param allow_non_transactional: MariaDB / MySQL: also write into tables whose storage engine has no
        transactions (MyISAM, MEMORY, ...); a failed seed then leaves the rows it wrote there (the error
        says how many). Without it such tables are refused before anything is written.
    :param max_rows: rows per table accepted without confirmation (default 100 million): a bigger count is
        refused with a ``PlanError`` (almost always a typo; it would run for days). Raise it, or pass None,
        to confirm. ``dry_run=True`` shows the plan's rough size and duration.
    :param relations: rules across tables (a child's time after its parent's, values carried from the parent,
        totals equal to the children, one primary flag per parent): inferred by default (``None``); ``False`` turns
        the inferred ones off; ``{"orders.order_date": None}`` one of them; ``{"order_items.unit_price":
        "from products.price"}`` declares one (see :mod:`~sqlalchemy_syda.relations`).
    :param lock_timeout: seconds to wait for a lock another session holds on a table of the seed (an ``ACCESS
        EXCLUSIVE`` lock, ``LOCK TABLES``, another writer on SQLite) before failing with a
        :class:`~.exceptions.LockTimeoutError` that names the table and the session; ``None`` waits as long as
        the database lets it.
    :param cluster: generate on a Dask cluster (PostgreSQL; ``bind`` a URL or Engine): a ``distributed.Client``,
        a cluster object, a scheduler address (``"tcp://host:8786"``) or ``"local:N"``. Each partition is COPYed
        into its own staging table and one transaction publishes them all; the rows are the same as without it.
    :param partitions: with ``cluster``: cut every table into at most this many partitions of whole row blocks
        (default: two per worker thread); the rows do not depend on it.
    """
    if profile is not None:  # a path is loaded here: SeedOptions and the layers below take a Profile
        from .learn.profile import as_profile

        profile = as_profile(profile)
    options = SeedOptions.build(
        rows=rows, seed=seed, overrides=overrides, cardinality=cardinality, existing=existing, dry_run=dry_run,
        chunk_size=chunk_size, locale=locale, alter_constraints=alter_constraints, workers=workers, writer=writer,
        add_parents=add_parents, progress=progress, return_keys=return_keys, llm=llm, fk_checks=fk_checks,
        profile=profile, scale=scale, allow_non_transactional=allow_non_transactional, max_rows=max_rows,
        relations=relations, lock_timeout=lock_timeout)
    if cluster is not None:
        return _seed_on_cluster(bind, models, options, cluster, partitions)
    if partitions is not None:
        from .exceptions import PlanError

        raise PlanError("partitions= cuts a seed for a cluster; pass cluster= too (e.g. cluster='local:4'), "
                        "or use workers=N for processes on this machine.")
    return seed_with(bind, models, options)


def _seed_on_cluster(bind: Any, models: Any, options: SeedOptions, cluster: Any, partitions: int | None
                     ) -> SeedResult:
    from .scale.cluster_seed import seed_on_cluster

    started = time.perf_counter()
    done = seed_on_cluster(bind, models, options, cluster, partitions)
    return SeedResult(done.plan.counts, done.timings, time.perf_counter() - started, done.plan,
                      dry_run=options.dry_run, sql=done.sql or [])


def seed_with(bind: Any, models: Any, options: SeedOptions) -> SeedResult:
    """:func:`seed` with its options already validated."""
    from .database_run import execute, preview_sql
    from .dialects.quoting import quote_table
    from .key_reservation import reserve_keys
    from .lock_waits import bounded_lock_waits
    from .planner import plan_run
    from .run import engines_for, with_llm
    from .run_request import database_request, run_data, settle_taken
    from .write_errors import database_stage

    started = time.perf_counter()
    tables: list[str] = []
    with all_or_nothing_connection(bind) as conn, bounded_lock_waits(conn, options.lock_timeout, lambda: tables):
        with database_stage("reading the tables and the rows already in them"):
            request = database_request(conn, models, options)
            tables.extend(quote_table(conn, spec) for spec in request.specs)
        plan = plan_run(request, options)
        if options.dry_run:
            from .dry_run_probe import probe_last_rows

            with database_stage("checking the plan against the rows already in the tables"):
                probe_last_rows(engines_for(plan, run_data(conn, plan, options)))  # what the seed would refuse
            with database_stage("previewing the SQL"):
                sql = preview_sql(conn, plan, options.writer)
            return SeedResult(plan.counts, plan=plan, dry_run=True, sql=sql, seconds=time.perf_counter() - started)
        with database_stage("reading the keys and UNIQUE values already in the tables"):
            data = run_data(conn, plan, options)
        with database_stage("reserving the ids it writes"):
            request, plan = reserve_keys(conn, request, plan, options, data, lambda r: plan_run(r, options))
        if options.llm is not None:
            plan = with_llm(plan, request, options)
        with database_stage("checking which new UNIQUE values the tables already hold"):
            settle_taken(plan, data, options.chunk_size)
        keys: dict[str, list[tuple]] | None = {} if options.return_keys else None
        engines = engines_for(plan, data)
        with non_transactional_guard(conn, [tp.spec for tp in plan.tables],
                                     allowed=options.allow_non_transactional), \
                database_stage("around the load (constraints, cycles, sequences)"):
            timings, fk = execute(conn, plan, engines, options, keys)
    return SeedResult(plan.counts, timings, time.perf_counter() - started, plan, keys=keys or {},
                      bulk_fk_tables=fk.tables, fk_check_seconds=fk.seconds)
