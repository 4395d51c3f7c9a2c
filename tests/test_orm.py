"""ORM entry points: seed(engine | connection | session), SeedSession, Model.synthesize, AsyncSeedSession."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from schemas import (
    Author,
    Book,
    Engineer,
    InheritBase,
    Person,
    ShopBase,
    async_url,
    count,
    on_sqlite_and_pg,
    orphans,
)
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from sqlalchemy_syda import AsyncSeedSession, SchemaError, SeedSession, SeedSessionMixin, seed
from sqlalchemy_syda.exceptions import WriteError


@pytest.fixture
def shop(db_engine):
    ShopBase.metadata.create_all(db_engine)
    return db_engine


# --- seed(bind) -------------------------------------------------------------------------------------------

@on_sqlite_and_pg
def test_seed_takes_an_engine_a_connection_or_a_session(shop):
    seed(shop, {Author: 2, Book: 3})
    with shop.connect() as conn:
        seed(conn, {Author: 2, Book: 3})  # not in a transaction: one begins (autobegin), the caller commits it
        assert conn.in_transaction()
        conn.commit()
    with shop.begin() as conn:
        seed(conn, {Author: 2, Book: 3})  # the caller's transaction: committed by the caller
    with Session(shop) as s:
        seed(s, {Author: 2, Book: 3})
        s.commit()
    assert count(shop, "authors") == 8 and count(shop, "books") == 12
    assert orphans(shop, "books", "author_id", "authors") == 0


@on_sqlite_and_pg
def test_seed_session_from_a_sessionmaker(shop):
    factory = sessionmaker(shop, class_=SeedSession)
    with factory.begin() as s:
        result = s.seed({Author: 4, Book: 6}, seed=3)
        assert result.counts == {"authors": 4, "books": 6}
        assert len(s.scalars(sa.select(Book)).all()) == 6  # visible inside the session
    with factory() as s, s.begin():
        s.seed({Author: 4, Book: 6}, seed=4)
        s.rollback()  # rolls back with the session
    assert count(shop, "authors") == 4 and count(shop, "books") == 6


def test_seed_session_mixin_on_a_session_of_your_own(sqlite_engine):
    class MySession(SeedSessionMixin, Session):
        pass

    ShopBase.metadata.create_all(sqlite_engine)
    with MySession(sqlite_engine) as s, s.begin():
        assert s.seed([Author, Book], rows=3).rows == 6
    assert count(sqlite_engine, "books") == 3


# --- Model.synthesize ---------------------------------------------------------------------------------------

def test_synthesize_makes_transient_objects_that_do_not_depend_on_earlier_calls():
    """The same call gives the same objects (no hidden counter); another seed gives others."""
    first = Author.synthesize(4)
    again = Author.synthesize(4)
    other = Author.synthesize(4, seed=1)
    assert all(isinstance(a, Author) and sa.inspect(a).transient for a in first + again + other)
    assert [(a.id, a.email, a.full_name) for a in first] == [(a.id, a.email, a.full_name) for a in again]
    assert len({a.email for a in first}) == 4
    assert {a.email for a in first}.isdisjoint({a.email for a in other})
    # attribute key full_name maps the column "name": filled under the attribute's key
    assert all(a.full_name and " " in a.full_name for a in first)
    assert "name" not in vars(first[0])


def test_synthesize_with_a_seed_and_overrides_by_attribute_key():
    a = Author.synthesize(3, seed=11, full_name="Ada Lovelace")
    b = Author.synthesize(3, seed=11, full_name="Ada Lovelace")
    assert [x.email for x in a] == [x.email for x in b]
    assert {x.full_name for x in a} == {"Ada Lovelace"}
    assert Author.synthesize(0) == []
    with pytest.raises(SchemaError, match="non-negative integer"):
        Author.synthesize(-1)


def test_synthesize_transient_subclass_of_joined_inheritance():
    engineers = Engineer.synthesize(3)
    more = Engineer.synthesize(5)
    assert all(e.name and e.language and e.kind == "engineer" for e in engineers + more)
    assert len({e.id for e in more}) == 5
    assert [(e.id, e.name) for e in engineers] == [(e.id, e.name) for e in more[:3]]
    assert {p.kind for p in Person.synthesize(2)} == {"person"}


@pytest.mark.parametrize("db_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres),
                                    pytest.param("mariadb", marks=pytest.mark.mariadb)], indirect=True)
def test_synthesize_with_a_session_persists_with_parents(shop):
    with Session(shop) as s:
        books = Book.synthesize(5, session=s)
        assert len(books) == 5
        assert all(isinstance(b, Book) and b in s and sa.inspect(b).persistent for b in books)
        assert all(b.author is not None and b.author.full_name for b in books)  # parents were created
        assert [b.id for b in books] == sorted(b.id for b in books)
        s.commit()
    assert count(shop, "books") == 5
    assert count(shop, "authors") >= 1
    assert orphans(shop, "books", "author_id", "authors") == 0


def test_synthesize_with_a_session_for_an_inheritance_subclass(sqlite_engine):
    InheritBase.metadata.create_all(sqlite_engine)
    with Session(sqlite_engine) as s:
        engineers = Engineer.synthesize(4, session=s, language="python")
        assert [type(e) for e in engineers] == [Engineer] * 4
        assert {e.language for e in engineers} == {"python"} and all(e.name for e in engineers)
        s.commit()
    assert count(sqlite_engine, "people", "kind = 'engineer'") == 4


# --- async ----------------------------------------------------------------------------------------------------

async def _async_roundtrip(url: str, fk_checks: str = "auto", **connect_args) -> tuple[int, int, int]:
    engine = create_async_engine(url, poolclass=NullPool, connect_args=connect_args)
    factory = async_sessionmaker(engine, class_=AsyncSeedSession)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(ShopBase.metadata.create_all)
        async with factory() as s, s.begin():
            result = await s.seed({Author: 5, Book: 12}, seed=1, fk_checks=fk_checks)
            assert result.counts == {"authors": 5, "books": 12}
            assert result.bulk_fk_tables == (("books",) if fk_checks == "bulk" else ())
        async with factory() as s:
            async with s.begin():
                await s.seed({Author: 5, Book: 12}, seed=2, fk_checks=fk_checks)
                await s.rollback()
            await s.run_sync(lambda sync: seed(sync, {Author: 1, Book: 2}))
            await s.commit()
        async with engine.connect() as conn:
            authors = (await conn.execute(sa.text("SELECT COUNT(*) FROM authors"))).scalar_one()
            books = (await conn.execute(sa.text("SELECT COUNT(*) FROM books"))).scalar_one()
            bad = (await conn.execute(sa.text(
                "SELECT COUNT(*) FROM books b LEFT JOIN authors a ON a.id = b.author_id WHERE a.id IS NULL"
            ))).scalar_one()
        return authors, books, bad
    finally:
        await engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("driver", ["postgresql+asyncpg", "postgresql+psycopg_async"])
def test_async_seed_session_on_postgresql(pg_schema_url, driver):
    url, connect_args = async_url(pg_schema_url, driver)
    assert asyncio.run(_async_roundtrip(url, fk_checks="bulk", **connect_args)) == (6, 14, 0)


async def _async_copy_and_refusal(url: str, **connect_args) -> tuple[str, int, str]:
    """The writer an async session gets, the rows a big seed wrote, and the error of a refused COPY."""
    from sqlalchemy_syda.writers import writer_for

    engine = create_async_engine(url, poolclass=NullPool, connect_args=connect_args)
    factory = async_sessionmaker(engine, class_=AsyncSeedSession)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(ShopBase.metadata.create_all)
            writer = await conn.run_sync(lambda sync: type(writer_for(sync)).__name__)
        async with factory() as s, s.begin():
            await s.seed({Author: 2_000, Book: 20_000}, seed=1)
        async with engine.begin() as conn:  # a rule the models do not know: the database refuses every new row
            await conn.execute(sa.text("ALTER TABLE authors ADD CONSTRAINT authors_closed CHECK (id <= 2000) NOT VALID"))
        async with factory() as s:
            try:
                async with s.begin():
                    await s.seed({Author: 3}, seed=2)
                message = ""
            except WriteError as exc:
                message = str(exc)
        async with engine.connect() as conn:
            books = (await conn.execute(sa.text("SELECT COUNT(*) FROM books b JOIN authors a ON a.id = b.author_id"))
                     ).scalar_one()
        return writer, books, message
    finally:
        await engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("driver", ["postgresql+asyncpg", "postgresql+psycopg_async"])
def test_async_postgres_drivers_copy_and_name_the_refused_constraint(pg_schema_url, driver):
    """Test that asyncpg and psycopg async both load through COPY and report a refused row as a WriteError."""
    url, connect_args = async_url(pg_schema_url, driver)
    writer, books, message = asyncio.run(_async_copy_and_refusal(url, **connect_args))
    assert writer == "PostgresCopyWriter" and books == 20_000
    assert "'authors'" in message and "authors_closed" in message and "rolled back" in message


def test_async_seed_session_on_aiosqlite(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'async.db'}"
    assert asyncio.run(_async_roundtrip(url)) == (6, 14, 0)


@on_sqlite_and_pg
def test_a_session_seed_sees_rows_the_session_has_not_flushed_yet(shop):
    """seed() flushes the session first, so pending parents are there to be sampled."""
    with Session(shop) as s, s.begin():
        s.add(Author(id=500, email="pending@example.com", full_name="Pending Person"))
        seed(s, {Book: 4})
    assert count(shop, "books", "author_id = 500") == 4
