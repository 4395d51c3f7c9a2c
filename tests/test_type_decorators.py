"""Custom ``TypeDecorator`` columns get values of the kind the type really holds, and every writer hands them
to the type's own ``process_bind_param`` (PostgreSQL COPY included), so each backend stores the same values.

The types are minimal reproductions, in plain SQLAlchemy, of the ones real projects ship: fastapi-users'
``GUID`` (``CHAR(36)``, ``UUID`` on PostgreSQL), SQLAlchemy's documented ``CHAR(32)`` hex GUID, keystone's
``DateTimeInt`` (a ``BigInteger`` that must be given a ``datetime``), an address type (``String``, ``INET``
on PostgreSQL) and a JSON document type (``Text``, ``JSONB`` on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from sqlalchemy_syda import generate, seed, table_specs

DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres),
             pytest.param("mariadb", marks=pytest.mark.mariadb)]


class UUIDChar(sa.CHAR):
    python_type = uuid.UUID


class GUID(sa.TypeDecorator):
    """CHAR(36) holding the text of a UUID; a native UUID on PostgreSQL."""

    impl = UUIDChar
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(postgresql.UUID() if dialect.name == "postgresql" else sa.CHAR(36))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(value))

    def process_result_value(self, value, dialect):
        return None if value is None else value if isinstance(value, uuid.UUID) else uuid.UUID(value)


class HexGUID(sa.TypeDecorator):
    """32 hex digits in a CHAR(32); a native UUID on PostgreSQL."""

    impl = sa.CHAR
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(postgresql.UUID() if dialect.name == "postgresql" else sa.CHAR(32))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = value if isinstance(value, uuid.UUID) else uuid.UUID(value)
        return str(value) if dialect.name == "postgresql" else f"{value.int:032x}"

    def process_result_value(self, value, dialect):
        return None if value is None else value if isinstance(value, uuid.UUID) else uuid.UUID(hex=value)


class DateTimeInt(sa.TypeDecorator):
    """A datetime stored as microseconds since the epoch; anything but a datetime is refused."""

    impl = sa.BigInteger
    cache_ok = True
    epoch = dt.datetime(1970, 1, 1)

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise ValueError("value to be stored must be a datetime object")
        return int((value.replace(tzinfo=None) - self.epoch).total_seconds() * 1_000_000)

    def process_result_value(self, value, dialect):
        return None if value is None else self.epoch + dt.timedelta(microseconds=int(value))


class Address(sa.TypeDecorator):
    """An IP address: text on most databases, INET on PostgreSQL."""

    impl = sa.String(45)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(postgresql.INET() if dialect.name == "postgresql" else sa.String(45))


class Document(sa.TypeDecorator):
    """A JSON document: JSON text on most databases, JSONB on PostgreSQL."""

    impl = sa.Text
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(postgresql.JSONB() if dialect.name == "postgresql" else sa.Text())

    def process_bind_param(self, value, dialect):
        if value is None or dialect.name == "postgresql":
            return value
        return json.dumps(value)

    def process_result_value(self, value, dialect):
        return value if value is None or not isinstance(value, str) else json.loads(value)


def accounts_table() -> sa.Table:
    return sa.Table(
        "accounts", sa.MetaData(),
        sa.Column("id", GUID(), primary_key=True),
        sa.Column("token", HexGUID(), nullable=False, unique=True),
        sa.Column("seen", DateTimeInt(), nullable=False),
        sa.Column("origin", Address(), nullable=False),
        sa.Column("settings", Document()),
    )


def test_type_decorators_get_the_kind_they_hold():
    """Test the kinds: UUID for both GUIDs, datetime for DateTimeInt, an address for INET, JSON for JSONB/Text."""
    spec = table_specs([accounts_table()])[0]
    kinds = {c.name: c.kind for c in spec.columns}
    assert kinds == {"id": "uuid", "token": "uuid", "seen": "datetime", "origin": "inet", "settings": "json"}


def test_generate_gives_the_types_python_values():
    """Test that generate() (no database) holds the values the application would: UUIDs, datetimes, dicts."""
    frame = generate(accounts_table(), 50, seed=1)
    assert all(isinstance(uuid.UUID(str(v)), uuid.UUID) for v in frame["id"])
    assert frame["seen"].map(lambda v: dt.datetime(2000, 1, 1) < v < dt.datetime(2031, 1, 1)).all()
    assert all(ipaddress.ip_address(v) for v in frame["origin"])
    assert all(isinstance(v, dict) for v in frame["settings"].dropna())


@pytest.fixture(params=DATABASES)
def engine(request: pytest.FixtureRequest):
    from schemas import make_engine

    url = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "pg_schema_url",
                                   "mariadb": "mariadb_url"}[request.param])
    engine = make_engine(url)
    yield engine
    engine.dispose()


def seeded_values(engine: sa.Engine, rows: int = 200) -> list[sa.Row]:
    table = accounts_table()
    table.create(engine)
    seed(engine, {table: rows}, seed=4)
    with engine.connect() as conn:
        return conn.execute(sa.select(table).order_by(table.c.seen)).all()


def test_every_backend_stores_the_same_values_through_the_type(engine: sa.Engine) -> None:
    """Test (SQLite, PostgreSQL COPY, MariaDB) that the seed writes through process_bind_param and reads back the
    same Python values on each; on PostgreSQL the native UUID, INET and JSONB columns hold them."""
    rows = seeded_values(engine)
    assert len(rows) == 200
    assert len({r.token for r in rows}) == 200
    for r in rows:
        assert isinstance(r.id, uuid.UUID) and isinstance(r.token, uuid.UUID)
        assert dt.datetime(2000, 1, 1) < r.seen < dt.datetime(2031, 1, 1)
        ipaddress.ip_address(str(r.origin))
        assert r.settings is None or isinstance(r.settings, dict)
    with engine.connect() as conn:
        raw = conn.execute(sa.text("SELECT token, seen FROM accounts")).all()
    if engine.dialect.name != "postgresql":  # the types' own storage: 32 hex digits, microseconds
        assert all(len(token) == 32 and int(token, 16) >= 0 for token, _ in raw)
    assert all(isinstance(seen, int) and seen > 946_684_800_000_000 for _, seen in raw)


@pytest.mark.postgres
def test_same_seed_same_values_on_sqlite_and_postgresql(sqlite_url: str, pg_schema_url: str) -> None:
    """Test that one seed gives identical decoded rows on SQLite (INSERT) and PostgreSQL (COPY)."""
    from schemas import make_engine

    results = []
    for url in (sqlite_url, pg_schema_url):
        engine = make_engine(url)
        results.append([(r.id, r.token, r.seen, str(r.origin), r.settings) for r in seeded_values(engine, 50)])
        engine.dispose()
    assert results[0] == results[1]


class JSONEncodedList(sa.TypeDecorator):
    """A list stored as JSON text; anything that is not a list passes through unchanged (as JupyterHub's does)."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return json.dumps(value) if isinstance(value, list | tuple) else value

    def process_result_value(self, value, dialect):
        return None if value is None else json.loads(value)


class JSONEncodedDict(JSONEncodedList):
    """A document stored as JSON text."""

    def process_bind_param(self, value, dialect):
        return None if value is None else json.dumps(value)


def test_json_in_text_types_get_documents_and_lists():
    """Test that TEXT types named for JSON get dicts, and a list type that passes other values through unchanged
    (so a string would be stored as invalid JSON) gets lists: what comes out must be what the storage holds."""
    table = sa.Table("prefs", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("doc", JSONEncodedDict()), sa.Column("scopes", JSONEncodedList()))
    kinds = {c.name: c.kind for c in table_specs([table])[0].columns}
    assert kinds["doc"] == "json" and kinds["scopes"] == "array"
