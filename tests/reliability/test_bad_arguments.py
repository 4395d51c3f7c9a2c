"""Wrong arguments at the public entry points: one clear SydaError at the door, never a raw error from deep code.

Each case failed before its fix with a raw ``AttributeError`` / ``TypeError`` / ``ValueError`` / numpy
``MemoryError`` (or ran for days); the tables are checked in SQL to be untouched afterwards.
"""

from __future__ import annotations

import copyreg
import pickle
import threading

import numpy as np
import pytest
import sqlalchemy as sa

from sqlalchemy_syda import OverrideError, PlanError, SchemaError, SydaError, generate, seed
from sqlalchemy_syda.generators.base import Generator
from sqlalchemy_syda.plan_size import MAX_ROWS
from tests.schemas import CrmBase, count, crm_models, make_engine, on_sqlite_and_pg

Customer, Order = crm_models.Customer, crm_models.Order


def _things(metadata: sa.MetaData) -> sa.Table:
    return sa.Table("things", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("n", sa.Integer),
                    sa.Column("price", sa.Numeric(10, 2)), sa.Column("label", sa.String(20)),
                    sa.Column("flag", sa.Boolean))


@pytest.fixture
def things(db_url):
    engine = make_engine(db_url)
    metadata = sa.MetaData()
    table = _things(metadata)
    metadata.create_all(engine)
    yield engine, table
    engine.dispose()


@pytest.mark.parametrize("key", [Customer(name="x"), Customer.name, Customer.__table__.c.name, 3.5, object()],
                         ids=["instance", "attribute", "column", "float", "object"])
def test_a_table_key_that_is_no_table_is_a_schema_error(sqlite_engine, key):
    CrmBase.metadata.create_all(sqlite_engine)
    with pytest.raises(SchemaError) as info:
        seed(sqlite_engine, {key: 3})
    message = str(info.value)
    if hasattr(key, "key") or isinstance(key, sa.Column):
        assert "is a column, not a table" in message and "overrides=" in message
    elif isinstance(key, Customer):
        assert "instance of Customer" in message and "the class Customer itself" in message
    else:
        assert "name tables by a mapped class" in message
    assert count(sqlite_engine, "customers") == 0


@pytest.mark.parametrize(("options", "names"), [
    ({"overrides": "x"}, "overrides must be a mapping"),
    ({"cardinality": "x"}, "cardinality must be a mapping"),
    ({"seed": "abc"}, "seed must be an integer"),
    ({"dry_run": "yes"}, "dry_run must be True or False"),
    ({"max_rows": -1}, "max_rows must be a non-negative integer"),
])
def test_options_of_the_wrong_type_are_refused_at_the_door(sqlite_engine, options, names):
    CrmBase.metadata.create_all(sqlite_engine)
    with pytest.raises(SydaError, match=names):
        seed(sqlite_engine, {Customer: 3, Order: 3}, **options)
    with pytest.raises(SydaError, match=names):
        generate([Customer, Order], 3, **options)
    assert count(sqlite_engine, "customers") == count(sqlite_engine, "orders") == 0


def test_numpy_integers_are_counts_and_seeds():
    np = pytest.importorskip("numpy")
    frame = generate(Customer, np.int64(4), seed=np.int64(7))
    assert len(frame) == 4
    assert frame.equals(generate(Customer, 4, seed=7))


