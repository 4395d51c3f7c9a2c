"""The plan carries every decision: recipes as data, one row path, and the defects found on the way (#10)."""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pytest
import sqlalchemy as sa
from schemas import count, not_null_cycle, rows
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from examples.crm_models import MODELS, Contact, Customer, Order
from sqlalchemy_syda import (
    ConstraintUnsatisfiableError,
    SchemaError,
    SeedOptions,
    SydaError,
    UnsupportedTypeError,
    generate,
    register_type,
    seed,
    table_spec,
    table_specs,
)
from sqlalchemy_syda.generators.numbers import IntRange
from sqlalchemy_syda.planner import plan_seed
from sqlalchemy_syda.recipe import TableRecipe
from sqlalchemy_syda.recipe_planner import TableInputs, table_recipe


class Base(DeclarativeBase):
    pass


class Code(Base):
    __tablename__ = "codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)


class Use(Base):
    __tablename__ = "uses"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.ForeignKey("codes.code"))


# --- recipes are data ------------------------------------------------------------------------------------

def test_a_recipe_holds_every_decision_and_pickles():
    plan = plan_seed(table_specs(MODELS), {m.__tablename__: 20 for m in MODELS}, seed=3)
    recipe = plan.table("contacts").recipe
    assert isinstance(recipe, TableRecipe)
    assert recipe.column("email").source in ("name", "comment") and recipe.column("email").generator is not None
    fk = recipe.foreign_key("customer_id")
    assert (fk.kind, fk.parent, fk.parent_rows) == ("parent", "customers", 20)
    assert set(recipe.output_columns) <= set(recipe.spec.column_names)
    copy = pickle.loads(pickle.dumps(plan))  # plain data: it can be stored or sent to a worker
    assert copy.table("contacts").recipe.describe() == recipe.describe()


def test_the_same_inputs_give_the_same_recipe_whoever_asks():
    from sqlalchemy_syda.relations import plan_relations

    spec = table_spec(Contact)
    relations = plan_relations(table_specs([Customer, Contact]), {}, None)["contacts"]  # inputs like the counts
    a = table_recipe(TableInputs(spec, 50, parent_rows={"customers": 10}, relations=relations))
    b = plan_seed(table_specs([Customer, Contact]), {"customers": 10, "contacts": 50}).table("contacts").recipe
    assert a.describe() == b.describe()


def test_dry_run_prints_each_tables_recipe(sqlite_engine):
    Base.metadata.create_all(sqlite_engine)
    result = seed(sqlite_engine, {Code: 3, Use: 5}, dry_run=True)
    text = result.plan.describe()
    assert "codes: 3 rows" in text and "uses: 5 rows" in text
    assert "parent_key(codes.code)" in text and "unique()" in text
    assert count(sqlite_engine, "codes") == 0  # nothing written


def test_generate_dry_run_returns_the_plan():
    plan = generate([Customer, Order], {Customer: 4, Order: 9}, dry_run=True)
    assert plan.counts == {"customers": 4, "orders": 9}
    assert plan.table("orders").recipe.foreign_key("customer_id").parent_rows == 4


def test_unverified_constraints_are_listed():
    md = sa.MetaData()
    t = sa.Table("odd", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer),
                 sa.CheckConstraint("x @@@ 3", name="ck_unreadable"))
    recipe = table_recipe(TableInputs(table_spec(t), 5))
    assert any("x @@@ 3" in line for line in recipe.unverified)
    assert any(line.startswith("NOT verified") for line in recipe.notes())


def test_seed_options_are_validated_once():
    with pytest.raises(SydaError, match="chunk_size"):
        SeedOptions.build(chunk_size=0)
    with pytest.raises(SydaError, match="Unknown option 'chunksize'"):
        SeedOptions.build(chunksize=5)
    with pytest.raises(SydaError, match="overrides must be a mapping"):
        SeedOptions.build(overrides="x")


# --- defects -----------------------------------------------------------------------------------------

def test_children_point_at_parents_redrawn_around_existing_values(sqlite_engine):
    """Defect 1: new parents redrawn because their UNIQUE values were taken; children must follow them."""
    Base.metadata.create_all(sqlite_engine)
    with sqlite_engine.begin() as conn:  # what rows 3..5 of a seed would draw, found with placeholder rows
        conn.execute(sa.insert(Code.__table__), [{"id": i, "code": f"x{i}"} for i in (1, 2, 3)])
    seed(sqlite_engine, {Code: 3}, seed=4)
    upcoming = [r[0] for r in rows(sqlite_engine, "SELECT code FROM codes WHERE id > 3 ORDER BY id")]
    with sqlite_engine.begin() as conn:
        conn.execute(sa.delete(Code.__table__))
        conn.execute(sa.insert(Code.__table__), [{"id": i + 1, "code": c} for i, c in enumerate(upcoming)])
    seed(sqlite_engine, {Code: 3, Use: 6}, seed=4, existing="append")
    new_codes = {r[0] for r in rows(sqlite_engine, "SELECT code FROM codes WHERE id > 3")}
    assert new_codes.isdisjoint(upcoming)  # redrawn
    used = {r[0] for r in rows(sqlite_engine, "SELECT code FROM uses")}
    assert used <= new_codes  # append: children point at the new parents, as written


