"""The words of a name or comment, as the meaning inference reads them.

    >>> tokens("createdAt"), tokens("billing_zip_code"), tokens("Customer's e-mail")
    (['created', 'at'], ['billing', 'zip', 'code'], ['customer', 'e', 'mail'])
"""

from __future__ import annotations

import re

__all__ = ["tokens"]


def tokens(text: str | None) -> list[str]:
    """Lower-case words of a name or comment: ``'createdAt'`` and ``'created_at'`` -> ``['created', 'at']``."""
    if not text:
        return []
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", text)
    return [t for t in re.split(r"[^0-9a-zA-Z]+", text.lower().replace("'s ", " ")) if t]
