"""Multi-table quality: child columns conditioned on the parent, NULL and orphan foreign keys reproduced."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from sqlalchemy_syda import learn, quality_report, seed


@pytest.fixture(scope="module")
def shop() -> dict[str, pd.DataFrame]:
    """400 customers (business or consumer) and their orders: business orders are ten times larger, 15 % of
    the orders have no customer and 10 % point at customers that are not in the export (orphans)."""
    rng = np.random.default_rng(11)
    customers = pd.DataFrame({"id": np.arange(1, 401), "segment": rng.choice(["business", "consumer"], 400,
                                                                               p=[0.3, 0.7]),
                              "since": rng.integers(2000, 2024, 400)})
    per = rng.poisson(6, 400)
    owner = np.repeat(customers["id"].to_numpy(), per)
    segment = np.repeat(customers["segment"].to_numpy(), per)
    amount = np.where(segment == "business", rng.lognormal(7, 0.3, len(owner)), rng.lognormal(4.7, 0.3, len(owner)))
    items = np.where(segment == "business", rng.integers(10, 40, len(owner)), rng.integers(1, 6, len(owner)))
    customer_id = owner.astype(float)
    u = rng.random(len(owner))
    customer_id[u < 0.15] = np.nan
    customer_id[(u >= 0.15) & (u < 0.25)] = rng.integers(1000, 2000, int(((u >= 0.15) & (u < 0.25)).sum()))
    orders = pd.DataFrame({"id": np.arange(1, len(owner) + 1), "customer_id": pd.array(customer_id, dtype="Int64"),
                           "amount": np.round(amount, 2), "items": items})
    return {"customers": customers, "orders": orders}


FKS = [("orders", "customer_id", "customers", "id")]


def _metadata(nullable: bool) -> tuple[sa.MetaData, sa.Table, sa.Table]:
    metadata = sa.MetaData()
    customers = sa.Table("customers", metadata, sa.Column("id", sa.Integer, primary_key=True),
                         sa.Column("segment", sa.String(10), nullable=False), sa.Column("since", sa.Integer))
    orders = sa.Table("orders", metadata, sa.Column("id", sa.Integer, primary_key=True),
                      sa.Column("customer_id", sa.ForeignKey("customers.id"), nullable=nullable),
                      sa.Column("amount", sa.Numeric(12, 2), nullable=False), sa.Column("items", sa.Integer))
    return metadata, customers, orders


def test_the_profile_learns_null_and_orphan_shares_and_the_parent_trend(shop):
    """Test that the relationship holds the NULL and orphan shares and that the orders' copula is stratified by
    the parent's segment (the attribute that explains amount and items)."""
    profile = learn(shop, foreign_keys=FKS)
    rel = profile.relationships[0]
    present = shop["orders"]["customer_id"].notna()
    orphans = present & ~shop["orders"]["customer_id"].isin(shop["customers"]["id"])
    assert rel.null_share == pytest.approx(1 - present.mean()) and rel.orphan_share == pytest.approx(orphans.mean())
    assert profile.table("orders").copula["parent"] == {"columns": ["customer_id"], "table": "customers",
                                                        "column": "segment"}


def test_sampled_children_follow_their_parents_segment(shop):
    """Test that in the sampled tables an order's amount follows its customer's segment (intertable trends
    >= 0.8; they were about 0.5 with independent children) and the NULL share is the NULL + orphan share."""
    profile = learn(shop, foreign_keys=FKS)
    synthetic = profile.sample(seed=3)
    joined = synthetic["orders"].merge(synthetic["customers"], left_on="customer_id", right_on="id")
    medians = joined.groupby("segment")["amount"].median()
    assert medians["business"] > 5 * medians["consumer"]
    report = quality_report(shop, synthetic, profile=profile)
    assert report.relationships[0]["intertable_trends"] >= 0.8
    assert report.relationships[0]["fk_validity"] == 1.0
    rel = profile.relationships[0]
    assert synthetic["orders"]["customer_id"].isna().mean() == pytest.approx(rel.null_share + rel.orphan_share,
                                                                             abs=0.03)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_seeding_writes_orphans_as_null_and_keeps_the_trend(shop, database, sqlite_engine, request):
    """Test that a seed into a nullable FK writes the learned NULL + orphan share as NULLs (never an orphan),
    a NOT NULL FK gets none, and the segment -> amount trend holds in SQL."""
    engine = sqlite_engine if database == "sqlite" else sa.create_engine(request.getfixturevalue("pg_url"))
    profile = learn(shop, foreign_keys=FKS)
    rel = profile.relationships[0]
    metadata, customers, orders = _metadata(nullable=True)
    metadata.create_all(engine)
    seed(engine, None, profile=profile, seed=5)
    with engine.connect() as conn:
        n, nulls, orphans = conn.execute(sa.text(
            "SELECT COUNT(*), SUM(CASE WHEN o.customer_id IS NULL THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN o.customer_id IS NOT NULL AND c.id IS NULL THEN 1 ELSE 0 END) "
            "FROM orders o LEFT JOIN customers c ON c.id = o.customer_id")).one()
        by_segment = dict(conn.execute(sa.text(
            "SELECT c.segment, AVG(o.amount) FROM orders o JOIN customers c ON c.id = o.customer_id "
            "GROUP BY c.segment")).all())
    assert n == len(shop["orders"]) and orphans == 0
    assert nulls / n == pytest.approx(rel.null_share + rel.orphan_share, abs=0.03)
    assert float(by_segment["business"]) > 5 * float(by_segment["consumer"])
    metadata.drop_all(engine)

    strict, _, _ = _metadata(nullable=False)
    strict.create_all(engine)
    seed(engine, None, profile=profile, seed=5)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM orders WHERE customer_id IS NULL")).scalar_one() == 0
    if database == "postgresql":
        engine.dispose()


