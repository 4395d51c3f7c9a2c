"""The five-model CRM schema of the seed document (customers, contacts, products, orders, order items).

Used by the examples, the tests and the benchmarks; exactly as the seed document defines it.
"""

import datetime

from sqlalchemy import Boolean, Column, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Customer(Base):
    """Organization or individual client in the CRM system.
    Represents a business entity that can place orders and have contacts.
    """
    __tablename__ = 'customers'

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True,
                  comment="Customer organization name")
    industry = Column(String(50), comment="Customer's primary industry")
    website = Column(String(100), comment="Customer's website URL")
    status = Column(String(20), comment="Active, Inactive, Prospect")
    created_at = Column(Date, default=datetime.date.today,
                        comment="Date when customer was added to CRM")

    contacts = relationship("Contact", back_populates="customer")
    orders = relationship("Order", back_populates="customer")


class Contact(Base):
    """Individual person associated with a customer organization.
    Contacts are the individuals we communicate with at the customer.
    """
    __tablename__ = 'contacts'

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey('customers.id'), nullable=False,
                         comment="Customer this contact belongs to")
    first_name = Column(String(50), nullable=False, comment="Contact's first name")
    last_name = Column(String(50), nullable=False, comment="Contact's last name")
    email = Column(String(100), nullable=False, unique=True, comment="Contact's email address")
    phone = Column(String(20), comment="Contact's phone number")
    position = Column(String(100), comment="Job title or position")
    is_primary = Column(Boolean, default=False, comment="Whether this is the primary contact")

    customer = relationship("Customer", back_populates="contacts")


class Product(Base):
    """Product or service offered by the company.
    Products can be ordered by customers.
    """
    __tablename__ = 'products'

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True, comment="Product name")
    category = Column(String(50), comment="Product category")
    price = Column(Float, nullable=False, comment="Product price in USD")
    description = Column(Text, comment="Detailed product description")

    order_items = relationship("OrderItem", back_populates="product")


class Order(Base):
    """Customer order for products or services.
    Orders contain order items for specific products.
    """
    __tablename__ = 'orders'

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey('customers.id'), nullable=False,
                         comment="Customer who placed the order")
    order_date = Column(Date, nullable=False, comment="Date when order was placed")
    status = Column(String(20), comment="New, Processing, Shipped, Delivered, Cancelled")
    total_amount = Column(Float, comment="Total order amount in USD")

    customer = relationship("Customer", back_populates="orders")
    items = relationship("OrderItem", back_populates="order")


class OrderItem(Base):
    """Individual item within an order.
    Each order item represents a specific product in a specific quantity.
    """
    __tablename__ = 'order_items'

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey('orders.id'), nullable=False, comment="Order this item belongs to")
    product_id = Column(Integer, ForeignKey('products.id'), nullable=False, comment="Product being ordered")
    quantity = Column(Integer, nullable=False, comment="Quantity of product ordered")
    unit_price = Column(Float, nullable=False, comment="Price per unit at time of order")

    order = relationship("Order", back_populates="items")
    product = relationship("Product", back_populates="order_items")


MODELS = [Customer, Contact, Product, Order, OrderItem]
