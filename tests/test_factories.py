"""factory_boy factories from the seeding generators, on real SQLite and PostgreSQL (sync and async)."""

from __future__ import annotations

import asyncio
import enum
import subprocess
import sys
import textwrap

import factory
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from sqlalchemy_syda import PlanError, SchemaError, seed
from sqlalchemy_syda.factories import SydaFactory, async_create, async_create_batch, factory_for
from sqlalchemy_syda.pytest_plugin import make_engine


class Base(DeclarativeBase):
    pass


class Position(enum.Enum):
    goalkeeper = "GK"
    defender = "DF"
    forward = "FW"


class Team(Base):
    """A football club."""

    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True, comment="Club name")
    city: Mapped[str] = mapped_column(sa.String(60))


class Player(Base):
    __tablename__ = "players"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id"))
    first_name: Mapped[str] = mapped_column(sa.String(50))
    last_name: Mapped[str] = mapped_column(sa.String(50))
    email: Mapped[str] = mapped_column(sa.String(120), unique=True)
    position: Mapped[Position] = mapped_column(sa.Enum(Position, name="player_position"))
    shirt: Mapped[int] = mapped_column(sa.SmallInteger, sa.CheckConstraint("shirt BETWEEN 1 AND 99"))
    joined: Mapped[sa.Date] = mapped_column(sa.Date)
    mentor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("players.id"))
    team: Mapped[Team] = relationship()


class Category(Base):
    """A NOT NULL self-reference: roots point at themselves."""

    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(40))
    parent_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"))


class Membership(Base):
    """A NOT NULL foreign key without a relationship()."""

    __tablename__ = "memberships"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id"))
    fee: Mapped[float] = mapped_column(sa.Numeric(8, 2))


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    full_name: Mapped[str] = mapped_column(sa.String(80))
    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "person"}


class Coach(Person):
    __tablename__ = "coaches"
    id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), primary_key=True)
    licence: Mapped[str] = mapped_column(sa.String(12))
    __mapper_args__ = {"polymorphic_identity": "coach"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "pg_url"}[request.param])


@pytest.fixture
def session(url: str):
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


def count(session: Session, model: type) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


VALUE_COLUMNS = ("first_name", "last_name", "email", "position", "shirt", "joined")


def test_create_build_and_required_parents(session):
    """PlayerFactory(): a flushed row with a new Team through a SubFactory; build(): nothing written."""
    PlayerFactory = factory_for(Player, session=session)
    player = PlayerFactory()
    assert player.id is not None and player.team.id is not None and player.team_id == player.team.id
    assert isinstance(player.position, Position) and 1 <= player.shirt <= 99 and player.mentor_id is None
    built = PlayerFactory.build()
    assert built.id is None and built.team.id is None
    assert count(session, Player) == 1 and count(session, Team) == 1
    session.commit()  # the database accepts every constraint


def test_unique_columns_stay_unique_across_calls(session):
    """A row counter shared by every factory of the model in the session feeds the generator."""
    PlayerFactory = factory_for(Player, session=session)
    Again = factory_for(Player, session=session)
    players = [PlayerFactory() for _ in range(5)] + PlayerFactory.create_batch(10) + Again.create_batch(5)
    assert len({p.email for p in players}) == 20
    assert len({p.team.name for p in players}) == 20
    session.commit()


def test_a_factory_object_is_the_bulk_seeded_row(url):
    """Same seed: object k made by the factory == row k written by seed() (keys and parents aside)."""
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        seed(s, {Player: 6}, seed=7)
        bulk = s.execute(sa.select(*[getattr(Player, c) for c in VALUE_COLUMNS]).order_by(Player.id)).all()
        team_rows = s.execute(sa.select(Team.name, Team.city).order_by(Team.id)).all()
        s.rollback()
    with Session(engine) as s:
        PlayerFactory = factory_for(Player, session=s, seed=7)
        made = [PlayerFactory() for _ in range(6)]
        assert [tuple(getattr(p, c) for c in VALUE_COLUMNS) for p in made] == [tuple(r) for r in bulk]
        assert (made[0].team.name, made[0].team.city) == tuple(team_rows[0])  # parents: the same generators too
        assert PlayerFactory.build(syda_row=3).email == bulk[3].email  # any row, by number
        s.rollback()
    engine.dispose()


