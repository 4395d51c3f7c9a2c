"""Property tests of the generation core: random schemas, generated rows, real databases.

Hypothesis builds random SQLAlchemy Core schemas (1-4 tables) that mix integer, string, text,
numeric, float, boolean, date, datetime, enum and uuid columns; NOT NULL and nullable; single,
composite and unique-index UNIQUE rules; CHECK constraints from templates; integer and composite
primary keys; foreign keys between the tables (self-reference, composite, one-to-one). Every
schema is built to be satisfiable, its rows come from ``generate()`` and are inserted into real
SQLite (``PRAGMA foreign_keys=ON``) and real PostgreSQL: the databases are the judges, and every
insert must succeed. Unsatisfiable schemas must raise ``ConstraintUnsatisfiableError`` naming the
constraint.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import os
import uuid
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql
from sqlalchemy.pool import NullPool, StaticPool

from sqlalchemy_syda.exceptions import ConstraintUnsatisfiableError
from sqlalchemy_syda.generate import generate

# ------------------------------------------------------------------------------------ inserting


def _python(value, column: sa.Column):
    """One cell of a generated frame as the DBAPI wants it (NA -> None, numpy -> Python)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value).to_pydatetime()
    if isinstance(column.type, sa.Date) and not isinstance(column.type, sa.DateTime) \
            and isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(column.type, sa.Uuid) and column.type.as_uuid and isinstance(value, str):
        value = uuid.UUID(value)  # generate() gives canonical text; Uuid(as_uuid=True) binds UUID objects
    return value


def frame_rows(table: sa.Table, frame: pd.DataFrame) -> list[dict]:
    """The frame as executemany parameters keyed by column key."""
    columns = [table.c[name] for name in frame.columns]
    return [{c.key: _python(v, c) for c, v in zip(columns, record)}
            for record in frame.itertuples(index=False, name=None)]


def insert_all(conn: sa.Connection, metadata: sa.MetaData, frames: dict[str, pd.DataFrame]) -> None:
    """Insert every frame, parents first, with Core executemany in the caller's transaction."""
    for table in metadata.sorted_tables:
        if table.fullname in frames:
            rows = frame_rows(table, frames[table.fullname])
            if rows:
                conn.execute(table.insert(), rows)


def sqlite_engine() -> sa.Engine:
    engine = sa.create_engine("sqlite://", poolclass=StaticPool)  # one in-memory database per engine

    @sa.event.listens_for(engine, "connect")
    def _fk_on(dbapi_conn, _record):
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    return engine


# ------------------------------------------------------------------------------------ the schema


@dataclass
class Col:
    """A column being drawn, with what the strategy needs to keep the schema satisfiable."""

    name: str
    kind: str
    type_: sa.types.TypeEngine
    nullable: bool
    domain: int | None = None
    """A lower bound of the distinct non-NULL values this column will certainly get (None: huge)."""
    unique: bool = False
    in_pk: bool = False


@dataclass
class TableDraft:
    name: str
    count: int
    pk: list[str]
    cols: list[Col] = field(default_factory=list)
    extra: list = field(default_factory=list)  # constraints and indexes


ENUM_VALUES = (("draft", "sent", "paid", "void"), ("S", "M", "L", "XL", "XXL"), ("red", "green", "blue"))
# Names drawn for columns: generic ones (type-driven generators) and ones that carry a meaning.
SEMANTIC = {
    "integer": ["age", "quantity", "score", "year", "stock"],
    "string": ["email", "name", "city", "status", "code", "phone", "first_name", "zip_code", "country_code",
               "title", "sku", "url", "username", "country", "state", "currency"],
    "text": ["description", "notes", "bio"],
    "decimal": ["price", "amount", "salary", "discount", "percentage", "balance"],
    "float": ["latitude", "weight", "rating_avg"],
    "boolean": ["is_active", "verified"],
    "date": ["birth_date", "start_date", "end_date", "created_at", "due_date"],
    "datetime": ["created_at", "updated_at", "deleted_at", "logged_at"],
}
# Meanings whose values do not fill a long unique run, or lose distinctness when cut to a short
# column: unique columns use generic names or these safe meanings only (see the xfail tests in
# test_generate_properties for the cases this leaves out).
UNIQUE_SAFE = {"email", "code", "sku", "username", "url", "phone"}


def _numeric_limit(p: int, s: int) -> int:
    return 10 ** (p - s) - 1


