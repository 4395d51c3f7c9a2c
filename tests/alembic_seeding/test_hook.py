"""The post-migration hook's rules (backfill, configuration, the switch) and the plugin's packaging."""

from __future__ import annotations

import argparse
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
from alembic_ext import SeedHook, SeedSettings, is_association
from alembic_ext.backfill import _placeholder_sql
from alembic_ext.settings import revision_declarations
from sqlalchemy_syda import SchemaError, table_spec

ENV_PY = (Path(alembic_ext.__file__).parent / "templates" / "syda" / "env.py").read_text().replace(
    "on_version_apply=alembic_ext.on_version_apply,  # sqlalchemy-syda: seed after each upgrade step",
    'on_version_apply=config.attributes.get("syda_hook") or alembic_ext.on_version_apply,')

LOGGING = """[loggers]
keys = root

[handlers]
keys =

[formatters]
keys =

[logger_root]
level = WARNING
handlers =
"""

ITEMS = '''
def upgrade():
    op.create_table("items", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(60), nullable=False), sa.Column("price", sa.Numeric(8, 2)))
'''
STATUS = '''
def upgrade():
    op.add_column("items", sa.Column("status", sa.String(20), nullable=False, server_default="new"))
    op.add_column("items", sa.Column("note", sa.String(40), nullable=True, server_default="none"))
    op.execute("UPDATE items SET status = 'kept' WHERE id <= 2")
'''


def make_project(root: Path, revisions: list[tuple[str, str]], syda: str = "", pyproject: str = "") -> Path:
    """An Alembic project in ``root``: revisions are (module prelude, upgrade body) in order."""
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "migrations" / "env.py").write_text(ENV_PY)
    (root / "alembic.ini").write_text(f"[alembic]\nscript_location = %(here)s/migrations\n\n[syda]\n{syda}\n\n{LOGGING}")
    if pyproject:
        (root / "pyproject.toml").write_text(pyproject)
    down = None
    for i, (prelude, body) in enumerate(revisions, 1):
        rev = f"r{i}"
        (versions / f"{rev}.py").write_text(textwrap.dedent(f"""\
            import sqlalchemy as sa
            from alembic import op
            revision = {rev!r}
            down_revision = {down!r}
            branch_labels = depends_on = None
            {prelude}
            """) + textwrap.dedent(body) + "\n\ndef downgrade():\n    pass\n")
        down = rev
    return root / "alembic.ini"


def upgrade(ini: Path, url: str, target: str = "head", **attributes) -> None:
    cfg = Config(str(ini), attributes=attributes)
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, target)


def query(url: str, sql: str) -> list[tuple]:
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(sa.text(sql))]
    engine.dispose()
    return rows


@pytest.fixture(autouse=True)
def seeding_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYDA_SEED", raising=False)
    monkeypatch.setenv("SYDA_ENV", "dev")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "pg_url"}[request.param])


def test_backfill_replaces_only_placeholders_of_new_not_null_columns(tmp_path, url):
    """Rows the migration set itself keep their values; nullable new columns keep their default."""
    ini = make_project(tmp_path, [('SEED = {"items": 6}', ITEMS), ("", STATUS)])
    upgrade(ini, url)
    rows = query(url, "SELECT id, status, note FROM items ORDER BY id")
    assert [r[1] for r in rows[:2]] == ["kept", "kept"]
    assert all(r[1] not in ("new", "kept") for r in rows[2:])
    assert {r[2] for r in rows} == {"none"}


def test_backfill_twice_changes_nothing(tmp_path, url):
    """The second backfill finds no placeholder left."""
    from alembic_ext.backfill import backfill_column
    from sqlalchemy_syda import reflect_specs

    ini = make_project(tmp_path, [('SEED = {"items": 6}', ITEMS), ("", STATUS)])
    upgrade(ini, url)
    before = query(url, "SELECT * FROM items ORDER BY id")
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        spec = reflect_specs(conn, only=["items"])[0]
        column = sa.Column("status", sa.String(20), nullable=False, server_default="new")
        assert backfill_column(conn, spec, column) == 0
    engine.dispose()
    assert query(url, "SELECT * FROM items ORDER BY id") == before


