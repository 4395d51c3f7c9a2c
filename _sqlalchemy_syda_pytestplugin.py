"""The pytest plugin of sqlalchemy-syda (entry point ``pytest11: syda``): fixtures for tests on real data.

This module only declares; what the fixtures do lives in :mod:`sqlalchemy_syda.pytest_plugin`, imported
the first time a test asks for one. It sits outside the package (as Hypothesis's plugin does) so that
loading it, which pytest does in every project where sqlalchemy-syda is installed, imports neither
sqlalchemy_syda nor numpy nor pandas. ``-p no:syda`` switches it off.

::

    # pytest.ini (or [tool.pytest.ini_options])
    [pytest]
    syda_models = myapp.models:Base          # tables created once per run; names in markers resolve here
    syda_url = postgresql+psycopg://postgres@127.0.0.1/myapp_test   # default: in-memory SQLite

    def test_orders(syda, syda_session):
        customers = syda.synthesize(Customer, 3)               # 3 rows written, objects returned
        syda.seed({Order: 20})                                 # bulk seed, this test's seed
        assert syda_session.scalar(select(func.count()).select_from(Order)) == 20

    @pytest.mark.syda({Customer: 10, Order: 30})                # seeded before the test
    def test_report(syda_session): ...

Fixtures: ``syda_session`` (a ``SeedSession`` inside a transaction that is rolled back after the test;
``commit()`` in the code under test only releases a savepoint), ``syda`` (seed / synthesize / generate /
factory bound to that session and the test's seed), ``syda_seed`` (the test's seed: derived from
``--syda-seed`` and the test's node id, printed in the report of a failing test), ``syda_engine``
(session scope; override it to build the schema your own way, e.g. with ``alembic upgrade head``),
``syda_models`` and ``syda_url`` (session scope; override in conftest.py instead of the ini options).
Options: ``--syda-url``, ``--syda-seed``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Generator, Iterator
from typing import Any

import pytest

_SEED = pytest.StashKey[tuple[int, int]]()

DEFAULT_URL = "sqlite://"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("syda", "sqlalchemy-syda synthetic data")
    group.addoption("--syda-url", dest="syda_url", default=None, metavar="URL",
                    help="database for the syda_session fixture (default: ini syda_url, else in-memory SQLite)")
    group.addoption("--syda-seed", dest="syda_seed", type=int, default=None, metavar="N",
                    help="base seed; each test's data seed is derived from it and the test's node id (default 0)")
    parser.addini("syda_url", "database URL for the syda fixtures (default: in-memory SQLite)", default=None)
    parser.addini("syda_models", "module:attribute of a declarative Base, MetaData or list of models; their "
                  "tables are created once per test run", default=None)
    parser.addini("syda_seed", "base seed of the syda fixtures (default 0)", default=None)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "syda(counts, **options): seed these rows through the syda session before the test, "
        "e.g. @pytest.mark.syda({Customer: 10, Order: 30}, cardinality={...}); seed=N fixes the test's seed")


def node_seed(base: int, nodeid: str) -> int:
    """The data seed of one test: a stable digest of the base seed and the node id (never ``hash()``)."""
    digest = hashlib.blake2b(f"{base}\0{nodeid}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") & 0x7FFFFFFF


def _base_seed(config: pytest.Config) -> int:
    value = config.getoption("syda_seed")
    if value is None:
        ini = config.getini("syda_seed")
        value = int(ini) if ini not in (None, "") else 0
    return int(value)


@pytest.fixture(scope="session")
def syda_url(pytestconfig: pytest.Config) -> str:
    """``--syda-url``, else the ``syda_url`` ini option, else ``SYDA_TEST_URL``, else in-memory SQLite."""
    return (pytestconfig.getoption("syda_url") or pytestconfig.getini("syda_url")
            or os.environ.get("SYDA_TEST_URL") or DEFAULT_URL)


@pytest.fixture(scope="session")
def syda_models(pytestconfig: pytest.Config) -> Any:
    """The models named by the ``syda_models`` ini option (None when unset); override to hand them over."""
    ref = pytestconfig.getini("syda_models")
    if not ref:
        return None
    from sqlalchemy_syda.pytest_plugin import load_models

    return load_models(ref, str(pytestconfig.rootpath))


@pytest.fixture(scope="session")
def syda_engine(syda_url: str, syda_models: Any) -> Iterator[Any]:
    """An Engine on ``syda_url`` with the tables of ``syda_models`` created (once per test run)."""
    from sqlalchemy_syda.pytest_plugin import create_schema, make_engine

    engine = make_engine(syda_url)
    try:
        create_schema(engine, syda_models)
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def syda_seed(request: pytest.FixtureRequest) -> int:
    """This test's data seed (stable per node id; ``@pytest.mark.syda(..., seed=N)`` fixes it)."""
    base = _base_seed(request.config)
    marker = request.node.get_closest_marker("syda")
    explicit = marker.kwargs.get("seed") if marker is not None else None
    value = int(explicit) if explicit is not None else node_seed(base, request.node.nodeid)
    request.node.stash[_SEED] = (value, base)
    return value


@pytest.fixture
def syda_session(syda_engine: Any) -> Iterator[Any]:
    """A ``SeedSession`` in a transaction rolled back after the test (commits release a savepoint only)."""
    from sqlalchemy_syda.pytest_plugin import transactional_session

    with transactional_session(syda_engine) as session:
        yield session


@pytest.fixture
def syda(syda_session: Any, syda_seed: int, syda_models: Any) -> Any:
    """seed / synthesize / generate / factory, bound to ``syda_session`` and this test's seed."""
    from sqlalchemy_syda.pytest_plugin import Syda

    return Syda(syda_session, syda_seed, syda_models)


@pytest.fixture(autouse=True)
def _syda_marker(request: pytest.FixtureRequest) -> None:
    """``@pytest.mark.syda({Model: n}, **options)``: seed before the test (no marker: nothing imported)."""
    marker = request.node.get_closest_marker("syda")
    if marker is None:
        return
    request.getfixturevalue("syda").seed_marker(marker.args, marker.kwargs)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                               ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failing test that used syda data gets a report section with its seed and how to rerun it."""
    report = yield
    if report.failed and _SEED in item.stash:
        value, base = item.stash[_SEED]
        report.sections.append((
            "syda", f"data seed of this test: {value} (from --syda-seed={base} and the node id); the same "
                    f"data again: pytest '{item.nodeid}' --syda-seed={base}"))
    return report
