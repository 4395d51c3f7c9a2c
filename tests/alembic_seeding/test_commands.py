"""Real Alembic commands (upgrade, downgrade, stamp, upgrade --sql, init, revision) on the blog project.

The project under ``tests/alembic_seeding/project`` is copied to ``tmp_path`` and migrated on SQLite and
PostgreSQL: 0001 users (``SEED``), 0002 posts / tags / post_tags (``op.seed`` + new tables + an
association table), 0003 a NOT NULL column with a placeholder default (backfill) and
``op.seed_rows``, 0004 threaded comments (``SEED`` + ``SEED_OPTIONS``). alembic.ini says
``[syda] seed = 11, new_tables = 15, association = 2``.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.pool import NullPool

import alembic_ext

PROJECT = Path(__file__).parent / "project"
TABLES = ("users", "posts", "tags", "post_tags", "comments")
BIN = Path(sys.executable).parent


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "pg_url"}[request.param])


def copy_project(target: Path) -> Path:
    """The blog project at ``target``, with the env.py that ``syda alembic init`` writes (the package's template)."""
    shutil.copytree(PROJECT, target)
    shutil.copy(Path(alembic_ext.__file__).parent / "templates" / "syda" / "env.py", target / "migrations" / "env.py")
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "blog")


@pytest.fixture
def seeding_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYDA_SEED", raising=False)
    monkeypatch.setenv("SYDA_ENV", "test")


def config(project: Path, url: str, buffer: io.StringIO | None = None) -> Config:
    cfg = Config(str(project / "alembic.ini"), output_buffer=buffer)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            names = set(sa.inspect(conn).get_table_names())
            return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES if t in names}
    finally:
        engine.dispose()


def dump(url: str, table: str, order: str = "1") -> list[tuple]:
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY {order}"))]
    finally:
        engine.dispose()


def scalar(url: str, sql: str):
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar()
    finally:
        engine.dispose()


def test_each_upgrade_step_seeds_what_the_revision_needs(project, url, seeding_on):
    """Rows after every step: SEED, op.seed, new tables, association top-up, backfill, op.seed_rows."""
    cfg = config(project, url)
    command.upgrade(cfg, "0001")
    assert counts(url) == {"users": 20}

    command.upgrade(cfg, "0002")
    # tags: op.seed("tags", 8) sized it; posts: a new table (new_tables = 15); post_tags: 2 per post
    assert counts(url) == {"users": 20, "posts": 15, "tags": 8, "post_tags": 30}
    assert scalar(url, "SELECT count(*) FROM posts WHERE user_id NOT IN (SELECT id FROM users)") == 0
    assert scalar(url, "SELECT count(DISTINCT post_id || '-' || tag_id) FROM post_tags") == 30

    command.upgrade(cfg, "0003")
    assert counts(url)["users"] == 21
    assert dump(url, "users", "id")[-1][1:3] == ("admin@example.com", "Site Admin")
    # every placeholder replaced by a generated country, on old rows and on the op.seed_rows row alike
    assert scalar(url, "SELECT count(*) FROM users WHERE country = 'unknown'") == 0
    assert scalar(url, "SELECT count(DISTINCT country) FROM users") > 5

    command.upgrade(cfg, "0004")
    assert counts(url) == {"users": 21, "posts": 15, "tags": 8, "post_tags": 30, "comments": 40}
    assert scalar(url, "SELECT count(*) FROM comments c WHERE parent_id IS NOT NULL AND parent_id >= c.id") == 0


def test_running_again_adds_nothing_and_gives_the_same_rows(project, url, seeding_on):
    """Upgrade head, go back to 0002, upgrade again: the same counts and the very same rows."""
    cfg = config(project, url)
    command.upgrade(cfg, "head")
    first = {t: dump(url, t) for t in TABLES}

    command.downgrade(cfg, "0002")
    assert counts(url) == {"users": 20, "posts": 15, "tags": 8, "post_tags": 30}
    command.upgrade(cfg, "head")
    assert {t: dump(url, t) for t in TABLES} == first

    command.upgrade(cfg, "head")  # nothing to run: still nothing added
    assert {t: dump(url, t) for t in TABLES} == first


