"""Seeding PostgreSQL from async code: ``AsyncSeedSession.seed`` on asyncpg, psycopg async and (for scale) sync psycopg.

Each driver seeds the 100k-row CRM of ``bench_seed`` into fresh tables, best of ``--repeat`` runs after one
small warm-up call (pools built, connection pooled). All three load through COPY::

    .venv/bin/python -m bench.bench_async --repeat 3
"""

from __future__ import annotations

import argparse
import asyncio
import time

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from bench.bench_seed import SEED, TABLES, crm_models, scaled_counts
from sqlalchemy_syda import AsyncSeedSession, seed

DATABASE = "syda_bench_async"
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


def _fresh(sync_engine: sa.Engine) -> None:
    metadata = crm_models()[0].metadata
    metadata.drop_all(sync_engine)
    metadata.create_all(sync_engine)


async def _async_runs(driver: str, counts: dict, repeat: int, sync_engine: sa.Engine) -> list[float]:
    engine = create_async_engine(f"postgresql+{driver}://postgres@127.0.0.1:5432/{DATABASE}")
    sessions = async_sessionmaker(engine, class_=AsyncSeedSession)
    times = []
    try:
        for run in range(repeat + 1):
            _fresh(sync_engine)
            wanted = counts if run else {m: 10 for m in counts}  # run 0: warm-up
            async with sessions() as s, s.begin():
                started = time.perf_counter()
                await s.seed(wanted, seed=SEED)
                elapsed = time.perf_counter() - started
            if run:
                times.append(elapsed)
    finally:
        await engine.dispose()
    return times


def _sync_runs(counts: dict, repeat: int, sync_engine: sa.Engine) -> list[float]:
    times = []
    for run in range(repeat + 1):
        _fresh(sync_engine)
        started = time.perf_counter()
        seed(sync_engine, counts if run else {m: 10 for m in counts}, seed=SEED)
        if run:
            times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    admin = sa.create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {DATABASE}")
    sync_engine = sa.create_engine(f"{SERVER}/{DATABASE}")
    models = {m.__tablename__: m for m in crm_models()}
    counts = {models[t]: n for t, n in scaled_counts(args.rows).items() if t in TABLES}
    try:
        results = {"psycopg (sync seed())": _sync_runs(counts, args.repeat, sync_engine)}
        for driver in ("asyncpg", "psycopg_async"):
            results[f"{driver} (AsyncSeedSession)"] = asyncio.run(_async_runs(driver, counts, args.repeat,
                                                                              sync_engine))
    finally:
        sync_engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.dispose()
    base = min(results["psycopg (sync seed())"])
    print(f"CRM, {sum(scaled_counts(args.rows).values()):,} rows, best of {args.repeat} (after one warm-up call)")
    for name, times in results.items():
        print(f"  {name:<34} {min(times):7.3f} s   {min(times) / base:5.2f}x the sync seed()")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
