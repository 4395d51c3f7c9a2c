"""Constructs of large open-source schemas that used to defeat a seed, each as a minimal plain-SQLAlchemy
reproduction seeded on the real databases (each test failed before its fix):

- timestamps in small integers (``created_at SMALLINT`` got Unix seconds and overflowed) and
  ``*_year`` / ``*_month`` / ``*_day`` integers (they got epoch seconds);
- PostgreSQL ARRAY columns of integers, floats, dates, UUIDs and booleans (they got lists of words);
- a reflected unique expression index (``CREATE UNIQUE INDEX ... ON genre (lower(name))``);
- ``overrides={"t.col": None}`` (it was ignored) and unknown types on nullable columns;
- ``server_default`` columns that a UNIQUE, a CHECK or a composite foreign key needs (they were left to the
  database, whose one default value broke the constraint), and ``info`` hints on such columns;
- a UNIQUE or primary key on part of a composite foreign key (keystone's ``local_user.user_id`` of
  ``(user_id, domain_id) -> user(id, domain_id)``; a child keyed by the whole FK ``(name, uri)`` with a unique
  index on ``uri``, which the parent holds only jointly): parents are chosen so that the child's UNIQUE holds;
- CHECKs relating foreign key columns (``parent_id <> reference_id``, ``tag1 < tag2`` with and without a
  UNIQUE over the pair, exactly one of two nullable keys, at most one of them): they were refused as "its
  columns are keys or unique".
"""

from __future__ import annotations

import datetime as dt
import uuid
import warnings

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from sqlalchemy_syda import ConstraintUnsatisfiableError, SchemaError, generate, seed

BOTH = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture
def engine(request: pytest.FixtureRequest):
    from schemas import make_engine

    url = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "pg_schema_url",
                                   "mariadb": "mariadb_url"}[request.param])
    engine = make_engine(url)
    yield engine
    engine.dispose()


def count(conn: sa.Connection, sql: str) -> int:
    return conn.execute(sa.text(sql)).scalar_one()


# ------------------------------------------------------------------------------- small integers and date parts


@pytest.mark.parametrize("engine", BOTH + [pytest.param("mariadb", marks=pytest.mark.mariadb)], indirect=True)
def test_small_integer_timestamps_and_date_parts_fit_their_type(engine: sa.Engine) -> None:
    """Test that SMALLINT created_at/end_date hold days since 1970 (the type's range wins over the name) and
    *_year / *_month / *_day integers hold years, months and days of the month."""
    md = sa.MetaData()
    table = sa.Table("events", md, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("created_at", sa.SmallInteger, nullable=False),
                     sa.Column("end_date", sa.SmallInteger),
                     sa.Column("start_date_year", sa.SmallInteger, nullable=False),
                     sa.Column("start_date_month", sa.SmallInteger, nullable=False),
                     sa.Column("start_date_day", sa.SmallInteger, nullable=False),
                     sa.Column("flags_at", sa.Integer))
    md.create_all(engine)
    seed(engine, {table: 300}, seed=1)
    with engine.connect() as conn:
        low, high = conn.execute(sa.text("SELECT MIN(created_at), MAX(created_at) FROM events")).one()
        epoch = dt.date(1970, 1, 1)
        assert dt.date(2015, 1, 1) < epoch + dt.timedelta(days=low) <= epoch + dt.timedelta(days=high) \
            < dt.date(2031, 1, 1)
        assert count(conn, "SELECT COUNT(*) FROM events WHERE end_date NOT BETWEEN 16000 AND 22000") == 0
        years = conn.execute(sa.text("SELECT MIN(start_date_year), MAX(start_date_year) FROM events")).one()
        assert 1990 <= years[0] <= years[1] <= dt.date.today().year + 1
        assert count(conn, "SELECT COUNT(*) FROM events WHERE start_date_month NOT BETWEEN 1 AND 12") == 0
        assert count(conn, "SELECT COUNT(*) FROM events WHERE start_date_day NOT BETWEEN 1 AND 31") == 0
        assert count(conn, "SELECT COUNT(DISTINCT start_date_month) FROM events") == 12


# ------------------------------------------------------------------------------- PostgreSQL arrays


