"""Foreign keys checked in bulk on PostgreSQL (``fk_checks``): dropped for the load, re-added, validated.

The constraints must come back exactly as they were (name, definition, comment), every row must still
be checked (a row without a parent fails the seed and leaves nothing behind), and ``"auto"`` must fall
back to per-row checks when it cannot take the locks or may not alter the tables.
"""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from schemas import count, make_engine, orphans, scalar
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from sqlalchemy_syda import seed
from sqlalchemy_syda.exceptions import PlanError, WriteError
from sqlalchemy_syda.fk_check_modes import AUTO_MIN_ROWS


class Base(DeclarativeBase):
    pass


class Region(Base):
    __tablename__ = "regions"
    code: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    country: Mapped[str] = mapped_column(sa.String(2), primary_key=True)


class Client(Base):
    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    referred_by: Mapped[int | None] = mapped_column(sa.ForeignKey("clients.id", name="clients_referrer_fk"))
    region_code: Mapped[str] = mapped_column(sa.String(8))
    region_country: Mapped[str] = mapped_column(sa.String(2))
    __table_args__ = (sa.ForeignKeyConstraint(["region_code", "region_country"], ["regions.code", "regions.country"],
                                              name="clients_region_fk", onupdate="CASCADE"),)


class Invoice(Base):
    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", name="invoices_client_fk", ondelete="CASCADE",
                                                         deferrable=True, initially="DEFERRED"))
    total: Mapped[float] = mapped_column(sa.Numeric(10, 2))


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(sa.ForeignKey("invoices.id"))


COUNTS = {Region: 50, Client: 2_000, Invoice: 6_000}


def _constraints(bind) -> list[tuple]:
    with bind.connect() as conn:
        return conn.execute(sa.text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated, "
            "obj_description(oid, 'pg_constraint') FROM pg_constraint WHERE contype = 'f' "
            "AND connamespace = current_schema()::regnamespace ORDER BY 1, 2")).all()


@pytest.fixture
def engine(pg_schema_url):
    engine = make_engine(pg_schema_url)
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("COMMENT ON CONSTRAINT invoices_client_fk ON invoices IS 'every invoice has a client'")
    yield engine
    engine.dispose()


def test_bulk_checks_restore_the_constraints_exactly(engine):
    before = _constraints(engine)
    assert len(before) == 4 and before[2][4] == "every invoice has a client"
    result = seed(engine, COUNTS, seed=3, fk_checks="bulk")
    assert set(result.bulk_fk_tables) == {"clients", "invoices"}
    assert result.fk_check_seconds > 0
    assert _constraints(engine) == before
    assert count(engine, "invoices") == 6_000
    assert orphans(engine, "invoices", "client_id", "clients") == 0
    assert scalar(engine, "SELECT count(*) FROM clients c LEFT JOIN regions r ON (r.code, r.country) = "
                          "(c.region_code, c.region_country) WHERE r.code IS NULL") == 0
    # the restored constraints still act: a child without a parent is refused
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO invoices (id, client_id, total) VALUES (-1, -5, 1)"))
        conn.execute(sa.text("SET CONSTRAINTS ALL IMMEDIATE"))
    # and ON DELETE CASCADE came back too
    with engine.begin() as conn:
        victim = conn.execute(sa.text("SELECT client_id FROM invoices LIMIT 1")).scalar()
        conn.execute(sa.text("UPDATE clients SET referred_by = NULL WHERE referred_by = :v"), {"v": victim})
        conn.execute(sa.text("DELETE FROM clients WHERE id = :v"), {"v": victim})
    assert count(engine, "invoices", f"client_id = {victim}") == 0


def test_bulk_and_row_checks_write_the_same_rows(engine, pg_schema_url):
    seed(engine, COUNTS, seed=5, fk_checks="bulk")
    bulk = scalar(engine, "SELECT md5(string_agg(i::text, ',' ORDER BY id)) FROM invoices i")
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    seed(engine, COUNTS, seed=5, fk_checks="row")
    assert scalar(engine, "SELECT md5(string_agg(i::text, ',' ORDER BY id)) FROM invoices i") == bulk


