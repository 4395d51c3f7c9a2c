"""The kind of value a SQL type holds, custom ``TypeDecorator`` types included.

A plain type's kind follows its class (``Integer`` -> ``integer``, ``Uuid`` -> ``uuid``). A
``TypeDecorator`` says less than it seems: its ``impl`` is only the storage of one dialect. So its
kind is decided from what the type is on *every* dialect and from what its own
``process_bind_param`` accepts, as the Python values the application hands it:

1. a ``python_type`` the class declares itself (``uuid.UUID`` for fastapi-users' ``GUID``);
2. the most specific kind any dialect's ``load_dialect_impl`` gives (``CHAR(32)`` on SQLite but
   ``UUID`` on PostgreSQL: a UUID; ``String`` but ``INET``: an address; ``Text`` but ``JSONB``: JSON);
3. the ``impl``'s own kind;
4. failing those, the first kind of value ``process_bind_param`` accepts (keystone's ``DateTimeInt``,
   a ``BigInteger`` that must be given a ``datetime``).

A kind is taken only when ``process_bind_param`` accepts a value of it on PostgreSQL, SQLite and
MySQL alike, so a seed generates the same Python values for every backend, and every writer hands
them to the type's own conversion (``storage_kind`` tells the COPY writer what comes out of it)::

    >>> import datetime as dt, uuid
    >>> from sqlalchemy.dialects import postgresql, sqlite
    >>> class GUID(sa.TypeDecorator):                    # CHAR(36) text, a native UUID on PostgreSQL
    ...     impl, cache_ok = sa.CHAR(36), True
    ...     def load_dialect_impl(self, dialect):
    ...         return dialect.type_descriptor(postgresql.UUID() if dialect.name == "postgresql" else sa.CHAR(36))
    ...     def process_bind_param(self, value, dialect):
    ...         return None if value is None else str(uuid.UUID(str(value)))
    >>> class DateTimeInt(sa.TypeDecorator):             # a BIGINT that must be given a datetime
    ...     impl, cache_ok = sa.BigInteger, True
    ...     def process_bind_param(self, value, dialect):
    ...         if not isinstance(value, dt.datetime):
    ...             raise ValueError("value to be stored must be a datetime object")
    ...         return int((value - dt.datetime(1970, 1, 1)).total_seconds() * 1_000_000)
    >>> value_kind(GUID()), value_kind(DateTimeInt())
    (('uuid', PGUuid()), ('datetime', None))
    >>> plain_kind(sa.Integer())
    ('integer', Integer())
    >>> storage_kind(GUID(), sqlite.dialect()), storage_kind(GUID(), postgresql.dialect())
    ('string', 'uuid')
    >>> storage_kind(DateTimeInt(), postgresql.dialect())
    'integer'
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql

__all__ = ["KIND_CLASSES", "storage_kind", "value_kind"]

# Order matters: an Enum is a String, a Boolean may be a TINYINT(1), a Float is a
# Numeric on SQLAlchemy 2.0 (not on 2.1), a Text is a String.
KIND_CLASSES: tuple[tuple[tuple[type, ...], str], ...] = (
    ((sa.Enum,), "enum"),
    ((sa.Boolean,), "boolean"),
    ((sa.Interval, postgresql.INTERVAL), "interval"),
    ((sa.Float,), "float"),
    ((sa.Numeric,), "decimal"),
    ((sa.Integer,), "integer"),
    ((sa.DateTime,), "datetime"),
    ((sa.Date,), "date"),
    ((sa.Time,), "time"),
    ((sa.Uuid,), "uuid"),
    ((postgresql.INET, postgresql.CIDR), "inet"),
    ((postgresql.MACADDR,), "macaddr"),
    ((sa.JSON,), "json"),
    ((sa.ARRAY,), "array"),
    ((sa.Text,), "text"),
    ((sa.String,), "string"),
    ((sa.LargeBinary, sa.BINARY, sa.VARBINARY), "binary"),
)

_SPECIFIC = ("uuid", "inet", "macaddr", "json", "array", "datetime", "date", "time", "interval", "decimal",
             "float", "integer", "boolean", "binary", "enum", "text", "string")
"""Kinds from the most to the least specific: a UUID stored as CHAR(32) is a UUID, not a string."""

_PYTHON_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "boolean"), (int, "integer"), (float, "float"), (decimal.Decimal, "decimal"), (dt.datetime, "datetime"),
    (dt.date, "date"), (dt.time, "time"), (dt.timedelta, "interval"), (uuid.UUID, "uuid"), (str, "string"),
    (bytes, "binary"), (dict, "json"), (list, "array"),
)
_PROBES: dict[str, Any] = {
    "uuid": uuid.UUID("0b8e7e5c-6c1a-4f0e-9a57-4d1c2b3a4f5e"), "inet": "203.0.113.7", "macaddr": "02:00:00:00:00:01",
    "json": {"key": "value"}, "array": ["a"], "datetime": dt.datetime(2024, 5, 17, 12, 30), "date": dt.date(2024, 5, 17),
    "time": dt.time(12, 30), "interval": dt.timedelta(hours=1), "decimal": decimal.Decimal("12.50"), "float": 12.5,
    "integer": 12, "boolean": True, "binary": b"\x00\x01", "enum": "a", "text": "some text", "string": "text",
}
_FALLBACKS = ("datetime", "date", "uuid", "json", "decimal", "integer", "float", "string", "boolean")
"""Kinds tried, in this order, when the type accepts none of its dialects' own kinds."""


