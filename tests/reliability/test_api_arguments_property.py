"""Property: whatever arguments the public API is given, the outcome is rows (or a plan) or one SydaError,
in bounded time (Hypothesis's deadline); never a raw error from deep code, never a run for days."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sqlalchemy_syda import SeedPlan, SydaError, generate, seed
from tests.schemas import CrmBase, crm_models

Customer, Order = crm_models.Customer, crm_models.Order

_WEIRD = st.sampled_from([object(), "x", -1, 2.5, 10**30, None, True, b"\xff", [1, [2]], {"a": 1}, float("nan")])

# valid inputs weigh more (repeated), so that runs also reach generation and writing with odd values
_MODELS = st.sampled_from([Customer, Customer, [Customer, Order], [Customer, Order], Customer.__table__, "customers",
                           Customer.name, Customer.__table__.c.name, 3, None, [Customer, Customer]])
_COUNT = st.one_of(st.integers(0, 40), st.integers(-3, 40),
                   st.sampled_from([10**12, 10**30, 2.0, "7", None, True]))
_COUNTS = st.one_of(_COUNT, st.dictionaries(st.sampled_from([Customer, Order, "customers", "nope", Customer.name]),
                                            _COUNT, max_size=2))
_SEED = st.one_of(st.integers(-(2**70), 2**70), st.sampled_from(["abc", None, 1.5, True]))


def _callable(kind: str):
    return {
        "per-row": lambda k: k,
        "none": lambda rows, stream: None,
        "scalar": lambda rows, stream: 5,
        "ragged": lambda rows, stream: [[1], [2, 3]] * len(rows),
        "three": lambda a, b, c: 1,
        "raises": lambda k: 1 / 0,
        "object": lambda k: object(),
        "text": lambda k: "abc",
    }[kind]


_VALUE = st.one_of(_WEIRD, st.text(max_size=5), st.integers(-5, 5),
                   st.sampled_from(["per-row", "none", "scalar", "ragged", "three", "raises", "object",
                                    "text"]).map(_callable))
_OVERRIDES = st.one_of(st.none(), st.none(), st.just("x"), st.dictionaries(
    st.sampled_from(["status", "nope", "created_at", "id", "name", "orders.total_amount", Customer.website]),
    _VALUE, max_size=3))
_CARDINALITY = st.one_of(st.none(), st.none(), st.just("x"), st.dictionaries(
    st.sampled_from([Order.customer_id, Customer.name, "orders.customer_id"]),
    st.one_of(st.integers(-2, 5), st.tuples(st.integers(-1, 4), st.integers(-1, 4)), _WEIRD), max_size=1))
_OPTIONS = st.fixed_dictionaries({}, optional={
    "seed": _SEED,
    "overrides": _OVERRIDES,
    "cardinality": _CARDINALITY,
    "chunk_size": st.one_of(st.integers(1, 50), st.integers(-1, 50), _WEIRD),
    "locale": st.sampled_from(["en_US", "de_DE", "xx_YY", 5, None]),
    "dry_run": st.sampled_from([True, False, "yes"]),
    "max_rows": st.sampled_from([10**6, 10, -1, "many"]),  # None (no bound) would let 10**12 rows run for weeks
})

_SETTINGS = settings(max_examples=150, deadline=dt.timedelta(seconds=30),
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(models=_MODELS, counts=_COUNTS, options=_OPTIONS)
def test_generate_gives_rows_or_a_syda_error(models, counts, options):
    try:
        out = generate(models, counts, **options)
    except SydaError as exc:
        event(f"refused: {type(exc).__name__}")
        return
    event("rows" if not isinstance(out, SeedPlan) else "plan")
    assert isinstance(out, (pd.DataFrame, dict, SeedPlan))


@pytest.fixture(scope="module")
def crm_sqlite():
    engine = sa.create_engine("sqlite://")
    CrmBase.metadata.create_all(engine)
    yield engine
    engine.dispose()


_SEED_MODELS = st.one_of(_MODELS, st.dictionaries(st.sampled_from([Customer, Order, "customers", "orders", "nope",
                                                                   Customer.name]), _COUNT, max_size=2))


@_SETTINGS
@given(models=_SEED_MODELS, rows=_COUNT, options=_OPTIONS, workers=st.sampled_from([1, 2, 0, "2"]))
def test_seed_writes_rows_or_raises_a_syda_error_and_leaves_the_database_as_it_was(crm_sqlite, models, rows,
                                                                                  options, workers):
    with crm_sqlite.connect() as conn:
        before = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() for t in CrmBase.metadata.tables}
    try:
        result = seed(crm_sqlite, models, rows=rows, workers=workers, **options)
    except SydaError as exc:
        event(f"refused: {type(exc).__name__}")
        with crm_sqlite.connect() as conn:
            after = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() for t in CrmBase.metadata.tables}
        assert after == before
        return
    event("planned" if result.dry_run else "written")
    assert sum(result.counts.values()) >= 0
