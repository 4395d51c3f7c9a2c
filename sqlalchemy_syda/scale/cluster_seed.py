"""``seed(url, counts, cluster=)``: the single-process seed's plan, its partitions staged by Dask workers.

The client plans exactly as ``seed()`` does in one process (the same request against the database, the
same :class:`~..plan.SeedPlan`), cuts every table into block-aligned partitions (:mod:`.partitions`) and
sends the workers only plain data: the plan, the database URL, and the keys and UNIQUE values already in
the database. Each worker COPYs its partitions into staging tables; one transaction then publishes them
(:mod:`.staging`), and the staging tables are dropped whatever happens. The rows equal the single-process
seed's, whatever the number of partitions or workers::

    result = seed("postgresql+psycopg://app@db/app", {Customer: 10_000_000}, cluster="tcp://scheduler:8786",
                  partitions=64, seed=42)

Only PostgreSQL: the staging tables and the publish need it (other databases: ``workers=N``).
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa

from ..exceptions import PlanError
from ..options import SeedOptions
from ..plan import SeedPlan
from ..planner import plan_run
from ..run import RunData, with_llm
from ..run_request import database_request, run_data, settle_taken
from ..transactions import all_or_nothing_connection
from .cluster import Task, cluster_client, default_partitions, run_tasks
from .fanout import first_pass
from .partitions import Partition, plan_partitions
from .staging import drop_staging, new_run_id, publish, write_staging_partition

__all__ = ["ClusterSeed", "seed_on_cluster"]


class ClusterSeed:
    """What a seed on a cluster did: the plan, seconds per step, and (dry run) the SQL a seed would run."""

    def __init__(self, plan: SeedPlan, timings: dict[str, float], sql: list[str] | None = None) -> None:
        self.plan, self.timings, self.sql = plan, timings, sql


def _stage(url: str, plan: SeedPlan, data: RunData, part: Partition, run: str) -> int:
    return write_staging_partition(url, plan, part, run, data)


def _engine_and_url(bind: Any) -> tuple[sa.Engine, str, bool]:
    if isinstance(bind, str):
        from sqlalchemy.pool import NullPool

        return sa.create_engine(bind, poolclass=NullPool), bind, True
    if isinstance(bind, sa.Engine):
        return bind, bind.url.render_as_string(hide_password=False), False
    raise PlanError(f"seed(..., cluster=) needs a database URL or an Engine (the workers connect on their own); "
                    f"got {type(bind).__name__}. A Connection or Session cannot be shared with other processes.")


def seed_on_cluster(bind: Any, models: Any, options: SeedOptions, cluster: Any, partitions: int | None = None,
                    block_rows: int | None = None) -> ClusterSeed:
    """Seed ``models`` into ``bind`` (URL or Engine) with the partitions on ``cluster`` (see the module docstring)."""
    engine, url, own = _engine_and_url(bind)
    try:
        if engine.dialect.name != "postgresql":
            raise PlanError(f"seed(..., cluster=) stages partitions in PostgreSQL; {engine.dialect.name} is not "
                            "supported. Use workers=N there (processes on this machine, one transaction).")
        with all_or_nothing_connection(engine) as conn:  # planning only: reads, writes nothing
            request = database_request(conn, models, options)
            plan = plan_run(request, options)
            if options.dry_run:
                from ..database_run import preview_sql

                return ClusterSeed(plan, {}, preview_sql(conn, plan, options.writer))
            if options.llm is not None:
                plan = with_llm(plan, request, options)
            data = run_data(conn, plan, options)
            settle_taken(plan, data, options.chunk_size)  # workers get the answers, never the connection
        run = new_run_id()
        timings: dict[str, float] = {}
        try:
            t0 = time.perf_counter()
            with cluster_client(cluster) as client:
                data = first_pass(client, plan, data)
                parts = plan_partitions(plan, partitions or default_partitions(client), block_rows)
                run_tasks(client, _stage, [Task(p.table, p.index, p.of, p.start, p.stop, (p, run)) for p in parts],
                          options.progress, shared=(url, plan, data))
            timings["partitions"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            with all_or_nothing_connection(engine) as conn:
                publish(conn, plan, parts, run)
            timings["publish"] = time.perf_counter() - t0
        finally:
            drop_staging(engine, run)
        return ClusterSeed(plan, timings)
    finally:
        if own:
            engine.dispose()