@pytest.mark.postgres
def test_arrays_get_elements_of_their_type(pg_engine: sa.Engine) -> None:
    """Test that ARRAY(Integer / Float / Date / Uuid / Boolean / String) columns get lists of their element type."""
    md = sa.MetaData()
    table = sa.Table("samples", md, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("counts", postgresql.ARRAY(sa.Integer), nullable=False),
                     sa.Column("weights", postgresql.ARRAY(sa.Float)),
                     sa.Column("days", postgresql.ARRAY(sa.Date)),
                     sa.Column("refs", postgresql.ARRAY(sa.Uuid)),
                     sa.Column("flags", postgresql.ARRAY(sa.Boolean)),
                     sa.Column("labels", postgresql.ARRAY(sa.String(20))),
                     sa.Column("small", postgresql.ARRAY(sa.SmallInteger)))
    md.create_all(pg_engine)
    seed(pg_engine, {table: 200}, seed=2)
    with pg_engine.connect() as conn:
        rows = conn.execute(sa.select(table)).all()
    kinds = {"counts": int, "weights": float, "days": dt.date, "refs": uuid.UUID, "flags": bool, "labels": str,
             "small": int}
    for name, kind in kinds.items():
        lists = [getattr(r, name) for r in rows if getattr(r, name) is not None]
        assert len(lists) > 150 and any(lists), name
        assert all(isinstance(x, kind) for values in lists for x in values), name
    assert all(-32768 <= x <= 32767 for r in rows if r.small for x in r.small)


# ------------------------------------------------------------------------------- reflected expression index


@pytest.mark.parametrize("engine", BOTH, indirect=True)
def test_a_reflected_unique_expression_index_is_honoured(engine: sa.Engine) -> None:
    """Test that CREATE UNIQUE INDEX ... (lower(name)) read back from the database keeps names distinct
    case-insensitively, as the model-declared func.lower index does."""
    from sqlalchemy_syda import reflect_specs

    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE genre (id INTEGER PRIMARY KEY, name VARCHAR(3) NOT NULL)"))
        conn.execute(sa.text("CREATE UNIQUE INDEX genre_lower_name ON genre (lower(name))"))
    spec = reflect_specs(engine, only=["genre"])[0]
    assert any(u.columns == ("name",) for u in spec.uniques)
    seed(engine, {"genre": 2_000}, seed=3)
    with engine.connect() as conn:
        assert count(conn, "SELECT COUNT(DISTINCT lower(name)) FROM genre") == 2_000


# ------------------------------------------------------------------------------- overrides None, unknown types


class Point(sa.types.UserDefinedType):
    cache_ok = True

    def get_col_spec(self, **kw):
        return "TEXT"


@pytest.mark.parametrize("engine", BOTH, indirect=True)
def test_override_none_writes_null_and_unknown_nullable_types_default_to_null(engine: sa.Engine) -> None:
    """Test that overrides={"t.col": None} makes the column NULL, and an unknown type on a nullable column is
    NULL with a warning naming it (the fix UnsupportedTypeError suggests now works)."""
    md = sa.MetaData()
    table = sa.Table("places", md, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("city", sa.String(40)), sa.Column("where", Point()))
    md.create_all(engine)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        seed(engine, {table: 50}, seed=1, overrides={"places.city": None})
    assert any("places.where" in str(w.message) and "NULL" in str(w.message) for w in caught)
    with engine.connect() as conn:
        assert count(conn, "SELECT COUNT(*) FROM places WHERE city IS NULL AND \"where\" IS NULL") == 50


def test_override_none_on_a_not_null_column_is_a_clear_error():
    """Test that None for a NOT NULL column raises SchemaError naming the column and what to do."""
    table = sa.Table("people", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("name", sa.String(40), nullable=False))
    with pytest.raises(SchemaError, match=r"people\.name.*NOT NULL"):
        generate(table, 5, overrides={"name": None})


def test_unknown_type_on_a_not_null_column_still_asks_for_a_generator():
    """Test that an unknown type on a NOT NULL column keeps the UnsupportedTypeError and its advice."""
    from sqlalchemy_syda import UnsupportedTypeError

    table = sa.Table("shapes", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("outline", Point(), nullable=False))
    with pytest.raises(UnsupportedTypeError, match="outline"):
        generate(table, 5)


# ------------------------------------------------------------------------------- server defaults in constraints