def test_placeholders_are_constants_only(sqlite_url):
    """Strings, numbers and booleans are placeholders; now() and friends are not."""
    conn = sa.create_engine(sqlite_url).connect()
    assert _placeholder_sql(conn, "it's") == "'it''s'"
    assert _placeholder_sql(conn, sa.text("0")) == "0"
    assert _placeholder_sql(conn, sa.false()) in ("0", "false")
    assert _placeholder_sql(conn, sa.func.now()) is None
    assert _placeholder_sql(conn, sa.text("CURRENT_TIMESTAMP")) is None
    conn.close()


def test_configured_tables_are_topped_up_after_every_step(tmp_path, sqlite_url):
    """[syda] tables: topped up at each step (the revision's SEED wins in its own step); exclude wins."""
    ini = make_project(tmp_path, [('SEED = {"items": 6}', ITEMS), ("", STATUS)], syda="tables = items=9\nseed = 3")
    upgrade(ini, sqlite_url, "r1")
    assert query(sqlite_url, "SELECT count(*) FROM items") == [(6,)]
    upgrade(ini, sqlite_url, "r2")
    assert query(sqlite_url, "SELECT count(*) FROM items") == [(9,)]

    other = tmp_path / "excluded"
    other.mkdir()
    ini = make_project(other, [("", ITEMS)], syda="exclude = items")
    upgrade(ini, f"sqlite:///{other / 'x.db'}")
    assert query(f"sqlite:///{other / 'x.db'}", "SELECT count(*) FROM items") == [(0,)]


def test_pyproject_tool_syda_and_ini(tmp_path, sqlite_url):
    """[tool.syda] in pyproject.toml next to alembic.ini; [syda] in alembic.ini wins; other keys ignored."""
    ini = make_project(tmp_path, [("", ITEMS)], syda="new_tables = 0",
                       pyproject='[tool.syda]\ntables = { items = 4 }\nnew_tables = 30\nmodel = "ignored"\n')
    settings = SeedSettings.load(Config(str(ini)))
    assert settings.tables == {"items": 4} and settings.new_tables == 0
    upgrade(ini, sqlite_url)
    assert query(sqlite_url, "SELECT count(*) FROM items") == [(4,)]


def test_settings_errors_name_the_key(tmp_path):
    """Unknown keys and bad values in [syda] are errors that say where."""
    ini = make_project(tmp_path, [("", ITEMS)], syda="tabels = items=3")
    with pytest.raises(SchemaError, match="unknown key\\(s\\) tabels; the keys are seed, tables"):
        SeedSettings.load(Config(str(ini)))
    ini.write_text("[alembic]\nscript_location = x\n[syda]\ntables = items=three\n")
    with pytest.raises(SchemaError, match="bad value for 'tables'"):
        SeedSettings.load(Config(str(ini)))
    assert SeedSettings().merged({"backfill": "no", "exclude": "a, b"}, "x") == \
        SeedSettings(backfill=False, exclude=frozenset({"a", "b"}))


def test_revision_declarations_are_checked():
    """SEED must map table names to counts."""

    class Module:
        SEED = {"users": "ten"}

    with pytest.raises(SchemaError, match="SEED in .* must map table names to row counts"):
        revision_declarations(Module)
    assert revision_declarations(None) == ({}, {})


def test_hook_configured_in_code_and_x_argument(tmp_path, sqlite_url, monkeypatch):
    """SeedHook(SeedSettings(...)) in env.py; ``-x syda=on`` switches it on for one command."""
    monkeypatch.delenv("SYDA_ENV")
    ini = make_project(tmp_path, [("", ITEMS)])
    cfg = Config(str(ini), cmd_opts=argparse.Namespace(x=["syda=on"]),
                 attributes={"syda_hook": SeedHook(SeedSettings(tables={"items": 7}))})
    cfg.set_main_option("sqlalchemy.url", sqlite_url)
    command.upgrade(cfg, "head")
    assert query(sqlite_url, "SELECT count(*) FROM items") == [(7,)]


