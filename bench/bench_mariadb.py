"""Seeding MariaDB: ``seed()`` against PyMySQL ``executemany`` of the same rows, pre-generated.

The 100k-row CRM of ``bench_seed`` goes into a fresh database ``syda_bench_mariadb`` (created and dropped
here) on 127.0.0.1:3306 as root. The lower bound gets syda's own rows as driver-ready tuples before timing
and inserts them with one ``cursor.executemany`` per table (PyMySQL folds those into multi-row INSERTs)
in one transaction; best of ``--repeat`` runs for both::

    .venv/bin/python -m bench.bench_mariadb --repeat 3
"""

from __future__ import annotations

import argparse
import time

import sqlalchemy as sa

from bench.bench_seed import SEED, crm_models, scaled_counts
from sqlalchemy_syda import generate, seed
from sqlalchemy_syda.introspect import table_spec
from sqlalchemy_syda.writers.executemany import python_values

DATABASE = "syda_bench_mariadb"
SERVER = "mysql+pymysql://root@127.0.0.1:3306"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    import pymysql

    admin = sa.create_engine(f"{SERVER}/mysql", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {DATABASE}")
        conn.exec_driver_sql(f"CREATE DATABASE {DATABASE} CHARACTER SET utf8mb4")
    engine = sa.create_engine(f"{SERVER}/{DATABASE}?charset=utf8mb4")
    models = crm_models()
    metadata = models[0].metadata
    by_name = {m.__tablename__: m for m in models}
    counts = {by_name[t]: n for t, n in scaled_counts(args.rows).items()}
    try:
        metadata.create_all(engine)
        seed(engine, {m: 10 for m in counts}, seed=SEED)  # warm-up: pools built, connection pooled
        frames = generate(list(counts), counts, seed=SEED)
        rows = {}
        for model in counts:  # driver-ready tuples, before any timing
            spec = table_spec(model)
            frame = frames[spec.fullname]
            names = [c.name for c in spec.columns if c.name in frame.columns]
            values = [python_values(spec.column(c), frame[c].to_numpy(), engine.dialect) for c in names]
            rows[spec.fullname] = (names, list(zip(*values)))
        syda_times, lower_times = [], []
        for _ in range(args.repeat):
            metadata.drop_all(engine)
            metadata.create_all(engine)
            started = time.perf_counter()
            seed(engine, counts, seed=SEED)
            syda_times.append(time.perf_counter() - started)
            metadata.drop_all(engine)
            metadata.create_all(engine)
            con = pymysql.connect(host="127.0.0.1", user="root", database=DATABASE, charset="utf8mb4")
            started = time.perf_counter()
            with con.cursor() as cur:
                for model in counts:
                    names, data = rows[model.__tablename__]
                    cur.executemany(f"INSERT INTO {model.__tablename__} ({', '.join(names)}) "
                                    f"VALUES ({', '.join(['%s'] * len(names))})", data)
            con.commit()
            lower_times.append(time.perf_counter() - started)
            con.close()
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.dispose()
    syda, lower = min(syda_times), min(lower_times)
    print(f"MariaDB, CRM, {sum(scaled_counts(args.rows).values()):,} rows, best of {args.repeat}")
    print(f"  sqlalchemy-syda seed()                   {syda:7.3f} s   {syda / lower:5.2f}x")
    print(f"  PyMySQL executemany, pre-generated rows  {lower:7.3f} s   1.00x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
