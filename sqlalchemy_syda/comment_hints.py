"""What a column comment says about its values: an enumerated list, a range, a unit.

``"Active, Inactive, Prospect"`` lists the values of a categorical column; ``"0-100"``,
``"between 1 and 5"`` or ``"percentage"`` bound a number, ``"in USD"`` gives it cents::

    >>> listed_values("One of: new, open, closed")
    ['new', 'open', 'closed']
    >>> number_hints("Score from 0 to 100")
    {'min': 0.0, 'max': 100.0}
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["listed_values", "number_hints"]

_LIST_SPLIT = re.compile(r"\s*(?:,|\||/|;|\bor\b)\s*")
_RANGE = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)\s*(?:-|–|to|\.\.|and)\s*(-?\d+(?:\.\d+)?)(?![\w.])")

def listed_values(comment: str | None) -> list[str] | None:
    """Values a comment enumerates ("Active, Inactive, Prospect"), or None.

    Examples introduced by "e.g.", "such as" or "like" are not exhaustive and are ignored.
    """
    if not comment:
        return None
    text = comment.strip().rstrip(".")
    if re.search(r"\b(?:e\.g\.|eg\.|i\.e\.)|\b(?:such as|for example|like)\b", text, re.I):
        return None
    candidates = [text]
    for pattern in (r"\(([^)]*)\)", r"(?:one of|values?|either|options?)\s*:?\s*(.+)$", r":\s*(.+)$"):
        m = re.search(pattern, text, re.I)
        if m:
            candidates.insert(0, m.group(1))
    for segment in candidates:
        items = [i.strip().strip("'\"`") for i in _LIST_SPLIT.split(segment) if i.strip()]
        if len(items) < 2 or not all(_looks_like_value(i) for i in items) or len(set(items)) != len(items):
            continue
        if not re.search(r"[,|/;]", segment) and not all(" " not in i and i[:1].isupper() for i in items):
            continue  # "Job title or position" is a description, "Active or Inactive" a list
        return items
    return None


def _looks_like_value(item: str) -> bool:
    return 0 < len(item) <= 40 and len(item.split()) <= 3 and re.fullmatch(r"[\w\- .&+]+", item) is not None


def number_hints(text: str | None) -> dict[str, Any]:
    """Bounds and scale a comment implies: "0-100", "between 1 and 5", "percentage", "in USD", "in cents"."""
    if not text:
        return {}
    low = text.lower()
    hints: dict[str, Any] = {}
    m = _RANGE.search(low)
    if m and not re.search(r"\d{4}-\d{2}", low):
        a, b = float(m.group(1)), float(m.group(2))
        if a < b:
            hints["min"], hints["max"] = a, b
    if re.search(r"\b(percent|percentage|pct)\b|%", low) and "max" not in hints:
        hints["min"], hints["max"] = 0.0, 100.0
    if re.search(r"\bin (usd|eur|gbp|dollars|euros|pounds)\b|\$|€|£", low):
        hints["scale"] = 2
    if re.search(r"\bin cents\b", low):
        hints["scale"] = 0
    return hints


