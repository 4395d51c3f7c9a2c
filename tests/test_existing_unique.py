"""New rows never repeat a UNIQUE value that rows already in the table hold (even foreign rows)."""

import pytest
import sqlalchemy as sa

from examples.crm_models import Base, Contact, Customer
from sqlalchemy_syda import ConstraintUnsatisfiableError, seed, table_spec
from sqlalchemy_syda.recipe_planner import TableInputs, table_recipe
from sqlalchemy_syda.run import recipe_rows


def _engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", lambda c, _: c.execute("PRAGMA foreign_keys=ON"))
    return engine


def test_taken_values_are_drawn_again(pg_url, sqlite_url):
    for url in (pg_url, sqlite_url):
        engine = _engine(url)
        Base.metadata.create_all(engine)
        existing = 40
        # the e-mails syda *would* give the next 60 rows, already used by rows it did not write
        upcoming = recipe_rows(table_recipe(TableInputs(table_spec(Contact), 60, existing, 9)), 0, 60)["email"]
        with engine.begin() as conn:
            conn.execute(sa.insert(Customer), [{"id": 1, "name": "Foreign Inc"}])
            conn.execute(sa.insert(Contact), [
                {"id": 1 + i, "customer_id": 1, "first_name": "F", "last_name": "R",
                 "email": upcoming[i] if i < 30 else f"other{i}@example.org"} for i in range(existing)])
        seed(engine, {Contact: 60}, seed=9)
        with engine.connect() as conn:
            total, distinct = conn.execute(sa.text("SELECT count(*), count(DISTINCT email) FROM contacts")).one()
            new = conn.execute(sa.text("SELECT email FROM contacts WHERE id > 40")).scalars().all()
        assert (total, distinct) == (100, 100)
        assert len(new) == 60
        assert not set(new) & set(upcoming[:30].tolist())  # every stolen value was drawn again
        assert set(new) & set(upcoming[30:].tolist())      # the others kept their values
        engine.dispose()


def _tickets() -> tuple[sa.MetaData, sa.Table]:
    """A UNIQUE code drawn from 1..5000 (the type's generator, narrowed by the CHECK) and a 3-character code."""
    md = sa.MetaData()
    tickets = sa.Table(
        "tickets", md, sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.Integer, sa.CheckConstraint("code BETWEEN 1 AND 5000"), nullable=False, unique=True),
        sa.Column("tag", sa.String(3), nullable=False, unique=True))
    return md, tickets


def _distinct(engine: sa.Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(conn.execute(sa.text(
            "SELECT count(*), count(DISTINCT code), count(DISTINCT tag) FROM tickets")).one())


def test_top_up_uses_every_free_value_of_a_unique_column(pg_url, sqlite_url):
    """Test that 3,000 rows fit next to 100 rows of another seed in a UNIQUE column of 5,000 values (the redraws
    used to look for slots past 2 x 3,100 rows: 'no free value left')."""
    for url in (pg_url, sqlite_url):
        engine = _engine(url)
        md, tickets = _tickets()
        md.create_all(engine)
        seed(engine, {tickets: 100}, seed=1)
        seed(engine, {tickets: 3000}, seed=2)
        assert _distinct(engine) == (3100, 3100, 3100)
        engine.dispose()


def test_top_up_redraws_do_not_depend_on_the_chunk_size(sqlite_url, tmp_path):
    """Test that the rows whose UNIQUE value is taken get the same new values whatever the chunk size."""
    written = []
    for chunk in (20_000, 7):
        engine = _engine(f"sqlite:///{tmp_path}/chunk{chunk}.db")
        md, tickets = _tickets()
        md.create_all(engine)
        seed(engine, {tickets: 100}, seed=1)
        seed(engine, {tickets: 1000}, seed=2, chunk_size=chunk)
        with engine.connect() as conn:
            written.append(conn.execute(sa.text("SELECT id, code, tag FROM tickets ORDER BY id")).all())
        engine.dispose()
    assert written[0] == written[1] and len(written[0]) == 1100


def test_top_up_fills_a_unique_domain_exactly_and_refuses_one_row_more(sqlite_url):
    """Test that a UNIQUE domain of 60 values takes 40 rows next to 20 foreign ones, and that a 41st row is refused
    with a ConstraintUnsatisfiableError that leaves the table as it was; a dry run refuses and passes the same
    (the refusal is the plan's capacity check; 40 rows pass the probe without its scan)."""
    engine = _engine(sqlite_url)
    md = sa.MetaData()
    seats = sa.Table("seats", md, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("number", sa.Integer, sa.CheckConstraint("number BETWEEN 1 AND 60"),
                               nullable=False, unique=True))
    md.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.insert(seats), [{"id": i, "number": 3 * i} for i in range(1, 21)])  # 3, 6, ..., 60
    with pytest.raises(ConstraintUnsatisfiableError, match="seats.number"):
        seed(engine, {seats: 41}, seed=4, dry_run=True)
    assert seed(engine, {seats: 40}, seed=4, dry_run=True).dry_run
    with pytest.raises(ConstraintUnsatisfiableError, match="seats.number"):
        seed(engine, {seats: 41}, seed=4)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM seats")).scalar_one() == 20
    seed(engine, {seats: 40}, seed=4)
    with engine.connect() as conn:
        numbers = conn.execute(sa.text("SELECT number FROM seats")).scalars().all()
    assert sorted(numbers) == list(range(1, 61))
    engine.dispose()


