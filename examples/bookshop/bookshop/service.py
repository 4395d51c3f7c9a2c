"""What the bookshop's pages ask the database, and how an order is placed."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .models import Author, Book, Customer, Order, OrderLine, OrderStatus

COUNTED = (OrderStatus.paid, OrderStatus.shipped)


class OutOfStock(Exception):
    """An order asked for more copies than the shop has."""


def best_sellers(session: Session, limit: int = 10) -> list[tuple[Book, int]]:
    """Books by copies sold in paid or shipped orders, most first."""
    sold = sa.func.sum(OrderLine.quantity).label("sold")
    rows = session.execute(
        sa.select(Book, sold).join(OrderLine, OrderLine.book_id == Book.id).join(Order)
        .where(Order.status.in_(COUNTED)).group_by(Book.id).order_by(sold.desc(), Book.id).limit(limit))
    return [(book, int(n)) for book, n in rows]


def revenue_by_author(session: Session) -> dict[str, Decimal]:
    """Money taken per author (paid or shipped orders)."""
    total = sa.func.sum(OrderLine.quantity * OrderLine.unit_price)
    rows = session.execute(
        sa.select(Author.name, total).join(Book, Book.author_id == Author.id).join(OrderLine)
        .join(Order).where(Order.status.in_(COUNTED)).group_by(Author.id, Author.name))
    return {name: Decimal(value).quantize(Decimal("0.01")) for name, value in rows}


def order_total(order: Order) -> Decimal:
    return sum((line.unit_price * line.quantity for line in order.lines), Decimal("0.00"))


def place_order(session: Session, customer: Customer, quantities: dict[Book, int]) -> Order:
    """A pending order at today's prices; stock is taken at once; the whole order or nothing."""
    for book, quantity in quantities.items():
        if quantity > book.stock:
            raise OutOfStock(f"{book.title!r}: {quantity} wanted, {book.stock} in stock")
    order = Order(customer=customer, status=OrderStatus.pending, placed_at=sa.func.now())
    for book, quantity in quantities.items():
        book.stock -= quantity
        order.lines.append(OrderLine(book=book, quantity=quantity, unit_price=book.price))
    session.add(order)
    session.commit()
    return order


def loyal_customers(session: Session, min_orders: int = 3) -> list[Customer]:
    """Customers with at least ``min_orders`` paid or shipped orders."""
    return list(session.scalars(
        sa.select(Customer).join(Order).where(Order.status.in_(COUNTED)).group_by(Customer.id)
        .having(sa.func.count(Order.id) >= min_orders).order_by(Customer.id)))