@st.composite
def column(draw, table: str, j: int, used: set[str], count: int) -> Col:
    kind = draw(st.sampled_from(["integer", "integer", "string", "string", "text", "decimal", "float", "boolean",
                                 "date", "datetime", "enum", "uuid"]))
    nullable = draw(st.booleans())
    semantic = kind in SEMANTIC and draw(st.booleans())
    name = f"c{j}_{kind}"
    if semantic:
        candidate = draw(st.sampled_from(SEMANTIC[kind]))
        if candidate not in used:
            name = candidate
    used.add(name)
    domain: int | None = None
    if kind == "integer":
        type_ = draw(st.sampled_from([sa.Integer(), sa.BigInteger(), sa.SmallInteger()]))
        domain = 5
    elif kind == "string":
        n = draw(st.one_of(st.integers(1, 8), st.integers(20, 255)))
        type_ = sa.String(n)
        domain = 1
    elif kind == "text":
        type_ = sa.Text()
    elif kind == "decimal":
        p = draw(st.integers(3, 12))
        s = draw(st.integers(0, min(4, p - 1)))
        type_ = sa.Numeric(p, s)
        domain = 2
    elif kind == "float":
        type_ = sa.Float()
    elif kind == "boolean":
        type_ = sa.Boolean()
        domain = 2
    elif kind == "date":
        type_ = sa.Date()
    elif kind == "datetime":
        type_ = sa.DateTime(timezone=draw(st.booleans()))
    elif kind == "enum":
        values = draw(st.sampled_from(ENUM_VALUES))
        native = draw(st.booleans())
        type_ = sa.Enum(*values, name=f"e_{table}_{j}", native_enum=native,
                        create_constraint=not native and draw(st.booleans()))
        domain = len(values)
    else:
        type_ = sa.Uuid(as_uuid=draw(st.booleans()))
    return Col(name, kind, type_, nullable, domain)


def _can_be_unique(col: Col, count: int) -> bool:
    if col.kind in ("boolean", "enum"):
        return (col.domain or 0) >= count
    generic = col.name.startswith("c") and col.name[1:2].isdigit()
    if col.kind == "string":
        # a meaning's values cut to a short column collide (see test_unique_short_column_* below)
        return col.type_.length >= 4 if generic else col.name in UNIQUE_SAFE and col.type_.length >= 60
    if col.kind == "decimal":
        return generic and _numeric_limit(col.type_.precision, col.type_.scale) >= 9
    return generic or col.kind in ("uuid", "text")


# --- CHECK templates -------------------------------------------------------------------------


@st.composite
def check_for(draw, col: Col, count: int, other: Col | None) -> str | None:
    """A satisfiable CHECK over ``col`` (and ``other`` for orderings); narrows ``col.domain``."""
    q = col.name
    if col.kind in ("integer", "decimal", "float"):
        top = 30000
        if col.kind == "decimal":
            top = min(top, _numeric_limit(col.type_.precision, col.type_.scale))
        if isinstance(col.type_, sa.SmallInteger):
            top = min(top, 32000)
        scale = {"integer": 0, "float": 2, "decimal": getattr(col.type_, "scale", 0) or 0}[col.kind]
        # a unique column needs room for 2 x count values at the column's step
        width_min = max(1, math.ceil(max(count * 2, 10) / 10**scale)) if col.unique else 1
        width_min = min(width_min, top)
        templates = ["range", "between", "or_null", "gt"]
        if col.kind == "integer":
            templates.append("in")
        if other is not None and other.kind == col.kind:
            templates.append("order")
        template = draw(st.sampled_from(templates))
        if template in ("range", "between"):
            lo = draw(st.integers(-min(top, 1000), max(-min(top, 1000), top - width_min)))
            hi = draw(st.integers(lo + width_min, min(top, lo + width_min + 5000)))
            col.domain = (hi - lo) * 10**scale + 1
            return f"{q} >= {lo} AND {q} <= {hi}" if template == "range" else f"{q} BETWEEN {lo} AND {hi}"
        if template == "or_null":
            return f"{q} IS NULL OR {q} > 0"
        if template == "gt":
            lo = draw(st.integers(-100, min(500, top - width_min)))
            return f"{q} > {lo}"
        if template == "in":
            size = max(count, 1) if col.unique else draw(st.integers(1, 6))
            values = draw(st.lists(st.integers(-50, min(top, 9999)), min_size=size, max_size=size, unique=True))
            col.domain = len(values)
            return f"{q} IN ({', '.join(map(str, values))})"
        return f"{other.name} < {q}"
    if col.kind == "string":
        n = col.type_.length
        templates = ["not_null", "in", "length"]
        if n >= 2:
            templates.append("like")
        template = draw(st.sampled_from(templates))
        if template == "not_null":
            col.nullable = True  # the CHECK, not the column, forbids NULL
            return f"{q} IS NOT NULL"
        if template == "in":
            size = count if col.unique else draw(st.integers(1, 5))
            alphabet = st.sampled_from("ABCDEFGHJKMNPQRSTUVWXYZ")
            values = draw(st.lists(st.text(alphabet, min_size=1, max_size=min(n, 6)), min_size=size, max_size=size,
                                   unique=True))
            col.domain = len(values)
            return f"{q} IN ({', '.join(repr(v) for v in values)})"
        if template == "length":
            k = draw(st.integers(max(1, min(n, 4) if col.unique else 1), n))
            return f"length({q}) <= {k}"
        return f"{q} LIKE 'A%'"
    if col.kind == "text":
        return f"length({q}) >= 1"
    if col.kind in ("date", "datetime"):
        if other is not None and other.kind == col.kind and draw(st.booleans()):
            return f"{other.name} < {q}"
        year = draw(st.integers(2000, 2030))
        span = draw(st.integers(2, 8))
        return f"{q} >= '{year}-01-01' AND {q} <= '{year + span}-12-31'"
    if col.kind == "enum" and col.domain and col.domain > 1 and not col.unique:
        values = draw(st.sampled_from(ENUM_VALUES))
        if set(values) >= set(col.type_.enums):
            keep = draw(st.lists(st.sampled_from(col.type_.enums), min_size=1, unique=True))
            col.domain = len(keep)
            return f"{q} IN ({', '.join(repr(v) for v in keep)})"
    return None


