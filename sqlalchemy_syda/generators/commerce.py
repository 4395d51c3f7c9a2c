"""Commerce: product names and categories, SKUs, prices, currencies, order states.

Prices are log-normal (many cheap items, a long tail of expensive ones),
quantities geometric (mostly 1-3), currencies real ISO-4217 codes::

    >>> from sqlalchemy_syda.generators.registry import generator_for
    >>> price = generator_for("price")
    >>> price, price.generate(ctx, np.arange(4))
    (decimal_range(0.5, 5000, scale=2, shape='lognormal', median=39.0), array([42.74, 14.83, 76.67, 70.19]))
    >>> generator_for("quantity")
    int_range(1, 100, shape='geometric', median=2)
    >>> dict(zip(ORDER_STATUSES, ORDER_STATUS_WEIGHTS))
    {'pending': 0.08, 'processing': 0.1, 'shipped': 0.12, 'delivered': 0.6, 'cancelled': 0.05, 'returned':
    0.03, 'refunded': 0.02}
    >>> codes, weights = currency_codes()
    >>> len(codes), [c for c, _ in sorted(zip(codes, weights), key=lambda cw: -cw[1])[:3]]
    (155, ['USD', 'EUR', 'GBP'])
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .product_vocabulary import FAMILIES

PRODUCT_CATEGORIES = tuple(f.categories[0] for k, f in FAMILIES.items() if k != "general")
"""The default category of each product family (``Electronics``, ``Home & Kitchen``, ...)."""
ORDER_STATUSES = ("pending", "processing", "shipped", "delivered", "cancelled", "returned", "refunded")
ORDER_STATUS_WEIGHTS = (0.08, 0.1, 0.12, 0.6, 0.05, 0.03, 0.02)
COLORS = (
    "black", "white", "gray", "silver", "red", "blue", "navy", "green", "olive", "yellow", "orange",
    "purple", "pink", "brown", "beige", "gold", "teal", "maroon",
)
PAYMENT_METHODS = ("credit_card", "debit_card", "paypal", "bank_transfer", "apple_pay", "google_pay", "cash")

_CURRENCY_WEIGHTS = {"USD": 40, "EUR": 25, "GBP": 10, "JPY": 5, "CAD": 4, "AUD": 4, "CHF": 3, "CNY": 3,
                     "INR": 2, "SEK": 1, "BRL": 1, "MXN": 1}


# In Faker's list but not ISO 4217: local pounds (Guernsey, Isle of Man, Jersey), the Tuvalu dollar, the
# Seborga luigino, 'NIS' (the code is ILS) and the withdrawn Cuban convertible peso.
_NOT_ISO_4217 = frozenset({"GGP", "IMP", "JEP", "TVD", "SPL", "NIS", "CUC"})


@cache
def currency_codes() -> tuple[tuple[str, ...], np.ndarray]:
    """Real ISO-4217 codes (from Faker's list) and weights favouring the common ones."""
    from faker.providers.currency import Provider

    codes = tuple(sorted({code for code, _ in Provider.currencies} - _NOT_ISO_4217))
    weights = np.array([_CURRENCY_WEIGHTS.get(c, 0.05) for c in codes], dtype=np.float64)
    return codes, weights / weights.sum()