def test_a_child_whose_primary_key_holds_its_foreign_key_is_still_conditioned_on_the_parent():
    """Test that a child conditioned on its parent's segment keeps the trend when its foreign key is drawn
    jointly with the rest of a composite primary key ``(customer_id, line)`` (the engine could not read the
    parent row of a joint key before, and every row fell back to the pooled copula)."""
    rng = np.random.default_rng(4)
    customers = pd.DataFrame({"id": np.arange(1, 301), "segment": rng.choice(["business", "consumer"], 300)})
    per = rng.integers(1, 9, 300)
    owner = np.repeat(customers["id"].to_numpy(), per)
    business = np.repeat(customers["segment"].to_numpy() == "business", per)
    lines = pd.DataFrame({"customer_id": owner, "line": np.concatenate([np.arange(1, k + 1) for k in per]),
                          "amount": np.where(business, rng.lognormal(7, 0.3, len(owner)),
                                             rng.lognormal(4.5, 0.3, len(owner))).round(2),
                          "items": np.where(business, rng.integers(10, 40, len(owner)), rng.integers(1, 6, len(owner)))})
    profile = learn({"customers": customers, "lines": lines}, foreign_keys=[("lines", "customer_id", "customers", "id")],
                    primary_keys={"customers": ["id"], "lines": ["customer_id", "line"]})
    assert profile.table("lines").copula["parent"]["column"] == "segment"
    synthetic = profile.sample(seed=2)
    assert not synthetic["lines"].duplicated(["customer_id", "line"]).any()
    joined = synthetic["lines"].merge(synthetic["customers"], left_on="customer_id", right_on="id")
    medians = joined.groupby("segment")["amount"].median()
    assert medians["business"] > 5 * medians["consumer"]


def test_a_column_that_restates_the_parents_is_read_from_the_parent_row(tmp_path):
    """Test that a child column equal to a parent column in the data (an order's currency is its customer's) is
    learned as read from the parent row, survives saving the profile, and the sampled and seeded rows repeat
    their own (synthetic) parent's value."""
    rng = np.random.default_rng(8)
    customers = pd.DataFrame({"id": np.arange(1, 201), "currency": rng.choice(["EUR", "USD", "GBP"], 200),
                              "since": rng.integers(2000, 2024, 200)})
    owner = rng.integers(1, 201, 1500)
    orders = pd.DataFrame({"id": np.arange(1, 1501), "customer_id": owner,
                           "currency": customers.set_index("id").loc[owner, "currency"].to_numpy(),
                           "amount": rng.lognormal(4, 1, 1500).round(2)})
    profile = learn({"customers": customers, "orders": orders}, foreign_keys=[("orders", "customer_id", "customers", "id")])
    assert profile.table("orders").column("currency").params["from_parent"] == {
        "columns": ["customer_id"], "table": "customers", "column": "currency"}
    assert "from_parent" not in profile.table("orders").column("amount").params
    path = tmp_path / "profile.json"
    profile.save(path)
    from sqlalchemy_syda import Profile

    synthetic = Profile.load(path).sample(seed=1)
    joined = synthetic["orders"].merge(synthetic["customers"], left_on="customer_id", right_on="id")
    assert (joined["currency_x"] == joined["currency_y"]).all()
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'shop.db'}")
    metadata = sa.MetaData()
    sa.Table("customers", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("currency", sa.String(3)),
             sa.Column("since", sa.Integer))
    sa.Table("orders", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("customer_id", sa.ForeignKey("customers.id"), nullable=False),
             sa.Column("currency", sa.String(3)), sa.Column("amount", sa.Float))
    metadata.create_all(engine)
    seed(engine, None, profile=profile, seed=3)
    with engine.connect() as conn:
        differ = conn.execute(sa.text("SELECT COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id "
                                      "WHERE o.currency <> c.currency")).scalar_one()
    engine.dispose()
    assert differ == 0
