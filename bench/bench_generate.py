"""Generation alone (no database): sqlalchemy-syda against Faker per row, mimesis per row and plain numpy.

Run from the repository root::

    .venv/bin/python -m bench.bench_generate [--rows 100000] [--repeat 3] [--per-row-sample 20000]

The schema is the seed document's five-model CRM (``examples/crm_models.py``). At 100k rows the
counts are customers 10k, contacts 25k, products 5k, orders 30k, order items 30k; ``--rows``
scales them proportionally. Every approach produces the same tables with the same columns as
pandas DataFrames, seeded. Times are the best of ``--repeat`` runs, run round-robin so that noise
on the (shared) machine hits every approach alike. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

Frames = dict[str, pd.DataFrame]
Counts = dict[str, int]

TABLES = ("customers", "contacts", "products", "orders", "order_items")
BASE_ROWS = 100_000
BASE_COUNTS: Counts = {"customers": 10_000, "contacts": 25_000, "products": 5_000, "orders": 30_000,
                       "order_items": 30_000}
SEED = 1

# Value lists a hand-written script would type in (neither Faker nor mimesis has them).
INDUSTRIES = ("Technology", "Healthcare", "Finance", "Retail", "Manufacturing", "Education", "Energy",
              "Telecommunications", "Transportation", "Hospitality", "Real Estate", "Agriculture",
              "Media", "Legal Services", "Construction", "Insurance", "Pharmaceuticals", "Automotive")
CUSTOMER_STATUSES = ("Active", "Inactive", "Prospect")
ORDER_STATUSES = ("New", "Processing", "Shipped", "Delivered", "Cancelled")
CATEGORIES = ("Electronics", "Computers", "Software", "Office Supplies", "Furniture", "Clothing", "Books",
              "Tools", "Garden", "Sports", "Toys", "Health", "Beauty", "Grocery", "Automotive")
COMPANY_FORMS = (("-", ""), (" & ", " LLC"), (", ", " and Sons"), ("-", " Inc"), (" & ", " Group"),
                 (" and ", " Ltd"), ("-", " PLC"))
EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com", "proton.me")


def scaled_counts(rows: int) -> Counts:
    """The CRM counts scaled so that they add up to about ``rows`` (at least one row per table)."""
    return {t: max(1, round(c * rows / BASE_ROWS)) for t, c in BASE_COUNTS.items()}


def expected_columns() -> dict[str, list[str]]:
    from examples.crm_models import MODELS

    return {m.__tablename__: [c.name for c in m.__table__.columns] for m in MODELS}


def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise AssertionError(msg)


def validate(label: str, frames: Mapping[str, pd.DataFrame], counts: Counts, columns: dict[str, list[str]]) -> None:
    """Cheap sanity checks: every table, its row count and columns, unique keys, names, e-mails, FK ranges."""
    _check(set(frames) == set(TABLES), f"{label}: tables {sorted(frames)}")
    for table in TABLES:
        df = frames[table]
        _check(len(df) == counts[table], f"{label}: {table} has {len(df)} rows, expected {counts[table]}")
        _check(list(df.columns) == columns[table], f"{label}: {table} columns {list(df.columns)}")
        _check(df["id"].is_unique, f"{label}: {table}.id not unique")
    for table, col in (("customers", "name"), ("contacts", "email"), ("products", "name")):
        s = frames[table][col]
        _check(bool(s.notna().all()) and s.is_unique, f"{label}: {table}.{col} has NULLs or duplicates")
    _check(bool(frames["contacts"]["email"].str.contains("@", regex=False).all()), f"{label}: e-mail without @")
    for table, col, parent in (("contacts", "customer_id", "customers"), ("orders", "customer_id", "customers"),
                               ("order_items", "order_id", "orders"), ("order_items", "product_id", "products")):
        fk = frames[table][col]
        _check(bool(fk.between(1, counts[parent]).all()), f"{label}: {table}.{col} out of range")


def _unique(draw: Callable[[], str], seen: set[str]) -> str:
    """What a per-row script does for a UNIQUE column: redraw on collision, then add a number."""
    value = draw()
    for _ in range(20):
        if value not in seen:
            break
        value = draw()
    base, n = value, 1
    while value in seen:
        n += 1
        value = f"{base} {n}"
    seen.add(value)
    return value


# --- 1. sqlalchemy-syda ------------------------------------------------------------------------

class Syda:
    label = "sqlalchemy-syda generate()"

    def __init__(self) -> None:
        from examples.crm_models import MODELS
        from sqlalchemy_syda.generate import generate

        self.models, self.generate = MODELS, generate

    def run(self, counts: Counts) -> Frames:
        return self.generate(self.models, counts, seed=SEED)


# --- 2. Faker per row ----------------------------------------------------------------------------

class FakerPerRow:
    label = "Faker per row"

    def __init__(self) -> None:
        from faker import Faker

        self.fake = Faker("en_US")

    def run(self, counts: Counts) -> Frames:
        fake = self.fake
        fake.seed_instance(SEED)
        fake.unique.clear()
        random.seed(SEED)
        nc, nk, np_, no, ni = (counts[t] for t in TABLES)

        customers = [{
            "id": i + 1,
            "name": fake.unique.company(),
            "industry": fake.random_element(INDUSTRIES),
            "website": fake.url(),
            "status": fake.random_element(CUSTOMER_STATUSES),
            "created_at": fake.date_between(start_date="-2y", end_date="today"),
        } for i in range(nc)]
        contacts = [{
            "id": i + 1,
            "customer_id": random.randint(1, nc),
            "first_name": fake.first_name(),
            "last_name": fake.last_name(),
            "email": fake.unique.email(),
            "phone": fake.phone_number(),
            "position": fake.job(),
            "is_primary": fake.boolean(chance_of_getting_true=30),
        } for i in range(nk)]
        seen: set[str] = set()
        products = [{
            "id": i + 1,
            "name": _unique(lambda: f"{fake.color_name()} {fake.word().title()}", seen),
            "category": fake.random_element(CATEGORIES),
            "price": fake.pyfloat(min_value=1, max_value=2000, right_digits=2),
            "description": fake.paragraph(nb_sentences=2),
        } for i in range(np_)]
        orders = [{
            "id": i + 1,
            "customer_id": random.randint(1, nc),
            "order_date": fake.date_between(start_date="-2y", end_date="today"),
            "status": fake.random_element(ORDER_STATUSES),
            "total_amount": fake.pyfloat(min_value=5, max_value=5000, right_digits=2),
        } for i in range(no)]
        items = [{
            "id": i + 1,
            "order_id": random.randint(1, no),
            "product_id": random.randint(1, np_),
            "quantity": random.randint(1, 10),
            "unit_price": fake.pyfloat(min_value=1, max_value=2000, right_digits=2),
        } for i in range(ni)]
        return {t: pd.DataFrame(rows) for t, rows in
                zip(TABLES, (customers, contacts, products, orders, items))}


# --- 3. mimesis per row --------------------------------------------------------------------------

class MimesisPerRow:
    label = "mimesis per row"

    def __init__(self) -> None:
        from mimesis import Datetime, Finance, Internet, Locale, Person, Text

        self.person = Person(Locale.EN, seed=SEED)
        self.finance = Finance(Locale.EN, seed=SEED)
        self.internet = Internet(seed=SEED)
        self.text = Text(Locale.EN, seed=SEED)
        self.dt = Datetime(Locale.EN, seed=SEED)
        self.rnd = random.Random(SEED)
        self.year = datetime.date.today().year

    def run(self, counts: Counts) -> Frames:
        person, finance, internet, text, dt, rnd = \
            self.person, self.finance, self.internet, self.text, self.dt, self.rnd
        for provider in (person, finance, internet, text, dt):
            provider.reseed(SEED)
        rnd.seed(SEED)
        y0, y1 = self.year - 2, self.year
        nc, nk, np_, no, ni = (counts[t] for t in TABLES)

        # mimesis refuses email(unique=True) on a seeded provider, so UNIQUE columns use a seen-set.
        names: set[str] = set()
        customers = [{
            "id": i + 1,
            "name": _unique(finance.company, names),
            "industry": rnd.choice(INDUSTRIES),
            "website": internet.url(),
            "status": rnd.choice(CUSTOMER_STATUSES),
            "created_at": dt.date(start=y0, end=y1),
        } for i in range(nc)]
        emails: set[str] = set()
        contacts = [{
            "id": i + 1,
            "customer_id": rnd.randint(1, nc),
            "first_name": person.first_name(),
            "last_name": person.last_name(),
            "email": _unique(person.email, emails),
            "phone": person.phone_number(),
            "position": person.occupation(),
            "is_primary": rnd.random() < 0.3,
        } for i in range(nk)]
        products_seen: set[str] = set()
        products = [{
            "id": i + 1,
            "name": _unique(lambda: f"{text.word().title()} {text.word().title()}", products_seen),
            "category": rnd.choice(CATEGORIES),
            "price": finance.price(minimum=1, maximum=2000),
            "description": text.text(quantity=2),
        } for i in range(np_)]
        orders = [{
            "id": i + 1,
            "customer_id": rnd.randint(1, nc),
            "order_date": dt.date(start=y0, end=y1),
            "status": rnd.choice(ORDER_STATUSES),
            "total_amount": finance.price(minimum=5, maximum=5000),
        } for i in range(no)]
        items = [{
            "id": i + 1,
            "order_id": rnd.randint(1, no),
            "product_id": rnd.randint(1, np_),
            "quantity": rnd.randint(1, 10),
            "unit_price": finance.price(minimum=1, maximum=2000),
        } for i in range(ni)]
        return {t: pd.DataFrame(rows) for t, rows in
                zip(TABLES, (customers, contacts, products, orders, items))}


# --- 4. plain numpy pipeline ---------------------------------------------------------------------

_S = np.dtypes.StringDType()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _occurrence(idx: np.ndarray) -> np.ndarray:
    """For each position, how many earlier positions hold the same value (0 for the first one)."""
    order = np.argsort(idx, kind="stable")
    s = idx[order]
    pos = np.arange(len(s))
    first = np.ones(len(s), dtype=bool)
    first[1:] = s[1:] != s[:-1]
    group_start = np.maximum.accumulate(np.where(first, pos, 0))
    rank = np.empty(len(s), dtype=np.int64)
    rank[order] = pos - group_start
    return rank


def _distinct_codes(rng: np.random.Generator, space: int, n: int) -> tuple[np.ndarray, np.ndarray | None]:
    """``n`` distinct codes in ``range(space)``; if ``space < n``, codes with repeats and their repeat rank."""
    if n <= space:
        return rng.choice(space, n, replace=False), None
    codes = rng.integers(0, space, n)
    return codes, _occurrence(codes)


def _number_repeats(values: np.ndarray, rank: np.ndarray | None) -> np.ndarray:
    """Append " 2", " 3", ... to repeated values (only when the combination space is too small)."""
    if rank is not None and (dup := rank > 0).any():
        values[dup] = np.strings.add(np.strings.add(values[dup], " "), (rank[dup] + 1).astype(_S))
    return values


class NumpyPipeline:
    """What a careful engineer writes by hand: Faker pools once, then numpy per column."""

    label = "plain numpy pipeline"

    def __init__(self) -> None:
        from faker import Faker

        fake = Faker("en_US")
        fake.seed_instance(SEED)

        def distinct(fn: Callable[[], str], tries: int) -> list[str]:
            return list(dict.fromkeys(v for v in (fn() for _ in range(tries)) if v))

        firsts = [n for n in distinct(fake.first_name, 5000) if _slug(n)]
        lasts = [n for n in distinct(fake.last_name, 5000) if _slug(n)]
        self.first, self.last = np.array(firsts, dtype=object), np.array(lasts, dtype=object)
        self.first_slug = np.array([_slug(n) for n in firsts], dtype=_S)
        self.last_slug = np.array([_slug(n) for n in lasts], dtype=_S)
        self.email_domains = np.array(EMAIL_DOMAINS, dtype=_S)
        # company names like Faker's: "Lee-Hart", "Lee & Hart LLC", ... unique by construction over
        # (last name, last name, form); forms keep both names, so distinct codes give distinct strings
        self.company_lasts = np.array([n for n in lasts if n.isalpha()], dtype=_S)
        self.company_seps = np.array([f[0] for f in COMPANY_FORMS], dtype=_S)
        self.company_suffixes = np.array([f[1] for f in COMPANY_FORMS], dtype=_S)
        # product names "<colour> <Word>" unique by construction over (colour, word)
        self.colors = np.array(distinct(fake.color_name, 3000), dtype=_S)
        self.words = np.array([w.title() for w in distinct(fake.word, 5000) if w.isalpha()], dtype=_S)
        self.urls = np.array(distinct(fake.url, 3000), dtype=object)
        self.jobs = np.array(distinct(fake.job, 3000), dtype=object)
        self.descriptions = np.array(distinct(lambda: fake.paragraph(nb_sentences=2), 2000), dtype=object)
        self.industries = np.array(INDUSTRIES, dtype=object)
        self.customer_statuses = np.array(CUSTOMER_STATUSES, dtype=object)
        self.order_statuses = np.array(ORDER_STATUSES, dtype=object)
        self.categories = np.array(CATEGORIES, dtype=object)

    def company_names(self, rng: np.random.Generator, n: int) -> np.ndarray:
        nl, nf = len(self.company_lasts), len(self.company_seps)
        code, rank = _distinct_codes(rng, nl * nl * nf, n)
        a, b, form = code // (nl * nf), code // nf % nl, code % nf
        names = np.strings.add(np.strings.add(self.company_lasts[a], self.company_seps[form]), self.company_lasts[b])
        return _number_repeats(np.strings.add(names, self.company_suffixes[form]), rank).astype(object)

    def product_names(self, rng: np.random.Generator, n: int) -> np.ndarray:
        nw = len(self.words)
        code, rank = _distinct_codes(rng, len(self.colors) * nw, n)
        names = np.strings.add(np.strings.add(self.colors[code // nw], " "), self.words[code % nw])
        return _number_repeats(names, rank).astype(object)

    def run(self, counts: Counts) -> Frames:
        rng = np.random.default_rng(SEED)
        nc, nk, np_, no, ni = (counts[t] for t in TABLES)
        today = np.datetime64(datetime.date.today(), "D")

        def pick(pool: np.ndarray, n: int) -> np.ndarray:
            return pool[rng.integers(0, len(pool), n)]

        def days_back(n: int) -> np.ndarray:
            return today - rng.integers(0, 730, n).astype("timedelta64[D]")

        def money(n: int, mean_log: float) -> np.ndarray:
            return np.round(rng.lognormal(mean_log, 1.0, n), 2) + 0.01  # > 0, 2 decimals

        customers = {
            "id": np.arange(1, nc + 1),
            "name": self.company_names(rng, nc),
            "industry": pick(self.industries, nc),
            "website": pick(self.urls, nc),
            "status": pick(self.customer_statuses, nc),
            "created_at": days_back(nc),
        }
        fi = rng.integers(0, len(self.first), nk)
        li = rng.integers(0, len(self.last), nk)
        local = np.strings.add(np.strings.add(self.first_slug[fi], "."), self.last_slug[li])
        email = np.strings.add(np.strings.add(local, np.arange(1, nk + 1).astype(_S)), "@")
        email = np.strings.add(email, pick(self.email_domains, nk))
        contacts = {
            "id": np.arange(1, nk + 1),
            "customer_id": rng.integers(1, nc + 1, nk),
            "first_name": self.first[fi],
            "last_name": self.last[li],
            "email": email.astype(object),
            "phone": np.strings.add("+1", rng.integers(2_000_000_000, 10_000_000_000, nk).astype(_S)).astype(object),
            "position": pick(self.jobs, nk),
            "is_primary": rng.random(nk) < 0.3,
        }
        products = {
            "id": np.arange(1, np_ + 1),
            "name": self.product_names(rng, np_),
            "category": pick(self.categories, np_),
            "price": money(np_, 3.5),
            "description": pick(self.descriptions, np_),
        }
        orders = {
            "id": np.arange(1, no + 1),
            "customer_id": rng.integers(1, nc + 1, no),
            "order_date": days_back(no),
            "status": pick(self.order_statuses, no),
            "total_amount": money(no, 5.0),
        }
        items = {
            "id": np.arange(1, ni + 1),
            "order_id": rng.integers(1, no + 1, ni),
            "product_id": rng.integers(1, np_ + 1, ni),
            "quantity": rng.integers(1, 11, ni),
            "unit_price": money(ni, 3.5),
        }
        return {t: pd.DataFrame(cols) for t, cols in zip(TABLES, (customers, contacts, products, orders, items))}


# --- driver -----------------------------------------------------------------------------------

def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def print_environment() -> None:
    print("Environment")
    print(f"  python {platform.python_version()} on {platform.platform()}")
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    print(f"  CPUs: {cpus} (usable by this process: {usable}); {platform.processor() or platform.machine()}")
    print("  " + ", ".join(f"{d} {_version(d)}" for d in ("numpy", "pandas", "faker", "mimesis", "sqlalchemy",
                                                          "sqlalchemy-syda")))
    print("  NOTE: the machine is shared and noisy; the ratios matter more than the seconds.")
    print()


def timed(fn: Callable[[], Frames]) -> tuple[float, Frames]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


_COLD_SNIPPET = """
import json, sys, time
t0 = time.perf_counter()
from bench.bench_generate import Syda, expected_columns, validate
syda = Syda()
t1 = time.perf_counter()
counts = json.loads(sys.argv[1])
frames = syda.run(counts)
t2 = time.perf_counter()
validate("syda (cold)", frames, counts, expected_columns())
print(json.dumps({"import": t1 - t0, "first_call": t2 - t1}))
"""


def cold_first_call(counts: Counts, cache_dir: str) -> dict[str, float]:
    """Import time and first ``generate()`` time of sqlalchemy-syda in a fresh Python process."""
    env = {**os.environ, "SYDA_CACHE_DIR": cache_dir}
    root = Path(__file__).resolve().parents[1]
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
    out = subprocess.run([sys.executable, "-c", _COLD_SNIPPET, json.dumps(counts)], env=env, cwd=root,
                         capture_output=True, text=True, check=False)
    if out.returncode:
        raise RuntimeError(f"cold sqlalchemy-syda run failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fmt_rate(rows: int, secs: float) -> str:
    return f"{rows / secs:,.0f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_generate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=BASE_ROWS, help="total rows over the five tables (default 100000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per approach; the best is reported (default 3)")
    ap.add_argument("--per-row-sample", type=int, default=20_000, metavar="N",
                    help="time Faker/mimesis per row on N rows and extrapolate linearly (default 20000; "
                         "0 or >= --rows: run them on all rows)")
    args = ap.parse_args(argv)
    if args.rows < len(TABLES) or args.repeat < 1:
        ap.error("--rows must be at least 5 and --repeat at least 1")

    print_environment()
    counts = scaled_counts(args.rows)
    total = sum(counts.values())
    print(f"CRM schema, {total:,} rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    sample_rows = args.per_row_sample
    per_row_counts = counts if sample_rows <= 0 or sample_rows >= total else scaled_counts(sample_rows)
    per_row_total = sum(per_row_counts.values())
    extrapolated = per_row_total != total
    if extrapolated:
        print(f"Faker/mimesis per row: timed on {per_row_total:,} rows ("
              + ", ".join(f"{t} {n:,}" for t, n in per_row_counts.items())
              + f") and EXTRAPOLATED linearly to {total:,} rows.\n  Per-row scripts slow down as their row lists grow "
              "(the cyclic GC walks them, unique sets fill up), so the extrapolation is a LOWER bound on their time;\n"
              "  --per-row-sample 0 measures all rows.")
    print(f"best of {args.repeat} runs each, round-robin; seed {SEED}; generation only, no database")
    print()
    columns = expected_columns()

    # sqlalchemy-syda cold: the first call in a fresh process, once with no pool cache (Faker builds the
    # pools) and once more with the pool cache that first process left in a private SYDA_CACHE_DIR.
    with tempfile.TemporaryDirectory(prefix="syda-bench-cache-") as cache_dir:
        cold_build = cold_first_call(counts, cache_dir)
        cold_cached = cold_first_call(counts, cache_dir)
    print(f"cold first call of sqlalchemy-syda in a fresh process: {cold_build['first_call']:.3f} s with no pool "
          f"cache, {cold_cached['first_call']:.3f} s with the pool cache on disk", flush=True)
    syda = Syda()
    syda.run(scaled_counts(1_000))  # warm-up with small counts: pools built (or loaded) here, not timed

    t0 = time.perf_counter()
    numpy_pipe = NumpyPipeline()
    numpy_pool_secs = time.perf_counter() - t0
    faker_pr, mimesis_pr = FakerPerRow(), MimesisPerRow()

    contenders: list[tuple[str, Callable[[], Frames], Counts]] = [
        ("syda", lambda: syda.run(counts), counts),
        ("numpy", lambda: numpy_pipe.run(counts), counts),
        ("faker", lambda: faker_pr.run(per_row_counts), per_row_counts),
        ("mimesis", lambda: mimesis_pr.run(per_row_counts), per_row_counts),
    ]
    best: dict[str, float] = {}
    for r in range(args.repeat):
        for key, fn, cts in contenders:
            secs, frames = timed(fn)
            best[key] = min(best.get(key, float("inf")), secs)
            if r == 0:
                validate(key, frames, cts, columns)
            del frames
            print(f"  run {r + 1}/{args.repeat}  {key:<8} {secs:8.3f} s  ({sum(cts.values()):,} rows)", flush=True)
    print()
    scale = total / per_row_total
    full = {"syda": best["syda"], "numpy": best["numpy"], "faker": best["faker"] * scale,
            "mimesis": best["mimesis"] * scale,
            "syda_cold": cold_build["first_call"], "syda_cold_cached": cold_cached["first_call"]}

    ext = f"extrapolated from {per_row_total:,} rows" if extrapolated else "measured on all rows"
    lines = [
        ("sqlalchemy-syda generate(), warm", "syda", "pools already built"),
        ("sqlalchemy-syda, cold, no cache", "syda_cold", "fresh process, 1st call; Faker builds the pools (1 run)"),
        ("sqlalchemy-syda, cold, disk cache", "syda_cold_cached", "fresh process, 1st call; pools read from cache (1 run)"),
        ("plain numpy pipeline", "numpy", f"Faker pools prebuilt ({numpy_pool_secs:.2f} s, not counted)"),
        ("Faker per row", "faker", ext),
        ("mimesis per row", "mimesis", ext),
    ]
    header = f"{'approach':<34} {'seconds':>9} {'rows/s':>12} {'vs numpy':>9} {'Faker/x':>9}  note"
    print(header)
    print("-" * len(header))
    for label, key, note in lines:
        secs = full[key]
        print(f"{label:<34} {secs:9.3f} {_fmt_rate(total, secs):>12} {secs / full['numpy']:8.2f}x "
              f"{full['faker'] / secs:8.1f}x  {note}")
    print()
    print("vs numpy = seconds / plain numpy seconds (lower is better; 1.00x = as fast as hand-written numpy)")
    print("Faker/x  = Faker-per-row seconds / these seconds (how many times faster than Faker per row)")
    print(f"import of numpy, pandas, sqlalchemy_syda and the models in a fresh process: {cold_cached['import']:.3f} s "
          "(not in any time above)")
    print()
    ratio_numpy = full["syda"] / full["numpy"]
    speedup = full["faker"] / full["syda"]
    print("Targets (issue), sqlalchemy-syda warm:")
    print(f"  <= 2x the plain numpy pipeline:   {ratio_numpy:6.2f}x  {'MET' if ratio_numpy <= 2 else 'MISSED'}")
    print(f"  >= 20x faster than Faker per row: {speedup:6.1f}x  {'MET' if speedup >= 20 else 'MISSED'}"
          + ("  (Faker time extrapolated)" if extrapolated else ""))
    for key, what in (("syda_cold", "no pool cache"), ("syda_cold_cached", "pool cache on disk")):
        print(f"  (cold first call, {what}: {full[key] / full['numpy']:.2f}x numpy, "
              f"{full['faker'] / full[key]:.1f}x faster than Faker per row)")
    print("All approaches validated: row counts, columns, unique ids/names/e-mails, FK ranges.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