@pytest.mark.parametrize("engine", BOTH + [pytest.param("mariadb", marks=pytest.mark.mariadb)], indirect=True)
def test_server_defaults_are_generated_when_a_constraint_needs_them(engine: sa.Engine) -> None:
    """Test that a server default column inside a UNIQUE, a CHECK or a composite FK gets values (one default
    value repeated broke them), an info hint on a server default column is honoured, and a plain server
    default column is still left to the database."""
    md = sa.MetaData()
    parent = sa.Table("tasks", md, sa.Column("id", sa.Integer, primary_key=True),
                      sa.Column("map_index", sa.Integer, nullable=False, server_default="-1"),
                      sa.UniqueConstraint("id", "map_index"))
    child = sa.Table(
        "runs", md, sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.Integer, nullable=False, unique=True, server_default="0"),
        sa.Column("task_id", sa.Integer, nullable=False),
        sa.Column("map_index", sa.Integer, nullable=False, server_default="-1"),
        sa.Column("ended", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("ended_at", sa.DateTime),
        sa.Column("state", sa.String(12), server_default="queued", info={"syda": {"values": ["done", "failed"]}}),
        sa.Column("note", sa.String(40), server_default="none"),
        sa.ForeignKeyConstraint(["task_id", "map_index"], ["tasks.id", "tasks.map_index"]),
        sa.CheckConstraint("(ended AND ended_at IS NOT NULL) OR (NOT ended AND ended_at IS NULL)",
                           name="ended_has_time"),
    )
    md.create_all(engine)
    seed(engine, {parent: 40, child: 200}, seed=5)
    with engine.connect() as conn:
        assert count(conn, "SELECT COUNT(DISTINCT code) FROM runs") == 200
        assert count(conn, "SELECT COUNT(DISTINCT ended) FROM runs") == 2
        assert count(conn, "SELECT COUNT(*) FROM runs WHERE state NOT IN ('done', 'failed')") == 0
        assert count(conn, "SELECT COUNT(*) FROM runs WHERE note = 'none'") == 200
        assert count(conn, "SELECT COUNT(*) FROM runs r JOIN tasks t ON t.id = r.task_id "
                           "AND t.map_index = r.map_index") == 200


def test_recipe_says_why_a_server_default_column_is_generated():
    """Test that the reason names the constraint that needs the values, or the hint."""
    table = sa.Table("codes", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("code", sa.Integer, nullable=False, unique=True, server_default="0"),
                     sa.Column("note", sa.String(20), server_default="x"))
    plan = generate(table, 10, dry_run=True)
    rows = {r["column"]: r for r in plan.table("codes").recipe.describe()}
    assert "server default" in rows["code"]["reason"] and "UNIQUE" in rows["code"]["reason"]
    assert rows["note"]["generator"] == "(database)"


def test_a_unique_server_default_that_cannot_be_generated_is_refused_clearly():
    """Test that a UNIQUE server-default column with too small a CHECK range raises naming the column."""
    table = sa.Table("slots", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("slot", sa.SmallInteger, nullable=False, unique=True, server_default="0"),
                     sa.CheckConstraint("slot BETWEEN 0 AND 3"))
    with pytest.raises(ConstraintUnsatisfiableError, match="slot"):
        generate(table, 10)


# ------------------------------------------------------------------------------- UNIQUE on part of a composite FK


def _keystone_users() -> tuple[sa.MetaData, sa.Table, sa.Table]:
    """keystone's ``user`` (UNIQUE (id, domain_id)) and ``local_user`` (UNIQUE user_id, FK on both columns)."""
    md = sa.MetaData()
    user = sa.Table("user", md, sa.Column("id", sa.String(64), primary_key=True),
                    sa.Column("domain_id", sa.String(64), nullable=False),
                    sa.Column("enabled", sa.Boolean),
                    sa.UniqueConstraint("id", "domain_id", name="ixu_user_id_domain_id"))
    local = sa.Table("local_user", md, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("user_id", sa.String(64), nullable=False, unique=True),
                     sa.Column("domain_id", sa.String(64), nullable=False),
                     sa.Column("name", sa.String(255), nullable=False),
                     sa.ForeignKeyConstraint(["user_id", "domain_id"], ["user.id", "user.domain_id"],
                                             ondelete="CASCADE"),
                     sa.UniqueConstraint("domain_id", "name"))
    return md, user, local


@pytest.mark.parametrize("engine", BOTH, indirect=True)
def test_a_unique_on_part_of_a_composite_foreign_key_holds(engine: sa.Engine) -> None:
    """Test keystone's local_user: UNIQUE user_id inside FK (user_id, domain_id) gets one user per row, even
    when every user is needed (50 of 50)."""
    md, user, local = _keystone_users()
    md.create_all(engine)
    seed(engine, {user: 50, local: 50}, seed=3)
    with engine.connect() as conn:
        assert count(conn, "SELECT COUNT(DISTINCT user_id) FROM local_user") == 50
        assert count(conn, 'SELECT COUNT(*) FROM local_user l JOIN "user" u ON u.id = l.user_id '
                           "AND u.domain_id = l.domain_id") == 50