# --- tables ------------------------------------------------------------------------------------


@st.composite
def schemas(draw) -> tuple[sa.MetaData, dict[sa.Table, int]]:
    md = sa.MetaData()
    drafts: list[TableDraft] = []
    n_tables = draw(st.integers(1, 4))
    for i in range(n_tables):
        name = f"t{i}"
        count = draw(st.integers(1, 25))
        composite = draw(st.integers(0, 3)) == 0
        draft = TableDraft(name, count, ["k1", "k2"] if composite else ["id"])
        if composite:
            draft.cols += [Col("k1", "integer", sa.Integer(), False, None, in_pk=True),
                           Col("k2", "string", sa.String(draw(st.integers(4, 12))), False, None, in_pk=True)]
        else:
            draft.cols.append(Col("id", "integer", sa.Integer(), False, None, in_pk=True))
        used = {c.name for c in draft.cols}

        # foreign keys to earlier tables, and to itself
        for parent in drafts:
            if not draw(st.booleans()):
                continue
            nullable = draw(st.booleans())
            one_to_one = draw(st.integers(0, 3)) == 0
            if one_to_one:
                draft.count = min(draft.count, parent.count)
            if parent.pk == ["id"]:
                fk_name = f"{parent.name}_id"
                draft.cols.append(Col(fk_name, "fk", sa.Integer(), nullable, unique=one_to_one))
                draft.extra.append(sa.ForeignKeyConstraint([fk_name], [f"{parent.name}.id"]))
                if one_to_one:
                    draft.extra.append(sa.UniqueConstraint(fk_name, name=f"uq_{name}_{fk_name}"))
            else:
                a, b = f"{parent.name}_k1", f"{parent.name}_k2"
                k2_len = next(c for c in parent.cols if c.name == "k2").type_.length
                draft.cols += [Col(a, "fk", sa.Integer(), nullable), Col(b, "fk", sa.String(k2_len), nullable)]
                draft.extra.append(sa.ForeignKeyConstraint([a, b], [f"{parent.name}.k1", f"{parent.name}.k2"],
                                                           name=f"fk_{name}_{parent.name}"))
                if one_to_one:
                    draft.extra.append(sa.UniqueConstraint(a, b, name=f"uq_{name}_{parent.name}"))
            used.update(c.name for c in draft.cols)
        if draft.pk == ["id"] and draw(st.integers(0, 2)) == 0:
            self_nullable = draw(st.integers(0, 3)) > 0
            draft.cols.append(Col("parent_id", "fk", sa.Integer(), self_nullable))
            draft.extra.append(sa.ForeignKeyConstraint(["parent_id"], [f"{name}.id"]))

        # plain columns
        plain: list[Col] = []
        for j in range(draw(st.integers(1, 7))):
            col = draw(column(name, j, used, draft.count))
            plain.append(col)
        for col in plain:
            if _can_be_unique(col, draft.count) and draw(st.integers(0, 3)) == 0:
                col.unique = True
        # CHECKs
        ordered: set[str] = {c.name for c in plain if c.name in ("updated_at", "end_date", "deleted_at")}
        for j, col in enumerate(plain):
            if draw(st.integers(0, 2)) == 0:
                # orderings run from earlier to later columns, so they never form a cycle
                others = [o for o in plain[:j] if o.kind == col.kind and not o.unique and o.name not in ordered]
                other = draw(st.sampled_from(others)) if others and not col.unique else None
                text = draw(check_for(col, draft.count, other))
                if text is not None and other is not None and text.startswith(f"{other.name} <"):
                    ordered.add(col.name)
                if text is not None:
                    draft.extra.append(sa.CheckConstraint(text, name=f"ck_{name}_{j}"))
        # UNIQUE in its three spellings
        for col in plain:
            if col.unique:
                how = draw(st.sampled_from(["column", "constraint", "index"]))
                if how == "constraint":
                    col.unique = False
                    draft.extra.append(sa.UniqueConstraint(col.name, name=f"uq_{name}_{col.name}"))
                elif how == "index":
                    col.unique = False
                    draft.extra.append(sa.Index(f"ix_{name}_{col.name}", col.name, unique=True))
        # a composite UNIQUE, possibly across a nullable column, when the pair's domain is big enough
        # (an ordered column cannot enumerate its values, so it stays out of composite UNIQUEs)
        # (nor does a meaning without a finite list of values, such as latitude)
        pair_candidates = [c for c in plain if c.kind not in ("text",) and c.name not in ordered
                           and (c.kind != "float" or c.name.startswith("c"))]
        if len(pair_candidates) >= 2 and draw(st.booleans()):
            a, b = draw(st.lists(st.sampled_from(pair_candidates), min_size=2, max_size=2, unique_by=lambda c: c.name))
            da, db = a.domain or 10**6, b.domain or 10**6
            if da * db >= draft.count * 4:
                draft.extra.append(sa.UniqueConstraint(a.name, b.name, name=f"uq_{name}_{a.name}_{b.name}"))
        draft.cols += plain
        drafts.append(draft)

    tables: dict[sa.Table, int] = {}
    for draft in drafts:
        columns = [sa.Column(c.name, c.type_, nullable=c.nullable and not c.in_pk, primary_key=c.in_pk,
                             unique=c.unique or None, autoincrement=False if draft.pk != ["id"] else "auto")
                   for c in draft.cols]
        table = sa.Table(draft.name, md, *columns, *draft.extra)
        tables[table] = draft.count
    return md, tables


