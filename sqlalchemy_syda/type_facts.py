"""The facts a column's SQL type decides: kind, length, precision, scale, timezone, integer width, enum values.

A ``TypeDecorator`` has the kind of the values it is given (:mod:`.type_kinds`); a dialect type
(``postgresql.INTEGER``, ``mysql.TINYINT``) is read by its class hierarchy, down to its generic type::

    >>> type_facts(sa.String(40))
    {'kind': 'string', 'length': 40}
    >>> type_facts(sa.Numeric(8, 2))
    {'kind': 'decimal', 'precision': 8, 'scale': 2}
    >>> from sqlalchemy.dialects import mysql
    >>> type_facts(mysql.TINYINT())
    {'kind': 'integer', 'int_bits': 8}
    >>> type_repr(sa.Enum("a", "b", name="ab"))
    'VARCHAR(1)'
"""

from __future__ import annotations

import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from .specs import ColumnSpec
from .type_kinds import plain_kind, value_kind

__all__ = ["type_facts", "type_repr"]

# Most specific first along a type's MRO: mysql.TINYINT is an Integer of 8 bits.
_INT_BITS: dict[type, int] = {
    mysql.TINYINT: 8,
    mysql.MEDIUMINT: 24,
    sa.SmallInteger: 16,
    sa.BigInteger: 64,
    sa.Integer: 32,
}


_HOLDS = {("array", "json"), ("inet", "string"), ("inet", "text"), ("macaddr", "string"), ("macaddr", "text"),
          ("uuid", "string"), ("json", "text"), ("array", "text")}
"""``(a, b)``: a value of kind ``a`` is also a value a column of kind ``b`` stores (a list is a JSON document)."""


def _variant_choice(type_: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any]:
    """Of a type and its ``with_variant`` types (``JSON`` but ``ARRAY`` on PostgreSQL, ``String`` but ``INET``), the
    most specific one whose values every other one stores too, so every backend gets the same values."""
    variants = list(getattr(type_, "_variant_mapping", {}).values())
    if not variants:
        return type_
    from .type_kinds import _SPECIFIC

    options = [(plain_kind(t) or (_kind(t)[0], t))[0] for t in (type_, *variants)]
    ranked = sorted(range(len(options)), key=lambda i: _SPECIFIC.index(options[i]) if options[i] in _SPECIFIC
                    else len(_SPECIFIC))
    for i in ranked:
        if all(o == options[i] or (options[i], o) in _HOLDS for o in options):
            return (type_, *variants)[i]
    return type_


def type_facts(type_: sa.types.TypeEngine[Any]) -> dict[str, Any]:
    """kind, length, precision, scale, timezone, int_bits, enum_values, enum_class of a type."""
    type_ = _variant_choice(type_)
    kind, t = _kind(type_)
    facts: dict[str, Any] = {"kind": kind}
    if kind in ("string", "text", "enum", "binary", "other"):
        length = getattr(t, "length", None)
        facts["length"] = length if isinstance(length, int) else None
    if kind in ("float", "decimal"):
        facts["precision"] = getattr(t, "precision", None)
        facts["scale"] = getattr(t, "scale", None)
    if kind in ("datetime", "time"):
        facts["timezone"] = bool(getattr(t, "timezone", False))
    if kind == "integer":
        facts["int_bits"] = next((_INT_BITS[c] for c in type(t).__mro__ if c in _INT_BITS), None)
    if kind == "array" and getattr(t, "item_type", None) is not None:
        item = t.item_type() if isinstance(t.item_type, type) else t.item_type
        facts["item"] = ColumnSpec("item", sa_type=item, nullable=False, **type_facts(item))
    if isinstance(t, sa.Enum):
        facts["enum_values"] = tuple(t.enums)
        facts["enum_class"] = t.enum_class
    elif isinstance(type_, sa.TypeDecorator) and (keys := _choice_keys(type_)):
        facts["enum_values"] = keys
    return facts


def _choice_keys(type_: sa.TypeDecorator) -> tuple[Any, ...] | None:
    """The stored keys of a TypeDecorator that carries its ``choices`` (sqlalchemy-utils' ``ChoiceType``: pairs
    ``(key, label)`` or an ``enum.Enum`` class), which the column holds and nothing else."""
    choices = getattr(type_, "choices", None)
    if isinstance(choices, type) and issubclass(choices, enum.Enum):
        return tuple(m.value for m in choices) or None
    if isinstance(choices, (list, tuple)) and choices and \
            all(isinstance(c, (list, tuple)) and len(c) == 2 for c in choices):
        return tuple(k for k, _ in choices)
    return None


def _kind(type_: sa.types.TypeEngine[Any]) -> tuple[str, sa.types.TypeEngine[Any]]:
    """The kind of a type and the type whose facts apply (see :mod:`.type_kinds` for TypeDecorators)."""
    t = type_
    for _ in range(10):
        found = plain_kind(t)
        if found is not None:
            return found
        if isinstance(t, sa.TypeDecorator):
            kind, storage = value_kind(t)
            return kind, storage if storage is not None else t
        try:
            generic = t.as_generic()
        except (NotImplementedError, TypeError):  # SQLAlchemy's answer for a type with no generic equivalent
            break
        if type(generic) is type(t):
            break
        t = generic
    return "other", type_


def type_repr(type_: sa.types.TypeEngine[Any]) -> str:
    """The type as DDL shows it (its class name when it cannot compile without a dialect)."""
    try:
        return str(type_)
    except Exception:  # some dialect types cannot compile without their dialect
        return type(type_).__name__