def test_class_based_factory_with_traits_and_overrides(session):
    """Meta options, your own declarations, Params/Trait, call-time overrides, SubFactory overrides."""

    class PlayerFactory(SydaFactory):
        class Meta:
            model = Player
            sqlalchemy_session = session
            syda_seed = 3
            syda_overrides = {"shirt": [7, 9, 10]}

        class Params:
            keeper = factory.Trait(position=Position.goalkeeper, shirt=1)

        last_name = factory.Sequence(lambda n: f"Surname{n}")

    keeper = PlayerFactory(keeper=True)
    assert keeper.position is Position.goalkeeper and keeper.shirt == 1
    other = PlayerFactory(first_name="Ada", team__name="Reds")
    assert other.first_name == "Ada" and other.team.name == "Reds" and other.shirt in (7, 9, 10)
    assert other.last_name.startswith("Surname")
    session.commit()


def test_self_references_do_not_recurse(session):
    """Nullable: NULL. NOT NULL: the first row points at itself, later ones at the latest row."""
    CategoryFactory = factory_for(Category, session=session)
    first, second, third = CategoryFactory.create_batch(3)
    assert first.parent_id == first.id
    assert second.parent_id == first.id and third.parent_id == second.id
    assert factory_for(Player, session=session)().mentor_id is None
    session.commit()


def test_foreign_key_without_relationship_and_joined_inheritance(session):
    """The parent is made by a hidden SubFactory; a subclass fills both of its tables."""
    membership = factory_for(Membership, session=session)()
    assert session.get(Team, membership.team_id) is not None
    coach = factory_for(Coach, session=session)()
    assert coach.kind == "coach" and coach.full_name and len(coach.licence) <= 12
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(Person)) == 1


def test_not_null_cycles_are_refused():
    """Two tables that need each other: no factory could make either first."""

    class CycleBase(DeclarativeBase):
        pass

    class A(CycleBase):
        __tablename__ = "a"
        id: Mapped[int] = mapped_column(primary_key=True)
        b_id: Mapped[int] = mapped_column(sa.ForeignKey("b.id"))

    class B(CycleBase):
        __tablename__ = "b"
        id: Mapped[int] = mapped_column(primary_key=True)
        a_id: Mapped[int] = mapped_column(sa.ForeignKey("a.id"))

    with pytest.raises(PlanError, match="A and B need each other through NOT NULL foreign keys"):
        factory_for(A)


def test_create_batch_over_the_threshold_is_one_bulk_seed(session):
    """150 objects: a handful of statements (not 150 INSERTs), objects returned attached, values as usual."""
    team = factory_for(Team, session=session)()
    PlayerFactory = factory_for(Player, session=session, bulk_threshold=100)
    statements: list[str] = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(session.get_bind(), "before_cursor_execute", note)
    players = PlayerFactory.create_batch(150, team=team, position=Position.forward)
    sa.event.remove(session.get_bind(), "before_cursor_execute", note)
    inserts = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "COPY"))]
    assert len(players) == 150 and len(inserts) <= 3
    assert {p.team_id for p in players} == {team.id} and {p.position for p in players} == {Position.forward}
    assert all(p in session for p in players) and len({p.email for p in players}) == 150
    following = PlayerFactory()  # the row counter moved past the bulk rows
    assert following.email not in {p.email for p in players}
    session.commit()


def test_create_batch_falls_back_when_objects_need_building_one_by_one(session):
    """Deep overrides (team__name) need the per-object path: each player gets its own team."""
    PlayerFactory = factory_for(Player, session=session, bulk_threshold=5)
    players = PlayerFactory.create_batch(6, team__city="Lyon")
    assert len({p.team_id for p in players}) == 6 and {p.team.city for p in players} == {"Lyon"}