def test_absurd_sizes_are_refused_unless_confirmed(sqlite_engine):
    """10**30 rows used to end in a raw ValueError from the permutation, 10**12 in weeks of work or a numpy
    MemoryError; both are refused before any recipe is built, and a raised max_rows confirms a bigger run."""
    CrmBase.metadata.create_all(sqlite_engine)
    with pytest.raises(PlanError, match=r"1,000,000,000,000 rows, over the limit of 100,000,000.*max_rows"):
        seed(sqlite_engine, {Customer: 10**12})
    with pytest.raises(PlanError, match="no run can hold more than"):
        seed(sqlite_engine, {Customer: 10**30}, max_rows=None)
    with pytest.raises(PlanError, match="over the limit"):
        generate(Customer, 10**12)
    with pytest.raises(PlanError, match="over the limit"):
        generate(Customer, MAX_ROWS + 1)
    with pytest.raises(PlanError, match="in memory"):  # confirmed, but it cannot fit in memory
        generate(Customer, 10**12, max_rows=None)
    plan = seed(sqlite_engine, {Customer: 10**9}, max_rows=10**9, dry_run=True).plan  # confirmed: planned
    assert plan.counts == {"customers": 10**9}
    assert "estimate: 1,000,000,000 rows" in plan.describe(recipes=False)
    assert count(sqlite_engine, "customers") == 0


def test_synthesize_refuses_an_absurd_count():
    from tests.schemas import Category

    with pytest.raises(PlanError, match="over the limit"):
        Category.synthesize(10**12)


@on_sqlite_and_pg
@pytest.mark.parametrize(("column", "override", "says"), [
    ("n", lambda rows, stream: [[1], [2, 3], []] * 2, r"things\.n gave \[1\] at row 0: the INTEGER column cannot hold "
                                                     r"list values"),
    ("n", lambda rows, stream: None, r"returned None for 6 rows; a vectorised fn\(rows, stream\)"),
    ("n", lambda rows, stream: 5, "returned 5 for 6 rows"),
    ("n", lambda rows, stream: [1, 2], "returned 2 values for 6 rows"),
    ("label", object(), "the VARCHAR\\(20\\) column cannot hold object values"),
    ("n", lambda a, b, c: 1, r"takes \(a, b, c\); an override callable is called as fn\(\) or fn\(k\)"),
    ("price", lambda k: "abc", "gave 'abc' at row 0: the NUMERIC\\(10, 2\\) column cannot hold text that is not a"),
    ("price", "abc", "the NUMERIC\\(10, 2\\) column cannot hold text that is not a number"),
    ("flag", lambda k: "yes", "the BOOLEAN column cannot hold str values"),
    ("n", lambda k: 1 / 0, r"raised ZeroDivisionError: division by zero \(rows 0\.\.5\)"),
], ids=["ragged", "none", "scalar", "short", "object", "three-params", "text-for-numeric", "text-constant",
        "text-for-boolean", "raises"])
def test_misbehaving_overrides_are_one_override_error(things, column, override, says):
    engine, table = things
    with pytest.raises(OverrideError, match=says):
        seed(engine, {table: 6}, overrides={table: {column: override}})
    assert count(engine, "things") == 0


def test_numeric_text_and_numbers_still_fit(sqlite_engine):
    metadata = sa.MetaData()
    table = _things(metadata)
    metadata.create_all(sqlite_engine)
    seed(sqlite_engine, {table: 4}, overrides={table: {"price": lambda k: f"{k}.50", "n": lambda k: k * 2}})
    with sqlite_engine.connect() as conn:
        got = conn.execute(sa.text("SELECT n, CAST(price AS TEXT) FROM things ORDER BY id")).all()
    assert [tuple(r) for r in got] == [(0, "0.5"), (2, "1.5"), (4, "2.5"), (6, "3.5")]


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("this exception cannot be pickled")


def _explode_late(k: int) -> str:
    if k >= 1500:
        raise _Unpicklable(f"exploded at row {k}")
    return "Retail"


def test_an_unpicklable_user_exception_under_workers_arrives_as_a_syda_error(sqlite_engine):
    """It used to arrive as multiprocessing's MaybeEncodingError, which names neither the column nor the cause."""
    CrmBase.metadata.create_all(sqlite_engine)
    with pytest.raises(OverrideError, match=r"customers\.industry raised _Unpicklable: exploded at row 1500") as info:
        seed(sqlite_engine, {Customer: 3000}, workers=2, chunk_size=500, overrides={Customer.industry: _explode_late})
    pickle.dumps(info.value)
    assert count(sqlite_engine, "customers") == 0