def _describe(md: sa.MetaData, counts: dict[sa.Table, int]) -> str:
    from sqlalchemy.schema import CreateTable

    parts = [f"{CreateTable(t).compile(dialect=postgresql.dialect())};  -- {counts[t]} rows"
             for t in md.sorted_tables]
    return "\n".join(parts)


def generate_and_insert(engine: sa.Engine, md: sa.MetaData, counts: dict[sa.Table, int], seed: int) -> None:
    note(_describe(md, counts))
    frames = generate(list(counts), counts, seed=seed)
    assert set(frames) == {t.fullname for t in counts}
    for table, n in counts.items():
        assert len(frames[table.fullname]) == n
    md.create_all(engine)
    try:
        with engine.begin() as conn:
            insert_all(conn, md, frames)
        with engine.connect() as conn:
            for table, n in counts.items():
                assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == n
    finally:
        md.drop_all(engine)


# ------------------------------------------------------------------------------------ the tests

SEEDS = st.integers(0, 2**32 - 1)
SCALE = float(os.environ.get("SYDA_PROPERTY_SCALE", "1"))
"""Multiplies the number of examples (e.g. ``SYDA_PROPERTY_SCALE=20`` for a long hunt)."""


@settings(max_examples=int(40 * SCALE), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=schemas(), seed=SEEDS)
def test_random_schemas_insert_into_sqlite(schema, seed):
    """Generated rows of any satisfiable schema insert into SQLite with foreign keys on."""
    md, counts = schema
    engine = sqlite_engine()
    try:
        generate_and_insert(engine, md, counts, seed)
    finally:
        engine.dispose()


@settings(max_examples=int(25 * SCALE), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(schema=schemas(), seed=SEEDS)
def test_random_schemas_insert_into_postgres(pg_url, schema, seed):
    """Generated rows of any satisfiable schema insert into PostgreSQL (types, lengths, CHECKs, keys)."""
    md, counts = schema
    engine = sa.create_engine(pg_url, poolclass=NullPool)
    try:
        generate_and_insert(engine, md, counts, seed)
    finally:
        engine.dispose()
