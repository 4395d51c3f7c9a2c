"""The shape of a string key, never its values: airport codes ``???``, US tail numbers ``N###**``.

Keys are the engine's (enumerated, never read from the data), but a key made of the engine's numbers
as text reads wrong next to real-looking rows (an airport ``'976'``). So a profile keeps the shape of a
string key: per position the class of character nine values in ten have there (``?`` an upper-case
letter, ``l`` a lower-case one, ``#`` a digit; ``*`` for a mix of upper-case letters and digits) or the one
character they all share (the ``N`` of US tail numbers), in the syntax of
:class:`~..generators.choices.Pattern`, which enumerates such codes as distinct values. Keys of several
lengths, or with other mixes at one position, have no shape::

    >>> key_shape(pd.Series(["JFK", "LGA", "EWR", "ATL", "ORD", "SFO"]))
    '???'
    >>> key_shape(pd.Series(["N10156", "N102UW", "N103US", "N104UW", "N10575", "N105UW"]))
    'N10#**'
    >>> key_shape(pd.Series(["a-1", "bb-22", "c-3"])) is None
    True
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..generators.base import Generator
from ..generators.choices import Pattern

__all__ = ["key_generator", "key_shape"]

_SYMBOLS = set("?#*%&^l")
"""Characters the Pattern syntax reads as classes: never kept as literals."""

_READ = 20_000
"""Values read to find the shape (a key's first ones)."""

_MOSTLY = 0.9
"""A position takes the class of at least this share of its characters."""

_SAME_LENGTH = 0.98
"""Keys have a shape when this share of them has the most common length (the others are not shaped so)."""


def _position_class(chars: list[str], rare: int) -> str | None:
    """The class (or the one character) of the characters at one position of every key."""
    distinct = set(chars)
    if len(distinct) == 1 and len(chars) >= rare:
        (char,) = distinct
        if char not in _SYMBOLS and char.isprintable() and not char.isspace():
            return char
    classes = {"?": sum(c.isascii() and c.isupper() for c in chars), "l": sum(c.isascii() and c.islower() for c in chars),
               "#": sum(c.isascii() and c.isdigit() for c in chars)}
    best = max(classes, key=classes.__getitem__)
    if classes[best] >= _MOSTLY * len(chars):  # FAA codes: letters, a few with a digit
        return best
    if classes["?"] + classes["#"] == len(chars):
        return "*"
    return None


def key_shape(values: pd.Series, rare: int = 5) -> str | None:
    """A :class:`~..generators.choices.Pattern` code the string key ``values`` mostly fit (see the module), or
    None."""
    texts = [v for v in values.dropna().head(_READ).tolist() if isinstance(v, str)]
    if len(texts) < max(rare, 2):
        return None
    lengths = pd.Series([len(t) for t in texts]).value_counts()
    length = int(lengths.index[0])
    if not 1 <= length <= 24 or lengths.iloc[0] < _SAME_LENGTH * len(texts):
        return None
    shaped = [t for t in texts if len(t) == length]
    code = []
    for i in range(length):
        cls = _position_class([t[i] for t in shaped], rare)
        if cls is None:
            return None
        code.append(cls)
    return "".join(code)


def key_generator(params: dict[str, Any], rows: int) -> Generator | None:
    """Distinct keys of the learned shape for ``rows`` rows (None: no shape, or one with too few codes: fewer
    than four per row, where the engine's own keys serve better)."""
    shape = params.get("shape")
    if not shape:
        return None
    pattern = Pattern(shape)
    return pattern.unique() if pattern.domain(None) >= 4 * max(rows, 1) else None