def test_crm_top_up_with_another_seed_keeps_names_unique(sqlite_url):
    """Test the CRM topped up with another seed (customers x30, products x100): every UNIQUE name and e-mail
    stays distinct, measured in SQL."""
    engine = _engine(sqlite_url)
    Base.metadata.create_all(engine)
    tables = Base.metadata.tables
    seed(engine, {t: 100 for t in Base.metadata.sorted_tables}, seed=5)
    seed(engine, {tables["customers"]: 3000, tables["products"]: 10_000}, seed=6)
    with engine.connect() as conn:
        for table, column, rows in (("customers", "name", 3100), ("products", "name", 10_100),
                                    ("contacts", "email", 100)):
            total, distinct = conn.execute(sa.text(f"SELECT count(*), count(DISTINCT {column}) FROM {table}")).one()
            assert (total, distinct) == (rows, rows), f"{table}.{column}"
    engine.dispose()


def test_top_up_finds_taken_decimals(pg_url, sqlite_url):
    """Test a top-up of a UNIQUE Numeric(3, 1) column: the values read back (Decimal('16.6')) are found among the
    generated ones (floats), so no new row repeats them (it ended in a duplicate-key WriteError on every seed)."""
    md = sa.MetaData()
    grades = sa.Table("grades", md, sa.Column("id", sa.Integer, primary_key=True),
                      sa.Column("score", sa.Numeric(3, 1), sa.CheckConstraint("score BETWEEN 0 AND 20"),
                                nullable=False, unique=True))
    for url in (pg_url, sqlite_url):
        engine = _engine(url)
        md.create_all(engine)
        seed(engine, {grades: 60}, seed=3)
        seed(engine, {grades: 60}, seed=103)
        with engine.connect() as conn:
            assert tuple(conn.execute(sa.text(
                "SELECT count(*), count(DISTINCT score) FROM grades")).one()) == (120, 120)
        engine.dispose()


def test_ordered_pair_top_up_avoids_pairs_already_there(pg_url, sqlite_url):
    """Test that a pair table (UNIQUE (tag1, tag2), CHECK tag1 < tag2) topped up next to its own earlier rows takes
    only pairs not there yet (it reused them: UniqueViolation on PostgreSQL), fills all 190 pairs of 20 tags
    exactly, and refuses one pair more with the table unchanged; measured in SQL."""
    for url in (pg_url, sqlite_url):
        engine = _engine(url)
        md = sa.MetaData()
        tags = sa.Table("tags", md, sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("name", sa.String(30), unique=True))
        pairs = sa.Table("tag_pairs", md, sa.Column("id", sa.Integer, primary_key=True),
                         sa.Column("tag1", sa.ForeignKey("tags.id"), nullable=False),
                         sa.Column("tag2", sa.ForeignKey("tags.id"), nullable=False),
                         sa.UniqueConstraint("tag1", "tag2"), sa.CheckConstraint("tag1 < tag2"))
        md.create_all(engine)
        seed(engine, {tags: 20}, seed=1)
        seed(engine, {pairs: 60}, seed=1)
        seed(engine, {pairs: 60}, seed=2, existing="reuse")
        with pytest.raises(ConstraintUnsatisfiableError, match="tag_pairs"):
            seed(engine, {pairs: 71}, seed=3, existing="reuse")
        seed(engine, {pairs: 70}, seed=3, existing="reuse")
        with engine.connect() as conn:
            assert conn.execute(sa.text(
                "SELECT count(*), count(DISTINCT tag1 * 100 + tag2), sum(CASE WHEN tag1 < tag2 THEN 1 ELSE 0 END) "
                "FROM tag_pairs")).one() == (190, 190, 190)
        engine.dispose()


