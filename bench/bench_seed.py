"""Seeding real databases: sqlalchemy-syda against the bulk-load lower bound, factory_boy, polyfactory and pandas.

Run from the repository root::

    .venv/bin/python -m bench.bench_seed [--rows 100000] [--repeat 3] [--big] [--huge]
                                         [--db postgresql|sqlite|both] [--sample 0.05] [--profile]
                                         [--relations [--no-base]]

The schema is the seed document's five-model CRM (``examples/crm_models.py``): at 100k rows
customers 10k, contacts 25k, products 5k, orders 30k, order items 30k; ``--rows`` scales them and
``--big`` adds a run at ten times ``--rows``. Every approach writes into PostgreSQL (psycopg 3) and
into an SQLite file with ``PRAGMA foreign_keys=ON``, and runs in its own subprocess so that its
peak RSS can be read. Tables are fresh before every run (not timed); times are the best of
``--repeat`` runs, run round-robin; row counts are checked after every run. ``--huge`` seeds 10M
rows of one wide table on PostgreSQL and compares ``workers=2`` with ``workers=1``. ``--relations`` times seed() with and without the
relations across tables (``relations=False``) in one run and prints their cost. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import io
import json
import os
import pickle
import platform
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

from bench.bench_generate import (
    CATEGORIES,
    CUSTOMER_STATUSES,
    INDUSTRIES,
    ORDER_STATUSES,
    TABLES,
    _version,
    scaled_counts,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = 1
RESULT = "BENCH-RESULT "
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/syda_bench"
TARGET_PG, TARGET_SQLITE, TARGET_FACTORY_BOY = 1.3, 1.5, 40.0
HUGE_ROWS, WORKERS_ROWS, HUGE_RSS_MB = 10_000_000, 2_000_000, 400
COPY_CHUNK = 20_000  # rows per copy.write() where text is formatted inside the timed region

Counts = dict[str, int]


# --- the --huge table ------------------------------------------------------------------------------

class EventBase(DeclarativeBase):
    pass


class Event(EventBase):
    """Something a user did in the app; one row per event."""

    __tablename__ = "events"

    id = sa.Column(sa.BigInteger, primary_key=True)
    uuid = sa.Column(sa.Uuid, nullable=False, comment="Public id of the event")
    user_email = sa.Column(sa.String(120), nullable=False, comment="E-mail address of the user")
    event_type = sa.Column(sa.String(20), nullable=False,
                           comment="login, logout, page_view, search, add_to_cart, purchase, refund")
    amount = sa.Column(sa.Numeric(10, 2), comment="Amount in USD")
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, comment="When the event happened")
    payload = sa.Column(sa.String(64), comment="Short free-text note attached to the event")


# --- databases (used by the children) --------------------------------------------------------------

def crm_models() -> list:
    from examples.crm_models import MODELS

    return MODELS


def crm_metadata(with_fks: bool = True) -> sa.MetaData:
    """The CRM tables; without foreign keys (same columns, PKs and UNIQUEs) for the FK-cost comparison."""
    from examples.crm_models import Base

    if with_fks:
        return Base.metadata
    md = sa.MetaData()
    for t in Base.metadata.sorted_tables:
        sa.Table(t.name, md, *[sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable,
                                         unique=c.unique) for c in t.columns])
    return md


def make_engine(db: str, target: str, foreign_keys: bool = True) -> sa.Engine:
    if db == "postgresql":
        return sa.create_engine(target)
    engine = sa.create_engine(f"sqlite:///{target}")

    @sa.event.listens_for(engine, "connect")
    def _pragma(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")

    return engine


def fresh_schema(db: str, target: str, engine: sa.Engine, metadata: sa.MetaData) -> None:
    """Empty tables: drop/create on PostgreSQL; a new file on SQLite (dropped tables would leave free pages)."""
    if db == "postgresql":
        for md in (crm_metadata(), EventBase.metadata):  # whichever variant is there
            md.drop_all(engine)
        metadata.create_all(engine)
        return
    engine.dispose()
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(target + suffix).unlink(missing_ok=True)
    metadata.create_all(engine)


def pg_conninfo(url: str) -> str:
    return sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def raw_connect(db: str, target: str):
    if db == "postgresql":
        import psycopg

        return psycopg.connect(pg_conninfo(target))
    return sqlite3.connect(target)


def table_counts(db: str, target: str, tables) -> Counts:
    with raw_connect(db, target) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def check_counts(db: str, target: str, counts: Counts, label: str) -> None:
    got = table_counts(db, target, counts)
    if got != counts:
        raise AssertionError(f"{label} on {db}: row counts {got}, expected {counts}")


def fingerprint(db: str, target: str, tables) -> dict[str, str]:
    """An md5 per table over every value of every row, in id order."""
    out = {}
    with raw_connect(db, target) as con:
        for t in tables:
            if db == "postgresql":
                out[t] = con.execute(f"SELECT md5(string_agg(md5(x::text), '' ORDER BY x.id)) FROM {t} x").fetchone()[0]
            else:
                h = hashlib.md5()
                for row in con.execute(f"SELECT * FROM {t} ORDER BY id"):
                    h.update(repr(row).encode())
                out[t] = h.hexdigest()
    return out


def rss_mb() -> float:
    """Peak RSS of this process in MB.

    VmHWM, the high-water mark of this process's own address space. ``ru_maxrss`` would not do: Linux
    carries the peak of the process that spawned us over ``exec`` (the benchmark's parent holds all the
    pre-generated data), so every child would report at least the parent's peak.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class Meter:
    """Wall time of a timed region, plus CPU time: this process's (every thread) and, on PostgreSQL, that of the
    database's client backends (read from ``/proc/<pid>/stat``, so only for a server on this machine).

    CPU seconds are far less disturbed than wall time by other work on a shared machine.
    """

    def __init__(self, db: str, target: str) -> None:
        self.runs: dict[str, list[tuple[float, float, float | None]]] = {}
        self.monitor = None
        if db == "postgresql":
            import psycopg

            self.monitor = psycopg.connect(pg_conninfo(target), autocommit=True)

    def _backends(self) -> list[int]:
        if self.monitor is None:
            return []
        return [r[0] for r in self.monitor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'")]

    @staticmethod
    def _ticks(pids: list[int]) -> int | None:
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total

    @contextlib.contextmanager
    def measure(self, name: str):
        pids = self._backends()
        s0 = self._ticks(pids)
        c0, w0 = time.process_time(), time.perf_counter()
        yield
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        s1 = self._ticks(pids)
        server = None if s0 is None or s1 is None else (s1 - s0) / os.sysconf("SC_CLK_TCK")
        if self.monitor is None:
            server = 0.0  # SQLite runs inside this process
        self.runs.setdefault(name, []).append((wall, cpu, server))

    def result(self) -> dict:
        """Per name: the fastest wall time, and the CPU seconds of the run that used the least CPU."""
        if self.monitor is not None:
            self.monitor.close()
        least = {k: min(v, key=lambda r: r[1] + (r[2] or 0)) for k, v in self.runs.items()}
        return {"times": {k: min(r[0] for r in v) for k, v in self.runs.items()},
                "cpu": {k: [r[1], r[2]] for k, r in least.items()}}


# --- pre-generated data (parent, untimed) ------------------------------------------------------------

def pregenerate(counts: Counts, work: Path) -> dict[str, Path]:
    """``sqlalchemy_syda.generate`` once; rows as Python tuples (per database) and frames for to_sql, pickled."""
    import pandas as pd

    from bench.bench_generate import expected_columns, validate
    from sqlalchemy_syda import generate

    models = crm_models()
    frames = generate(models, {m: counts[m.__tablename__] for m in models}, seed=SEED)
    validate("generate()", frames, counts, expected_columns())
    date_cols = {m.__tablename__: [c.name for c in m.__table__.columns if isinstance(c.type, sa.Date)]
                 for m in models}
    paths = {}
    for db in ("postgresql", "sqlite"):
        rows = {}
        for t in TABLES:
            cols = []
            for name in frames[t].columns:
                s = frames[t][name]
                mask = s.isna().to_numpy()
                if name in date_cols[t]:  # date objects for psycopg; ISO text, as SQLAlchemy's Date stores, for SQLite
                    vals = [None if m else (d.date() if db == "postgresql" else d.date().isoformat())
                            for d, m in zip(s, mask)]
                else:
                    vals = s.astype(object).tolist()
                    if mask.any():
                        vals = [None if m else v for v, m in zip(vals, mask)]
                if any(v == "" for v in vals):  # the CSV variant writes NULL as an empty field
                    raise AssertionError(f"{t}.{name} holds an empty string")
                cols.append(vals)
            rows[t] = {"columns": list(frames[t].columns), "rows": list(zip(*cols))}
        paths[db] = work / f"rows-{db}-{sum(counts.values())}.pkl"
        paths[db].write_bytes(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
    sql_frames = {}
    for t in TABLES:
        df = frames[t].copy()
        for name in date_cols[t]:
            df[name] = pd.Series([None if pd.isna(d) else d.date() for d in df[name]], dtype=object)
        sql_frames[t] = df
    paths["frames"] = work / f"frames-{sum(counts.values())}.pkl"
    paths["frames"].write_bytes(pickle.dumps(sql_frames, protocol=pickle.HIGHEST_PROTOCOL))
    return paths


# --- 1. sqlalchemy-syda ------------------------------------------------------------------------------

def child_syda(task: dict) -> dict:
    from sqlalchemy_syda import seed

    db, target, counts = task["db"], task["target"], task["counts"]
    models = crm_models()
    engine = make_engine(db, target)
    fresh_schema(db, target, engine, crm_metadata())
    if task["warm"]:  # pools built (or read from the disk cache) and the connection pooled, not timed
        seed(engine, {m: max(1, counts[m.__tablename__] // 1000) for m in models}, seed=SEED)
        fresh_schema(db, target, engine, crm_metadata())
    else:
        with engine.connect():
            pass
    meter = Meter(db, target)
    with meter.measure("syda"):
        result = seed(engine, {m: counts[m.__tablename__] for m in models}, seed=SEED,
                      fk_checks=task.get("fk_checks", "auto"), relations=task.get("relations"))
    engine.dispose()
    check_counts(db, target, counts, "sqlalchemy-syda")
    out = {**meter.result(), "table_seconds": result.timings}
    if task.get("fingerprint"):
        out["fingerprint"] = fingerprint(db, target, TABLES)
    return out


# --- 2. the lower bound: COPY / executemany of pre-generated rows ------------------------------------

def _csv_bytes(rows) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode()


_BINARY_TYPES = {sa.Integer: "int4", sa.BigInteger: "int8", sa.Float: "float8", sa.Boolean: "bool",
                 sa.Date: "date", sa.Text: "text", sa.String: "varchar"}


def _binary_types(table: sa.Table, columns: list[str]) -> list[str]:
    out = []
    for name in columns:
        t = table.c[name].type
        out.append(next(v for k, v in _BINARY_TYPES.items() if isinstance(t, k)))
    return out


COPY_VARIANTS = {
    "write_row": "cursor.copy() text format, copy.write_row() per tuple",
    "write_row_binary": "cursor.copy() FORMAT BINARY + set_types(), copy.write_row() per tuple",
    "csv_timed": f"tuples -> CSV with the csv module inside the timed region, copy.write() per {COPY_CHUNK:,} rows",
    "csv_preformatted": "CSV bytes formatted before timing (pure ingest), copy.write() per ~1 MB",
}
FK_BULK_VARIANT = "csv_preformatted_fk_bulk"
FK_BULK_NOTE = ("csv_preformatted, FKs dropped first and re-added (validated) before COMMIT, by hand: the "
                "technique fk_checks='bulk' uses")


def _drop_foreign_keys(cur) -> list[str]:
    """Drop every FK of the CRM tables; the statements that re-add them (what a careful loader does by hand)."""
    cur.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)", (list(TABLES),))
    found = cur.fetchall()
    for table, name, _ in found:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition in found]


def _copy_load(conn, data: dict, how: str, pre: dict | None, tables: dict[str, sa.Table]) -> None:
    with conn.transaction(), conn.cursor() as cur:
        readd = _drop_foreign_keys(cur) if how == FK_BULK_VARIANT else []
        for t in TABLES:
            cols, rows = data[t]["columns"], data[t]["rows"]
            sql = f"COPY {t} ({', '.join(cols)}) FROM STDIN"
            if how == "write_row":
                with cur.copy(sql) as cp:
                    for row in rows:
                        cp.write_row(row)
            elif how == "write_row_binary":
                with cur.copy(sql + " (FORMAT BINARY)") as cp:
                    cp.set_types(_binary_types(tables[t], cols))
                    for row in rows:
                        cp.write_row(row)
            elif how == "csv_timed":
                with cur.copy(sql + " (FORMAT CSV)") as cp:
                    for start in range(0, len(rows), COPY_CHUNK):
                        cp.write(_csv_bytes(rows[start:start + COPY_CHUNK]))
            else:
                with cur.copy(sql + " (FORMAT CSV)") as cp:
                    for chunk in pre[t]:
                        cp.write(chunk)
        for statement in readd:
            cur.execute(statement)


def _preformat(data: dict) -> dict[str, list[bytes]]:
    out = {}
    for t in TABLES:
        text = _csv_bytes(data[t]["rows"])
        chunks, start = [], 0
        while start < len(text):  # ~1 MB pieces, cut at line ends
            stop = text.find(b"\n", start + (1 << 20))
            stop = len(text) if stop < 0 else stop + 1
            chunks.append(text[start:stop])
            start = stop
        out[t] = chunks
    return out


SQLITE_MULTIROW = "executemany_500_rows"
SQLITE_MULTIROW_NOTE = ("INSERTs of 500 rows each (parameters flattened before timing), executemany: the "
                        "statement shape syda uses on SQLite, by hand")


def _multirow_statements(data: dict, per_insert: int = 500) -> dict[str, list[tuple[str, list]]]:
    """Per table: (INSERT of k rows, [flat parameters of each such INSERT]) for full and leftover INSERTs."""
    out = {}
    for t in TABLES:
        cols, rows = data[t]["columns"], data[t]["rows"]
        one = "(" + ", ".join("?" * len(cols)) + ")"
        parts = []
        full = len(rows) // per_insert * per_insert
        for k, chunk in ((per_insert, rows[:full]), (len(rows) - full, rows[full:])):
            if k and chunk:
                sql = f"INSERT INTO {t} ({', '.join(cols)}) VALUES {', '.join([one] * k)}"
                parts.append((sql, [[v for row in chunk[i:i + k] for v in row] for i in range(0, len(chunk), k)]))
        out[t] = parts
    return out


def child_lower(task: dict) -> dict:
    db, target, counts = task["db"], task["target"], task["counts"]
    data = pickle.loads(Path(task["data"]).read_bytes())
    metadata = crm_metadata(task.get("foreign_keys", True))
    engine = make_engine(db, target)
    meter = Meter(db, target)
    fps = {}
    if db == "postgresql":
        import psycopg

        variants = task.get("variants") or list(COPY_VARIANTS)
        pre = _preformat(data) if {"csv_preformatted", FK_BULK_VARIANT} & set(variants) else None
        conn = psycopg.connect(pg_conninfo(target))
        for how in variants:
            fresh_schema(db, target, engine, metadata)
            with meter.measure(how):
                _copy_load(conn, data, how, pre, metadata.tables)
            check_counts(db, target, counts, f"COPY {how}")
            if task.get("fingerprint"):
                fps[how] = fingerprint(db, target, TABLES)
        conn.close()
    else:
        fresh_schema(db, target, engine, metadata)
        engine.dispose()
        con = sqlite3.connect(target)  # default journal mode and synchronous, as syda's engine has
        con.execute(f"PRAGMA foreign_keys={'ON' if task.get('foreign_keys', True) else 'OFF'}")
        how = (task.get("variants") or ["executemany"])[0]
        statements = _multirow_statements(data) if how == SQLITE_MULTIROW else None
        with meter.measure(how):
            for t in TABLES:  # the first INSERT opens the one transaction, commit() ends it
                cols = data[t]["columns"]
                if statements is None:
                    con.executemany(f"INSERT INTO {t} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                    data[t]["rows"])
                else:
                    for sql, params in statements[t]:
                        con.executemany(sql, params)
            con.commit()
        con.close()
        check_counts(db, target, counts, f"sqlite3 {how}")
        if task.get("fingerprint"):
            fps[how] = fingerprint(db, target, TABLES)
    return {**meter.result(), "fingerprints": fps}


# --- 3. factory_boy ------------------------------------------------------------------------------------

def child_factory_boy(task: dict) -> dict:
    import factory
    import factory.random
    from factory.alchemy import SQLAlchemyModelFactory
    from faker import Faker
    from sqlalchemy.orm import Session

    from examples.crm_models import Contact, Customer, Order, OrderItem, Product

    db, target, counts = task["db"], task["target"], task["counts"]
    engine = make_engine(db, target)
    fresh_schema(db, target, engine, crm_metadata())
    session = Session(engine)
    fake = Faker("en_US")  # for the UNIQUE columns: Faker's unique proxy, as factory_boy has none
    fake.seed_instance(SEED)
    factory.random.reseed_random(SEED)
    rnd = random.Random(SEED)
    made: dict[str, list] = {}

    class Base(SQLAlchemyModelFactory):
        class Meta:
            abstract = True
            sqlalchemy_session = session
            sqlalchemy_session_persistence = None  # no flush per object; one commit at the end

    class CustomerFactory(Base):
        class Meta:
            model = Customer

        name = factory.LazyFunction(lambda: fake.unique.company())
        industry = factory.Faker("random_element", elements=INDUSTRIES)
        website = factory.Faker("url")
        status = factory.Faker("random_element", elements=CUSTOMER_STATUSES)
        created_at = factory.Faker("date_between", start_date="-2y", end_date="today")

    class ContactFactory(Base):
        class Meta:
            model = Contact

        customer = factory.LazyFunction(lambda: rnd.choice(made["customers"]))
        first_name = factory.Faker("first_name")
        last_name = factory.Faker("last_name")
        email = factory.LazyFunction(lambda: fake.unique.email())
        phone = factory.Faker("numerify", text="+1##########")  # phone_number() can exceed String(20)
        position = factory.Faker("job")
        is_primary = factory.Faker("boolean", chance_of_getting_true=30)

    class ProductFactory(Base):
        class Meta:
            model = Product

        name = factory.LazyFunction(lambda: fake.unique.catch_phrase())
        category = factory.Faker("random_element", elements=CATEGORIES)
        price = factory.Faker("pyfloat", min_value=1, max_value=2000, right_digits=2)
        description = factory.Faker("paragraph", nb_sentences=2)

    class OrderFactory(Base):
        class Meta:
            model = Order

        customer = factory.LazyFunction(lambda: rnd.choice(made["customers"]))
        order_date = factory.Faker("date_between", start_date="-2y", end_date="today")
        status = factory.Faker("random_element", elements=ORDER_STATUSES)
        total_amount = factory.Faker("pyfloat", min_value=5, max_value=5000, right_digits=2)

    class OrderItemFactory(Base):
        class Meta:
            model = OrderItem

        order = factory.LazyFunction(lambda: rnd.choice(made["orders"]))
        product = factory.LazyFunction(lambda: rnd.choice(made["products"]))
        quantity = factory.Faker("random_int", min=1, max=10)
        unit_price = factory.Faker("pyfloat", min_value=1, max_value=2000, right_digits=2)

    with engine.connect():
        pass
    meter = Meter(db, target)
    with meter.measure("factory_boy"):
        made["customers"] = CustomerFactory.create_batch(counts["customers"])
        ContactFactory.create_batch(counts["contacts"])
        made["products"] = ProductFactory.create_batch(counts["products"])
        made["orders"] = OrderFactory.create_batch(counts["orders"])
        OrderItemFactory.create_batch(counts["order_items"])
        session.commit()  # the unit of work flushes everything here, in FK order, batched
    session.close()
    engine.dispose()
    check_counts(db, target, counts, "factory_boy")
    return meter.result()


# --- 4. polyfactory ------------------------------------------------------------------------------------

def child_polyfactory(task: dict) -> dict:
    from faker import Faker
    from polyfactory import Use
    from polyfactory.factories.sqlalchemy_factory import SQLAlchemyFactory, SQLAlchemyPersistenceMethod
    from sqlalchemy.orm import Session

    from examples.crm_models import Contact, Customer, Order, OrderItem, Product

    db, target, counts = task["db"], task["target"], task["counts"]
    engine = make_engine(db, target)
    fresh_schema(db, target, engine, crm_metadata())
    session = Session(engine)
    fake = Faker("en_US")
    fake.seed_instance(SEED)
    rnd = random.Random(SEED)
    ids: dict[str, list[int]] = {}

    class Base(SQLAlchemyFactory):
        __is_base_factory__ = True
        __session__ = session
        __persistence_method__ = SQLAlchemyPersistenceMethod.FLUSH  # add_all + one flush per create_batch
        __set_primary_key__ = False  # ids from the database
        __set_relationships__ = False  # else every child builds new parents
        __faker__ = fake
        __random_seed__ = SEED

    class CustomerFactory(Base):
        __model__ = Customer
        name = Use(lambda: fake.unique.company())
        industry = Use(rnd.choice, INDUSTRIES)
        website = Use(fake.url)
        status = Use(rnd.choice, CUSTOMER_STATUSES)
        created_at = Use(fake.date_between, start_date="-2y", end_date="today")

    class ContactFactory(Base):
        __model__ = Contact
        customer_id = Use(lambda: rnd.choice(ids["customers"]))
        first_name = Use(fake.first_name)
        last_name = Use(fake.last_name)
        email = Use(lambda: fake.unique.email())
        phone = Use(fake.numerify, text="+1##########")
        position = Use(fake.job)
        is_primary = Use(lambda: rnd.random() < 0.3)

    class ProductFactory(Base):
        __model__ = Product
        name = Use(lambda: fake.unique.catch_phrase())
        category = Use(rnd.choice, CATEGORIES)
        price = Use(fake.pyfloat, min_value=1, max_value=2000, right_digits=2)
        description = Use(fake.paragraph, nb_sentences=2)

    class OrderFactory(Base):
        __model__ = Order
        customer_id = Use(lambda: rnd.choice(ids["customers"]))
        order_date = Use(fake.date_between, start_date="-2y", end_date="today")
        status = Use(rnd.choice, ORDER_STATUSES)
        total_amount = Use(fake.pyfloat, min_value=5, max_value=5000, right_digits=2)

    class OrderItemFactory(Base):
        __model__ = OrderItem
        order_id = Use(lambda: rnd.choice(ids["orders"]))
        product_id = Use(lambda: rnd.choice(ids["products"]))
        quantity = Use(rnd.randint, 1, 10)
        unit_price = Use(fake.pyfloat, min_value=1, max_value=2000, right_digits=2)

    with engine.connect():
        pass
    meter = Meter(db, target)
    with meter.measure("polyfactory"):
        ids["customers"] = [c.id for c in CustomerFactory.create_batch_sync(counts["customers"])]
        ContactFactory.create_batch_sync(counts["contacts"])
        ids["products"] = [p.id for p in ProductFactory.create_batch_sync(counts["products"])]
        ids["orders"] = [o.id for o in OrderFactory.create_batch_sync(counts["orders"])]
        OrderItemFactory.create_batch_sync(counts["order_items"])
        session.commit()
    session.close()
    engine.dispose()
    check_counts(db, target, counts, "polyfactory")
    return meter.result()


# --- 5. pandas to_sql ------------------------------------------------------------------------------------

TO_SQL_CHUNKS = {"None": 10_000, "multi": 1_000}  # multi: 1,000 rows x <= 8 columns stays under every bind limit


def child_pandas(task: dict) -> dict:
    db, target, counts = task["db"], task["target"], task["counts"]
    frames = pickle.loads(Path(task["data"]).read_bytes())
    engine = make_engine(db, target)
    meter = Meter(db, target)
    fps = {}
    for method in task["methods"]:
        fresh_schema(db, target, engine, crm_metadata())
        with engine.connect():
            pass
        with meter.measure(method), engine.begin() as conn:  # one transaction for the five tables
            for t in TABLES:
                frames[t].to_sql(t, conn, if_exists="append", index=False, chunksize=TO_SQL_CHUNKS[method],
                                 method=None if method == "None" else method)
        engine.dispose()
        check_counts(db, target, counts, f"pandas to_sql(method={method})")
        if task.get("fingerprint"):
            fps[method] = fingerprint(db, target, TABLES)
    return {**meter.result(), "fingerprints": fps}


# --- baseline, profile, FK cost, --huge ------------------------------------------------------------------

def child_baseline(task: dict) -> dict:
    """Python + numpy + pandas + SQLAlchemy + sqlalchemy_syda + the driver, connected: the floor under every RSS."""
    import numpy  # noqa: F401
    import pandas  # noqa: F401

    import sqlalchemy_syda  # noqa: F401

    crm_models()
    engine = make_engine(task["db"], task["target"])
    with engine.connect():
        pass
    return {"times": {}}


def child_profile(task: dict) -> dict:
    """pyinstrument over a warm seed() (main thread: the writer) and over generation alone."""
    from pyinstrument import Profiler

    from sqlalchemy_syda import generate, seed

    db, target, counts = task["db"], task["target"], task["counts"]
    models = crm_models()
    cm = {m: counts[m.__tablename__] for m in models}
    engine = make_engine(db, target)
    fresh_schema(db, target, engine, crm_metadata())
    seed(engine, {m: 10 for m in models}, seed=SEED)
    fresh_schema(db, target, engine, crm_metadata())
    prof = Profiler(interval=0.001)
    prof.start()
    result = seed(engine, cm, seed=SEED)
    prof.stop()
    gen = Profiler(interval=0.001)
    gen.start()
    generate(models, cm, seed=SEED)
    gen.stop()
    text = [f"seed() {result.seconds:.3f} s; per table: "
            + ", ".join(f"{t} {s:.3f}" for t, s in result.timings.items()),
            "--- pyinstrument, seed(), main thread (generation runs ahead in the syda-prefetch thread, "
            "which pyinstrument does not sample) ---",
            _strip(prof.output_text(color=False, unicode=False, show_all=False), 60),
            "--- pyinstrument, seed(), flat self time, main thread ---",
            _strip(prof.output_text(color=False, flat=True), 20),
            "--- pyinstrument, generate() alone (same rows, no database), flat self time ---",
            _strip(gen.output_text(color=False, flat=True), 20)]
    return {"times": {}, "text": "\n".join(text)}


def _strip(text: str, lines: int = 10_000) -> str:
    """pyinstrument's text without its banner, cut to ``lines`` lines."""
    body = text.splitlines()
    start = next((i + 1 for i, ln in enumerate(body) if ln.startswith("Profile at")), 0)
    return "\n".join(ln for ln in body[start:start + lines + 1] if ln.strip())


def _client_side(db: str, counts: Counts, chunk_size: int = 20_000) -> float:
    """What syda does on the client, without a database: generate every batch and turn it into what the writer sends."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from sqlalchemy_syda import table_specs
    from sqlalchemy_syda.planner import plan_seed
    from sqlalchemy_syda.run import engines_for, table_batches
    from sqlalchemy_syda.writers.executemany import python_values
    from sqlalchemy_syda.writers.postgresql_copy import copy_text

    dialect = sqlite_dialect.dialect() if db == "sqlite" else None
    t0 = time.perf_counter()
    specs = table_specs(crm_models())
    plan = plan_seed(specs, {s.fullname: counts[s.fullname] for s in specs}, dialect=db, seed=SEED)
    engines = engines_for(plan)
    for tp in plan.tables:
        spec = tp.spec
        for batch in table_batches(engines[spec.fullname], chunk_size):
            if db == "postgresql":
                copy_text(spec, batch)
            else:
                list(zip(*[python_values(spec.column(c), batch[c], dialect) for c in batch]))
    return time.perf_counter() - t0


def child_fkcost(task: dict) -> dict:
    """Where the time goes: client-side work alone, and the same loads with and without FK constraints."""
    from sqlalchemy_syda import seed

    db, target, counts = task["db"], task["target"], task["counts"]
    models = crm_models()
    cm = {m: counts[m.__tablename__] for m in models}
    data = pickle.loads(Path(task["data"]).read_bytes())
    pre = _preformat(data) if db == "postgresql" else None
    meter = Meter(db, target)
    _client_side(db, scaled_counts(1000))  # warm
    for _ in range(task["repeat"]):
        for fks in (True, False):
            tag = "with FKs" if fks else "no FKs"
            md = crm_metadata(fks)
            engine = make_engine(db, target, foreign_keys=fks)
            fresh_schema(db, target, engine, md)
            seed(engine, {m: 10 for m in models}, seed=SEED)
            fresh_schema(db, target, engine, md)
            with meter.measure(f"syda seed(fk_checks='row'), {tag}"):  # per-row checks: what the FKs cost
                seed(engine, cm, seed=SEED, fk_checks="row")
            check_counts(db, target, counts, "syda")
            fresh_schema(db, target, engine, md)
            engine.dispose()
            if db == "postgresql":
                import psycopg

                key = f"COPY pre-formatted CSV, {tag}"
                with psycopg.connect(pg_conninfo(target)) as conn, meter.measure(key):
                    _copy_load(conn, data, "csv_preformatted", pre, md.tables)
            else:
                key = f"sqlite3 executemany, {tag}"
                con = sqlite3.connect(target)
                con.execute(f"PRAGMA foreign_keys={'ON' if fks else 'OFF'}")
                with meter.measure(key):
                    for t in TABLES:
                        cols = data[t]["columns"]
                        con.executemany(f"INSERT INTO {t} ({', '.join(cols)}) VALUES "
                                        f"({', '.join('?' * len(cols))})", data[t]["rows"])
                    con.commit()
                con.close()
            check_counts(db, target, counts, key)
        with meter.measure("syda client side alone (generate + format, no database)"):
            _client_side(db, counts)
    return meter.result()


class _TimeUp(Exception):
    pass


def child_huge(task: dict) -> dict:
    from sqlalchemy_syda import seed

    db, target, rows, workers = task["db"], task["target"], task["rows"], task["workers"]
    engine = make_engine(db, target)
    fresh_schema(db, target, engine, EventBase.metadata)
    seed(engine, {Event: 1_000}, seed=SEED)  # pools, not timed
    fresh_schema(db, target, engine, EventBase.metadata)
    limit = task.get("limit") or 0
    progress: list[tuple[int, float]] = []
    t0 = time.perf_counter()

    def on_batch(_table: str, done: int, _total: int) -> None:
        progress.append((done, time.perf_counter() - t0))
        if limit and progress[-1][1] > limit:
            raise _TimeUp

    meter = Meter(db, target)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        with meter.measure("syda"):
            seed(engine, {Event: rows}, seed=SEED, workers=workers, progress=on_batch)
    except Exception as exc:  # the seed rolled back; syda may wrap the callback's exception: report what was measured
        if not any(isinstance(e, _TimeUp) for e in (exc, exc.__cause__, exc.__context__)):
            raise
        done, secs = progress[-1]
        return {"times": {}, "partial": {"rows": done, "seconds": secs}}
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    engine.dispose()
    check_counts(db, target, {"events": rows}, "sqlalchemy-syda events")
    out: dict[str, Any] = {**meter.result(), "workers_cpu": (after.ru_utime + after.ru_stime)
                           - (kids.ru_utime + kids.ru_stime)}
    if task.get("fingerprint"):
        out["fingerprint"] = fingerprint(db, target, ["events"])
        with raw_connect(db, target) as con:
            out["sample"] = [str(v) for v in con.execute("SELECT * FROM events ORDER BY id LIMIT 1").fetchone()]
    return out


CHILDREN: dict[str, Callable[[dict], dict]] = {
    "syda": child_syda, "lower": child_lower, "factory_boy": child_factory_boy, "polyfactory": child_polyfactory,
    "pandas": child_pandas, "baseline": child_baseline, "profile": child_profile, "fkcost": child_fkcost,
    "huge": child_huge,
}


def child_main(task_json: str) -> int:
    task = json.loads(task_json)
    t0 = time.perf_counter()
    import numpy  # noqa: F401  (imports outside every timed region; their time is reported on its own)
    import pandas  # noqa: F401

    import sqlalchemy_syda  # noqa: F401

    crm_models()
    imported = time.perf_counter() - t0
    out = CHILDREN[task["kind"]](task)
    out["import_seconds"] = imported
    out["maxrss_mb"] = rss_mb()
    out["children_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(RESULT + json.dumps(out), flush=True)
    return 0


# --- parent ----------------------------------------------------------------------------------------------

class Runner:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def __call__(self, task: dict, cache_dir: str | None = None) -> dict:
        env = dict(self.env)
        if cache_dir is not None:
            env["SYDA_CACHE_DIR"] = cache_dir
        out = subprocess.run([sys.executable, "-m", "bench.bench_seed", "--child", json.dumps(task)], env=env,
                             cwd=ROOT, capture_output=True, text=True, check=False)
        lines = out.stdout.splitlines()
        found = [ln for ln in lines if ln.startswith(RESULT)]
        if out.returncode or not found:
            raise RuntimeError(f"child {task['kind']} on {task['db']} failed (exit {out.returncode}):\n"
                               f"{out.stdout[-3000:]}\n{out.stderr[-6000:]}")
        return json.loads(found[-1][len(RESULT):])


def print_environment(args: argparse.Namespace) -> None:
    print("Environment")
    print(f"  python {platform.python_version()} on {platform.platform()}")
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    print(f"  CPUs: {cpus} (usable by this process: {usable}); {platform.processor() or platform.machine()}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("  " + ", ".join(f"{d} {_version(d)}" for d in ("numpy", "pandas", "sqlalchemy", "psycopg", "faker",
                                                          "factory-boy", "polyfactory", "sqlalchemy-syda")))
    if args.db in ("postgresql", "both"):
        import psycopg

        with psycopg.connect(pg_conninfo(args.pg_url)) as con:
            version = con.execute("SHOW server_version").fetchone()[0]
            settings = {k: con.execute(f"SHOW {k}").fetchone()[0] for k in
                        ("shared_buffers", "synchronous_commit", "fsync", "max_wal_size")}
        print(f"  PostgreSQL {version} at {sa.engine.make_url(args.pg_url).host} ("
              + ", ".join(f"{k}={v}" for k, v in settings.items()) + ")")
    if args.db in ("sqlite", "both"):
        print(f"  SQLite {sqlite3.sqlite_version} (stdlib sqlite3), a file on local disk, PRAGMA foreign_keys=ON, "
              "default journal mode and synchronous")
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
        dirty = subprocess.run(["git", "status", "--porcelain", "sqlalchemy_syda"], cwd=ROOT, capture_output=True,
                               text=True).stdout
        print(f"  sqlalchemy_syda at commit {rev.strip()}"
              + (" with uncommitted changes in sqlalchemy_syda/" if dirty.strip() else ""))
    except OSError:
        pass
    print("  NOTE: the machine is shared and noisy; the ratios matter more than the seconds.")
    print()


def source_digest() -> str:
    """A digest of sqlalchemy_syda/*.py, to notice the library changing under a running benchmark."""
    h = hashlib.md5()
    for path in sorted((ROOT / "sqlalchemy_syda").rglob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def _ensure_database(url: str, drop: bool = False) -> None:
    import psycopg

    u = sa.engine.make_url(url)
    admin = pg_conninfo(u.set(database="postgres").render_as_string(hide_password=False))
    with psycopg.connect(admin, autocommit=True) as con:
        exists = con.execute("SELECT 1 FROM pg_database WHERE datname = %s", (u.database,)).fetchone()
        if drop and exists:
            con.execute(f'DROP DATABASE "{u.database}"')
        elif not drop and not exists:
            con.execute(f'CREATE DATABASE "{u.database}"')


def _rate(rows: int, secs: float) -> str:
    return f"{rows / secs:,.0f}" if secs else "-"


def _fmt_cpu(cpu: list | None) -> str:
    """client + server CPU seconds, as 'total (client+server)'."""
    if cpu is None:
        return ""
    client, server = cpu
    if server is None:
        return f"{client:.2f} + ?"
    return f"{client + server:6.2f} ({client:.2f}+{server:.2f})"


def _median(values: list[float]) -> float:
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def bench_crm(args: argparse.Namespace, run: Runner, db: str, rows: int, data: dict[str, Path], work: Path) -> dict:
    counts = scaled_counts(rows)
    total = sum(counts.values())
    sample_counts = counts if args.sample >= 1 else scaled_counts(max(len(TABLES), round(total * args.sample)))
    sample_total = sum(sample_counts.values())
    scale = total / sample_total
    target = args.pg_url if db == "postgresql" else str(work / "bench.sqlite")
    db_label = "PostgreSQL" if db == "postgresql" else "SQLite"
    print("=" * 100)
    print(f"{db_label}: CRM schema, {total:,} rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    if scale != 1:
        print(f"factory_boy and polyfactory: timed on {sample_total:,} rows ({args.sample:.0%}: "
              + ", ".join(f"{t} {n:,}" for t, n in sample_counts.items())
              + f") and EXTRAPOLATED linearly (x{scale:.1f}) to {total:,} rows")
    print(f"best of {args.repeat} runs each, round-robin; every run in its own subprocess on fresh tables; seed {SEED}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    base = {"db": db, "target": target, "counts": counts}
    cache_dir = tempfile.mkdtemp(prefix="syda-cache-", dir=work)
    cold = run({**base, "kind": "syda", "warm": False}, cache_dir)
    cold_cached = run({**base, "kind": "syda", "warm": False}, cache_dir)
    baseline = run({**base, "kind": "baseline"}, cache_dir)
    print(f"  cold first seed() in a fresh process: {cold['times']['syda']:.3f} s with no pool cache, "
          f"{cold_cached['times']['syda']:.3f} s with the pool cache on disk "
          f"(imports {cold_cached['import_seconds']:.2f} s, not counted)", flush=True)

    walls: dict[str, list[float]] = {}  # label -> wall seconds per run (sample rows for factory_boy/polyfactory)
    cpus: dict[str, list[list]] = {}  # label -> [client, server] CPU seconds per run
    per_repeat: list[dict[str, float]] = []  # label -> wall seconds, one dict per repeat (for paired ratios)
    rss: dict[str, float] = {}
    fps: dict[str, dict] = {}
    pandas_methods = ["None", "multi"]
    variants = list(COPY_VARIANTS) if db == "postgresql" else ["executemany"]
    tasks = [("syda", {"kind": "syda", "warm": True}),
             ("lower", {"kind": "lower", "data": str(data[db])}),
             ("factory_boy", {"kind": "factory_boy", "counts": sample_counts}),
             ("polyfactory", {"kind": "polyfactory", "counts": sample_counts}),
             ("pandas", {"kind": "pandas", "data": str(data["frames"])})]
    if db == "postgresql":  # the same two with per-row FK checks / with the FK drop-and-re-add done by hand
        tasks[1:1] = [("syda_row", {"kind": "syda", "warm": True, "fk_checks": "row"}),
                      ("lower_fk_bulk", {"kind": "lower", "data": str(data[db]), "variants": [FK_BULK_VARIANT]})]
    else:  # the lower bound with syda's statement shape (multi-row INSERTs), by hand
        tasks[2:2] = [("lower_multirow", {"kind": "lower", "data": str(data[db]), "variants": [SQLITE_MULTIROW]})]
    syda_tables: dict[str, float] = {}
    for r in range(args.repeat):
        this: dict[str, float] = {}
        for key, extra in tasks:
            task = {**base, **extra, "fingerprint": r == 0}
            if key == "pandas":
                task["methods"] = pandas_methods
            if key == "lower" and db == "postgresql":  # rotate, so no variant always runs first or last
                task["variants"] = variants[r % len(variants):] + variants[:r % len(variants)]
            res = run(task, cache_dir)
            for name, secs in res["times"].items():
                label = f"{key}:{name}" if key in ("lower", "pandas") else key
                walls.setdefault(label, []).append(secs)
                cpus.setdefault(label, []).append(res["cpu"][name])
                this[label] = secs
            rss[key] = max(rss.get(key, 0.0), res["maxrss_mb"])
            if key == "syda" and res["times"]["syda"] <= min(walls["syda"]):
                syda_tables = res["table_seconds"]
            if r == 0:
                if "fingerprint" in res:
                    fps[key] = res["fingerprint"]
                for name, fp in res.get("fingerprints", {}).items():
                    fps[f"{key}:{name}"] = fp
            shown = ", ".join(f"{n} {s:.3f} s" for n, s in res["times"].items())
            print(f"  run {r + 1}/{args.repeat}  {key:<12} {shown}  (peak RSS {res['maxrss_mb']:.0f} MB)", flush=True)
        per_repeat.append(this)
        if r == 0 and len(pandas_methods) > 1:  # keep repeating only the faster to_sql method
            pandas_methods = [min(pandas_methods, key=lambda m: walls[f"pandas:{m}"][0])]
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()

    best = {k: min(v) for k, v in walls.items()}
    median = {k: _median(v) for k, v in walls.items()}

    def cpu_of(label: str, factor: float = 1.0) -> list | None:
        """CPU of the run with the least total CPU (client + server), scaled for extrapolated approaches."""
        runs = [c for c in cpus.get(label, []) if c[1] is not None] or cpus.get(label, [])
        if not runs:
            return None
        c = min(runs, key=lambda x: x[0] + (x[1] or 0))
        return [c[0] * factor, None if c[1] is None else c[1] * factor]

    lower_keys = [f"lower:{v}" for v in variants]
    lower_key = min(lower_keys, key=best.__getitem__)
    lower = best[lower_key]
    fb = best["factory_boy"] * scale
    pandas_key = min((k for k in best if k.startswith("pandas:")), key=best.__getitem__)
    ext = f"extrapolated from {sample_total:,} rows; RSS of that sample run" if scale != 1 else "all rows"
    lb_name = "COPY pre-generated" if db == "postgresql" else "stdlib sqlite3 executemany"
    vs = "vs COPY" if db == "postgresql" else "vs exmany"
    Line = tuple  # (label, best, median, cpu, rss, note)
    lines: list[Line] = [
        ("sqlalchemy-syda seed(), warm", best["syda"], median["syda"], cpu_of("syda"), rss["syda"],
         "pools built by a small call first"),
        ("sqlalchemy-syda seed(), cold", cold["times"]["syda"], None, cold["cpu"]["syda"], cold["maxrss_mb"],
         "1st call in a fresh process, no pool cache: Faker builds the pools (1 run)"),
        ("sqlalchemy-syda seed(), cold+cache", cold_cached["times"]["syda"], None, cold_cached["cpu"]["syda"],
         cold_cached["maxrss_mb"], "1st call in a fresh process, pools read from the disk cache (1 run)"),
    ]
    if db == "postgresql":
        lines.append((f"{lb_name} (lower bound)", lower, median[lower_key], cpu_of(lower_key), rss["lower"],
                      f"= the fastest form, {lower_key.split(':')[1]}; RSS: all rows + their CSV text"))
        for k in lower_keys:
            v = k.split(":")[1]
            lines.append((f"  {v}", best[k], median[k], cpu_of(k), None, COPY_VARIANTS[v]))
        lines.insert(1, ("sqlalchemy-syda, fk_checks='row', warm", best["syda_row"], median["syda_row"],
                         cpu_of("syda_row"), rss["syda_row"], "PostgreSQL checks every row's FKs as it arrives"))
        lines.append(("COPY pre-generated, FKs re-added", best["lower_fk_bulk"], median["lower_fk_bulk"],
                      cpu_of("lower_fk_bulk"), None, FK_BULK_NOTE))
    else:
        lines.append((f"{lb_name} (lower bound)", lower, median[lower_key], cpu_of(lower_key), rss["lower"],
                      "one transaction, one row per INSERT; RSS holds all pre-generated rows"))
        lines.append(("  multi-row INSERTs by hand", best["lower_multirow"], median["lower_multirow"],
                      cpu_of("lower_multirow"), rss["lower_multirow"], SQLITE_MULTIROW_NOTE))
    lines += [
        ("factory_boy create_batch", fb, median["factory_boy"] * scale, cpu_of("factory_boy", scale),
         rss["factory_boy"], ext),
        ("polyfactory create_batch", best["polyfactory"] * scale, median["polyfactory"] * scale,
         cpu_of("polyfactory", scale), rss["polyfactory"], ext),
    ]
    pm = pandas_key.split(":")[1]
    lines.append((f"pandas to_sql(method={pm})", best[pandas_key], median[pandas_key], cpu_of(pandas_key),
                  rss["pandas"], f"the faster method; chunksize={TO_SQL_CHUNKS[pm]:,}; {len(walls[pandas_key])} runs"))
    for k in (k for k in best if k.startswith("pandas:") and k != pandas_key):
        m = k.split(":")[1]
        lines.append((f"  to_sql(method={m})", best[k], None, cpu_of(k), None,
                      f"chunksize={TO_SQL_CHUNKS[m]:,}; {len(walls[k])} run: slower, not repeated"))
    lines.append(("python + imports, connected", None, None, None, baseline["maxrss_mb"],
                  "no data: the RSS floor under every row above"))
    header = (f"{'approach':<36} {'best s':>8} {'median s':>9} {'rows/s':>10} {vs:>9} {'fb/x':>7} "
              f"{'CPU s (client+server)':>22} {'peak RSS':>9}  note")
    print(f"{db_label}, {total:,} rows")
    print(header)
    print("-" * len(header))
    for label, secs, med, cpu, mem, note in lines:
        s = f"{secs:8.3f}" if secs is not None else f"{'':8}"
        md = f"{med:9.3f}" if med is not None else f"{'':9}"
        rate = _rate(total, secs) if secs is not None else ""
        ratio = f"{secs / lower:8.2f}x" if secs is not None else ""
        faster = f"{fb / secs:6.1f}x" if secs is not None else ""
        m = f"{mem:6.0f} MB" if mem is not None else ""
        print(f"{label:<36} {s} {md} {rate:>10} {ratio:>9} {faster:>7} {_fmt_cpu(cpu):>22} {m:>9}  {note}")
    print()
    print(f"best s = fastest of the runs (what rows/s, {vs} and fb/x use); median s = median of the runs")
    print(f"{vs} = seconds / {lb_name} seconds (lower is better); fb/x = factory_boy seconds / these seconds")
    print("CPU s = CPU seconds of the approach's process (all threads)"
          + (" + of its PostgreSQL backend (from /proc), for the run with the least CPU" if db == "postgresql"
             else ", for the run with the least CPU (SQLite runs in-process)"))
    print("peak RSS = VmHWM of the subprocess that ran the approach (max over its runs), imports included")
    same = [k for k in fps if k != "syda" and fps[k] == fps.get("syda")]
    differ = [k for k in fps if k != "syda" and fps[k] != fps.get("syda")]
    print("same data as syda (md5 over every value, per table): "
          + (", ".join(same) if same else "none") + ("; DIFFERENT: " + ", ".join(differ) if differ else ""))
    print()

    # paired: within a repeat the approaches ran back to back, so their ratio sees similar machine load
    paired_lb = _median([rep["syda"] / min(rep[k] for k in lower_keys) for rep in per_repeat])
    paired_fb = _median([rep["factory_boy"] * scale / rep["syda"] for rep in per_repeat])
    syda_cpu, lb_cpu, fb_cpu = cpu_of("syda"), cpu_of(lower_key), cpu_of("factory_boy", scale)

    def total_cpu(c: list | None) -> float | None:
        return None if c is None or c[1] is None else c[0] + c[1]

    limit = TARGET_PG if db == "postgresql" else TARGET_SQLITE
    print(f"Targets (issue), sqlalchemy-syda warm, {db_label}, {total:,} rows; three ways of reading the same runs "
          "(wall time on a loaded machine is noisy, CPU seconds much less so):")
    print(f"  <= {limit}x {lb_name}:")
    ratios = [("best-of wall seconds", best["syda"] / lower),
              (f"median of the {args.repeat} per-repeat (paired) ratios", paired_lb)]
    if total_cpu(syda_cpu) and total_cpu(lb_cpu):
        ratios.append(("CPU seconds (client + server)", total_cpu(syda_cpu) / total_cpu(lb_cpu)))
    for what, value in ratios:
        print(f"      {what:<46} {value:7.2f}x  {'MET' if value <= limit else 'MISSED'}")
    print(f"  >= {TARGET_FACTORY_BOY:.0f}x faster than factory_boy"
          + (f" (factory_boy extrapolated from {sample_total:,} rows):" if scale != 1 else ":"))
    ratios = [("best-of wall seconds", fb / best["syda"]),
              (f"median of the {args.repeat} per-repeat (paired) ratios", paired_fb)]
    if total_cpu(syda_cpu) and total_cpu(fb_cpu):
        ratios.append(("CPU seconds (client + server)", total_cpu(fb_cpu) / total_cpu(syda_cpu)))
    for what, value in ratios:
        print(f"      {what:<46} {value:7.1f}x  {'MET' if value >= TARGET_FACTORY_BOY else 'MISSED'}")
    if db == "postgresql":
        same_technique = best["lower_fk_bulk"]
        print("  the same readings for the other PostgreSQL pairs (best-of wall; paired median; CPU):")
        for label, num, den in (("syda fk_checks='row' vs COPY pre-generated", "syda_row", None),
                                ("syda (auto: FKs in bulk) vs COPY with FKs re-added by hand", "syda", "lower_fk_bulk")):
            paired = _median([rep[num] / (rep[den] if den else min(rep[k] for k in lower_keys))
                              for rep in per_repeat])
            c_num, c_den = total_cpu(cpu_of(num)), total_cpu(cpu_of(den or lower_key))
            cpu_ratio = f"{c_num / c_den:.2f}x" if c_num and c_den else "-"
            print(f"      {label:<62} {best[num] / (same_technique if den else lower):.2f}x; "
                  f"{paired:.2f}x; {cpu_ratio}")
        print(f"      syda fk_checks='row' x factory_boy{'':<34} {fb / best['syda_row']:.1f}x")
    else:
        paired = _median([rep["syda"] / rep["lower_multirow"] for rep in per_repeat])
        c_num, c_den = total_cpu(cpu_of("syda")), total_cpu(cpu_of("lower_multirow"))
        print("  the same readings against multi-row INSERTs by hand (best-of wall; paired median; CPU): "
              f"{best['syda'] / best['lower_multirow']:.2f}x; {paired:.2f}x; "
              + (f"{c_num / c_den:.2f}x" if c_num and c_den else "-"))
    print(f"  (cold first call: {cold['times']['syda'] / lower:.2f}x {lb_name}, "
          f"{fb / cold['times']['syda']:.1f}x faster than factory_boy)")
    print("  syda's seconds per table in its best warm run (SeedResult.timings): "
          + ", ".join(f"{t} {s:.3f}" for t, s in syda_tables.items()))
    print()
    if args.profile:
        print(f"--- profile: {db_label}, {total:,} rows ---", flush=True)
        cost = run({**base, "kind": "fkcost", "data": str(data[db]), "repeat": args.repeat}, cache_dir)
        for k, v in cost["times"].items():
            print(f"  {k:<58} {v:8.3f} s   CPU {_fmt_cpu(cost['cpu'][k])}")
        prof = run({**base, "kind": "profile"}, cache_dir)
        print(prof["text"])
        print()
    return {"syda": best["syda"], "lower": lower, "factory_boy": fb}


def bench_huge(args: argparse.Namespace, run: Runner, work: Path) -> None:
    target = args.pg_url
    cache_dir = tempfile.mkdtemp(prefix="syda-cache-", dir=work)
    print("=" * 100)
    print("--huge: one table, events (id bigint, uuid, user_email, event_type from the comment's list, "
          "amount numeric(10,2), created_at timestamptz, payload varchar(64)), PostgreSQL")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    base = {"db": "postgresql", "target": target, "kind": "huge"}
    res = run({**base, "rows": args.huge_rows, "workers": 1, "limit": args.huge_limit}, cache_dir)
    print(f"\n{args.huge_rows:,} rows, workers=1, one subprocess:")
    if "partial" in res:
        done, secs = res["partial"]["rows"], res["partial"]["seconds"]
        print(f"  STOPPED after {secs:.0f} s (--huge-limit) at {done:,} rows ({done / secs:,.0f} rows/s); "
              f"extrapolated: {args.huge_rows / (done / secs):,.0f} s for {args.huge_rows:,} rows")
    else:
        secs = res["times"]["syda"]
        print(f"  {secs:.1f} s, {args.huge_rows / secs:,.0f} rows/s; row count checked; "
              f"CPU {_fmt_cpu(res['cpu']['syda'])} s (client+server)")
    mem = res["maxrss_mb"]
    print(f"  peak RSS {mem:.0f} MB (target <= {HUGE_RSS_MB} MB: {'MET' if mem <= HUGE_RSS_MB else 'MISSED'})")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    print(f"\n{args.workers_rows:,} rows, workers=2 vs workers=1 (best of {args.repeat}, round-robin, "
          "each run in its own subprocess):")
    best: dict[int, float] = {}
    rss: dict[int, tuple[float, float]] = {}
    fps: dict[int, dict] = {}
    cpu: dict[int, tuple[float, float, float]] = {}  # least total: (main process, worker processes, server)
    for r in range(args.repeat):
        for w in (1, 2):
            res = run({**base, "rows": args.workers_rows, "workers": w, "fingerprint": r == 0}, cache_dir)
            best[w] = min(best.get(w, float("inf")), res["times"]["syda"])
            client, server = res["cpu"]["syda"]
            this = (client, res["workers_cpu"], server or 0.0)
            if w not in cpu or sum(this) < sum(cpu[w]):
                cpu[w] = this
            rss[w] = (max(rss.get(w, (0, 0))[0], res["maxrss_mb"]), max(rss.get(w, (0, 0))[1],
                                                                         res["children_maxrss_mb"]))
            if r == 0:
                fps[w] = res["fingerprint"]
            print(f"  run {r + 1}/{args.repeat}  workers={w}  {res['times']['syda']:.2f} s", flush=True)
    for w in (1, 2):
        print(f"  workers={w}: {best[w]:.2f} s, {args.workers_rows / best[w]:,.0f} rows/s, peak RSS {rss[w][0]:.0f} MB"
              + (f" (+ each worker process up to {rss[w][1]:.0f} MB, ru_maxrss: includes pages shared with "
                 "the parent)" if w > 1 else "")
              + f"; CPU s: main process {cpu[w][0]:.2f}" + (f" + workers {cpu[w][1]:.2f}" if w > 1 else "")
              + f" + PostgreSQL {cpu[w][2]:.2f} = {sum(cpu[w]):.2f}")
    print(f"  speed-up workers=2 over workers=1: {best[1] / best[2]:.2f}x")
    same = fps[1] == fps[2]
    print(f"  data identical (md5 over md5(row::text) of every row in id order): {'YES' if same else 'NO'} "
          f"({fps[1]['events']} vs {fps[2]['events']})")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not same:
        raise AssertionError("workers=2 wrote different data than workers=1")


def bench_relations(args: argparse.Namespace, run: Runner, db: str, rows: int, work: Path) -> None:
    """What the relations across tables cost (issue #11: at most 15 %): seed() with them and with
    ``relations=False``, warm, round-robin in one run, each in its own subprocess on fresh tables."""
    counts = scaled_counts(rows)
    target = args.pg_url if db == "postgresql" else str(work / "bench.sqlite")
    db_label = "PostgreSQL" if db == "postgresql" else "SQLite"
    print("=" * 100)
    print(f"{db_label}: relations across tables, CRM {sum(counts.values()):,} rows: "
          + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    base = {"db": db, "target": target, "counts": counts, "warm": True, "kind": "syda"}
    cache_dir = tempfile.mkdtemp(prefix="syda-cache-", dir=work)
    walls: dict[str, list[float]] = {"on": [], "off": []}
    cpus: dict[str, list[float]] = {"on": [], "off": []}  # client + server CPU seconds per run
    tables: dict[str, dict[str, float]] = {}
    for r in range(args.repeat):
        for key, extra in (("on", {}), ("off", {"relations": False})):
            res = run({**base, **extra}, cache_dir)
            walls[key].append(res["times"]["syda"])
            client, server = res["cpu"]["syda"]
            cpus[key].append(client + (server or 0.0))
            if res["times"]["syda"] <= min(walls[key]):
                tables[key] = res["table_seconds"]
        print(f"  run {r + 1}/{args.repeat}: with relations {walls['on'][-1]:.3f} s (CPU {cpus['on'][-1]:.3f} s), "
              f"relations=False {walls['off'][-1]:.3f} s (CPU {cpus['off'][-1]:.3f} s)", flush=True)
    best = {k: min(v) for k, v in walls.items()}
    cpu = {k: min(v) for k, v in cpus.items()}
    paired = _median([on / off for on, off in zip(walls["on"], walls["off"])])
    ratio, cpu_ratio = best["on"] / best["off"], cpu["on"] / cpu["off"]
    print(f"  best of {args.repeat}: with relations {best['on']:.3f} s, relations=False {best['off']:.3f} s; "
          f"least CPU (client + server): {cpu['on']:.3f} s and {cpu['off']:.3f} s")
    print(f"  cost of the relations: best-of wall {ratio:.3f}x ({ratio - 1:+.1%}), paired median wall {paired:.3f}x "
          f"({paired - 1:+.1%}), least CPU {cpu_ratio:.3f}x ({cpu_ratio - 1:+.1%}); target <= 1.15x")
    for key in ("on", "off"):
        print(f"  seconds per table ({'with relations' if key == 'on' else 'relations=False'}): "
              + ", ".join(f"{t} {v:.3f}" for t, v in tables[key].items()))
    print(flush=True)


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) == 3 and sys.argv[1] == "--child":
        return child_main(sys.argv[2])
    ap = argparse.ArgumentParser(prog="python -m bench.bench_seed", description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000, help="total CRM rows (default 100000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per approach; the best is reported (default 3)")
    ap.add_argument("--big", action="store_true", help="also run the CRM at 10x --rows (1M rows by default)")
    ap.add_argument("--no-base", action="store_true", help="skip the --rows run (with --big or --huge)")
    ap.add_argument("--huge", action="store_true", help="10M rows of one table on PostgreSQL, and workers=2 vs 1")
    ap.add_argument("--huge-rows", type=int, default=HUGE_ROWS, help=argparse.SUPPRESS)
    ap.add_argument("--workers-rows", type=int, default=WORKERS_ROWS, help=argparse.SUPPRESS)
    ap.add_argument("--huge-limit", type=float, default=600.0, metavar="S",
                    help="stop the 10M run after S seconds and extrapolate (default 600)")
    ap.add_argument("--db", choices=("postgresql", "sqlite", "both"), default="both")
    ap.add_argument("--sample", type=float, default=0.05,
                    help="fraction of rows factory_boy and polyfactory are timed on, then extrapolated (default 0.05; "
                         "1 = all rows)")
    ap.add_argument("--profile", action="store_true",
                    help="after each table: syda's client-side time alone, loads with and without FK constraints, "
                         "and pyinstrument profiles")
    ap.add_argument("--pg-url", default=DEFAULT_PG_URL, help=f"database to create, use and drop ({DEFAULT_PG_URL})")
    ap.add_argument("--keep-db", action="store_true", help="do not drop the PostgreSQL database at the end")
    ap.add_argument("--relations", action="store_true",
                    help="first time seed() with and without the relations across tables (relations=False), "
                         "alternating, and print what they cost; with --no-base nothing else runs")
    args = ap.parse_args(argv)
    if args.rows < 100 or args.repeat < 1 or not 0 < args.sample <= 1:
        ap.error("--rows must be at least 100, --repeat at least 1, --sample in (0, 1]")
    if args.huge and args.db == "sqlite":
        ap.error("--huge runs on PostgreSQL")

    dbs = ["postgresql", "sqlite"] if args.db == "both" else [args.db]
    uses_pg = "postgresql" in dbs or args.huge
    if uses_pg:
        _ensure_database(args.pg_url)
    print_environment(args)
    env = {**os.environ}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    run = Runner(env)
    work = Path(tempfile.mkdtemp(prefix="syda-bench-"))
    try:
        if args.relations:
            for db in dbs:
                bench_relations(args, run, db, args.rows, work)
        sizes = ([] if args.no_base else [args.rows]) + ([args.rows * 10] if args.big else [])
        for rows in sizes:
            for db in dbs:  # pre-generated right before each section, with the library as it is now
                t0 = time.perf_counter()
                source = source_digest()
                data = pregenerate(scaled_counts(rows), work)
                print(f"pre-generated {rows:,} rows with sqlalchemy_syda.generate(seed={SEED}) for the lower bound "
                      f"and to_sql, pickled ({time.perf_counter() - t0:.1f} s, not counted)", flush=True)
                bench_crm(args, run, db, rows, data, work)
                if source_digest() != source:
                    print("WARNING: sqlalchemy_syda/ changed on disk during this section (someone is editing it): "
                          "the children may have run different code than the pre-generation\n")
                for p in data.values():
                    p.unlink(missing_ok=True)
        if args.huge:
            bench_huge(args, run, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if uses_pg and not args.keep_db:
            _ensure_database(args.pg_url, drop=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
