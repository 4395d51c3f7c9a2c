"""The bookshop's tables: authors write books, customers place orders of books, books carry tags."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class OrderStatus(enum.Enum):
    pending = "pending"
    paid = "paid"
    shipped = "shipped"
    cancelled = "cancelled"


book_tags = sa.Table(
    "book_tags", Base.metadata,
    sa.Column("book_id", sa.ForeignKey("books.id"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("tags.id"), primary_key=True),
)


class Author(Base):
    """A writer whose books the shop sells."""

    __tablename__ = "authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), comment="Author's full name")
    country: Mapped[str | None] = mapped_column(sa.String(60))
    books: Mapped[list[Book]] = relationship(back_populates="author")


class Tag(Base):
    """A genre or topic label."""

    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(40), unique=True)


class Book(Base):
    """A title in the catalogue."""

    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("authors.id"))
    title: Mapped[str] = mapped_column(sa.String(200), comment="Book title")
    isbn: Mapped[str] = mapped_column(sa.String(13), unique=True, comment="ISBN-13")
    price: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2), sa.CheckConstraint("price > 0"), comment="Price in USD")
    stock: Mapped[int] = mapped_column(sa.Integer, sa.CheckConstraint("stock >= 0"), comment="Copies in stock, 0-200")
    published: Mapped[dt.date] = mapped_column(sa.Date)
    author: Mapped[Author] = relationship(back_populates="books")
    tags: Mapped[list[Tag]] = relationship(secondary=book_tags)


class Customer(Base):
    """A person with an account at the shop."""

    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(sa.String(50))
    last_name: Mapped[str] = mapped_column(sa.String(50))
    email: Mapped[str] = mapped_column(sa.String(120), unique=True)
    orders: Mapped[list[Order]] = relationship(back_populates="customer")


class Order(Base):
    """A customer's purchase."""

    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"))
    status: Mapped[OrderStatus] = mapped_column(sa.Enum(OrderStatus, name="order_status"))
    placed_at: Mapped[dt.datetime] = mapped_column(sa.DateTime)
    customer: Mapped[Customer] = relationship(back_populates="orders")
    lines: Mapped[list[OrderLine]] = relationship(back_populates="order")


class OrderLine(Base):
    """One title of an order."""

    __tablename__ = "order_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"))
    book_id: Mapped[int] = mapped_column(sa.ForeignKey("books.id"))
    quantity: Mapped[int] = mapped_column(sa.Integer, sa.CheckConstraint("quantity BETWEEN 1 AND 5"))
    unit_price: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2), sa.CheckConstraint("unit_price > 0"))
    order: Mapped[Order] = relationship(back_populates="lines")
    book: Mapped[Book] = relationship()