def plain_kind(type_: sa.types.TypeEngine[Any]) -> tuple[str, sa.types.TypeEngine[Any]] | None:
    """The kind a type's class says (MySQL's ``TINYINT(1)`` is a boolean), or None."""
    if isinstance(type_, mysql.TINYINT) and type_.display_width == 1:
        return "boolean", type_  # how MySQL/MariaDB store and reflect BOOLEAN
    for classes, kind in KIND_CLASSES:
        if isinstance(type_, classes):
            return kind, type_
    return None


@cache
def _dialects() -> tuple[sa.engine.Dialect, ...]:
    from sqlalchemy.dialects import sqlite

    return postgresql.dialect(), sqlite.dialect(), mysql.dialect()


def _undecorated(type_: Any, dialect: sa.engine.Dialect | None) -> Any:
    """The type a (possibly nested) TypeDecorator stores as on ``dialect`` (its ``impl`` without one)."""
    t = type_
    for _ in range(10):
        if not isinstance(t, sa.TypeDecorator):
            break
        impl = t.load_dialect_impl(dialect) if dialect is not None else t.impl_instance
        t = impl() if isinstance(impl, type) else impl
    return t


def _converts(type_: sa.TypeDecorator) -> bool:
    """The decorator (or one it wraps) has its own ``process_bind_param``."""
    t: Any = type_
    while isinstance(t, sa.TypeDecorator):
        if type(t).process_bind_param is not sa.TypeDecorator.process_bind_param:
            return True
        t = t.impl_instance
    return False


_STORABLE: dict[str, tuple[type, ...]] = {
    "string": (str,), "text": (str,), "enum": (str,), "integer": (int,), "float": (int, float, decimal.Decimal),
    "decimal": (int, float, decimal.Decimal), "datetime": (dt.datetime,), "date": (dt.date,), "time": (dt.time,),
    "interval": (dt.timedelta,), "uuid": (uuid.UUID, str), "binary": (bytes, bytearray, memoryview),
    "boolean": (bool, int),
}
"""What a dialect's storage of each kind takes from a type's ``process_bind_param``."""


