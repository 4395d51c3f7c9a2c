"""Children counted per parent, as a person sees them in id order: an order's customer is not the previous
order's (the customers of 1, 1, 1, 2, 2, 3 ...), two counted keys are not tied to each other, and an order's
lines still sit together; the counts per parent, the chunk size and the workers change none of it."""

from __future__ import annotations

import numpy as np
import pytest
import sqlalchemy as sa

from examples.crm_models import Base, Customer, Order, OrderItem, Product
from sqlalchemy_syda import poisson, seed


def _readme_seed(engine: sa.Engine, **options) -> None:
    Base.metadata.create_all(engine)
    seed(engine, {Customer: 300, Product: 40, Order: None, OrderItem: None},
         cardinality={Order.customer_id: poisson(3).with_zero(0.1), "order_items.order_id": (1, 5)}, seed=1, **options)


@pytest.mark.postgres
def test_orders_of_one_customer_are_spread_and_an_orders_lines_stay_together(pg_url, sqlite_url):
    """Test the README's seed on PostgreSQL and SQLite, measured in SQL: in id order about half of the orders
    have a larger customer id than the one before (all of them but a customer's first did: 1, 1, 1, 2, ...),
    few repeat the previous customer, and every order's lines are consecutive ids."""
    for url in (pg_url, sqlite_url):
        engine = sa.create_engine(url)
        _readme_seed(engine)
        with engine.connect() as conn:
            orders, not_down, same = conn.execute(sa.text(
                "SELECT count(*), sum(CASE WHEN b.customer_id >= a.customer_id THEN 1 ELSE 0 END), "
                "sum(CASE WHEN b.customer_id = a.customer_id THEN 1 ELSE 0 END) "
                "FROM orders a JOIN orders b ON b.id = a.id + 1")).one()
            assert orders > 600 and 0.35 < not_down / orders < 0.65 and same / orders < 0.05, (orders, not_down, same)
            apart = conn.execute(sa.text(
                "SELECT count(*) FROM (SELECT order_id FROM order_items GROUP BY order_id "
                "HAVING max(id) - min(id) + 1 <> count(*)) s")).scalar_one()
            assert apart == 0
        Base.metadata.drop_all(engine)
        engine.dispose()


def test_two_counted_keys_of_one_table_are_not_tied():
    """Test a table with two counted foreign keys (flights per airline and per plane): laid out in the same
    order, the two keys were correlated 0.999; now they are unrelated, each with its own counts."""
    md = sa.MetaData()
    airlines = sa.Table("airlines", md, sa.Column("id", sa.Integer, primary_key=True))
    planes = sa.Table("planes", md, sa.Column("id", sa.Integer, primary_key=True))
    flights = sa.Table("flights", md, sa.Column("id", sa.Integer, primary_key=True),
                       sa.Column("airline_id", sa.ForeignKey("airlines.id"), nullable=False),
                       sa.Column("plane_id", sa.ForeignKey("planes.id"), nullable=False))
    engine = sa.create_engine("sqlite://")
    md.create_all(engine)
    seed(engine, {airlines: 30, planes: 400, flights: 6000}, seed=3,
         cardinality={"flights.airline_id": poisson(200), "flights.plane_id": poisson(15)})
    with engine.connect() as conn:
        rows = np.array(conn.execute(sa.text("SELECT airline_id, plane_id FROM flights ORDER BY id")).all())
        per_airline = conn.execute(sa.text("SELECT count(DISTINCT airline_id) FROM flights")).scalar_one()
    assert abs(np.corrcoef(rows[:, 0], rows[:, 1])[0, 1]) < 0.2
    assert per_airline == 30


def test_the_layout_is_the_same_at_any_chunk_size_and_worker_count(tmp_path):
    """Test the README's seed at the default chunk size, at 37 rows a chunk and with two workers: the same rows."""
    def rows(**options) -> list:
        engine = sa.create_engine(f"sqlite:///{tmp_path / f'{len(list(tmp_path.iterdir()))}.db'}")
        _readme_seed(engine, **options)
        with engine.connect() as conn:
            out = conn.execute(sa.text("SELECT o.id, o.customer_id, i.id, i.product_id FROM orders o "
                                       "JOIN order_items i ON i.order_id = o.id ORDER BY i.id")).all()
        engine.dispose()
        return out
    first = rows()
    assert first == rows(chunk_size=37) == rows(workers=2, chunk_size=500)