def _endpoints(uris: int) -> tuple[sa.MetaData, sa.Table, sa.Table]:
    """Parents keyed by (name, uri) whose uri takes ``uris`` values; children keyed by the whole FK with a
    unique index on uri alone."""
    md = sa.MetaData()
    allowed = ", ".join(f"'https://api{i}.example.org'" for i in range(uris))
    parent = sa.Table("endpoints", md, sa.Column("name", sa.String(50), primary_key=True),
                      sa.Column("uri", sa.String(100), sa.CheckConstraint(f"uri IN ({allowed})"), primary_key=True))
    child = sa.Table("endpoint_aliases", md, sa.Column("name", sa.String(50), primary_key=True),
                     sa.Column("uri", sa.String(100), primary_key=True),
                     sa.ForeignKeyConstraint(["name", "uri"], ["endpoints.name", "endpoints.uri"]),
                     sa.Index("ix_alias_uri", "uri", unique=True))
    return md, parent, child


@pytest.mark.parametrize("engine", BOTH, indirect=True)
def test_a_unique_index_on_part_of_a_composite_key_picks_parents_that_differ_there(engine: sa.Engine) -> None:
    """Test that children keyed by (name, uri) with UNIQUE uri take parents with distinct uris (the parents repeat
    uris: distinct parent rows were not enough), and that more children than distinct uris are refused with a
    ConstraintUnsatisfiableError naming the columns, the database left as it was."""
    md, parent, child = _endpoints(6)
    md.create_all(engine)
    with pytest.raises(ConstraintUnsatisfiableError, match=r"UNIQUE \(uri\).*endpoints.*only 6"):
        seed(engine, {parent: 40, child: 7}, seed=2)
    with engine.connect() as conn:
        assert count(conn, "SELECT COUNT(*) FROM endpoints") == 0
    seed(engine, {parent: 40, child: 6}, seed=2)
    with engine.connect() as conn:
        assert count(conn, "SELECT COUNT(DISTINCT uri) FROM endpoints") == 6
        assert count(conn, "SELECT COUNT(DISTINCT uri) FROM endpoint_aliases") == 6
        assert count(conn, "SELECT COUNT(*) FROM endpoint_aliases a JOIN endpoints e ON e.name = a.name "
                           "AND e.uri = a.uri") == 6


def test_the_recipe_shows_the_distinct_part_of_a_foreign_key():
    """Test that the FK's description says which part of it the child's UNIQUE needs distinct."""
    md, parent, child = _endpoints(3)
    plan = generate([parent, child], {"endpoints": 10, "endpoint_aliases": 3}, dry_run=True)
    assert plan.table("endpoint_aliases").recipe.foreign_key("uri").describe() == \
        "parent_key(endpoints.name, endpoints.uri) one-to-one (distinct uri)"


# ------------------------------------------------------------------------------- CHECKs relating foreign keys


def _keyed_checks() -> tuple[sa.MetaData, dict[str, sa.Table], dict[str, sa.Table]]:
    md = sa.MetaData()
    parents = {name: sa.Table(name, md, sa.Column("id", sa.Integer, primary_key=True),
                              sa.Column("name", sa.String(40))) for name in ("nodes", "tags", "users", "teams")}
    children = {
        "links": sa.Table("links", md, sa.Column("id", sa.Integer, primary_key=True),
                          sa.Column("parent_id", sa.ForeignKey("nodes.id"), nullable=False),
                          sa.Column("reference_id", sa.ForeignKey("nodes.id"), nullable=False),
                          sa.CheckConstraint("parent_id <> reference_id", name="no_self_link")),
        "tag_pairs": sa.Table("tag_pairs", md, sa.Column("id", sa.Integer, primary_key=True),
                              sa.Column("tag1", sa.ForeignKey("tags.id"), nullable=False),
                              sa.Column("tag2", sa.ForeignKey("tags.id"), nullable=False),
                              sa.CheckConstraint("tag1 < tag2"), sa.UniqueConstraint("tag1", "tag2")),
        "tag_edges": sa.Table("tag_edges", md, sa.Column("id", sa.Integer, primary_key=True),
                              sa.Column("low_tag_id", sa.ForeignKey("tags.id"), nullable=False),
                              sa.Column("high_tag_id", sa.ForeignKey("tags.id"), nullable=False),
                              sa.CheckConstraint("low_tag_id < high_tag_id")),
        "owners": sa.Table("owners", md, sa.Column("id", sa.Integer, primary_key=True),
                           sa.Column("user_id", sa.ForeignKey("users.id")),
                           sa.Column("team_id", sa.ForeignKey("teams.id")),
                           sa.CheckConstraint("(user_id IS NULL AND team_id IS NOT NULL) OR "
                                              "(user_id IS NOT NULL AND team_id IS NULL)", name="one_owner")),
        "watchers": sa.Table("watchers", md, sa.Column("id", sa.Integer, primary_key=True),
                             sa.Column("user_id", sa.ForeignKey("users.id")),
                             sa.Column("team_id", sa.ForeignKey("teams.id")),
                             sa.CheckConstraint("user_id IS NULL OR team_id IS NULL", name="at_most_one")),
    }
    return md, parents, children