def test_a_row_without_parent_fails_and_leaves_nothing_behind(engine):
    before = _constraints(engine)
    with pytest.raises(WriteError) as err:
        seed(engine, {**COUNTS, Invoice: 100}, seed=3, fk_checks="bulk", overrides={Invoice.client_id: 999_999})
    message = str(err.value)
    assert "invoices_client_fk" in message and "999999" in message and "rolled back" in message
    assert count(engine, "clients") == 0 and count(engine, "invoices") == 0 and count(engine, "regions") == 0
    assert _constraints(engine) == before


def test_inside_the_callers_transaction_a_rollback_undoes_everything(engine):
    before = _constraints(engine)
    with Session(engine) as session:
        session.begin()
        result = seed(session, COUNTS, seed=3, fk_checks="bulk")
        assert result.bulk_fk_tables
        assert session.scalar(sa.text("SELECT count(*) FROM invoices")) == 6_000
        session.rollback()
    assert count(engine, "invoices") == 0
    assert _constraints(engine) == before


def test_auto_uses_bulk_checks_only_for_big_loads(engine):
    small = seed(engine, {Region: 5, Client: 100, Invoice: 300}, seed=1)
    assert small.bulk_fk_tables == ()
    assert "FKs checked in bulk" not in small.plan.describe()
    big = seed(engine, {Region: 0, Client: 0, Invoice: AUTO_MIN_ROWS}, seed=2, existing="reuse")
    assert big.bulk_fk_tables == ("invoices",)
    assert "FKs checked in bulk after the load" in big.plan.describe()
    assert orphans(engine, "invoices", "client_id", "clients") == 0
    # now the table holds more rows than the seed adds: re-validating it all would cost more, rows are checked one by one
    again = seed(engine, {Region: 0, Client: 0, Invoice: AUTO_MIN_ROWS}, seed=4, existing="reuse")
    assert again.bulk_fk_tables == ()
    assert count(engine, "invoices") == 300 + 2 * AUTO_MIN_ROWS
    assert orphans(engine, "invoices", "client_id", "clients") == 0


def test_auto_falls_back_when_another_session_holds_a_lock(engine):
    """A reader in an open transaction blocks ALTER TABLE: auto gives up after its lock timeout, loads anyway."""
    seed(engine, {Region: 5, Client: 100, Invoice: 0}, seed=1)
    reader = engine.connect()
    reader.begin()
    reader.execute(sa.text("SELECT count(*) FROM clients")).scalar()  # ACCESS SHARE until the reader ends
    try:
        result = seed(engine, {Region: 0, Client: 0, Invoice: AUTO_MIN_ROWS}, seed=2, existing="reuse")
    finally:
        reader.rollback()
        reader.close()
    assert result.bulk_fk_tables == ()
    assert count(engine, "invoices") == AUTO_MIN_ROWS
    assert orphans(engine, "invoices", "client_id", "clients") == 0
    assert scalar(engine, "SHOW lock_timeout") == "0"


def test_auto_falls_back_when_the_role_may_not_alter_the_tables(engine):
    role = f"syda_limited_{uuid.uuid4().hex[:8]}"
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}"')
        conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA {conn.execute(sa.text("SELECT current_schema()")).scalar()} '
                             f'TO "{role}"')
        conn.exec_driver_sql(f'GRANT SELECT, INSERT, UPDATE, REFERENCES ON regions, clients, invoices TO "{role}"')
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'SET ROLE "{role}"')
            with pytest.raises(WriteError, match="Cannot move the sequence .*clients_id_seq.*GRANT USAGE, UPDATE"):
                seed(conn, COUNTS, seed=1)
            conn.rollback()
            assert conn.execute(sa.text("SELECT count(*) FROM clients")).scalar() == 0
            conn.exec_driver_sql("RESET ROLE")
            conn.exec_driver_sql(f'GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA '
                                 f'{conn.execute(sa.text("SELECT current_schema()")).scalar()} TO "{role}"')
            conn.commit()
            conn.exec_driver_sql(f'SET ROLE "{role}"')
            result = seed(conn, COUNTS | {Invoice: AUTO_MIN_ROWS}, seed=1)
            assert result.bulk_fk_tables == ()
            conn.commit()
            with pytest.raises(WriteError, match="must be owner.*seed as the tables' owner"):
                seed(conn, {Region: 0, Client: 0, Invoice: AUTO_MIN_ROWS}, seed=2, existing="reuse",
                     fk_checks="bulk")
            conn.rollback()
            conn.exec_driver_sql("RESET ROLE")
        assert count(engine, "invoices") == AUTO_MIN_ROWS
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')


