"""Invoices with their lines and customers: the schema of the documents example (examples/invoices/render.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Customer(Base):
    """A customer who receives invoices."""

    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), info={"syda": "full_name"})
    email: Mapped[str] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(60))


class Invoice(Base):
    """An invoice sent to a customer."""

    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True, info={"syda": {"type": "code", "pattern": "INV-######"}})
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    issued_on: Mapped[dt.date]


class InvoiceLine(Base):
    """One line of an invoice."""

    __tablename__ = "invoice_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    description: Mapped[str] = mapped_column(String(120), comment="product name")
    quantity: Mapped[int]
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))


MODELS = [Customer, Invoice, InvoiceLine]
COUNTS = {Customer: 4, Invoice: 6, InvoiceLine: 20}
