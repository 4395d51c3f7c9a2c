"""PostgresCopyWriter: COPY text format, and a real COPY into PostgreSQL read back value by value."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

import numpy as np
import pytest
import sqlalchemy as sa
from schemas import CrmBase, crm_models, rows
from sqlalchemy.dialects import postgresql as pg

from sqlalchemy_syda import seed
from sqlalchemy_syda.dialects.quoting import quote_table
from sqlalchemy_syda.introspect import table_spec
from sqlalchemy_syda.writers import writer_for
from sqlalchemy_syda.writers.executemany import ExecutemanyWriter
from sqlalchemy_syda.writers.postgresql_copy import PostgresCopyWriter, copy_text

md = sa.MetaData()
EVERYTHING = sa.Table(
    "everything", md,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("big", sa.BigInteger),
    sa.Column("maybe_int", sa.Integer),
    sa.Column("ratio", sa.Float),
    sa.Column("amount", sa.Numeric(10, 2)),
    sa.Column("name", sa.String(100)),
    sa.Column("body", sa.Text),
    sa.Column("flag", sa.Boolean),
    sa.Column("day", sa.Date),
    sa.Column("at", sa.DateTime),
    sa.Column("at_tz", sa.DateTime(timezone=True)),
    sa.Column("span", sa.Interval),
    sa.Column("doc", pg.JSONB),
    sa.Column("blob", sa.LargeBinary),
    sa.Column("tags", pg.ARRAY(sa.String)),
    sa.Column("token", sa.Uuid),
)
SPEC = table_spec(EVERYTHING)
TRICKY = ["plain", "tab\there", "line\nbreak", "carriage\rreturn", "back\\slash", "\\N", "", "Zoë 日本 🚀"]


def obj(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def everything_batch(start: int, n: int) -> dict[str, np.ndarray]:
    ids = np.arange(start, start + n, dtype=np.int64)
    return {
        "id": ids,
        "big": ids * 10_000_000_000,
        "maybe_int": np.where(ids % 3 == 0, np.nan, ids.astype(np.float64)),  # NULLs the float way
        "ratio": ids / 8,
        "amount": np.round(ids * 1.25, 2),
        "name": obj([TRICKY[i % len(TRICKY)] for i in range(n)]),
        "body": obj([None if i % 4 == 0 else f"{TRICKY[(i + 1) % len(TRICKY)]} #{i}" for i in range(n)]),
        "flag": (ids % 2 == 0),
        "day": np.array(["2024-02-29"] * n, dtype="datetime64[D]") + ids.astype("timedelta64[D]"),
        "at": np.array(["2023-01-01T12:30:15.250000"] * n, dtype="datetime64[us]"),
        "at_tz": np.where(ids % 5 == 0, np.datetime64("NaT"),
                          np.array(["2023-06-01T08:00:00"] * n, dtype="datetime64[us]")),
        "span": (ids * 90).astype("timedelta64[s]"),
        "doc": obj([{"k": int(i), "tab": "a\tb", "nested": {"ok": True}} for i in ids]),
        "blob": obj([bytes([int(i) % 256, 0, 255]) for i in ids]),
        "tags": obj([["a", 'quo"te', "com,ma"][: int(i) % 4] for i in ids]),
        "token": obj([str(uuid.UUID(int=int(i))) for i in ids]),
    }


# --- COPY text ---------------------------------------------------------------------------------------------

def test_copy_text_escapes_specials_and_writes_nulls():
    spec = table_spec(EVERYTHING)
    text = copy_text(spec, {"name": obj(TRICKY + [None]), "maybe_int": np.array([1.0, np.nan] + [2.0] * 7)})
    lines = text.decode().split("\n")
    assert lines[-1] == "" and len(lines) == 10  # one line per row, newline-terminated
    names = [line.split("\t")[0] for line in lines[:-1]]
    assert names == ["plain", "tab\\there", "line\\nbreak", "carriage\\rreturn", "back\\\\slash", "\\\\N", "",
                     "Zoë 日本 🚀", "\\N"]
    assert [line.split("\t")[1] for line in lines[:2]] == ["1", "\\N"]


def test_copy_text_of_dates_times_booleans_json_bytes_and_arrays():
    batch = {k: v[:2] for k, v in everything_batch(1, 2).items()}
    line = copy_text(SPEC, batch).decode().split("\n")[0].split("\t")
    cells = dict(zip(batch, line))
    assert cells["day"] == "2024-03-01" and cells["flag"] == "f"
    assert cells["at"] == "2023-01-01T12:30:15.250000"
    assert cells["at_tz"] == "2023-06-01T08:00:00.000000+00"
    assert cells["span"] == "90 seconds"
    assert cells["blob"] == "\\\\x0100ff"
    assert cells["doc"] == '{"k": 1, "tab": "a\\\\tb", "nested": {"ok": true}}'
    assert cells["tags"] == '{"a"}'
    assert copy_text(SPEC, {"id": np.array([], dtype=np.int64)}) == b""


def test_quote_table_quotes_what_needs_quoting():
    engine = sa.create_engine("postgresql+psycopg://")
    conn = type("C", (), {"dialect": engine.dialect})()
    odd = table_spec(sa.Table("Order Lines", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                              schema="Sales"))
    assert quote_table(conn, odd) == '"Sales"."Order Lines"'
    assert quote_table(conn, SPEC) == "everything"


# --- a real COPY -------------------------------------------------------------------------------------------


@pytest.mark.postgres
def test_copy_round_trips_every_type(pg_engine):
    md.create_all(pg_engine)
    writer = PostgresCopyWriter()
    with pg_engine.begin() as conn:
        assert isinstance(writer_for(conn), PostgresCopyWriter)
        written = writer.write(conn, SPEC, [everything_batch(1, 20), {"id": np.array([], dtype=np.int64)},
                                            everything_batch(21, 20)])
    assert written == 40
    got = {r.id: r for r in rows(pg_engine, "SELECT * FROM everything ORDER BY id")}
    assert len(got) == 40
    expected = {**dict(zip(range(1, 21), _rows(everything_batch(1, 20)))),
                **dict(zip(range(21, 41), _rows(everything_batch(21, 20))))}
    for i, want in expected.items():
        row = got[i]._mapping
        for col, value in want.items():
            assert _same(col, row[col], value), (i, col, row[col], value)


@pytest.mark.postgres
def test_a_refused_copy_leaves_nothing_and_names_the_batch(pg_engine):
    md.create_all(pg_engine)
    with pg_engine.connect() as conn:
        conn.execute(sa.text("ALTER TABLE everything ADD CONSTRAINT ck_small CHECK (id < 30)"))
        conn.commit()
        writer = PostgresCopyWriter()
        with pytest.raises(Exception, match="ck_small"):
            with conn.begin():
                writer.write(conn, SPEC, [everything_batch(1, 20), everything_batch(21, 20)])
        assert writer.last_batch is not None and int(writer.last_batch["id"][0]) == 21
        assert conn.execute(sa.text("SELECT COUNT(*) FROM everything")).scalar() == 0  # connection still usable


@pytest.mark.postgres
def test_copy_and_executemany_write_the_same_rows(pg_engine):
    CrmBase.metadata.create_all(pg_engine)
    counts = {crm_models.Customer: 30, crm_models.Product: 20, crm_models.Contact: 40, crm_models.Order: 50,
              crm_models.OrderItem: 120}
    tables = ["customers", "contacts", "products", "orders", "order_items"]
    seed(pg_engine, counts, seed=3)
    copied = {t: rows(pg_engine, f"SELECT * FROM {t} ORDER BY id") for t in tables}
    with pg_engine.begin() as conn:
        for t in reversed(CrmBase.metadata.sorted_tables):
            conn.execute(t.delete())
    seed(pg_engine, counts, seed=3, writer=ExecutemanyWriter())
    assert {t: rows(pg_engine, f"SELECT * FROM {t} ORDER BY id") for t in tables} == copied


def _rows(batch: dict[str, np.ndarray]) -> list[dict]:
    n = len(batch["id"])
    return [{k: v[i] for k, v in batch.items()} for i in range(n)]


def _same(col: str, got, want) -> bool:
    if want is None or (isinstance(want, float) and np.isnan(want)) or \
            (isinstance(want, np.datetime64) and np.isnat(want)):
        return got is None
    if col in ("day",):
        return got == dt.date.fromisoformat(str(want))
    if col == "at":
        return got == dt.datetime.fromisoformat(str(want))
    if col == "at_tz":
        return got == dt.datetime.fromisoformat(str(want)).replace(tzinfo=dt.UTC)
    if col == "span":
        return got == dt.timedelta(seconds=int(want.astype(np.int64)))
    if col == "amount":
        return got == decimal.Decimal(str(want))
    if col == "token":
        return str(got) == want
    if col == "blob":
        return bytes(got) == want
    if isinstance(want, np.generic):
        want = want.item()
    return got == want