def test_reset_sequence_restarts_the_rows(session):
    """reset_sequence(): row numbers start again after the rows in the table."""
    TeamFactory = factory_for(Team, session=session)
    TeamFactory.build_batch(3)
    TeamFactory.reset_sequence()
    assert TeamFactory.build(syda_row=0).name == TeamFactory.build().name


def test_no_session_and_async_session_errors(sqlite_url):
    """create() without a session, or with an AsyncSession, says what to do."""
    with pytest.raises(SchemaError, match="has no session"):
        factory_for(Team)()
    engine = create_async_engine(sqlite_url.replace("sqlite://", "sqlite+aiosqlite://"))
    with pytest.raises(SchemaError, match="await async_create\\(TeamFactory"):
        factory_for(Team, session=AsyncSession(engine))()
    asyncio.run(engine.dispose())


@pytest.fixture(params=["aiosqlite", pytest.param("asyncpg", marks=pytest.mark.postgres)])
def async_url(request: pytest.FixtureRequest) -> str:
    if request.param == "aiosqlite":
        return request.getfixturevalue("sqlite_url").replace("sqlite://", "sqlite+aiosqlite://")
    return request.getfixturevalue("pg_url").replace("+psycopg", "+asyncpg")


def test_async_sessions(async_url):
    """async_create / async_create_batch on aiosqlite and asyncpg, object path and bulk path."""

    async def main() -> None:
        engine = create_async_engine(async_url)
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        async with AsyncSession(engine, expire_on_commit=False) as session:
            PlayerFactory = factory_for(Player, session=session, bulk_threshold=50)
            one = await async_create(PlayerFactory, first_name="Zoe")
            few = await async_create_batch(PlayerFactory, 3)
            many = await async_create_batch(PlayerFactory, 60, session, team=one.team)
            await session.commit()
            assert one.first_name == "Zoe" and len(few) == 3 and len(many) == 60
            total = await session.scalar(sa.select(sa.func.count()).select_from(Player))
            assert total == 64
            emails = (await session.scalars(sa.select(Player.email))).all()
            assert len(set(emails)) == 64
        await engine.dispose()

    asyncio.run(main())


def test_without_factory_boy_the_error_names_the_extra():
    """No factory_boy installed: MissingDependencyError with the pip command."""
    code = textwrap.dedent("""
        import sys
        sys.modules["factory"] = None
        from sqlalchemy_syda import MissingDependencyError
        try:
            import sqlalchemy_syda.factories
        except MissingDependencyError as exc:
            print(exc)
        """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "pip install 'sqlalchemy-syda[factory]'" in result.stdout, result.stderr


def test_builds_without_a_session_keep_their_rows_per_factory():
    """Test that a factory without a session numbers its rows from 0 on its own (another factory of the model, made
    earlier, does not move it on), continues across its own builds, and that nothing keeps the model alive."""
    import gc
    import weakref

    from sqlalchemy_syda import generate

    first = factory_for(Team, seed=4).build_batch(3)
    again = factory_for(Team, seed=4)
    assert [t.name for t in again.build_batch(3)] == [t.name for t in first]
    assert [t.name for t in again.build_batch(2)] == list(generate(Team, 5, seed=4).name[3:])  # rows 3 and 4

    def throwaway() -> weakref.ref:
        class LocalBase(DeclarativeBase):
            pass

        class Visitor(LocalBase):
            __tablename__ = "visitors"
            id: Mapped[int] = mapped_column(primary_key=True)
            name: Mapped[str] = mapped_column(sa.String(40))

        factory_for(Visitor).build_batch(2)
        return weakref.ref(Visitor)

    model = throwaway()
    gc.collect()
    assert model() is None  # no process-wide cache holds the model (or its rows) after the test is done
