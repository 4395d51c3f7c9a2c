"""Database errors outside the load (counting rows, reading ids, keys and UNIQUE values) are one WriteError.

A role that may insert into a table but not read it is the real case here: PostgreSQL refuses the seed's
``count(*)``; ``seed()`` says so in one line, and ``syda seed`` prints that line without a traceback.
"""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from sqlalchemy_syda import WriteError, seed
from tests.schemas import make_engine

pytestmark = pytest.mark.postgres


@pytest.fixture
def insert_only_url(pg_engine, pg_schema_url):
    """A login role that may INSERT into ``notes`` but not SELECT from it; its URL; dropped afterwards."""
    role = f"syda_insert_only_{uuid.uuid4().hex[:8]}"
    table = sa.Table("notes", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("body", sa.String(80), nullable=False))
    table.metadata.create_all(pg_engine)
    with pg_engine.begin() as conn:
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar()
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
        conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
        conn.exec_driver_sql(f'GRANT INSERT ON notes TO "{role}"')
    try:
        yield make_url(pg_schema_url).set(username=role).render_as_string(hide_password=False)
    finally:
        with pg_engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"),
                         {"r": role})
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')


def test_a_refused_count_is_one_write_error(insert_only_url):
    """Test the count of existing rows refused: WriteError saying what the seed was doing and why."""
    engine = make_engine(insert_only_url)
    table = sa.Table("notes", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("body", sa.String(80), nullable=False))
    with pytest.raises(WriteError) as info:
        seed(engine, {table: 3})
    text = str(info.value)
    assert "reading the tables and the rows already in them" in text
    assert "permission denied for table notes" in text and "\n" not in text
    engine.dispose()


def test_the_cli_prints_one_line_for_it(insert_only_url):
    """Test ``syda seed`` on that role: exit 1, the reason in one Error line, no traceback."""
    from click.testing import CliRunner

    from sqlalchemy_syda.cli import main

    result = CliRunner().invoke(main, ["seed", "--url", insert_only_url, "--rows", "3"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "permission denied for table notes" in lines[0]