def test_a_composite_unique_with_a_plain_column_avoids_the_combinations_already_there(pg_url, sqlite_url):
    """Test that UNIQUE (a_id, code) with code 1..3, appended to twice, takes only free combinations (it drew
    combinations already there: a WriteError on the duplicate key), and that a key holding only part of a foreign
    key (``(player_id, year, stint)`` with the FK ``(year, team_id)``) does too; measured in SQL."""
    for url in (pg_url, sqlite_url):
        engine = _engine(url)
        md = sa.MetaData()
        a = sa.Table("a", md, sa.Column("id", sa.Integer, primary_key=True))
        t = sa.Table("t", md, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("a_id", sa.ForeignKey("a.id"), nullable=False),
                     sa.Column("code", sa.Integer, sa.CheckConstraint("code BETWEEN 1 AND 3"), nullable=False),
                     sa.UniqueConstraint("a_id", "code"))
        players = sa.Table("players", md, sa.Column("player_id", sa.String(12), primary_key=True))
        teams = sa.Table("teams", md, sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
                         sa.Column("team_id", sa.String(3), primary_key=True),
                         sa.CheckConstraint("year BETWEEN 2010 AND 2011"))
        stints = sa.Table("stints", md, sa.Column("player_id", sa.ForeignKey("players.player_id"), primary_key=True),
                          sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
                          sa.Column("stint", sa.Integer, sa.CheckConstraint("stint BETWEEN 1 AND 3"),
                                    primary_key=True, autoincrement=False),
                          sa.Column("team_id", sa.String(3), nullable=False),
                          sa.ForeignKeyConstraint(["year", "team_id"], ["teams.year", "teams.team_id"]))
        md.create_all(engine)
        seed(engine, {a: 20, t: 30, players: 40, teams: 20, stints: 150}, seed=1)
        seed(engine, {t: 10}, seed=2)
        seed(engine, {t: 10}, seed=3)
        seed(engine, {stints: 30}, seed=2)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*), count(DISTINCT a_id * 10 + code) FROM t")).one() == (50, 50)
            assert conn.execute(sa.text("SELECT count(*) FROM (SELECT DISTINCT player_id, year, stint FROM stints) s"
                                        )).scalar_one() == 180
        engine.dispose()


def test_a_one_to_one_child_appended_to_takes_the_parents_without_one(pg_url, sqlite_url):
    """Test a one-to-one key next to its own rows (``profiles.user_id`` UNIQUE, and a two-column one): new rows
    take the parents that have no child yet, up to the last one, and one more is refused with a
    ConstraintUnsatisfiableError by the seed and its dry run, the tables as they were. Before, the new rows
    drew parents already taken: a WriteError on the duplicate key. Parents seeded in the same run count too."""
    for url in (pg_url, sqlite_url):
        engine = _engine(url)
        md = sa.MetaData()
        users = sa.Table("users", md, sa.Column("id", sa.Integer, primary_key=True),
                         sa.Column("name", sa.String(40), nullable=False))
        profiles = sa.Table("profiles", md, sa.Column("id", sa.Integer, primary_key=True),
                            sa.Column("user_id", sa.ForeignKey("users.id"), unique=True, nullable=False),
                            sa.Column("bio", sa.String(80)))
        sites = sa.Table("sites", md, sa.Column("region", sa.String(2), primary_key=True),
                         sa.Column("number", sa.Integer, primary_key=True, autoincrement=False))
        leases = sa.Table("leases", md, sa.Column("id", sa.Integer, primary_key=True),
                          sa.Column("region", sa.String(2), nullable=False),
                          sa.Column("number", sa.Integer, nullable=False),
                          sa.ForeignKeyConstraint(["region", "number"], ["sites.region", "sites.number"]),
                          sa.UniqueConstraint("number", "region"))  # the key's columns in another order
        md.create_all(engine)
        seed(engine, {users: 10, profiles: 4, sites: 12, leases: 5}, seed=1)
        seed(engine, {profiles: 3, leases: 4}, seed=2)
        seed(engine, {profiles: 3, leases: 3}, seed=3)  # the last free parents
        for dry_run in (True, False):
            with pytest.raises(ConstraintUnsatisfiableError, match=r"profiles.user_id is a one-to-one key to 'users': "
                               r"1 new row needs .* 10 of its 10 rows have a 'profiles' row already and 0 are left"):
                seed(engine, {profiles: 1}, seed=4, dry_run=dry_run)
            with pytest.raises(ConstraintUnsatisfiableError, match="leases.region, number is a one-to-one key"):
                seed(engine, {leases: 1}, seed=4, dry_run=dry_run)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*), count(DISTINCT user_id) FROM profiles")).one() == (10, 10)
            assert conn.execute(sa.text("SELECT count(*) FROM (SELECT DISTINCT region, number FROM leases) s")
                                ).scalar_one() == 12
        seed(engine, {users: 2, profiles: 2}, seed=5)  # the only parents left are this run's own
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(DISTINCT user_id), max(user_id) FROM profiles")).one() == (12, 12)
        engine.dispose()
