"""A marketplace: sellers with payout accounts, listings, orders and their payments.

What a coherent marketplace database holds, and a seed keeps: a listing is not older than its
seller, an order not older than its listing, a payment not before its order; an order's unit price and
currency are the listing's, a listing's currency and ship-from country the seller's; ``listing_count``
counts a seller's listings; one payout account per seller is the default::

    >>> from sqlalchemy_syda import generate
    >>> frames = generate(MODELS, {Seller: 10, PayoutAccount: 25, Listing: 40, Order: 80, Payment: 80}, seed=1)
    >>> orders, listings = frames["orders"], frames["listings"]
    >>> joined = orders.merge(listings, left_on="listing_id", right_on="id", suffixes=("", "_listing"))
    >>> bool((joined.unit_price == joined.price).all() and (joined.currency == joined.currency_listing).all())
    True
"""

from sqlalchemy import Boolean, Column, DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Seller(Base):
    """A shop selling on the marketplace."""
    __tablename__ = "sellers"

    id = Column(Integer, primary_key=True)
    shop_name = Column(String(100), nullable=False, unique=True, comment="Company name of the shop")
    country = Column(String(60), nullable=False, comment="Country the seller ships from")
    currency = Column(String(3), nullable=False, comment="ISO currency the seller prices in")
    joined_at = Column(DateTime, nullable=False, comment="When the seller joined")
    listing_count = Column(Integer, nullable=False, default=0, comment="Number of listings")


class PayoutAccount(Base):
    """A bank account a seller is paid into; one is the default."""
    __tablename__ = "payout_accounts"

    id = Column(Integer, primary_key=True)
    seller_id = Column(Integer, ForeignKey("sellers.id"), nullable=False)
    iban = Column(String(34), nullable=False, unique=True)
    is_default = Column(Boolean, nullable=False, default=False)


class Listing(Base):
    """An item a seller offers."""
    __tablename__ = "listings"

    id = Column(Integer, primary_key=True)
    seller_id = Column(Integer, ForeignKey("sellers.id"), nullable=False)
    title = Column(String(120), nullable=False, comment="Product name")
    price = Column(Float, nullable=False, comment="Asking price")
    currency = Column(String(3), nullable=False)
    ship_from_country = Column(String(60), nullable=False, comment="Country the item ships from")
    listed_at = Column(DateTime, nullable=False, comment="When the listing went live")


class Order(Base):
    """A buyer's order of one listing."""
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    listing_id = Column(Integer, ForeignKey("listings.id"), nullable=False)
    buyer_email = Column(String(120), nullable=False)
    quantity = Column(Integer, nullable=False)
    unit_price = Column(Float, nullable=False, comment="Price per unit when ordered")
    currency = Column(String(3), nullable=False)
    ordered_at = Column(DateTime, nullable=False, comment="When the order was placed")


class Payment(Base):
    """A payment for an order."""
    __tablename__ = "payments"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False)
    paid_at = Column(DateTime, nullable=False, comment="When the buyer paid")
    amount = Column(Float, nullable=False)
    currency = Column(String(3), nullable=False)


MODELS = [Seller, PayoutAccount, Listing, Order, Payment]
