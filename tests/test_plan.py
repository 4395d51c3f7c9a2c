"""plan_seed(): table order from the FK graph, cycle breaking, derived counts, describe().

The plan is data built from specs alone, so these tests need no database; what a plan does to a
real database (NULL first / UPDATE after, DEFERRABLE, ALTER ... DEFERRABLE) is in test_seed.py.
"""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa
from schemas import CRM, Category, CycleBase, Employee, not_null_cycle
from sqlalchemy import Column, ForeignKey, Integer, String, Table

from sqlalchemy_syda import PlanError, UnresolvableCycleError, between, fixed, poisson, zipf
from sqlalchemy_syda.introspect import table_spec, table_specs
from sqlalchemy_syda.plan import SeedPlan
from sqlalchemy_syda.planner import plan_seed


def order_of(plan: SeedPlan) -> list[str]:
    return [t.spec.fullname for t in plan.tables]


def three_table_cycle(nullable: str | None) -> list:
    """a.b_id -> b, b.c_id -> c, c.a_id -> a; ``nullable`` names the one FK column that may be NULL."""
    md = sa.MetaData()
    for name, target in (("a", "b"), ("b", "c"), ("c", "a")):
        col = f"{target}_id"
        Table(name, md, Column("id", Integer, primary_key=True), Column("label", String(20)),
              Column(col, Integer, ForeignKey(f"{target}.id", use_alter=True), nullable=col == nullable))
    return table_specs(md)


def test_crm_tables_come_in_foreign_key_order():
    specs = [table_spec(m) for m in reversed(CRM)]
    plan = plan_seed(specs, {s.fullname: 10 for s in specs}, dialect="sqlite")
    order = order_of(plan)
    assert order.index("customers") < order.index("contacts")
    assert order.index("customers") < order.index("orders") < order.index("order_items")
    assert order.index("products") < order.index("order_items")
    assert plan.counts == dict.fromkeys(order, 10)
    assert not plan.cycles and not plan.deferred_constraints


def test_self_references_are_not_cycles():
    specs = [table_spec(Category), table_spec(Employee)]
    plan = plan_seed(specs, {"categories": 5, "employees": 5}, dialect="sqlite")
    assert not plan.cycles
    assert all(not t.deferred for t in plan.tables)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql", None])
def test_a_nullable_cycle_is_broken_at_the_nullable_foreign_key(dialect):
    specs = table_specs(CycleBase)
    plan = plan_seed(specs, {"departments": 3, "staff": 9}, dialect=dialect)
    assert order_of(plan) == ["departments", "staff"]
    assert [fk.columns for fk in plan.table("departments").deferred] == [("head_id",)]
    assert plan.table("staff").deferred == ()
    assert plan.cycles and set(plan.cycles[0]) == {"departments", "staff"}
    assert not plan.deferred_constraints


def test_a_three_table_cycle_breaks_at_its_one_nullable_edge():
    plan = plan_seed(three_table_cycle(nullable="c_id"), {"a": 1, "b": 1, "c": 1}, dialect="sqlite")
    assert [(t.spec.name, [fk.columns for fk in t.deferred]) for t in plan.tables if t.deferred] == [("b", [("c_id",)])]
    order = order_of(plan)
    assert order == ["b", "a", "c"]  # a needs b, c needs a; only the broken b.c_id points forward


def test_a_not_null_three_table_cycle_names_the_cycle_and_the_fix():
    with pytest.raises(UnresolvableCycleError) as info:
        plan_seed(three_table_cycle(nullable=None), {"a": 1, "b": 1, "c": 1}, dialect="mysql")
    msg = str(info.value)
    assert "NOT NULL cycle" in msg
    assert all(f"{t}." in msg for t in "abc")
    assert "make one of them nullable" in msg and "PostgreSQL" in msg


def test_a_deferrable_not_null_cycle_is_deferred_on_postgresql_only():
    md, husbands, wives = not_null_cycle(deferrable=True)
    specs = table_specs(md)
    plan = plan_seed(specs, {"husbands": 2, "wives": 2}, dialect="postgresql")
    assert len(plan.deferred_constraints) == 1 and not plan.altered_constraints
    table, fk = plan.deferred_constraints[0]
    assert fk.deferrable and fk.name in ("fk_husband_wife", "fk_wife_husband")
    assert all(not t.deferred for t in plan.tables)  # no NULL-then-UPDATE: both FKs are NOT NULL
    with pytest.raises(UnresolvableCycleError, match="only be seeded on PostgreSQL"):
        plan_seed(specs, {"husbands": 2, "wives": 2}, dialect="sqlite")


