"""ExecutemanyWriter: Python values for the driver, the INSERT it prepares, real inserts on every database."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid

import numpy as np
import pytest
import sqlalchemy as sa

from sqlalchemy_syda.introspect import table_spec
from sqlalchemy_syda.writers import writer_for
from sqlalchemy_syda.writers.executemany import ExecutemanyWriter, python_values
from sqlalchemy_syda.writers.postgresql_copy import PostgresCopyWriter

md = sa.MetaData()
ITEMS = sa.Table(
    "items", md,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("maybe_int", sa.Integer),
    sa.Column("ratio", sa.Float),
    sa.Column("amount", sa.Numeric(10, 2)),
    sa.Column("name", sa.String(100)),
    sa.Column("flag", sa.Boolean),
    sa.Column("day", sa.Date),
    sa.Column("at", sa.DateTime),
    sa.Column("doc", sa.JSON),
    sa.Column("blob", sa.LargeBinary(64)),
    sa.Column("token", sa.Uuid),
    sa.Column("size", sa.Enum("small", "large", name="item_size")),
)
SPEC = table_spec(ITEMS)
TRICKY = ["plain", "it's", 'say "hi"', "back\\slash", "%s and %(x)s", "?", "Zoë 日本", ""]


def obj(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def batch(start: int, n: int) -> dict[str, np.ndarray]:
    ids = np.arange(start, start + n, dtype=np.int64)
    return {
        "id": ids,
        "maybe_int": np.where(ids % 3 == 0, np.nan, ids * 2.0),
        "ratio": ids / 4,
        "amount": np.round(ids * 1.5, 2),
        "name": obj([None if i % 5 == 0 else TRICKY[i % len(TRICKY)] for i in ids]),
        "flag": ids % 2 == 0,
        "day": np.datetime64("2024-01-31") + ids.astype("timedelta64[D]"),
        "at": np.where(ids % 4 == 0, np.datetime64("NaT"), np.datetime64("2023-05-06T07:08:09.123456")),
        "doc": obj([{"i": int(i), "quote": "it's"} for i in ids]),
        "blob": obj([bytes([int(i) % 256, 1, 2]) for i in ids]),
        "token": obj([str(uuid.UUID(int=int(i) + 7)) for i in ids]),
        "size": obj(["small" if i % 2 else "large" for i in ids]),
    }


# --- Python values ------------------------------------------------------------------------------------------

def test_python_values_turns_arrays_into_driver_values():
    b = batch(1, 4)
    assert python_values(SPEC.column("maybe_int"), b["maybe_int"]) == [2, 4, None, 8]
    assert all(type(v) is int for v in python_values(SPEC.column("id"), b["id"]))
    assert python_values(SPEC.column("day"), b["day"])[:2] == [dt.date(2024, 2, 1), dt.date(2024, 2, 2)]
    ats = python_values(SPEC.column("at"), b["at"])
    assert ats[0] == dt.datetime(2023, 5, 6, 7, 8, 9, 123456) and ats[3] is None
    assert python_values(SPEC.column("token"), b["token"])[0] == uuid.UUID(int=8)  # Uuid(as_uuid=True)
    assert python_values(SPEC.column("flag"), b["flag"]) == [False, True, False, True]
    spans = python_values(SPEC.column("at"), np.array([90], dtype="timedelta64[s]"))
    assert spans == [dt.timedelta(seconds=90)]


def test_python_values_runs_the_types_bind_processor_for_the_dialect():
    dialect = sa.create_engine("sqlite://").dialect
    docs = python_values(SPEC.column("doc"), batch(1, 2)["doc"], dialect)
    assert [json.loads(d) for d in docs] == [{"i": 1, "quote": "it's"}, {"i": 2, "quote": "it's"}]


@pytest.mark.parametrize("url, marks", [
    ("sqlite://", "INSERT INTO items (id, name) VALUES (?, ?)"),
    ("mysql+pymysql://", "INSERT INTO items (id, name) VALUES (%s, %s)"),
    ("postgresql+psycopg://", "INSERT INTO items (id, name) VALUES (%s, %s)"),
    ("postgresql+asyncpg://", "INSERT INTO items (id, name) VALUES ($1, $2)"),
])
def test_insert_sql_uses_the_drivers_placeholders(url, marks):
    engine = sa.create_engine(url) if "asyncpg" not in url else \
        __import__("sqlalchemy.ext.asyncio", fromlist=["x"]).create_async_engine(url)
    conn = type("C", (), {"dialect": engine.dialect})()
    assert ExecutemanyWriter().insert_sql(conn, SPEC, ["id", "name"]) == marks


def test_insert_sql_quotes_schema_and_names():
    conn = type("C", (), {"dialect": sa.create_engine("mysql+pymysql://").dialect})()
    odd = table_spec(sa.Table("order lines", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                              sa.Column("select", sa.Integer), schema="sales"))
    assert ExecutemanyWriter().insert_sql(conn, odd, ["id", "select"]) == \
        "INSERT INTO sales.`order lines` (id, `select`) VALUES (%s, %s)"


# --- real inserts ----------------------------------------------------------------------------------------------

def test_executemany_round_trips_every_type(db_engine):
    md.create_all(db_engine)
    writer = ExecutemanyWriter(page_size=7)
    with db_engine.begin() as conn:
        if db_engine.dialect.name != "postgresql":
            assert isinstance(writer_for(conn), ExecutemanyWriter)
        else:
            assert isinstance(writer_for(conn), PostgresCopyWriter)
        n = writer.write(conn, SPEC, [batch(1, 20), {"id": np.array([], dtype=np.int64)}, batch(21, 5)])
    assert n == 25
    with db_engine.connect() as conn:
        got = conn.execute(sa.select(ITEMS).order_by(ITEMS.c.id)).all()
    assert [r.id for r in got] == list(range(1, 26))
    for r in got:
        i = r.id
        assert r.maybe_int == (None if i % 3 == 0 else 2 * i)
        assert r.ratio == pytest.approx(i / 4)
        assert r.amount == decimal.Decimal(str(round(i * 1.5, 2))).quantize(decimal.Decimal("0.01"))
        assert r.name == (None if i % 5 == 0 else TRICKY[i % len(TRICKY)])
        assert r.flag is (i % 2 == 0)
        assert r.day == dt.date(2024, 1, 31) + dt.timedelta(days=i)
        micro = 0 if db_engine.dialect.name == "mysql" else 123456  # MariaDB DATETIME keeps whole seconds
        assert r.at == (None if i % 4 == 0 else dt.datetime(2023, 5, 6, 7, 8, 9, micro))
        assert r.doc == {"i": i, "quote": "it's"}
        assert bytes(r.blob) == bytes([i % 256, 1, 2])
        assert r.token == uuid.UUID(int=i + 7)
        assert r.size == ("small" if i % 2 else "large")


def test_a_refused_insert_raises_and_keeps_the_failing_batch(db_engine):
    md.create_all(db_engine)
    writer = ExecutemanyWriter()
    with db_engine.connect() as conn:
        duplicate = (db_engine.dialect.loaded_dbapi.IntegrityError, sa.exc.IntegrityError)
        with pytest.raises(duplicate), conn.begin():
            writer.write(conn, SPEC, [batch(1, 5), batch(3, 5)])  # ids 3..5 again
        assert int(writer.last_batch["id"][0]) == 3
        assert conn.execute(sa.text("SELECT COUNT(*) FROM items")).scalar() == 0


def _rows(engine) -> list:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(ITEMS).order_by(ITEMS.c.id)).all()]


@pytest.mark.parametrize("limit", [30, 13, 12])  # 12 columns: one row per INSERT at 12 and 13
def test_sqlite_multi_row_inserts_respect_the_parameter_limit(sqlite_engine, limit):
    """SQLite gets INSERTs of several rows (as many as its bound-parameter limit allows, leftovers last)."""
    md.create_all(sqlite_engine)
    with sqlite_engine.begin() as conn:
        ExecutemanyWriter().write(conn, SPEC, [batch(1, 20), batch(21, 5)])
    expected = _rows(sqlite_engine)
    sqlite_engine.dispose()
    md.drop_all(sqlite_engine)
    md.create_all(sqlite_engine)
    statements: list[str] = []
    with sqlite_engine.begin() as conn:
        raw = conn.connection.driver_connection
        raw.setlimit(__import__("sqlite3").SQLITE_LIMIT_VARIABLE_NUMBER, limit)
        raw.set_trace_callback(statements.append)
        n = ExecutemanyWriter(page_size=3).write(conn, SPEC, [batch(1, 20), batch(21, 5)])
        raw.set_trace_callback(None)
    assert n == 25
    assert _rows(sqlite_engine) == expected
    per_insert = max(1, limit // len(ITEMS.c))
    inserts = [s for s in statements if s.startswith("INSERT")]
    assert len(inserts) == -(-20 // per_insert) + -(-5 // per_insert)
    assert max(s.count("), (") + 1 for s in inserts) == per_insert  # rows in the fullest statement


def test_prepared_batches_write_the_same_rows(db_engine):
    """``prepare`` (what seed() runs in its generation thread) then ``write`` equals ``write`` of bare batches."""
    md.create_all(db_engine)
    writer = ExecutemanyWriter()
    with db_engine.begin() as conn:
        writer.write(conn, SPEC, [batch(1, 20)])
    expected = _rows(db_engine)
    md.drop_all(db_engine)
    md.create_all(db_engine)
    with db_engine.begin() as conn:
        prepared = [writer.prepare(conn, SPEC, batch(1, 8)), writer.prepare(conn, SPEC, batch(9, 12))]
        assert writer.write(conn, SPEC, prepared) == 20
        assert int(writer.last_batch["id"][0]) == 9
    assert _rows(db_engine) == expected