def test_a_unique_integer_meaning_widens_within_its_type_at_any_size():
    """Defect 2: UNIQUE ``rating`` (1-5 as a meaning) at 3, 10 and 5000 rows."""
    t = sa.Table("ratings", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("rating", sa.Integer, unique=True, nullable=False))
    for n in (3, 10, 5000):
        df = generate(t, n)
        assert df.rating.is_unique and df.rating.min() >= 1
    recipe = generate(t, 5000, dry_run=True).table("ratings").recipe
    assert "too few to be UNIQUE over 5000 rows" in recipe.column("rating").reason


def test_narrowing_keeps_a_generators_options():
    """Defect 3: a CHECK bound on a date range keeps its ``recent_bias``."""
    t = sa.Table("ev", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("created_at", sa.DateTime, nullable=False),
                 sa.CheckConstraint("created_at > '2021-06-01'"))
    recipe = table_recipe(TableInputs(table_spec(t), 10))
    inferred, final = recipe.column("created_at").inferred, recipe.column("created_at").generator
    assert getattr(inferred, "recent_bias", 0) and final.recent_bias == inferred.recent_bias
    assert generate(t, 200).created_at.min() > dt.datetime(2021, 6, 1)


class Point(sa.types.UserDefinedType):
    cache_ok = True

    def get_col_spec(self, **kw):
        return "POINT"


def test_unsupported_type_advice_works():
    """Defect 4: the advice names register_type, and following it works (looked up along the MRO)."""
    class SubPoint(Point):
        pass

    t = sa.Table("places", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("where", SubPoint, nullable=False))
    with pytest.raises(UnsupportedTypeError, match=r"register_type\(SubPoint"):
        generate(t, 2)
    register_type(Point, IntRange(1, 9))
    try:
        df = generate(t, 5)
        assert df["where"].between(1, 9).all()
        assert "register_type" in table_recipe(TableInputs(table_spec(t), 5)).column("where").reason
    finally:
        from sqlalchemy_syda.generators import registry

        registry._TYPES.pop(Point)
    with pytest.raises(SydaError, match="SQLAlchemy type class"):
        register_type(int, IntRange(1, 2))


def test_bad_info_options_give_a_schema_error():
    """Defect 5: ``min > max`` in a model's info hint is a SchemaError naming the column, as in a dict schema."""
    t = sa.Table("bad", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("v", sa.Integer, info={"syda": {"type": "number", "min": 10, "max": 1}}))
    with pytest.raises(SchemaError, match="'v'.*min <= max"):
        generate(t, 3)


@pytest.mark.parametrize("deferrable", [True, False])
def test_generate_fills_a_not_null_cycle_with_valid_frames(deferrable):
    """Defect 6: frames of a NOT NULL cycle are valid (every FK value is in the parent frame); the plan names
    the foreign key an insert must defer."""
    md, husbands, wives = not_null_cycle(deferrable=deferrable)
    frames = generate([husbands, wives], {husbands: 6, wives: 6}, seed=2)
    assert set(frames["husbands"].wife_id) <= set(frames["wives"].id)
    assert set(frames["wives"].husband_id) <= set(frames["husbands"].id)
    plan = generate([husbands, wives], {husbands: 6, wives: 6}, dry_run=True)
    assert len(plan.deferred_constraints) == 1


@pytest.mark.postgres
def test_generated_frames_of_a_deferrable_cycle_insert_into_postgres(pg_engine):
    md, husbands, wives = not_null_cycle(deferrable=True)
    md.create_all(pg_engine)
    frames = generate([husbands, wives], {husbands: 6, wives: 6}, seed=2)
    with pg_engine.begin() as conn:
        conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
        for table in (husbands, wives):
            conn.execute(table.insert(), frames[table.name].to_dict("records"))
    assert count(pg_engine, "husbands") == 6 and count(pg_engine, "wives") == 6


def test_one_path_for_keys_and_rows():
    """What a child references is what the parent's rows hold (key_values == batch, repairs included)."""
    from sqlalchemy_syda.run import engines_for

    plan = plan_seed(table_specs(MODELS), {m.__tablename__: 30 for m in MODELS}, seed=9)
    engines = engines_for(plan)
    for tp in plan.tables:
        engine = engines[tp.spec.fullname]
        batch = engine.batch(0, tp.count)
        for col in tp.recipe.output_columns:
            keys = engine.key_values([col], np.arange(tp.count))[0]
            assert list(map(str, keys)) == list(map(str, batch[col])), (tp.spec.fullname, col)
    flags = sa.Table("flags", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("f", sa.Boolean, unique=True, nullable=False))
    with pytest.raises(ConstraintUnsatisfiableError, match="cannot hold 50 rows"):
        generate(flags, 50)