def test_unknown_seed_table_is_an_error(tmp_path, sqlite_url):
    """SEED naming a table that does not exist at that revision fails the migration (and rolls it back)."""
    ini = make_project(tmp_path, [('SEED = {"itmes": 3}', ITEMS)])
    with pytest.raises(SchemaError, match="SEED of revision r1 names 'itmes', which does not exist"):
        upgrade(ini, sqlite_url)


def test_is_association():
    """Keys made of two or more foreign keys to different tables."""
    md = sa.MetaData()
    sa.Table("a", md, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("b", md, sa.Column("id", sa.Integer, primary_key=True))
    link = sa.Table("a_b", md, sa.Column("a_id", sa.ForeignKey("a.id"), primary_key=True),
                    sa.Column("b_id", sa.ForeignKey("b.id"), primary_key=True), sa.Column("since", sa.Date))
    nopk = sa.Table("a_b2", md, sa.Column("a_id", sa.ForeignKey("a.id")), sa.Column("b_id", sa.ForeignKey("b.id")),
                    sa.UniqueConstraint("a_id", "b_id"))
    child = sa.Table("c", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("a_id", sa.ForeignKey("a.id")))
    assert is_association(table_spec(link)) and is_association(table_spec(nopk))
    assert not is_association(table_spec(child))


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)


def test_the_entry_point_registers_ops_without_importing_the_pipeline():
    """``import alembic`` runs setup(): op.seed exists, sqlalchemy_syda / numpy / pandas are not imported."""
    result = _python("""
        import sys
        import alembic
        from alembic.operations import Operations
        assert hasattr(Operations, "seed") and hasattr(Operations, "seed_rows")
        heavy = [m for m in ("sqlalchemy_syda", "numpy", "pandas") if m in sys.modules]
        assert not heavy, heavy
        """)
    assert result.returncode == 0, result.stderr


def test_without_alembic_the_error_names_the_extra():
    """No Alembic installed: MissingDependencyError with the pip command."""
    result = _python("""
        import sys
        sys.modules["alembic"] = None
        from sqlalchemy_syda import MissingDependencyError
        try:
            import alembic_ext
        except MissingDependencyError as exc:
            print(exc)
        """)
    assert "pip install 'sqlalchemy-syda[alembic]'" in result.stdout, result.stderr


LINKS = '''
def upgrade():
    op.create_table("a", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40), nullable=False))
    op.create_table("b", sa.Column("id", sa.Integer, primary_key=True), sa.Column("label", sa.String(40), nullable=False))
    op.create_table("a_b", sa.Column("a_id", sa.Integer, sa.ForeignKey("a.id"), primary_key=True),
                    sa.Column("b_id", sa.Integer, sa.ForeignKey("b.id"), primary_key=True))
'''
CHILD = '''
def upgrade():
    op.create_table("c", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("a_id", sa.Integer, sa.ForeignKey("a.id"), nullable=False))
'''


def test_association_tables_grow_with_their_parents(tmp_path, url):
    """Links are topped up to 2 per row of the larger parent, never repeating a pair already there;
    a child seeded in a later step points at parents that are already full."""
    ini = make_project(tmp_path, [("", LINKS), ('SEED = {"a": 12, "c": 6}', CHILD)], syda="tables = a=5, b=4")
    upgrade(ini, url, "r1")
    assert query(url, "SELECT count(*) FROM a_b") == [(10,)]
    upgrade(ini, url, "r2")
    assert query(url, "SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM c)") == [(12, 6)]
    pairs = query(url, "SELECT a_id, b_id FROM a_b")
    assert len(pairs) == len(set(pairs)) == 24
    assert query(url, "SELECT count(*) FROM c WHERE a_id NOT IN (SELECT id FROM a)") == [(0,)]
