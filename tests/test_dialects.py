"""Dialect steps around the bulk load, against the real databases: quoting, deferred constraints, cycles,
sequences, and the dry-run preview of the writer that will run.

Regression tests for identifiers that need quoting (issue #12) and for the UPDATE that closes a nullable
FK cycle (issue #11).
"""

from __future__ import annotations

import asyncio
import doctest
import importlib

import pytest
import sqlalchemy as sa
from schemas import async_url, count, make_engine, orphans, rows, scalar
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

from sqlalchemy_syda import seed
from sqlalchemy_syda.dialects import dialect_for
from sqlalchemy_syda.dialects.base import Dialect
from sqlalchemy_syda.dialects.mysql import MySQL
from sqlalchemy_syda.dialects.postgresql import PostgreSQL
from sqlalchemy_syda.dialects.sqlite import SQLite


@pytest.mark.parametrize("module", [
    "sqlalchemy_syda.dialects", "sqlalchemy_syda.dialects.base", "sqlalchemy_syda.dialects.quoting",
    "sqlalchemy_syda.dialects.mysql", "sqlalchemy_syda.dialects.sqlite", "sqlalchemy_syda.fk_check_modes",
    "sqlalchemy_syda.writers.base",
])
def test_module_docstring_examples_run(module):
    """Test that the examples in each module's docstring hold (and that there are some)."""
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


# --- dispatch ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("postgresql", PostgreSQL), ("postgresql+psycopg", PostgreSQL), ("mysql", MySQL), ("mariadb", MySQL),
    ("mariadb+pymysql", MySQL), ("sqlite", SQLite), ("mssql", Dialect),
])
def test_dialect_for_a_name(name, expected):
    """Test that a dialect name (with or without driver) picks its dialect's steps, else the common ones."""
    assert type(dialect_for(name)) is expected


def test_dialect_for_a_connection_and_an_engine(sqlite_engine):
    """Test that an Engine and a Connection are dispatched by their dialect's name."""
    assert isinstance(dialect_for(sqlite_engine), SQLite)
    with sqlite_engine.connect() as conn:
        assert isinstance(dialect_for(conn), SQLite)


# --- identifiers that need quoting (issue #12) --------------------------------------------------------------


@pytest.mark.postgres
def test_percent_in_postgresql_table_and_column_names(pg_engine):
    """Test that COPY, the sequence reset and the preview take a table and columns with '%' in their names."""
    md = MetaData()
    juice = Table("100% Juice", md, Column("id", Integer, primary_key=True), Column("share %", Integer),
                  Column("name", String(40), nullable=False))
    md.create_all(pg_engine)

    preview = seed(pg_engine, {juice: 30}, dry_run=True).sql
    assert preview[0].startswith('COPY "100% Juice" (id, "share %", name) FROM STDIN')
    seed(pg_engine, {juice: 30}, seed=4)

    assert count(pg_engine, '"100% Juice"') == 30
    assert scalar(pg_engine, 'SELECT COUNT(*) FROM "100% Juice" WHERE "share %" IS NOT NULL') > 0
    with pg_engine.begin() as conn:  # the serial sequence was moved past the ids the seed wrote
        new_id = conn.execute(juice.insert().values(name="fresh").returning(juice.c.id)).scalar_one()
    assert new_id == 31


def _quoted_cycle(*, deferrable: bool) -> tuple[MetaData, Table, Table]:
    """A NOT NULL FK cycle between tables whose names need quoting, with unnamed foreign keys."""
    md = MetaData()
    extra = {"deferrable": True, "initially": "DEFERRED"} if deferrable else {}
    husbands = Table("Husband Rows", md, Column("id", Integer, primary_key=True),
                     Column("Wife Id", Integer, ForeignKey('wi"ves.id', use_alter=True, **extra), nullable=False))
    wives = Table('wi"ves', md, Column("id", Integer, primary_key=True),
                  Column("husband_id", Integer, ForeignKey("Husband Rows.id", **extra), nullable=False))
    return md, husbands, wives


def _foreign_keys_deferrable(engine) -> list[tuple[bool, bool]]:
    return rows(engine, "SELECT condeferrable, condeferred FROM pg_constraint WHERE contype = 'f' "
                        "AND connamespace = CAST(current_schema() AS regnamespace) ORDER BY conname")


@pytest.mark.postgres
@pytest.mark.parametrize("deferrable", [True, False], ids=["deferrable", "altered"])
def test_not_null_cycle_between_tables_whose_names_need_quoting(pg_engine, deferrable):
    """Test that the constraint lookup, SET CONSTRAINTS and ALTER CONSTRAINT quote mixed case, spaces and quotes."""
    md, husbands, wives = _quoted_cycle(deferrable=deferrable)
    md.create_all(pg_engine)
    before = _foreign_keys_deferrable(pg_engine)

    result = seed(pg_engine, {husbands: 15, wives: 15}, seed=3, alter_constraints=not deferrable)

    assert bool(result.plan.altered_constraints) is not deferrable
    assert count(pg_engine, '"Husband Rows"') == 15 and count(pg_engine, '"wi""ves"') == 15
    assert orphans(pg_engine, '"Husband Rows"', '"Wife Id"', '"wi""ves"') == 0
    assert orphans(pg_engine, '"wi""ves"', "husband_id", '"Husband Rows"') == 0
    assert _foreign_keys_deferrable(pg_engine) == before, "constraints made deferrable are restored"