def _accepts(type_: sa.TypeDecorator, kind: str) -> bool:
    """``process_bind_param`` takes a value of ``kind`` on every dialect without raising, and returns what that
    dialect's storage holds (a JSON list type that passes a dict through unchanged does not take dicts)."""
    if not _converts(type_):
        return True
    for dialect in _dialects():
        value, t = _PROBES[kind], type_
        try:
            while isinstance(t, sa.TypeDecorator):
                if type(t).process_bind_param is not sa.TypeDecorator.process_bind_param:
                    value = t.process_bind_param(value, dialect)
                impl = t.load_dialect_impl(dialect)
                t = impl() if isinstance(impl, type) else impl
        except Exception:  # the type's own refusal, whatever it raises
            return False
        stored = _kind_of(t)
        allowed = _STORABLE.get(stored[0]) if stored is not None else None
        if value is not None and allowed is not None and not isinstance(value, allowed):
            return False
    return True


def _named_kinds(type_: sa.TypeDecorator) -> list[tuple[str, Any]]:
    """A decorator whose class says JSON (``JSONDict``, ``JSONEncodedList``) holds documents or lists, one that says
    list (``ScalarListType``) holds lists, even when every dialect stores them as text."""
    names = " ".join(cls.__name__.lower() for cls in type(type_).__mro__ if issubclass(cls, sa.TypeDecorator))
    if "json" in names:
        return [("json", None), ("array", None)]
    return [("array", None)] if "list" in names else []  # sqlalchemy-utils' ScalarListType: a list in text


def _declared_kind(type_: sa.TypeDecorator) -> str | None:
    """The kind of a ``python_type`` the decorator class defines itself (not the one it inherits from impl)."""
    if not any("python_type" in vars(cls) for cls in type(type_).__mro__
               if cls not in (sa.TypeDecorator, sa.types.TypeEngine) and issubclass(cls, sa.TypeDecorator)):
        return None
    try:
        declared = type_.python_type
    except (NotImplementedError, AttributeError):
        return None
    return next((k for cls, k in _PYTHON_KINDS if isinstance(declared, type) and issubclass(declared, cls)), None)


def _kind_of(type_: Any) -> tuple[str, Any] | None:
    """The kind of a storage type, generic types included (``as_generic``)."""
    t = type_
    for _ in range(10):
        found = plain_kind(t)
        if found is not None:
            return found
        try:
            generic = t.as_generic()
        except (NotImplementedError, TypeError, AttributeError):
            return None
        if type(generic) is type(t):
            return None
        t = generic
    return None


def value_kind(type_: sa.TypeDecorator) -> tuple[str, Any]:
    """The kind of Python value a TypeDecorator column is given, and the storage type whose facts (length,
    precision) apply, None when the kind comes from the values the type accepts rather than from a storage."""
    generic = _kind_of(_undecorated(type_, None))
    per_dialect = [found for d in _dialects() if (found := _kind_of(_undecorated(type_, d))) is not None]
    candidates: list[tuple[str, Any]] = []
    declared = _declared_kind(type_)
    if declared is not None:
        match = next((f for f in (*per_dialect, generic) if f is not None and f[0] == declared), None)
        candidates.append(match or (declared, None))
    candidates += _named_kinds(type_)
    candidates += sorted(per_dialect, key=lambda f: _SPECIFIC.index(f[0]) if f[0] in _SPECIFIC else len(_SPECIFIC))
    if generic is not None:
        candidates.append(generic)
    for kind, storage in candidates:
        if kind in _PROBES and _accepts(type_, kind):
            return kind, storage
    for kind in _FALLBACKS:
        if _accepts(type_, kind):
            return kind, None
    return (generic or ("other", None))[0], generic[1] if generic else None


def storage_kind(type_: Any, dialect: sa.engine.Dialect) -> str:
    """What a column of ``type_`` stores on ``dialect`` (after a TypeDecorator's conversion): COPY's format."""
    found = _kind_of(_undecorated(type_, dialect))
    return found[0] if found is not None else "other"