def test_downgrade_and_stamp_are_skipped(project, url, seeding_on):
    """Downgrades seed nothing; stamping a database does not seed it."""
    cfg = config(project, url)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    assert counts(url) == {}
    command.stamp(cfg, "0001")  # the tables are not there: a seed would fail
    assert scalar(url, "SELECT version_num FROM alembic_version") == "0001"


def test_production_is_untouched_without_the_switch(project, url, monkeypatch):
    """No SYDA_ENV / SYDA_SEED: the migrations run, nothing is seeded (neither hook nor op.seed)."""
    monkeypatch.delenv("SYDA_ENV", raising=False)
    monkeypatch.delenv("SYDA_SEED", raising=False)
    command.upgrade(config(project, url), "head")
    assert counts(url) == {t: 0 for t in TABLES}


def test_production_environment_name_keeps_it_off(project, url, monkeypatch):
    """SYDA_ENV=production is off; SYDA_SEED=0 wins over SYDA_ENV=dev."""
    monkeypatch.setenv("SYDA_ENV", "production")
    command.upgrade(config(project, url), "0001")
    assert counts(url) == {"users": 0}
    monkeypatch.setenv("SYDA_ENV", "dev")
    monkeypatch.setenv("SYDA_SEED", "0")
    command.upgrade(config(project, url), "0002")
    assert counts(url) == {"users": 0, "posts": 0, "tags": 0, "post_tags": 0}


def test_offline_sql_renders_the_rows(project, url, seeding_on, tmp_path):
    """upgrade --sql: INSERTs for what the run creates; the script builds the same database."""
    buffer = io.StringIO()
    command.upgrade(config(project, url, buffer), "head", sql=True)
    sql = buffer.getvalue()
    assert sql.count("INSERT INTO users ") == 21
    assert sql.count("INSERT INTO comments ") == 40
    assert "-- syda: backfilling new NOT NULL columns needs a database; skipped offline" in sql

    fresh = tmp_path / "from_sql.db"
    if url.startswith("sqlite"):
        with sqlite3.connect(fresh) as conn:
            conn.execute("PRAGMA foreign_keys=ON")
            conn.executescript(sql)
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        target = f"sqlite:///{fresh}"
    else:
        assert "SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users));" in sql
        engine = sa.create_engine(url, poolclass=NullPool)
        with engine.begin() as conn:
            conn.exec_driver_sql(sql)
        engine.dispose()
        target = url
    assert counts(target) == {"users": 21, "posts": 15, "tags": 8, "post_tags": 30, "comments": 40}
    # the offline rows are the online rows (same generators, same seed): the users table of an online run
    online = tmp_path / "online"
    copy_project(online)
    online_url = f"sqlite:///{tmp_path / 'online.db'}"
    command.upgrade(config(online, online_url), "0002")
    rendered = dump(target, "users", "id")[:20]
    assert [r[:3] for r in rendered] == [r[:3] for r in dump(online_url, "users", "id")]


