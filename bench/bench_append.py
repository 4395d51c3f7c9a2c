"""Appending next to a big table: UNIQUE values asked of the database vs loaded into Python (the previous way).

A table ``members`` with ``--existing`` rows (2M) and two UNIQUE text columns goes into a fresh PostgreSQL
database ``syda_bench_append`` (created and dropped here); then ``seed()`` adds ``--rows`` (1,000) rows,
checking taken values on the database side (this version), and again with the previous behaviour, every
existing value of both columns loaded into a Python set (``existing_rows.taken_values`` before
:mod:`sqlalchemy_syda.taken_lookup`). Seconds are the best of ``--repeat``; peak Python memory (tracemalloc)
is measured in one extra run each. Every run rolls back, so each starts from the same table::

    .venv/bin/python -m bench.bench_append --existing 2000000 --rows 1000
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from unittest import mock

import sqlalchemy as sa

from sqlalchemy_syda import existing_rows, seed

DATABASE = "syda_bench_append"
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


def _loaded_set(conn, spec, name):
    """The previous behaviour: every value of the column, in Python."""
    table = sa.table(spec.name, sa.column(name), schema=spec.schema)
    return set(conn.execute(sa.select(table.c[name]).where(table.c[name].is_not(None))).scalars())


def _run(engine, table, rows: int, previous: bool, traced: bool) -> tuple[float, float]:
    patch = mock.patch.object(existing_rows, "TakenLookup", _loaded_set) if previous else mock.MagicMock()
    with patch, engine.connect() as conn:
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        with conn.begin() as trans:
            seed(conn, {table: rows}, seed=5)
            trans.rollback()
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else 0.0
        if traced:
            tracemalloc.stop()
    return seconds, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--existing", type=int, default=2_000_000)
    parser.add_argument("--rows", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    admin = sa.create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {DATABASE}")
    engine = sa.create_engine(f"{SERVER}/{DATABASE}")
    table = sa.Table("members", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("email", sa.String(120), nullable=False, unique=True),
                     sa.Column("handle", sa.String(40), nullable=False, unique=True))
    try:
        table.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO members (email, handle) SELECT 'member' || g || '@example.org', "
                                 f"'handle' || g FROM generate_series(1, {args.existing}) g")
            conn.exec_driver_sql("ANALYZE members")
        seed(engine, {table: 10}, seed=1)  # warm-up: pools built, connection pooled
        print(f"members: {args.existing:,} rows there, {args.rows:,} added (rolled back after each run)")
        results = {}
        for label, previous in (("database-side check (this version)", False), ("values loaded (previous)", True)):
            seconds = min(_run(engine, table, args.rows, previous, traced=False)[0] for _ in range(args.repeat))
            peak = _run(engine, table, args.rows, previous, traced=True)[1]
            results[label] = (seconds, peak)
            print(f"{label:<38} {seconds:8.3f} s   peak Python memory {peak:9.1f} MB")
        (new_s, new_m), (old_s, old_m) = results.values()
        print(f"previous / this version: {old_s / new_s:.1f}x the time, {old_m / max(new_m, 0.01):.1f}x the memory")
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
