"""Values from overrides that are hard to store, round-tripped through PostgreSQL (COPY), SQLite and MariaDB.

Each database must store the same thing, read back with SQL: lists and dicts in a text column as their
JSON text, UTF-8 bytes in a text column as text, str in a binary column as UTF-8 bytes, JSON as JSON,
PostgreSQL arrays element for element. A value no database can store fails with one
``UnstorableValueError`` naming table, column and row, and leaves the table as it was.
"""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from sqlalchemy_syda import UnstorableValueError, WriteError, seed
from tests.schemas import make_engine

HOSTILE = ["é ü 漢字 🙂", "new\nline", "tab\there", 'q"uote', "back\\slash", "com,ma", "{br}", "NULL", "", " sp ",
           "\\N", "'single'"]


def _table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table("hostile", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("label", sa.Text),
                    sa.Column("doc", sa.JSON), sa.Column("blob", sa.LargeBinary))


def _text(k: int):
    return [{"k": k, "é": [1, None], "s": HOSTILE[k % len(HOSTILE)]}, ["x", k, True], "café".encode()][k % 3]


def _json(k: int):
    return {"row": k, "text": HOSTILE[k % len(HOSTILE)], "list": [k, None, 1.5, HOSTILE[(k + 1) % len(HOSTILE)]]}


def _binary(k: int):
    return [b"\x00\xff\x00", "née", bytes([k, 0, 0])][k % 3]  # trailing NULs are part of the value


def test_supplied_lists_dicts_and_bytes_are_stored_alike_on_every_database(db_url):
    """Test the stored values, read back in SQL: JSON text, decoded UTF-8, UTF-8 bytes, JSON documents."""
    engine = make_engine(db_url)
    metadata = sa.MetaData()
    table = _table(metadata)
    metadata.create_all(engine)
    seed(engine, {table: 9}, overrides={table: {"label": _text, "doc": _json, "blob": _binary}}, seed=3)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(table).order_by(table.c.id)).all()
        if engine.dialect.name == "sqlite":  # text, not a BLOB in a TEXT column
            assert set(conn.exec_driver_sql("SELECT typeof(label) FROM hostile").scalars()) == {"text"}
    engine.dispose()
    assert len(rows) == 9
    for row in rows:
        k = row.id - 1  # ids 1..9 are rows 0..8
        value = _text(k)
        expected = value.decode() if isinstance(value, bytes) else json.dumps(value, ensure_ascii=False)
        assert row.label == expected
        assert row.doc == _json(k)
        raw = _binary(k)
        assert bytes(row.blob) == (raw.encode() if isinstance(raw, str) else raw)


@pytest.mark.postgres
def test_postgresql_arrays_survive_copy_element_for_element(pg_engine):
    """Test ARRAY(Text) and ARRAY(Integer) through COPY: unicode, escapes, quotes, NULL elements, nesting."""
    metadata = sa.MetaData()
    table = sa.Table("tagged", metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("tags", postgresql.ARRAY(sa.Text)), sa.Column("scores", postgresql.ARRAY(sa.Integer)),
                     sa.Column("grid", postgresql.ARRAY(sa.Text, dimensions=2)),
                     sa.Column("picked", postgresql.ARRAY(sa.Text)))
    metadata.create_all(pg_engine)
    choices = [["a", "b"], ["c"]]
    seed(pg_engine, {table: 4}, seed=1, overrides={table: {
        "tags": lambda k: HOSTILE[k:] + [None],
        "scores": lambda k: [k, None, -k],
        "grid": lambda k: [["x", None], ['"', "\\"]],
        "picked": choices}})                      # a list of lists: each row gets one of the lists
    with pg_engine.connect() as conn:
        rows = conn.execute(sa.select(table).order_by(table.c.id)).all()
        nulls = conn.execute(sa.text("SELECT tags[array_length(tags, 1)] IS NULL FROM tagged")).scalars().all()
        first = conn.execute(sa.text("SELECT tags[1] FROM tagged WHERE id = 1")).scalar()
    for k, row in enumerate(rows):
        assert row.tags == HOSTILE[k:] + [None]
        assert row.scores == [k, None, -k]
        assert row.grid == [["x", None], ['"', "\\"]]
        assert row.picked in choices
    assert nulls == [True] * 4 and first == "é ü 漢字 🙂"


@pytest.mark.parametrize("column, value, why", [
    ("label", "a\udcffb", "lone surrogate (U+DCFF)"),
    ("label", b"\xff\xfe", "bytes that are not UTF-8 text"),
    ("doc", b"\x01", "not something JSON can hold"),
])
def test_a_value_no_database_stores_names_table_column_and_row(db_url, column, value, why):
    """Test one UnstorableValueError (a WriteError) naming table.column and the row's key; nothing written."""
    engine = make_engine(db_url)
    metadata = sa.MetaData()
    table = _table(metadata)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"id": 1, "label": "kept"}])
    with pytest.raises(UnstorableValueError, match=re.escape(why)) as info:
        seed(engine, {table: 5}, overrides={table: {column: lambda k: value if k == 3 else "ok"}}, seed=1)
    assert isinstance(info.value, WriteError)
    assert f"'hostile.{column}' (id=4)" in str(info.value)   # row numbers continue after the existing row
    with engine.connect() as conn:
        assert conn.execute(sa.select(table.c.label)).scalars().all() == ["kept"]
    engine.dispose()


def test_nul_in_text_is_refused_by_postgresql_only(db_url):
    """Test that NUL in text is stored by SQLite and MariaDB and a clear error on PostgreSQL (not a driver one)."""
    engine = make_engine(db_url)
    metadata = sa.MetaData()
    table = _table(metadata)
    metadata.create_all(engine)
    overrides = {table: {"label": lambda k: f"a\x00{k}"}}
    if engine.dialect.name == "postgresql":
        with pytest.raises(UnstorableValueError, match=r"'hostile.label' \(id=1\).*NUL character"):
            seed(engine, {table: 3}, overrides=overrides, seed=1)
        expected = []
    else:
        seed(engine, {table: 3}, overrides=overrides, seed=1)
        expected = ["a\x000", "a\x001", "a\x002"]
    with engine.connect() as conn:
        assert conn.execute(sa.select(table.c.label).order_by(table.c.id)).scalars().all() == expected
    engine.dispose()