def test_auto_falls_back_when_the_callers_transaction_has_pending_checks(engine):
    """Rows the caller inserted under a DEFERRED constraint forbid ALTER TABLE until they are checked."""
    seed(engine, {Region: 5, Client: 100, Invoice: 300}, seed=1)
    with engine.connect() as conn:
        conn.begin()
        conn.execute(sa.text("INSERT INTO invoices (id, client_id, total) VALUES (100000, 1, 5)"))
        result = seed(conn, {Payment: AUTO_MIN_ROWS}, seed=2, existing="reuse")
        assert result.bulk_fk_tables == ()
        conn.commit()
    assert count(engine, "payments") == AUTO_MIN_ROWS
    assert orphans(engine, "payments", "invoice_id", "invoices") == 0


def test_not_valid_constraints_are_left_alone(engine):
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE invoices DROP CONSTRAINT invoices_client_fk")
        conn.exec_driver_sql("ALTER TABLE invoices ADD CONSTRAINT invoices_client_fk FOREIGN KEY (client_id) "
                             "REFERENCES clients (id) NOT VALID")
    before = _constraints(engine)
    result = seed(engine, COUNTS, seed=3, fk_checks="bulk")
    assert result.bulk_fk_tables == ("clients",)  # invoices' only FK is NOT VALID: checked per row, untouched
    assert _constraints(engine) == before
    assert orphans(engine, "invoices", "client_id", "clients") == 0


def test_other_sessions_see_the_constraints_during_the_load(engine):
    """The drop is part of the seed's transaction: no other session ever sees the tables without their FKs."""
    seen: dict[str, int] = {}

    def progress(table, done, total):
        if table == "invoices" and table not in seen:
            with engine.connect() as other:  # a second connection, while invoices is being written
                seen[table] = other.execute(sa.text(
                    "SELECT count(*) FROM pg_constraint WHERE conname = 'invoices_client_fk' "
                    "AND connamespace = current_schema()::regnamespace")).scalar()

    with engine.connect() as conn, conn.begin():
        result = seed(conn, COUNTS, seed=3, fk_checks="bulk", progress=progress)
        inside = conn.execute(sa.text("SELECT count(*) FROM pg_constraint WHERE conname = 'invoices_client_fk' "
                                      "AND connamespace = current_schema()::regnamespace")).scalar()
    assert result.bulk_fk_tables and seen["invoices"] == 1 and inside == 1


def test_bulk_needs_postgresql(sqlite_url):
    engine = make_engine(sqlite_url)
    Base.metadata.create_all(engine)
    with pytest.raises(PlanError, match="needs PostgreSQL"):
        seed(engine, COUNTS, fk_checks="bulk")
    with pytest.raises(PlanError, match="choose one of"):
        seed(engine, COUNTS, fk_checks="later")
    result = seed(engine, COUNTS | {Invoice: AUTO_MIN_ROWS}, seed=1)  # auto: per-row checks on SQLite
    assert result.bulk_fk_tables == ()
    assert orphans(engine, "invoices", "client_id", "clients") == 0
    engine.dispose()


