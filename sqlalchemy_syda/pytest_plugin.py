"""What the pytest fixtures do: engine and schema, a rolled-back session per test, the ``syda`` helper.

pytest loads the declarations from the top-level module ``_sqlalchemy_syda_pytestplugin`` (entry point
``pytest11: syda``), which imports this module only when a test asks for a fixture. Used from a test::

    def test_best_sellers(syda, syda_session):
        syda.seed({Book: 50, Order: 200, OrderLine: 600})        # bulk, FK order, this test's seed
        alice = syda.synthesize(Customer, name="Alice")[0]       # one row written, the object back
        frame = syda.generate(Book, 5)                           # a DataFrame, nothing written
        BookFactory = syda.factory(Book)                         # factory_boy, bound to the session
        assert best_sellers(syda_session, 3)

Transactions: the session is bound to one connection whose outer transaction is rolled back after the
test (``join_transaction_mode="create_savepoint"``, so ``session.commit()`` in the code under test
only releases a savepoint). On SQLite the pysqlite driver is put in SQLAlchemy's documented
"BEGIN explicitly" mode so that savepoints nest properly, and foreign keys are enforced. What the
fixtures do, by hand::

    >>> db = make_engine("sqlite://")                  # in-memory, shared, foreign keys on
    >>> create_schema(db, Base)
    >>> with transactional_session(db) as session:
    ...     syda = Syda(session, seed=1, models=Base)
    ...     syda.seed({Customer: 3, Order: 6}).counts
    ...     session.commit()                            # the code under test may commit: a savepoint ends
    ...     [(p.id, p.name) for p in syda.synthesize(Product, name="Cast Iron Skillet")]
    ...     len(syda.generate(Product, 4))              # a DataFrame, nothing written
    {'customers': 3, 'orders': 6}
    [(1, 'Cast Iron Skillet')]
    4
    >>> with db.connect() as conn:                      # after the test: rolled back
    ...     conn.execute(sa.text("SELECT count(*) FROM orders")).scalar()
    0
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from .exceptions import SchemaError
from .orm import SeedSession

__all__ = ["Syda", "create_schema", "load_models", "make_engine", "metadata_of", "transactional_session"]


def load_models(ref: str, rootdir: str | None = None) -> Any:
    """``"module:attribute"`` (a declarative Base, MetaData, model or list of models) -> the object."""
    if ":" not in ref:
        raise SchemaError(f"syda_models = {ref!r}: use module:attribute, e.g. myapp.models:Base.")
    module_name, attr = ref.split(":", 1)
    if rootdir and rootdir not in sys.path:
        sys.path.insert(0, rootdir)
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise SchemaError(f"syda_models = {ref!r}: cannot import {module_name!r} ({exc}); is it on the "
                          "pythonpath (pytest's pythonpath ini option)?") from exc
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise SchemaError(f"syda_models = {ref!r}: {module_name!r} has no attribute {attr!r}.") from None
    return obj


def metadata_of(models: Any) -> list[sa.MetaData]:
    """The MetaData objects behind a Base, a MetaData, a model or a list of models and tables."""
    if models is None:
        return []
    if isinstance(models, sa.MetaData):
        return [models]
    if isinstance(models, sa.Table):
        return [models.metadata]
    if isinstance(models, (list, tuple, set)):
        out: list[sa.MetaData] = []
        for item in models:
            out.extend(m for m in metadata_of(item) if all(m is not o for o in out))
        return out
    metadata = getattr(models, "metadata", None)
    if isinstance(metadata, sa.MetaData):
        return [metadata]
    raise SchemaError(f"syda_models: expected a declarative Base, MetaData, model or list of them; got {models!r}.")


def make_engine(url: str) -> sa.Engine:
    """An Engine for tests: SQLite with foreign keys on and savepoints that nest; in-memory SQLite shared."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed)
    memory = parsed.database in (None, "", ":memory:")
    kw: dict[str, Any] = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}} if memory else {}
    engine = sa.create_engine(parsed, **kw)

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver stops beginning transactions by itself ...
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN")  # ... and SQLAlchemy begins them, so SAVEPOINTs nest inside

    return engine


def create_schema(engine: sa.Engine, models: Any) -> None:
    """Create the tables of ``models`` that do not exist yet (nothing when ``models`` is None)."""
    for metadata in metadata_of(models):
        metadata.create_all(engine)


@contextlib.contextmanager
def transactional_session(engine: sa.Engine) -> Iterator[SeedSession]:
    """A ``SeedSession`` whose work is rolled back at the end, whatever the test committed."""
    connection = engine.connect()
    transaction = connection.begin()
    session = SeedSession(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        if transaction.is_active:
            transaction.rollback()
        connection.close()


class Syda:
    """The ``syda`` fixture: the pipeline bound to one session and one seed."""

    def __init__(self, session: SeedSession, seed: int, models: Any = None) -> None:
        self.session = session
        self.test_seed = seed
        """The data seed of this test (the ``syda_seed`` fixture)."""
        self.models = models
        self.result: Any = None
        """The ``SeedResult`` of the ``@pytest.mark.syda`` marker, when the test has one."""

    def seed(self, models: Any = None, **options: Any) -> Any:
        """:func:`sqlalchemy_syda.seed` through the test's session; ``seed=`` defaults to the test's seed."""
        from .seed import seed

        options.setdefault("seed", self.test_seed)
        return seed(self.session, self._resolve(models), **options)

    def synthesize(self, model: type, n: int = 1, **overrides: Any) -> list[Any]:
        """``n`` rows of ``model`` written (with needed parents), returned as attached objects."""
        from .orm import synthesize

        return synthesize(model, n, self.session, seed=self.test_seed, **overrides)

    def generate(self, models: Any, counts: Any = None, **options: Any) -> Any:
        """:func:`sqlalchemy_syda.generate` (DataFrames, nothing written) with the test's seed."""
        from .generate import generate

        options.setdefault("seed", self.test_seed)
        return generate(models, counts, **options)

    def factory(self, model: type, **meta: Any) -> Any:
        """A factory_boy factory for ``model`` bound to the test's session and seed (needs ``[factory]``)."""
        from .factories import factory_for

        meta.setdefault("seed", self.test_seed)
        return factory_for(model, session=self.session, **meta)

    def seed_marker(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> Any:
        """Apply ``@pytest.mark.syda(counts, **options)``."""
        if len(args) != 1:
            raise SchemaError("@pytest.mark.syda takes one positional argument, the counts: "
                              "@pytest.mark.syda({Customer: 10, Order: 30}).")
        options = {k: v for k, v in kwargs.items() if k != "seed"}
        self.result = self.seed(args[0], **options)
        return self.result

    def _resolve(self, models: Any) -> Any:
        """Names in ``models`` that are model class names of ``syda_models`` -> the classes."""
        if not isinstance(models, Mapping) or self.models is None:
            return models
        classes = _classes_by_name(self.models)
        return {classes.get(k, k) if isinstance(k, str) else k: v for k, v in models.items()}

    def __repr__(self) -> str:
        return f"<syda seed={self.test_seed} session={self.session!r}>"


def _classes_by_name(models: Any) -> dict[str, Any]:
    registry = getattr(models, "registry", None)
    if registry is None:
        return {}
    return {m.class_.__name__: m.class_ for m in registry.mappers}
