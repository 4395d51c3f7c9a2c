"""The service's own migrations, with the real ``alembic`` command, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.pool import NullPool

import service
from service.models import Base

INI = Path(service.__file__).resolve().parent / "alembic.ini"
TABLES = {"projects", "api_keys", "uploads", "profiles", "jobs", "job_progress", "artifacts", "events"}


def _alembic(url: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "alembic", "-c", str(INI), "-x", f"url={url}", *args],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_upgrade_matches_the_models_and_downgrades_cleanly(db, request) -> None:
    url = request.getfixturevalue("sqlite_url" if db == "sqlite" else "pg_url")
    _alembic(url, "upgrade", "head")
    engine = sa.create_engine(url, poolclass=NullPool)
    assert TABLES <= set(sa.inspect(engine).get_table_names())
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == [], diffs  # the migration creates exactly what the models declare
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO events (at, operation, outcome) VALUES (CURRENT_TIMESTAMP, 'x', 'ok')"))
    for statement in ("UPDATE events SET outcome = 'changed'", "DELETE FROM events"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert "0001" in _alembic(url, "current")
    _alembic(url, "downgrade", "base")
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    _alembic(url, "upgrade", "head")  # and up again on the emptied database
    assert TABLES <= set(sa.inspect(engine).get_table_names())
    engine.dispose()