def test_a_not_null_cycle_through_deferred_constraints_keeps_per_row_checks(pg_schema_url):
    """Deferred checks queue trigger events, and PostgreSQL refuses ALTER TABLE on tables that have them."""
    from schemas import not_null_cycle

    md, husbands, wives = not_null_cycle(deferrable=True)
    engine = make_engine(pg_schema_url)
    md.create_all(engine)
    result = seed(engine, {husbands: AUTO_MIN_ROWS, wives: AUTO_MIN_ROWS}, seed=1, fk_checks="bulk")
    assert result.bulk_fk_tables == ()
    assert not any(t.bulk_fk_checks for t in result.plan.tables)
    assert orphans(engine, "husbands", "wife_id", "wives") == 0 and count(engine, "wives") == AUTO_MIN_ROWS
    engine.dispose()


# --- found in review: what must keep per-row checks, and DDL text with a '%' ------------------------------------

def test_a_percent_sign_in_a_constraint_comment_survives(engine):
    with engine.begin() as conn:
        conn.exec_driver_sql("COMMENT ON CONSTRAINT invoices_client_fk ON invoices IS '100%% of invoices have a client'")
    before = _constraints(engine)
    result = seed(engine, COUNTS, seed=3, fk_checks="bulk")
    assert "invoices" in result.bulk_fk_tables
    assert _constraints(engine) == before and before[2][4] == "100% of invoices have a client"


def test_without_references_on_a_parent_auto_keeps_row_checks_and_bulk_says_why(engine):
    """Re-adding a foreign key needs REFERENCES on the parent: a role that owns only the child must not drop it."""
    role = f"syda_child_owner_{uuid.uuid4().hex[:8]}"
    schema = scalar(engine, "SELECT current_schema()")
    seed(engine, {Region: 5, Client: 100, Invoice: 0}, seed=1)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}"')
        conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA {schema} TO "{role}"')
        conn.exec_driver_sql(f'GRANT SELECT ON regions, clients TO "{role}"')
        conn.exec_driver_sql(f'ALTER TABLE invoices OWNER TO "{role}"')
        conn.exec_driver_sql(f'ALTER SEQUENCE invoices_id_seq OWNER TO "{role}"')
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'SET ROLE "{role}"')
            with pytest.raises(WriteError, match="REFERENCES privilege.*invoices -> clients"):
                seed(conn, {Invoice: AUTO_MIN_ROWS}, seed=2, existing="reuse", fk_checks="bulk")
            conn.rollback()
            conn.exec_driver_sql(f'SET ROLE "{role}"')
            result = seed(conn, {Invoice: AUTO_MIN_ROWS}, seed=2, existing="reuse")
            conn.commit()
        assert result.bulk_fk_tables == () and count(engine, "invoices") == AUTO_MIN_ROWS
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'REASSIGN OWNED BY "{role}" TO CURRENT_USER')
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')


def test_a_table_with_another_deferred_insert_trigger_keeps_row_checks(engine):
    """A deferrable NOT VALID foreign key stays, and its queued checks would make ALTER TABLE fail."""
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE invoices ADD COLUMN region_code varchar(8)")
        conn.exec_driver_sql("ALTER TABLE invoices ADD CONSTRAINT invoices_self_fk FOREIGN KEY (client_id) "
                             "REFERENCES clients (id) DEFERRABLE INITIALLY DEFERRED NOT VALID")
    result = seed(engine, {**COUNTS, Invoice: AUTO_MIN_ROWS}, seed=1)  # auto
    assert "invoices" not in result.bulk_fk_tables and count(engine, "invoices") == AUTO_MIN_ROWS


def test_foreign_keys_with_disabled_triggers_are_left_as_they_are(engine):
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE invoices DISABLE TRIGGER ALL")

    def states() -> list:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT tgname, tgenabled FROM pg_trigger "
                                        "WHERE tgrelid = 'invoices'::regclass ORDER BY 1")).all()

    before = states()
    result = seed(engine, COUNTS, seed=1, fk_checks="bulk")
    assert "invoices" not in result.bulk_fk_tables and states() == before
    assert {state for _, state in before} == {"D"}
