"""Vectorised string building: concatenation, zero-padded digits, truncation.

All functions take numpy arrays (object or ``str`` dtype) or scalars and
return ``object`` arrays of ``str``, without a Python call per cell::

    >>> concat(np.array(["ann", "bob"], dtype=object), ".", digits(np.array([7, 42]), 3))
    array(['ann.007', 'bob.042'], dtype=object)
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["concat", "digits", "fit_length", "hex_digits", "lower", "title", "to_object"]

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def _as_str(part: Any) -> Any:
    if isinstance(part, np.ndarray):
        return part if part.dtype.kind == "U" else part.astype(str)
    return str(part)


def concat(*parts: Any) -> np.ndarray:
    """Element-wise concatenation of arrays and scalars."""
    arrays = [_as_str(p) for p in parts]
    out = arrays[0]
    for part in arrays[1:]:
        out = np.strings.add(out, part)
    if not isinstance(out, np.ndarray):
        raise ValueError("concat needs at least one array")
    return out.astype(object)


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as zero-padded decimal strings of ``width``."""
    return np.strings.zfill(np.asarray(values, dtype=np.int64).astype(str), width)


def hex_digits(bits: np.ndarray, width: int) -> np.ndarray:
    """Lower-case hex of uint64 values, ``width`` <= 16 characters each (as 'U' array)."""
    nibbles = (bits[:, None] >> (np.arange(width - 1, -1, -1, dtype=np.uint64) * np.uint64(4))) & np.uint64(15)
    chars = _HEX[nibbles.astype(np.intp)]
    return np.ascontiguousarray(chars).view(f"S{width}").ravel().astype(f"U{width}")


def lower(values: np.ndarray) -> np.ndarray:
    return np.strings.lower(_as_str(values)).astype(object)


def title(values: np.ndarray) -> np.ndarray:
    return np.strings.title(_as_str(values)).astype(object)


def fit_length(values: np.ndarray, length: int | None) -> np.ndarray:
    """Cut strings to at most ``length`` characters (None: unchanged), trailing space removed."""
    if length is None or values.dtype != object:
        return values
    as_str = values.astype(str)
    if as_str.dtype.itemsize // 4 <= length:
        return values
    mask = values == None  # noqa: E711 - element-wise test for NULL cells
    cut = np.strings.rstrip(as_str.astype(f"U{max(length, 1)}")).astype(object)
    if mask.any():
        cut[mask] = None
    return cut


def to_object(values: np.ndarray) -> np.ndarray:
    return values if values.dtype == object else values.astype(object)
