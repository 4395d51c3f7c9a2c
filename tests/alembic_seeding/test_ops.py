"""op.seed / op.seed_rows on a real MigrationContext: online (SQLite, PostgreSQL) and offline (--sql)."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from alembic_ext import SeedOp, SeedRowsOp
from sqlalchemy_syda import PlanError, SchemaError
from sqlalchemy_syda.pytest_plugin import make_engine


@pytest.fixture(autouse=True)
def seeding_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYDA_SEED", "1")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest):
    url = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "pg_url"}[request.param])
    engine = make_engine(url)
    yield engine
    engine.dispose()


def create_shop(op: Operations) -> tuple[sa.Table, sa.Table]:
    customers = op.create_table(
        "customers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("email", sa.String(120), nullable=False, unique=True),
        sa.Column("tier", sa.String(10), nullable=False, server_default="basic"),
    )
    orders = op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("total", sa.Numeric(10, 2), nullable=False),
        sa.Column("note", sa.String(200)),
    )
    return customers, orders


def count(conn: sa.Connection, table: str, where: str = "1=1") -> int:
    return conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE {where}")).scalar_one()


def offline(dialect: str = "sqlite") -> tuple[Operations, io.StringIO]:
    buffer = io.StringIO()
    ctx = MigrationContext.configure(dialect_name=dialect, opts={"as_sql": True, "output_buffer": buffer})
    return Operations(ctx), buffer


def test_seed_tops_up_by_default_and_appends_when_asked(engine):
    """op.seed("t", n) leaves the table with n rows however often it runs; existing="append" adds n."""
    with engine.begin() as conn:
        op = Operations(MigrationContext.configure(conn))
        create_shop(op)
        result = op.seed("customers", 12)
        assert result.counts == {"customers": 12}
        assert op.seed("customers", 12).counts == {"customers": 0}
        op.seed("customers", 5, existing="append")
        assert count(conn, "customers") == 17
        assert count(conn, "customers", "tier = 'basic'") == 17  # a server default is the database's


def test_seed_several_tables_in_foreign_key_order(engine):
    """op.seed({...}): parents first, children point at them, options pass through to seed()."""
    with engine.begin() as conn:
        op = Operations(MigrationContext.configure(conn))
        create_shop(op)
        op.seed({"orders": 40, "customers": 10}, seed=3, overrides={"orders.note": "Gift"},
                cardinality={"orders.customer_id": (0, 8)})
        assert count(conn, "orders") == 40 and count(conn, "customers") == 10
        assert count(conn, "orders", "note = 'Gift'") == 40
        assert count(conn, "orders", "customer_id NOT IN (SELECT id FROM customers)") == 0


def test_seed_follows_the_database_not_todays_models(engine):
    """A model that gained columns since this revision does not matter: the table is reflected."""

    class Base(DeclarativeBase):
        pass

    class Customer(Base):  # "today's" model: two more NOT NULL columns than the revision's table
        __tablename__ = "customers"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(sa.String(80))
        email: Mapped[str] = mapped_column(sa.String(120), unique=True)
        tier: Mapped[str] = mapped_column(sa.String(10))
        phone: Mapped[str] = mapped_column(sa.String(20))
        vip: Mapped[bool] = mapped_column()

    with engine.begin() as conn:
        op = Operations(MigrationContext.configure(conn))
        create_shop(op)
        op.seed(Base.metadata.tables["customers"], 6)  # a Table: only its name is used online
        assert count(conn, "customers") == 6
        assert "phone" not in {c["name"] for c in sa.inspect(conn).get_columns("customers")}


def test_seed_rows_writes_given_values_and_generates_the_rest(engine):
    """op.seed_rows: given cells as they are, every other NOT NULL column generated, keys continued."""
    with engine.begin() as conn:
        op = Operations(MigrationContext.configure(conn))
        create_shop(op)
        op.seed("customers", 3)
        op.seed_rows("customers", [{"email": "admin@example.com", "tier": "gold"},
                                   {"email": "ops@example.com", "name": "Ops Team", "tier": "basic"}])
        rows = conn.execute(sa.text("SELECT id, name, email, tier FROM customers ORDER BY id")).all()
        assert [r.id for r in rows] == [1, 2, 3, 4, 5]
        assert rows[3].email == "admin@example.com" and rows[3].tier == "gold" and rows[3].name
        assert rows[4].name == "Ops Team" and rows[4].email == "ops@example.com"


def test_seed_rows_errors_name_the_problem(engine):
    """An unknown column, and a database-filled column given in some rows only."""
    with engine.begin() as conn:
        op = Operations(MigrationContext.configure(conn))
        create_shop(op)
        with pytest.raises(SchemaError, match="has no column 'mail'; its columns are id, name, email, tier"):
            op.seed_rows("customers", [{"mail": "x@example.com"}])
        with pytest.raises(SchemaError, match="column 'tier' is filled by the database; give it in every row"):
            op.seed_rows("customers", [{"tier": "gold"}, {"name": "B"}])
        with pytest.raises(SchemaError, match="table 'suppliers' does not exist at this revision"):
            op.seed("suppliers", 3)
        with pytest.raises(TypeError, match="needs a list of dicts"):
            op.seed_rows("customers", {"name": "A"})


def test_switched_off_the_operations_do_nothing(engine, monkeypatch):
    """Without the switch op.seed returns None and writes nothing."""
    monkeypatch.setenv("SYDA_SEED", "0")
    with engine.begin() as conn:
        op = Operations(MigrationContext.configure(conn))
        create_shop(op)
        assert op.seed("customers", 5) is None
        assert op.seed_rows("customers", [{"name": "A"}]) is None
        assert count(conn, "customers") == 0


def test_the_operation_is_data():
    """SeedOp / SeedRowsOp hold their arguments (executed, or rendered offline, from one object)."""
    op = SeedOp({"users": 3, "orders": None}, options={"seed": 2})
    assert op.describe() == "seed(users=3, orders=None)" and op.options == {"seed": 2}
    assert SeedRowsOp("users", [{"a": 1}]).describe() == "seed_rows(users, 1 rows)"


# --- offline ---------------------------------------------------------------------------------------

def test_offline_renders_inserts_from_the_runs_own_create_table():
    """--sql: the columns come from op.create_table earlier in the run; FKs point at rendered parents."""
    op, buffer = offline("postgresql")
    create_shop(op)
    rendered = op.seed({"customers": 4, "orders": 10}, seed=1)
    sql = buffer.getvalue()
    assert rendered == {"customers": 4, "orders": 10}
    assert sql.count("INSERT INTO customers (id, name, email) VALUES") == 4
    assert sql.count("INSERT INTO orders (id, customer_id, total, note) VALUES") == 10
    assert "SELECT setval(pg_get_serial_sequence('orders', 'id'), (SELECT max(id) FROM orders));" in sql
    # top-up counts what this run rendered already; row numbers continue after it
    assert op.seed("customers", 4) == {"customers": 0}
    op.seed("customers", 2, existing="append")
    assert "VALUES (6, " in buffer.getvalue()


def test_offline_rows_are_the_online_rows(sqlite_url):
    """Same generators, same seed: the rendered values are the values an online seed writes."""
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        online = Operations(MigrationContext.configure(conn))
        create_shop(online)
        online.seed("customers", 5, seed=4)
        written = conn.execute(sa.text("SELECT id, name, email FROM customers ORDER BY id")).all()
    engine.dispose()
    op, buffer = offline("sqlite")
    create_shop(op)
    op.seed("customers", 5, seed=4)
    for row in written:
        assert f"VALUES ({row.id}, '{row.name.replace(chr(39), chr(39) * 2)}', '{row.email}')" in buffer.getvalue()


def test_offline_tables_from_arguments():
    """A typed sa.table(), columns=[...], or the Table op.create_table returned."""
    op, buffer = offline()
    op.seed(sa.table("plans", sa.column("id", sa.Integer), sa.column("name", sa.String(20))), 3)
    op.seed("regions", 2, columns=[sa.Column("code", sa.String(2), primary_key=True),
                                   sa.Column("label", sa.String(40), nullable=False)])
    colors = op.create_table("colors", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(30)))
    op.seed(colors, 2)
    op.seed_rows("colors", [{"name": "teal"}])
    sql = buffer.getvalue()
    assert sql.count("INSERT INTO plans (id, name)") == 3
    assert sql.count("INSERT INTO regions (code, label)") == 2
    assert sql.count("INSERT INTO colors (id, name)") == 3 and "VALUES (3, 'teal');" in sql
    with pytest.raises(SchemaError, match="give every column of sa.table"):
        op.seed(sa.table("untyped", sa.column("name")), 1)


def test_offline_follows_added_and_dropped_columns():
    """op.add_column / op.drop_column after op.create_table change what offline rows contain."""
    op, buffer = offline()
    op.create_table("notes", sa.Column("id", sa.Integer, primary_key=True), sa.Column("old", sa.String(10)))
    op.add_column("notes", sa.Column("title", sa.String(50), nullable=False))
    op.drop_column("notes", "old")
    op.seed("notes", 1)
    assert "INSERT INTO notes (id, title) VALUES (1, " in buffer.getvalue()


def test_offline_errors_say_what_to_do():
    """Unknown tables, NOT NULL keys to tables the run has not seeded, FK cycles."""
    op, _ = offline()
    with pytest.raises(SchemaError, match="pass the Table that op.create_table\\(\\) returned"):
        op.seed("users", 3)
    create_shop(op)
    with pytest.raises(SchemaError, match="orders.customer_id must point at rows of 'customers'"):
        op.seed("orders", 3)
    op.create_table("a", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("b_id", sa.Integer, sa.ForeignKey("b.id", use_alter=True), nullable=True))
    op.create_table("b", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("a_id", sa.Integer, sa.ForeignKey("a.id"), nullable=False))
    with pytest.raises(PlanError, match="cannot render a foreign-key cycle"):
        op.seed({"a": 2, "b": 2})


def test_offline_switched_off_leaves_a_comment(monkeypatch):
    """--sql without the switch: a SQL comment instead of rows."""
    monkeypatch.setenv("SYDA_SEED", "off")
    op, buffer = offline()
    create_shop(op)
    assert op.seed("customers", 3) is None
    assert "-- syda: seed(customers=3) skipped, seeding is off (SYDA_SEED=off)" in buffer.getvalue()
