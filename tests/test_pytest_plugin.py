"""The pytest plugin: run in real pytest subprocesses (the example app's suite, and small projects)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from _sqlalchemy_syda_pytestplugin import node_seed

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bookshop"

MODELS = '''
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

class Base(DeclarativeBase):
    pass

class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)

class Player(Base):
    __tablename__ = "players"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id"))
    email: Mapped[str] = mapped_column(sa.String(120), unique=True)
    team: Mapped[Team] = relationship()
'''

TESTS = '''
import pytest
import sqlalchemy as sa
from models import Player, Team

def count(session, model):
    return session.scalar(sa.select(sa.func.count()).select_from(model))

@pytest.mark.syda({Team: 3, Player: 12})
def test_marker_seeds_before_the_test(syda_session, syda):
    assert count(syda_session, Player) == 12 and syda.result.counts == {"teams": 3, "players": 12}

@pytest.mark.syda({"Team": 2}, seed=99)
def test_marker_by_class_name_and_fixed_seed(syda_session, syda_seed):
    assert count(syda_session, Team) == 2 and syda_seed == 99

def test_commit_is_rolled_back_afterwards(syda, syda_session):
    syda.synthesize(Player, 4)
    syda_session.commit()
    assert count(syda_session, Player) == 4

def test_nothing_left_from_the_other_tests(syda_session):
    assert count(syda_session, Player) == 0 and count(syda_session, Team) == 0

def test_fails_and_prints_its_seed(syda):
    syda.seed({Team: 1})
    assert False, "on purpose"
'''


def run_pytest(project: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict[str, str]]:
    """pytest in a subprocess in ``project``; returns the process and {test name: outcome}."""
    report = project / "report.xml"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "SYDA_"))}
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={report}", *args],
                            cwd=project, env=env, capture_output=True, text=True, timeout=600)
    outcomes = {}
    if report.exists():
        for case in ET.parse(report).getroot().iter("testcase"):
            failed = case.find("failure") is not None or case.find("error") is not None
            outcomes[case.get("name")] = "failed" if failed else "skipped" if case.find("skipped") is not None \
                else "passed"
    return result, outcomes


def make_project(root: Path, ini: str = "syda_models = models:Base\n", tests: str = TESTS) -> Path:
    (root / "models.py").write_text(textwrap.dedent(MODELS))
    (root / "test_app.py").write_text(textwrap.dedent(tests))
    (root / "pytest.ini").write_text("[pytest]\npythonpath = .\naddopts = --strict-markers\n" + ini)
    return root


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def plugin_url(request: pytest.FixtureRequest) -> str | None:
    return None if request.param == "sqlite" else request.getfixturevalue("pg_url")


def test_the_example_app_suite_passes(plugin_url):
    """examples/bookshop's own tests (only the plugin's fixtures), on in-memory SQLite and PostgreSQL."""
    args = [] if plugin_url is None else [f"--syda-url={plugin_url}"]
    result, outcomes = run_pytest(EXAMPLE, *args)
    (EXAMPLE / "report.xml").unlink(missing_ok=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert len(outcomes) == 8 and set(outcomes.values()) == {"passed"}


def test_fixtures_marker_and_rollback(tmp_path, plugin_url):
    """Marker seeding, class names in the marker, rollback after commits, the seed in a failure report.

    On PostgreSQL the run also passes ``--syda-seed=5``: every test's seed changes, one per node id.
    """
    project = make_project(tmp_path)
    base = 0 if plugin_url is None else 5
    args = [] if plugin_url is None else [f"--syda-url={plugin_url}", f"--syda-seed={base}"]
    result, outcomes = run_pytest(project, *args)
    assert outcomes == {
        "test_marker_seeds_before_the_test": "passed",
        "test_marker_by_class_name_and_fixed_seed": "passed",
        "test_commit_is_rolled_back_afterwards": "passed",
        "test_nothing_left_from_the_other_tests": "passed",
        "test_fails_and_prints_its_seed": "failed",
    }, result.stdout[-3000:]
    seed = node_seed(base, "test_app.py::test_fails_and_prints_its_seed")
    assert f"data seed of this test: {seed} (from --syda-seed={base} and the node id)" in result.stdout
    assert f"pytest 'test_app.py::test_fails_and_prints_its_seed' --syda-seed={base}" in result.stdout


def test_models_from_a_conftest_fixture_and_url_from_the_ini(tmp_path):
    """Overriding syda_models in conftest.py instead of the ini option; syda_url in the ini (a file)."""
    project = make_project(tmp_path, ini=f"syda_url = sqlite:///{tmp_path / 'app.db'}\n", tests='''
        import sqlalchemy as sa
        from models import Team

        def test_tables_exist_and_data_rolls_back(syda, syda_session, syda_engine):
            assert str(syda_engine.url).endswith("app.db")
            syda.seed({Team: 2})
            assert syda_session.scalar(sa.select(sa.func.count()).select_from(Team)) == 2
        ''')
    (project / "conftest.py").write_text(textwrap.dedent('''
        import pytest

        @pytest.fixture(scope="session")
        def syda_models():
            from models import Base
            return Base
        '''))
    result, outcomes = run_pytest(project)
    assert outcomes == {"test_tables_exist_and_data_rolls_back": "passed"}, result.stdout[-3000:]


def test_bad_models_reference_is_a_clear_error(tmp_path):
    """syda_models naming a module that is not there: one line that says what is wrong."""
    project = make_project(tmp_path, ini="syda_models = nowhere.models:Base\n",
                           tests="def test_x(syda_session):\n    pass\n")
    result, outcomes = run_pytest(project)
    assert outcomes == {"test_x": "failed"}
    assert "syda_models = 'nowhere.models:Base': cannot import 'nowhere.models'" in result.stdout


def test_the_entry_point_is_named_syda():
    """``-p no:syda`` switches the plugin off: the pytest11 entry point is called syda."""
    from importlib.metadata import entry_points

    found = [ep for ep in entry_points(group="pytest11") if ep.value == "_sqlalchemy_syda_pytestplugin"]
    assert [ep.name for ep in found][:1] == ["syda"]


def test_loading_the_plugin_imports_nothing_heavy():
    """The pytest11 module imports neither sqlalchemy_syda nor numpy nor pandas (nor SQLAlchemy)."""
    code = textwrap.dedent("""
        import sys
        import _sqlalchemy_syda_pytestplugin
        heavy = [m for m in ("sqlalchemy_syda", "numpy", "pandas", "sqlalchemy") if m in sys.modules]
        assert not heavy, heavy
        """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_node_seed_is_stable():
    """A digest of base seed and node id: the same in every process and on every machine."""
    assert node_seed(0, "tests/test_a.py::test_b") == node_seed(0, "tests/test_a.py::test_b")
    assert node_seed(0, "tests/test_a.py::test_b") == 1558058028
    assert 0 <= node_seed(7, "x") < 2**31