@pytest.mark.postgres
def test_constraint_name_of_one_of_two_foreign_keys_to_the_same_parent(pg_engine):
    """Test that an unnamed foreign key is found by its columns, not only by the two tables it joins."""
    md = MetaData()
    people = Table("People", md, Column("id", Integer, primary_key=True))
    letters = Table("Letters", md, Column("id", Integer, primary_key=True),
                    Column("sender", Integer, ForeignKey("People.id")), Column("receiver", Integer, ForeignKey("People.id")))
    md.create_all(pg_engine)
    from sqlalchemy_syda.introspect import table_spec

    spec = table_spec(letters)
    with pg_engine.connect() as conn:
        names = {fk.columns: dialect_for(conn).constraint_name(conn, spec, fk) for fk in spec.foreign_keys}
        expected = dict(conn.execute(sa.text(
            "SELECT a.attname, c.conname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid "
            "AND a.attnum = c.conkey[1] WHERE c.conrelid = CAST(:t AS regclass)"), {"t": '"Letters"'}).all())
    assert people is not None and names == {("sender",): expected["sender"], ("receiver",): expected["receiver"]}


# --- the UPDATE that closes a nullable FK cycle (issue #11) ---------------------------------------------------


def _cycle_with_onupdate() -> tuple[MetaData, Table, Table]:
    """``teams.captain_id -> players.id`` (nullable, closes the cycle); both tables have ``onupdate=`` columns."""
    md = MetaData()
    teams = Table(
        "teams", md, Column("id", Integer, primary_key=True), Column("name", String(40), nullable=False),
        Column("stamp", String(40), onupdate=lambda: "CLOCK"),
        Column("label", String(40), onupdate=sa.literal("LITERAL", String(40), literal_execute=True)),
        Column("captain_id", Integer, ForeignKey("players.id", use_alter=True, name="fk_team_captain")),
    )
    players = Table("players", md, Column("id", Integer, primary_key=True),
                    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False))
    return md, teams, players


def test_closing_a_nullable_cycle_sets_only_the_foreign_key(db_engine):
    """Test that the cycle-closing UPDATE fires no other column's onupdate (plain or literal_execute)."""
    md, teams, players = _cycle_with_onupdate()
    md.create_all(db_engine)

    seed(db_engine, {teams: 8, players: 24}, seed=5)

    assert count(db_engine, "teams", "captain_id IS NULL") == 0 and orphans(db_engine, "teams", "captain_id", "players") == 0
    assert count(db_engine, "teams", "stamp = 'CLOCK' OR label = 'LITERAL'") == 0
    assert count(db_engine, "teams", "stamp IS NULL OR label IS NULL") == 0, "the generated values are kept"


def test_closing_a_nullable_cycle_keeps_the_generated_values(sqlite_url, tmp_path):
    """Test that a table with onupdate columns holds the same values as one without them (determinism)."""
    def written(url: str, with_onupdate: bool) -> list[tuple]:
        md, teams, players = _cycle_with_onupdate()
        if not with_onupdate:
            for name in ("stamp", "label"):
                teams.c[name].onupdate = None
        engine = make_engine(url)
        md.create_all(engine)
        seed(engine, {teams: 6, players: 12}, seed=9)
        out = rows(engine, "SELECT id, name, stamp, label, captain_id FROM teams ORDER BY id")
        engine.dispose()
        return out

    assert written(sqlite_url, True) == written(f"sqlite:///{tmp_path / 'plain.db'}", False)


# --- the dry-run preview comes from the writer that will run ------------------------------------------------


async def _async_preview(url: str, **connect_args) -> list[str]:
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
    from sqlalchemy.pool import NullPool

    from sqlalchemy_syda import AsyncSeedSession

    md, teams, players = _cycle_with_onupdate()
    engine = create_async_engine(url, poolclass=NullPool, connect_args=connect_args)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(md.create_all)
        async with async_sessionmaker(engine, class_=AsyncSeedSession)() as s:
            return (await s.seed({teams: 3, players: 5}, dry_run=True)).sql
    finally:
        await engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("driver", ["postgresql+asyncpg", "postgresql+psycopg_async"])
def test_async_dry_run_previews_copy(pg_schema_url, driver):
    """Test that an async PostgreSQL dry run shows COPY, which the async run uses (asyncpg said executemany)."""
    url, connect_args = async_url(pg_schema_url, driver)
    preview = asyncio.run(_async_preview(url, **connect_args))
    assert preview[0] == "COPY teams (id, name, stamp, label, captain_id) FROM STDIN;  -- 3 rows"
    assert preview[1].startswith("UPDATE teams SET captain_id = ...")
    assert preview[2] == "COPY players (id, team_id) FROM STDIN;  -- 5 rows"


def test_dry_run_preview_of_executemany(sqlite_engine):
    """Test that a dialect without COPY previews the INSERT that executemany sends, and writes nothing."""
    md, teams, players = _cycle_with_onupdate()
    md.create_all(sqlite_engine)
    preview = seed(sqlite_engine, {teams: 3, players: 5}, dry_run=True).sql
    assert preview[0] == "INSERT INTO teams (id, name, stamp, label, captain_id) VALUES (...);  -- executemany, 3 rows"
    assert count(sqlite_engine, "teams") == 0
