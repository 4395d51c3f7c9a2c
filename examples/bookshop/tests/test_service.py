"""The bookshop's tests: data from the sqlalchemy-syda pytest plugin only (fixtures syda, syda_session)."""

from decimal import Decimal

import pytest
import sqlalchemy as sa
from bookshop.models import Author, Book, Customer, Order, OrderLine, OrderStatus, Tag, book_tags
from bookshop.service import (
    OutOfStock,
    best_sellers,
    loyal_customers,
    order_total,
    place_order,
    revenue_by_author,
)


def count(session, what) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(what))


@pytest.mark.syda({Author: 5, Book: 40, Customer: 20, Order: 60, OrderLine: 150})
def test_best_sellers_are_sorted_and_count_only_paid_orders(syda_session):
    ranking = best_sellers(syda_session, limit=5)
    assert 0 < len(ranking) <= 5
    sold = [n for _, n in ranking]
    assert sold == sorted(sold, reverse=True)
    top, top_sold = ranking[0]
    counted = syda_session.scalar(
        sa.select(sa.func.sum(OrderLine.quantity)).join(Order)
        .where(OrderLine.book_id == top.id, Order.status.in_([OrderStatus.paid, OrderStatus.shipped])))
    assert top_sold == counted


@pytest.mark.syda({"authors": 4, "books": 30, "orders": 40, "order_lines": 100}, cardinality={Book.author_id: (5, 10)})
def test_revenue_adds_up_to_the_order_lines(syda_session, syda):
    assert syda.result.counts["books"] == 30
    revenue = revenue_by_author(syda_session)
    counted = syda_session.scalars(
        sa.select(OrderLine).join(Order).where(Order.status.in_([OrderStatus.paid, OrderStatus.shipped]))).all()
    expected = sum((line.quantity * line.unit_price for line in counted), Decimal("0"))
    assert sum(revenue.values()) == expected.quantize(Decimal("0.01"))


def test_place_order_takes_stock_and_prices(syda, syda_session):
    customer = syda.synthesize(Customer)[0]
    books = syda.synthesize(Book, 2, stock=10)
    order = place_order(syda_session, customer, {books[0]: 2, books[1]: 1})  # commits
    assert order.status is OrderStatus.pending
    assert order_total(order) == books[0].price * 2 + books[1].price
    assert [b.stock for b in books] == [8, 9]


def test_the_commit_above_was_rolled_back(syda_session):
    assert count(syda_session, Order) == 0 and count(syda_session, Book) == 0


def test_out_of_stock_changes_nothing(syda, syda_session):
    customer = syda.synthesize(Customer)[0]
    book = syda.synthesize(Book, stock=1)[0]
    with pytest.raises(OutOfStock):
        place_order(syda_session, customer, {book: 3})
    assert count(syda_session, Order) == 0


def test_loyal_customers_with_factories(syda, syda_session):
    CustomerFactory = syda.factory(Customer)
    OrderFactory = syda.factory(Order)
    regular, occasional = CustomerFactory.create_batch(2)
    OrderFactory.create_batch(3, customer=regular, status=OrderStatus.shipped)
    OrderFactory.create(customer=occasional, status=OrderStatus.paid)
    OrderFactory.create(customer=occasional, status=OrderStatus.cancelled)
    assert loyal_customers(syda_session, min_orders=3) == [regular]


@pytest.mark.syda({Book: 25, Tag: 8, book_tags: 60})
def test_association_table_rows_are_distinct_pairs(syda_session):
    pairs = syda_session.execute(sa.select(book_tags.c.book_id, book_tags.c.tag_id)).all()
    assert len(pairs) == len(set(pairs)) == 60


def test_each_test_has_its_own_stable_seed(syda_seed, syda):
    assert syda.test_seed == syda_seed
    frame = syda.generate(Customer, 5)
    assert frame.equals(syda.generate(Customer, 5))  # same seed, same data
    assert frame["email"].is_unique