def test_alter_constraints_makes_a_plain_not_null_cycle_plannable_on_postgresql():
    md, husbands, wives = not_null_cycle(deferrable=False)
    specs = table_specs(md)
    with pytest.raises(UnresolvableCycleError) as info:
        plan_seed(specs, {"husbands": 2, "wives": 2}, dialect="postgresql")
    msg = str(info.value)
    assert "husbands" in msg and "wives" in msg
    assert "DEFERRABLE INITIALLY DEFERRED" in msg and "alter_constraints=True" in msg and "nullable" in msg

    plan = plan_seed(specs, {"husbands": 2, "wives": 2}, dialect="postgresql", alter_constraints=True)
    assert len(plan.altered_constraints) == 1
    assert plan.altered_constraints[0] in plan.deferred_constraints
    assert "made deferrable for the seed" in plan.describe()
    with pytest.raises(UnresolvableCycleError):  # altering constraints is a PostgreSQL thing
        plan_seed(specs, {"husbands": 2, "wives": 2}, dialect="mysql", alter_constraints=True)


# --- counts ------------------------------------------------------------------------------------------------

def shop_specs():
    from schemas import Author, Book

    return [table_spec(Author), table_spec(Book)]


def test_a_fixed_cardinality_derives_the_child_count():
    plan = plan_seed(shop_specs(), {"authors": 10, "books": None},
                     cardinality={("books", ("author_id",)): fixed(3)})
    assert plan.counts == {"authors": 10, "books": 30}
    assert plan.table("books").cardinality == {("author_id",): fixed(3)}


@pytest.mark.parametrize("card, lo, hi", [(between(1, 4), 10 * 1, 10 * 4), (poisson(2.0), 0, 60)])
def test_range_and_poisson_cardinalities_derive_deterministic_counts(card, lo, hi):
    def derived(seed):
        return plan_seed(shop_specs(), {"authors": 10, "books": None}, seed=seed,
                         cardinality={("books", ("author_id",)): card}).counts["books"]

    assert lo <= derived(1) <= hi
    assert derived(1) == derived(1)
    assert len({derived(s) for s in range(8)}) > 1


def test_a_missing_count_needs_a_count_deriving_cardinality():
    with pytest.raises(PlanError, match=r"No row count for 'Book'.*cardinality"):
        plan_seed(shop_specs(), {"authors": 10, "books": None})
    with pytest.raises(PlanError, match="No row count"):  # Zipf spreads children, it does not count them
        plan_seed(shop_specs(), {"authors": 10, "books": None}, cardinality={("books", ("author_id",)): zipf(1.1)})


@pytest.mark.parametrize("bad", [-1, 2.5, True, "10"])
def test_counts_must_be_non_negative_integers(bad):
    with pytest.raises(PlanError, match="non-negative integer"):
        plan_seed(shop_specs(), {"authors": bad, "books": 1})


# --- the plan as data --------------------------------------------------------------------------------------

def test_describe_shows_order_counts_existing_rows_cardinality_and_additions():
    plan = plan_seed(shop_specs(), {"authors": 10, "books": 25}, existing={"authors": 4},
                     cardinality={("books", ("author_id",)): poisson(2.5).with_zero(0.1)},
                     added={"authors": "books.author_id needs parent rows"})
    lines = plan.describe().splitlines()
    assert lines[0].startswith(" 1. authors") and "10 rows" in lines[0]
    assert "after 4 existing rows" in lines[0] and "added: books.author_id needs parent rows" in lines[0]
    assert lines[1].startswith(" 2. books") and "25 rows" in lines[1]
    assert "author_id -> authors (poisson(2.5).with_zero(0.1))" in lines[1]


def test_the_plan_is_frozen_data_with_lookup_by_table_or_model_name():
    plan = plan_seed(shop_specs(), {"authors": 1, "books": 2})
    assert plan.table("books") is plan.table("Book")
    with pytest.raises(KeyError):
        plan.table("nope")
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.tables = ()  # type: ignore[misc]
