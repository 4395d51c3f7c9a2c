"""The same seed on a Dask LocalCluster against one process: the CRM to Parquet and to PostgreSQL, in one run.

Run from the repository root::

    .venv/bin/python -m bench.bench_cluster [--rows 10000000] [--workers 2] [--partitions 8]
                                            [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

The schema is the seed document's five-model CRM (``examples/crm_models.py``) scaled to ``--rows`` rows
(customers 10%, contacts 25%, products 5%, orders 30%, order items 30%). Four timed steps, one after the
other in this process:

1. Parquet, one process: ``generate(MODELS, counts, partitions=1, output_dir=...)`` (the partition
   functions run here, one block of rows at a time);
2. Parquet on the cluster: the same call with ``cluster=client, partitions=--partitions``;
3. PostgreSQL, one process: ``seed(engine, counts)`` (COPY in one transaction);
4. PostgreSQL on the cluster: ``seed(url, counts, cluster=client, partitions=...)`` (each partition COPYed
   into its own UNLOGGED staging table, then one publish transaction).

The cluster is ``LocalCluster(n_workers=--workers, threads_per_worker=1, processes=True, host="127.0.0.1")``,
started before step 2 (its start is printed, not counted). Each PostgreSQL step seeds a fresh schema of a
database this command creates and drops (``syda_bench_cluster_<hex>``). Both PostgreSQL results are
fingerprinted in SQL (rows and a sum of ``hashtextextended`` over every row of every table) and must be
equal; the Parquet outputs must have the same rows per table. Ratios are cluster ÷ one process (below 1:
the cluster is faster). The load average is printed before and after: on a shared 2-core machine the
workers compete with each other, the database and everyone else. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from bench.bench_generate import TABLES, scaled_counts

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _fingerprint(url: str) -> dict[str, tuple[int, int]]:
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return {t: tuple(conn.execute(sa.text(
                f"SELECT count(*), coalesce(sum(hashtextextended(t::text, 0)), 0) FROM {t} t")).one())
                for t in TABLES}
    finally:
        engine.dispose()


def _parquet_rows(folder: Path) -> dict[str, int]:
    import pyarrow.parquet as pq

    return {t: sum(pq.ParquetFile(f).metadata.num_rows for f in (folder / t).glob("*.parquet")) for t in TABLES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()

    import distributed

    from examples.crm_models import MODELS, Base
    from sqlalchemy_syda import generate, seed

    counts = scaled_counts(args.rows)
    by_model = {m: counts[m.__tablename__] for m in MODELS}
    total = sum(counts.values())
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, dask {distributed.__version__}; "
          f"{total:,} rows: {counts}")
    print(f"load average before: {os.getloadavg()}")
    results: dict[str, float] = {}
    out = Path(tempfile.mkdtemp(prefix="syda-bench-cluster-"))
    server = sa.engine.make_url(args.pg_url)
    database = f"syda_bench_cluster_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        t0 = time.perf_counter()
        generate(MODELS, counts, seed=1, partitions=1, output_dir=out / "single")
        results["parquet, one process"] = time.perf_counter() - t0
        print(f"parquet, one process: {results['parquet, one process']:.1f} s", flush=True)

        t0 = time.perf_counter()
        with distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                      host="127.0.0.1", dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            print(f"LocalCluster of {args.workers} workers started in {time.perf_counter() - t0:.1f} s (not counted)")
            t0 = time.perf_counter()
            generate(MODELS, counts, seed=1, cluster=client, partitions=args.partitions, output_dir=out / "cluster")
            results["parquet, cluster"] = time.perf_counter() - t0
            print(f"parquet, cluster: {results['parquet, cluster']:.1f} s", flush=True)
            same = _parquet_rows(out / "single") == _parquet_rows(out / "cluster") == counts
            print(f"parquet rows per table equal to the counts in both: {same}")

            if not args.skip_pg:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
                db = server.set(database=database)
                urls = {}
                for step in ("single", "cluster"):
                    urls[step] = db.update_query_dict({"options": f"-csearch_path={step}"}) \
                        .render_as_string(hide_password=False)
                    engine = sa.create_engine(db, poolclass=NullPool)
                    with engine.begin() as conn:
                        conn.exec_driver_sql(f"CREATE SCHEMA {step}")
                    engine.dispose()
                    engine = sa.create_engine(urls[step], poolclass=NullPool)
                    Base.metadata.create_all(engine)
                    engine.dispose()
                engine = sa.create_engine(urls["single"], poolclass=NullPool)
                t0 = time.perf_counter()
                seed(engine, by_model, seed=1)
                results["postgresql, one process"] = time.perf_counter() - t0
                engine.dispose()
                print(f"postgresql, one process: {results['postgresql, one process']:.1f} s", flush=True)
                t0 = time.perf_counter()
                done = seed(urls["cluster"], by_model, seed=1, cluster=client, partitions=args.partitions)
                results["postgresql, cluster"] = time.perf_counter() - t0
                print(f"postgresql, cluster: {results['postgresql, cluster']:.1f} s (partitions staged "
                      f"{done.timings['partitions']:.1f} s, publish {done.timings['publish']:.1f} s)", flush=True)
                same_pg = _fingerprint(urls["single"]) == _fingerprint(urls["cluster"])
                print(f"postgresql tables identical (rows and hash sum of every row): {same_pg}")
                staged = total / done.timings["partitions"]
                published = total / done.timings["publish"]
                print(f"staging: {staged:,.0f} rows/s over {args.workers} workers; publish: {published:,.0f} rows/s "
                      "(one transaction, one connection)")
        print(f"load average after: {os.getloadavg()}")
        print()
        print("| step | seconds | rows/s | cluster ÷ one process |")
        print("|---|---:|---:|---:|")
        for what in ("parquet", "postgresql"):
            one, many = results.get(f"{what}, one process"), results.get(f"{what}, cluster")
            if one is None:
                continue
            print(f"| {what}, one process | {one:.1f} | {total / one:,.0f} | |")
            if many is not None:
                print(f"| {what}, LocalCluster({args.workers}), {args.partitions} partitions | {many:.1f} | "
                      f"{total / many:,.0f} | {many / one:.2f}x |")
    finally:
        shutil.rmtree(out, ignore_errors=True)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.dispose()


if __name__ == "__main__":
    main()