def test_offline_run_that_starts_later_knows_only_its_own_tables(project, sqlite_url, seeding_on):
    """--sql from 0001: the hook skips posts (no users to point at); op.seed_rows("users") is an error."""
    from sqlalchemy_syda import SchemaError

    buffer = io.StringIO()
    with pytest.raises(SchemaError, match=r"no op.create_table\(\) earlier in this --sql run declared it"):
        command.upgrade(config(project, sqlite_url, buffer), "0001:head", sql=True)
    sql = buffer.getvalue()
    assert sql.count("INSERT INTO tags ") == 8
    assert "-- syda: posts not seeded: offline mode has no rows of users to point at" in sql
    assert "INSERT INTO posts" not in sql and "INSERT INTO post_tags" not in sql


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SYDA_ENV", "SYDA_SEED")}
    environment.update(env)
    result = subprocess.run(args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _write_body(script: Path, upgrade: str, extra: str = "") -> None:
    text = script.read_text()
    text = text.replace('def upgrade() -> None:\n    """Upgrade schema."""\n    pass',
                        'def upgrade() -> None:\n    """Upgrade schema."""\n' + textwrap.indent(upgrade, "    "))
    script.write_text(extra + text if extra else text)


def test_syda_alembic_init_then_revision_and_upgrade(tmp_path):
    """``syda alembic init`` writes an env.py with the hook; the alembic CLI seeds SEED and op.seed."""
    _run([str(BIN / "syda"), "alembic", "init", "migrations"], tmp_path)
    assert "on_version_apply=alembic_ext.on_version_apply" in (tmp_path / "migrations" / "env.py").read_text()
    ini = (tmp_path / "alembic.ini").read_text()
    assert "[syda]" in ini
    url = f"sqlite:///{tmp_path / 'app.db'}"
    (tmp_path / "alembic.ini").write_text(ini.replace("driver://user:pass@localhost/dbname", url))

    out = _run([str(BIN / "alembic"), "revision", "-m", "create products", "--rev-id", "a1"], tmp_path)
    script = next((tmp_path / "migrations" / "versions").glob("a1_*.py"))
    assert "SEED: dict[str, int] = {}" in script.read_text(), out.stdout
    _write_body(script, textwrap.dedent("""\
        op.create_table("products", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("name", sa.String(80), nullable=False),
                        sa.Column("price", sa.Numeric(10, 2), nullable=False))
        op.create_table("reviews", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("product_id", sa.Integer, sa.ForeignKey("products.id"), nullable=False),
                        sa.Column("stars", sa.Integer, sa.CheckConstraint("stars BETWEEN 1 AND 5"), nullable=False))
        op.seed("products", 12)
        """))
    script.write_text(script.read_text().replace("SEED: dict[str, int] = {}", 'SEED: dict[str, int] = {"reviews": 30}'))

    _run([str(BIN / "alembic"), "upgrade", "head"], tmp_path, SYDA_ENV="dev")
    with sqlite3.connect(tmp_path / "app.db") as conn:
        assert conn.execute("SELECT count(*) FROM products").fetchone() == (12,)
        assert conn.execute("SELECT count(*), min(stars) >= 1, max(stars) <= 5 FROM reviews").fetchone() == (30, 1, 1)
    _run([str(BIN / "alembic"), "downgrade", "base"], tmp_path, SYDA_ENV="dev")


def test_plain_alembic_init_gets_op_seed_from_the_plugin(tmp_path):
    """A stock ``alembic init`` env.py (no change at all): op.seed works through the entry point."""
    _run([str(BIN / "alembic"), "init", "migrations"], tmp_path)
    ini = tmp_path / "alembic.ini"
    url = f"sqlite:///{tmp_path / 'plain.db'}"
    ini.write_text(ini.read_text().replace("driver://user:pass@localhost/dbname", url))
    _run([str(BIN / "alembic"), "revision", "-m", "countries", "--rev-id", "c1"], tmp_path)
    script = next((tmp_path / "migrations" / "versions").glob("c1_*.py"))
    _write_body(script, textwrap.dedent("""\
        op.create_table("countries", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("name", sa.String(60), nullable=False, unique=True),
                        sa.Column("iso_code", sa.String(2), nullable=False))
        op.seed("countries", 25)
        op.seed_rows("countries", [{"name": "Atlantis", "iso_code": "AT"}])
        """))
    _run([str(BIN / "alembic"), "upgrade", "head"], tmp_path, SYDA_SEED="1")
    with sqlite3.connect(tmp_path / "plain.db") as conn:
        assert conn.execute("SELECT count(*) FROM countries").fetchone() == (26,)
        assert conn.execute("SELECT iso_code FROM countries WHERE name = 'Atlantis'").fetchone() == ("AT",)
    sql = _run([str(BIN / "alembic"), "upgrade", "head", "--sql"], tmp_path, SYDA_SEED="1").stdout
    assert sql.count("INSERT INTO countries ") == 26
    off = _run([str(BIN / "alembic"), "upgrade", "head", "--sql"], tmp_path).stdout
    assert "INSERT INTO countries" not in off and "skipped, seeding is off" in off
