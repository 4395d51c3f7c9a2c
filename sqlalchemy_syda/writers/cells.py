"""Values the caller supplied (overrides, custom generators) as cells every database stores alike.

Generated columns already hold what their column type takes; an override can return anything. The
writers pass object columns through these functions, so PostgreSQL (COPY), SQLite and MariaDB
(executemany) store the same thing:

=================  ==========================  ==============================================
column             value                       stored as
=================  ==========================  ==============================================
text / string      list, tuple, dict           its JSON text (``["a", "b"]``, ``{"k": 1}``)
text / string      bytes                       the UTF-8 text they encode (else an error)
binary             str                         its UTF-8 bytes
ARRAY (PostgreSQL) list, tuple, numpy array    the array: every element as given, None as NULL
any text           a lone surrogate            :class:`~..exceptions.UnstorableValueError`
text (PostgreSQL)  a NUL character             :class:`~..exceptions.UnstorableValueError`
=================  ==========================  ==============================================

The checks that cost a scan of every value (surrogates, NUL, values JSON cannot hold) run only when
the driver or the encoder has already failed: :func:`unstorable` then finds the cell and names its
table, column and row::

    >>> text_cells(["plain", b"caf\\xc3\\xa9", {"k": 1}])
    ['plain', 'café', '{"k": 1}']
    >>> array_literal(["a,b", None, 'say "hi"'])
    '{"a,b",NULL,"say \\\\"hi\\\\""}'
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..exceptions import UnstorableValueError
from ..specs import TableSpec

__all__ = ["TEXT_KINDS", "array_literal", "binary_cell", "text_cell", "text_cells", "unstorable"]

TEXT_KINDS = ("string", "text")
"""Column kinds whose cells are text (enums go through their type's own conversion)."""

_SURROGATE = re.compile(r"[\ud800-\udfff]")


class _CellError(ValueError):
    """One value that cannot become a cell (located and explained by :func:`unstorable`)."""


def text_cell(value: Any) -> str:
    """A non-NULL value for a text column."""
    if type(value) is str:
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise _CellError("is bytes that are not UTF-8 text; decode them first, or use a binary "
                             "(LargeBinary / BYTEA) column") from None
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    if isinstance(value, np.generic):
        return str(value.item())
    return str(value)


def text_cells(cells: list) -> list:
    """``cells`` of a text column with every non-``str`` value converted (None stays None)."""
    if all(type(c) is str or c is None for c in cells):
        return cells
    return [c if type(c) is str or c is None else text_cell(c) for c in cells]


def binary_cell(value: Any) -> bytes:
    """A non-NULL value for a binary column."""
    if isinstance(value, str):
        return value.encode("utf-8")
    try:
        return bytes(value)
    except TypeError:
        raise _CellError(f"is a {type(value).__name__} where bytes belong; return bytes (or str, stored as "
                         "UTF-8)") from None


def binary_cells(cells: list) -> list:
    """``cells`` of a binary column as bytes (None stays None)."""
    if all(type(c) is bytes or c is None for c in cells):
        return cells
    return [None if c is None else binary_cell(c) for c in cells]


def array_literal(value: Any) -> str:
    """A PostgreSQL array value in its text input syntax: ``{"a","b c",NULL}`` (nested lists nest)."""
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise _CellError(f"is a {type(value).__name__} where an array belongs; return a list")
    parts = []
    for item in value:
        if item is None:
            parts.append("NULL")
        elif isinstance(item, (list, tuple, np.ndarray)):
            parts.append(array_literal(item))
        else:
            item = item.item() if isinstance(item, np.generic) else item
            text = ("t" if item else "f") if isinstance(item, bool) else text_cell(item)
            parts.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(parts) + "}"


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _problem(kind: str, value: Any, dialect: str) -> str | None:
    """Why ``value`` cannot be stored in a column of ``kind`` on ``dialect``, or None."""
    try:
        if kind == "json":
            json.dumps(value)
            return None
        if kind == "binary":
            binary_cell(value)
            return None
        if kind == "array":
            value = array_literal(value)
        elif kind in TEXT_KINDS:
            value = text_cell(value)
    except _CellError as exc:
        return str(exc)
    except (TypeError, ValueError) as exc:
        return f"is not something JSON can hold ({exc}); return lists, dicts, strings, numbers, booleans or None"
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        if found:
            return (f"holds a lone surrogate (U+{ord(found.group()):04X}), which no database stores as text; "
                    "clean it up, e.g. value.encode('utf-8', 'replace').decode('utf-8')")
        if dialect == "postgresql" and "\x00" in value:
            return "holds a NUL character (\\x00), which PostgreSQL does not store in text; remove it"
    return None


def refused_by_type(table: TableSpec, name: str, value: object, exc: Exception) -> UnstorableValueError:
    """The error for a value the column's own type (a TypeDecorator's ``process_bind_param``, a bind processor)
    raised on: which column, which type, the value, the type's words, and how to give it values it takes."""
    type_ = table.column(name).sa_type
    type_name = type(type_).__name__
    return UnstorableValueError(
        f"Cannot write {table.fullname}.{name!r}: its type {type_name} refused the value {_shown(value)} "
        f"({type(exc).__name__}: {exc}). Nothing was written (the seed rolled back). Give the column values the "
        f"type takes: overrides={{'{table.fullname}.{name}': ...}}, or register_type({type_name}, factory) for "
        "every column of the type.")


def unstorable(table: TableSpec, batch: Mapping[str, np.ndarray] | None, dialect: str,
               first_row: int | None = None) -> UnstorableValueError | None:
    """The error naming the first cell of ``batch`` that ``dialect`` cannot store, or None when every cell can.

    Called after an encoder or a driver failed, so its per-cell checks cost nothing on a good seed.
    """
    if not batch:
        return None
    key = next((c.name for c in table.columns if c.primary_key and c.name in batch), None)
    for name, values in batch.items():
        if values.dtype != object:
            continue
        kind = table.column(name).kind
        for i, value in enumerate(values.tolist()):
            if value is None or (isinstance(value, float) and value != value):
                continue
            why = _problem(kind, value, dialect)
            if why is not None:
                row = f"{key}={_plain(batch[key][i])!r}" if key else f"row {i + 1} of the batch"
                column = f"{table.fullname}.{name}"
                return UnstorableValueError(
                    f"Cannot write {column!r} ({row}): the value {_shown(value)} {why}. "
                    "Nothing was written (the seed rolled back).")
    return None


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
