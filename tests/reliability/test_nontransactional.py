"""MariaDB tables without transactions (MyISAM): refused before writing, or allowed with honest errors."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sqlalchemy_syda import NonTransactionalTableError, PlanError, WriteError, seed
from tests.schemas import make_engine

pytestmark = pytest.mark.mariadb


def _tables(engine: sa.Engine) -> tuple[sa.Table, sa.Table]:
    metadata = sa.MetaData()
    events = sa.Table("events", metadata, sa.Column("id", sa.Integer, primary_key=True),
                      sa.Column("name", sa.String(40)), mysql_engine="MyISAM")
    codes = sa.Table("codes", metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("code", sa.String(5), nullable=False), mysql_engine="InnoDB")
    metadata.create_all(engine)
    return events, codes


def _count(engine: sa.Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def test_a_myisam_table_is_refused_before_anything_is_written(mariadb_url):
    """Test the refusal: it names the table and its engine, says how to proceed, and writes nothing."""
    engine = make_engine(mariadb_url)
    events, codes = _tables(engine)
    with pytest.raises(NonTransactionalTableError) as info:
        seed(engine, {events: 100, codes: 10})
    message = str(info.value)
    assert isinstance(info.value, PlanError)
    assert "'events' (MyISAM)" in message and "'codes'" not in message
    assert "ENGINE=InnoDB" in message and "allow_non_transactional=True" in message
    assert _count(engine, events) == 0 and _count(engine, codes) == 0
    engine.dispose()


def test_allowed_seeds_write_and_a_failure_says_which_rows_remain(mariadb_url):
    """Test allow_non_transactional=True: a failure later rolls back InnoDB rows only, and says so with the count."""
    engine = make_engine(mariadb_url)
    events, codes = _tables(engine)
    result = seed(engine, {events: 30, codes: 5}, allow_non_transactional=True)
    assert result.counts == {"events": 30, "codes": 5} and _count(engine, events) == 30
    with engine.begin() as conn:  # the database refuses the second table, after the first is written
        conn.exec_driver_sql("CREATE TRIGGER codes_refused BEFORE INSERT ON codes FOR EACH ROW "
                             "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'codes are closed'")
    with pytest.raises(WriteError, match="codes are closed") as info:
        seed(engine, {events: 5000, codes: 5}, allow_non_transactional=True)
    message = str(info.value)
    assert "Nothing was written" not in message and "rolled back)" not in message
    assert "5000 rows written to 'events' (MyISAM) remain" in message
    assert _count(engine, events) == 30 + 5000 and _count(engine, codes) == 5   # what the message says
    engine.dispose()


def test_a_failure_before_the_myisam_table_is_reached_still_says_nothing_was_written(mariadb_url):
    """Test that the honest message does not invent leftovers: the failing value is in the MyISAM table's first batch."""
    engine = make_engine(mariadb_url)
    events, codes = _tables(engine)
    with pytest.raises(WriteError, match=r"'events.name'.*lone surrogate.*Nothing was written"):
        seed(engine, {events: 10}, overrides={events: {"name": lambda k: "bad \udcff"}}, allow_non_transactional=True)
    assert _count(engine, events) == 0
    engine.dispose()


def test_transactional_tables_are_not_asked_about_or_refused(mariadb_url):
    """Test that InnoDB tables alone seed as before (the check finds nothing to refuse)."""
    engine = make_engine(mariadb_url)
    metadata = sa.MetaData()
    plain = sa.Table("plain", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer))
    metadata.create_all(engine)
    assert seed(engine, {plain: 20}).counts == {"plain": 20}
    engine.dispose()