@pytest.mark.parametrize("engine", BOTH, indirect=True)
def test_checks_relating_foreign_keys_are_met(engine: sa.Engine) -> None:
    """Test <> and < between two keys to one table (with and without a UNIQUE over the pair), exactly one of two
    nullable keys and at most one of them, measured in SQL; the UNIQUE pair takes every one of the 190 pairs of 20
    tags."""
    md, parents, children = _keyed_checks()
    md.create_all(engine)
    counts = {parents["nodes"]: 5, parents["tags"]: 20, parents["users"]: 30, parents["teams"]: 10}
    counts.update({children["links"]: 2000, children["tag_pairs"]: 190, children["tag_edges"]: 2000,
                   children["owners"]: 2000, children["watchers"]: 2000})
    seed(engine, counts, seed=6)
    with engine.connect() as conn:
        assert count(conn, "SELECT COUNT(*) FROM links WHERE parent_id = reference_id") == 0
        assert count(conn, "SELECT COUNT(DISTINCT parent_id) FROM links") == 5
        assert count(conn, "SELECT COUNT(*) FROM tag_pairs WHERE tag1 >= tag2") == 0
        assert count(conn, "SELECT COUNT(*) FROM (SELECT DISTINCT tag1, tag2 FROM tag_pairs) p") == 190
        assert count(conn, "SELECT COUNT(*) FROM tag_edges WHERE low_tag_id >= high_tag_id") == 0
        assert count(conn, "SELECT COUNT(*) FROM owners WHERE (user_id IS NULL) = (team_id IS NULL)") == 0
        users_only = count(conn, "SELECT COUNT(*) FROM owners WHERE user_id IS NOT NULL")
        assert 600 < users_only < 1400  # both kinds of owner, not one side always
        assert count(conn, "SELECT COUNT(*) FROM watchers WHERE user_id IS NOT NULL AND team_id IS NOT NULL") == 0
        assert count(conn, "SELECT COUNT(*) FROM watchers WHERE user_id IS NULL AND team_id IS NULL") == 0


def test_a_unique_pair_of_ordered_keys_refuses_more_rows_than_pairs():
    """Test that UNIQUE (tag1, tag2) with tag1 < tag2 over 20 tags refuses a 191st row, naming the CHECK."""
    md, parents, children = _keyed_checks()
    with pytest.raises(ConstraintUnsatisfiableError, match=r"tag1 < tag2.*190"):
        generate([parents["tags"], children["tag_pairs"]], {"tags": 20, "tag_pairs": 191}, seed=1)


def test_keys_moved_for_a_check_do_not_depend_on_the_chunk_size():
    """Test that NULLs, swaps and new parents chosen for failing rows are the same in chunks of 7 and of 20,000."""
    md, parents, children = _keyed_checks()
    tables = [parents["nodes"], parents["tags"], parents["users"], parents["teams"], children["links"],
              children["tag_pairs"], children["owners"], children["watchers"]]
    counts = {"nodes": 5, "tags": 20, "users": 30, "teams": 10, "links": 500, "tag_pairs": 150, "owners": 500,
              "watchers": 500}
    whole = generate(tables, counts, seed=2)
    chunked = generate(tables, counts, seed=2, chunk_size=7)
    for name in ("links", "tag_pairs", "owners", "watchers"):
        assert whole[name].equals(chunked[name]), name
