"""Realism at scale, measured in SQL on seeded SQLite databases (not a timing benchmark).

Run from the repository root::

    .venv/bin/python -m bench.name_realism [--rows 10000 100000 1000000]

For each row count it seeds a fresh SQLite file with three tables whose name columns are UNIQUE
(``customers.name`` a company, ``people.full_name`` / ``people.username`` a person,
``products.name`` a product next to its ``category``, ``projects.title`` a title) and prints, per
column, the share of values that end in a number (``"Walker and Sons 3"``), read back with SQL.
For products it also prints the share whose name agrees with its category's vocabulary, for
customers the share whose website is made from the company's own name, and for descriptions the
share that mention the row's own name.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import sqlalchemy as sa

TABLES = sa.MetaData()
customers = sa.Table(
    "customers", TABLES,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True, comment="Customer organization name"),
    sa.Column("industry", sa.String(50)),
    sa.Column("website", sa.String(100)),
)
people = sa.Table(
    "people", TABLES,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("first_name", sa.String(50), nullable=False),
    sa.Column("last_name", sa.String(50), nullable=False),
    sa.Column("full_name", sa.String(120), nullable=False, unique=True),
    sa.Column("username", sa.String(80), nullable=False, unique=True),
)
products = sa.Table(
    "products", TABLES,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True, comment="Product name"),
    sa.Column("category", sa.String(50), comment="Product category"),
    sa.Column("description", sa.Text, comment="Detailed product description"),
)
projects = sa.Table(
    "projects", TABLES,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.String(120), nullable=False, unique=True),
)

ENDS_IN_NUMBER = "SELECT AVG(CASE WHEN {col} GLOB '*[0-9]' THEN 1.0 ELSE 0 END) FROM {table}"


def measure(rows: int) -> dict[str, float]:
    from sqlalchemy_syda import seed

    with tempfile.TemporaryDirectory() as tmp:
        engine = sa.create_engine(f"sqlite:///{os.path.join(tmp, 'r.db')}")
        TABLES.create_all(engine)
        started = time.perf_counter()
        seed(engine, {t: rows for t in TABLES.sorted_tables}, seed=1)
        took = time.perf_counter() - started
        out: dict[str, float] = {"seconds": took}
        with engine.connect() as conn:
            def q(sql: str) -> float:
                return float(conn.exec_driver_sql(sql).scalar() or 0.0)

            for table, col in (("customers", "name"), ("people", "full_name"), ("people", "username"),
                               ("products", "name"), ("projects", "title")):
                out[f"{table}.{col} ends in a number"] = q(ENDS_IN_NUMBER.format(col=col, table=table))
            out["customers.website from the name"] = website_share(conn)
            out["products.description mentions the name"] = q(
                "SELECT AVG(CASE WHEN instr(description, name) > 0 THEN 1.0 ELSE 0 END) FROM products "
                "WHERE description IS NOT NULL")
            out["products.name agrees with category"] = category_share(conn)
        engine.dispose()
    return out


def website_share(conn: sa.Connection) -> float:
    """Share of websites whose host contains the first word of the company name (letters only)."""
    rows = conn.exec_driver_sql("SELECT name, website FROM customers WHERE website IS NOT NULL").all()
    if not rows:
        return 0.0
    hits = 0
    for name, website in rows:
        first = "".join(ch for ch in name.split()[0].split("-")[0].lower() if ch.isalpha())
        hits += bool(first) and first in "".join(ch for ch in website.lower() if ch.isalpha())
    return hits / len(rows)


def category_share(conn: sa.Connection) -> float:
    """Share of products whose last noun belongs to the vocabulary of the row's own category."""
    try:
        from sqlalchemy_syda.generators.products import family_of_category
    except ImportError:
        return float("nan")
    rows = conn.exec_driver_sql("SELECT name, category FROM products WHERE category IS NOT NULL").all()
    if not rows:
        return 0.0
    hits = 0
    for name, category in rows:
        family = family_of_category(category)
        hits += any(noun in name for noun in family.nouns)
    return hits / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    for rows in args.rows:
        result = measure(rows)
        print(f"rows={rows:,} (seeded in {result.pop('seconds'):.1f} s)")
        for key, value in result.items():
            print(f"  {key:<45} {value:7.2%}")


if __name__ == "__main__":
    main()