@pytest.fixture(params=["pickle", "tblib"])
def exception_pickling(request):
    """How the process pickles exceptions: Python's way (no cause, context or traceback), or tblib's, with all
    three, which importing ``dask.distributed`` (``distributed.utils``) or ``dask.multiprocessing`` installs
    for every exception class defined by then: the call below is theirs. Put back as it was afterwards."""
    saved = dict(copyreg.dispatch_table)
    if request.param == "tblib":
        pytest.importorskip("tblib.pickling_support").install()
    else:  # an earlier test of the session may have imported dask.distributed: Python's way again
        for cls, reducer in saved.items():
            if isinstance(cls, type) and issubclass(cls, BaseException) and \
                    getattr(reducer, "__module__", "").startswith("tblib"):
                del copyreg.dispatch_table[cls]
    yield request.param
    copyreg.dispatch_table.clear()
    copyreg.dispatch_table.update(saved)


def _within(seconds: float, fn) -> BaseException | None:
    """What ``fn()`` raised (None if nothing), failing the test if it is still running after ``seconds``."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            fn()
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still running after {seconds} s (a worker's result the pool could not read hangs it)"
    return outcome[0]


def test_the_user_exception_arrives_as_an_override_error_whatever_pickles_exceptions(sqlite_engine,
                                                                                      exception_pickling):
    """After ``import dask.distributed`` (tblib's pickling) in the same process, the worker's OverrideError
    was sent with its cause, the user's unpicklable exception, and arrived as MaybeEncodingError; the next
    seed in the process gets a working pool."""
    CrmBase.metadata.create_all(sqlite_engine)
    with pytest.raises(OverrideError, match=r"customers\.industry raised _Unpicklable: exploded at row 1500 "
                                            r"\(rows 1500\.\.1999\)") as info:
        seed(sqlite_engine, {Customer: 3000}, workers=2, chunk_size=500,
             overrides={Customer.industry: _explode_late})
    assert pickle.loads(pickle.dumps(info.value)).args == info.value.args  # the caller can send it on
    assert "_explode_late" in str(info.value.__cause__)  # the worker's traceback, as text
    assert count(sqlite_engine, "customers") == 0
    assert seed(sqlite_engine, {Customer: 3000}, workers=2, chunk_size=500).counts == {"customers": 3000}


class _TwoArguments(Exception):
    """Pickles (as its message) but cannot be rebuilt from it: the pool's result thread died on it."""

    def __init__(self, table: str, row: int) -> None:
        super().__init__(f"{table} has no industry at row {row}")


class _LateIndustry(Generator):
    """A user's own generator (an override may be one) that fails from row 1500 on."""

    def __init__(self, error: type[Exception]) -> None:
        self.error = error

    def generate(self, ctx, rows: np.ndarray) -> np.ndarray:
        if rows[-1] >= 1500:
            raise (self.error("customers", int(rows[0])) if self.error is _TwoArguments else
                   self.error(f"customers has no industry at row {int(rows[0])}"))
        return np.full(len(rows), "Retail", dtype=object)


@pytest.mark.parametrize("error", [_Unpicklable, _TwoArguments])
def test_a_user_generator_error_a_worker_cannot_send_is_a_syda_error_and_never_hangs(sqlite_engine, error,
                                                                                    exception_pickling):
    """An exception that cannot be unpickled used to hang the seed for ever (the pool's result thread
    died)."""
    CrmBase.metadata.create_all(sqlite_engine)
    raised = _within(60, lambda: seed(sqlite_engine, {Customer: 3000}, workers=2, chunk_size=500,
                                       overrides={Customer.industry: _LateIndustry(error)}))
    if error is _TwoArguments and exception_pickling == "tblib":  # tblib rebuilds it without __init__:
        assert type(raised) is error  # it travels, and arrives as one process raises it
        assert str(raised) == "customers has no industry at row 1500"
    else:
        assert type(raised) is SydaError, raised
        assert str(raised) == (f"Generating rows 1500..1999 of Customer failed in a worker process: "
                               f"{error.__name__}: customers has no industry at row 1500")
    assert count(sqlite_engine, "customers") == 0
    assert seed(sqlite_engine, {Customer: 3000}, workers=2, chunk_size=500).counts == {"customers": 3000}


class _UnpicklableText(str):
    def __reduce_ex__(self, protocol):
        raise TypeError("this text cannot be pickled")


class _UnpicklableIndustry(Generator):
    def generate(self, ctx, rows: np.ndarray) -> np.ndarray:
        out = np.empty(len(rows), dtype=object)
        out[:] = [_UnpicklableText("Retail") for _ in rows]
        return out


def test_values_a_worker_cannot_send_back_are_a_syda_error_naming_the_rows(sqlite_engine):
    """One process writes them; a worker's batch holding them used to arrive as MaybeEncodingError."""
    CrmBase.metadata.create_all(sqlite_engine)
    with pytest.raises(SydaError, match=r"^Rows 0\.\.499 of Customer could not be sent back from a worker "
                                        r"process \(a value that cannot be pickled\): TypeError\('this text"):
        seed(sqlite_engine, {Customer: 3000}, workers=2, chunk_size=500,
             overrides={Customer.industry: _UnpicklableIndustry()})
    assert count(sqlite_engine, "customers") == 0
    assert seed(sqlite_engine, {Customer: 3000}, workers=2, chunk_size=500).counts == {"customers": 3000}


def test_generate_with_an_unknown_column_in_overrides_raises_like_seed():
    """``generate(M, 3, overrides={"status": "FIXED", "nope": 1})`` once dropped every override silently."""
    with pytest.raises(SchemaError, match="'nope'"):
        generate(Customer, 3, overrides={"status": "FIXED", "nope": 1})
    with pytest.raises(SchemaError, match="'nope'"):
        generate(Customer.__table__, 3, overrides={"status": "FIXED", "nope": 1})
    assert set(generate(Customer, 3, overrides={"status": "FIXED"}).status) == {"FIXED"}


def test_a_bare_column_name_in_overrides_means_the_one_table_that_has_it(sqlite_url):
    """Test that ``overrides={"industry": ...}`` in a seed of customers and orders means customers.industry (it
    was refused as 'Cannot tell which column'), and that a name two tables have, or none, is one SchemaError
    naming the tables."""
    engine = make_engine(sqlite_url)
    CrmBase.metadata.create_all(engine)
    seed(engine, {Customer: 5, Order: 8}, overrides={"industry": "Retail"}, seed=1)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT DISTINCT industry FROM customers")).scalars().all() == ["Retail"]
    with pytest.raises(SchemaError, match=r"'status'.*'customers', 'orders' all have it.*'table\.column'"):
        seed(engine, {Customer: 5, Order: 8}, overrides={"status": "active"})
    with pytest.raises(SchemaError, match=r"'nope'.*none of 'customers', 'orders' has it"):
        seed(engine, {Customer: 5, Order: 8}, overrides={"nope": 1})
    assert count(engine, "customers") == 5 and count(engine, "orders") == 8
    engine.dispose()


def test_a_bare_json_column_name_with_a_dict_value_is_that_column(sqlite_url):
    """Test that ``overrides={"meta": {"x": 1}}`` (a JSON column's value under a bare name) sets that column, not a
    table named 'meta' (it was refused as 'not among the seeded tables'), while ``{"a": {...}}`` is still a table."""
    engine = make_engine(sqlite_url)
    md = sa.MetaData()
    a = sa.Table("a", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("meta", sa.JSON))
    b = sa.Table("b", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("a_id", sa.ForeignKey("a.id")))
    md.create_all(engine)
    seed(engine, {a: 2, b: 3}, overrides={"meta": {"x": 1}})
    seed(engine, {a: 1}, overrides={"a": {"meta": {"y": 2}}})
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT meta FROM a ORDER BY id")).scalars().all() == [
            '{"x": 1}', '{"x": 1}', '{"y": 2}']
    engine.dispose()
