"""A small invoicing schema for the document tests."""

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
    name: Mapped[str] = mapped_column(String(80), comment="full name of the customer")
    email: Mapped[str] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(60))


class Invoice(Base):
    """An invoice sent to a customer."""

    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True, comment="invoice number")
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

INVOICE_HTML = """<h1>Invoice {{ number }}</h1>
<p>Billed to <b>{{ customers.name }}</b>, {{ customers.city }} &mdash; issued {{ issued_on }}</p>
<table border="1">
<thead><tr><th>Description</th><th>Qty</th><th>Unit price</th></tr></thead>
<tbody>
{% for line in invoice_lines %}<tr><td>{{ line.description }}</td><td>{{ line.quantity }}</td><td>{{ line.unit_price }}</td></tr>
{% endfor %}</tbody>
</table>
<p>Lines: {{ invoice_lines|length }}</p>
"""
