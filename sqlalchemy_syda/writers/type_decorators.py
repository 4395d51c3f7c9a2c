"""Custom ``TypeDecorator`` columns through the type's own conversion, on writers that bypass SQLAlchemy.

A seed generates the Python values a ``TypeDecorator`` is given by the application (a ``datetime`` for a
``DateTimeInt``, a ``uuid.UUID`` for a ``GUID``; see :mod:`..type_kinds`). The INSERT writer runs the
type's bind processor, and so its ``process_bind_param``, on each of them; PostgreSQL COPY writes text
itself, so :func:`through_type_decorators` first runs ``process_bind_param`` (of every decorator in a
chain) on those columns and describes what comes out with the kind the dialect stores
(:func:`~..type_kinds.storage_kind`): the same values reach the table on every backend::

    >>> import datetime as dt
    >>> from sqlalchemy.dialects import postgresql
    >>> from sqlalchemy_syda.introspect import table_spec
    >>> class DateTimeInt(sa.TypeDecorator):             # microseconds since the epoch in a BIGINT
    ...     impl, cache_ok = sa.BigInteger, True
    ...     def process_bind_param(self, value, dialect):
    ...         return None if value is None else int((value - dt.datetime(1970, 1, 1)).total_seconds() * 1e6)
    >>> visits = sa.Table("visits", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
    ...                   sa.Column("seen", DateTimeInt))
    >>> spec = table_spec(visits)
    >>> batch = {"id": np.arange(1, 3), "seen": np.array(["2024-05-29T16:26:40", "NaT"], dtype="datetime64[us]")}
    >>> table, converted = through_type_decorators(spec, batch, postgresql.dialect())
    >>> spec.column("seen").kind, table.column("seen").kind
    ('datetime', 'integer')
    >>> converted["seen"]
    array([1717000000000000, None], dtype=object)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import sqlalchemy as sa

from ..specs import TableSpec
from ..type_kinds import storage_kind
from .cells import refused_by_type

__all__ = ["through_type_decorators"]


def _bind_chain(type_: Any, dialect) -> list:
    """The ``process_bind_param`` of each decorator in a (possibly nested) TypeDecorator, outermost first."""
    steps, t = [], type_
    for _ in range(10):
        if not isinstance(t, sa.TypeDecorator):
            break
        if type(t).process_bind_param is not sa.TypeDecorator.process_bind_param:
            steps.append(t.process_bind_param)
        impl = t.load_dialect_impl(dialect)
        t = impl() if isinstance(impl, type) else impl
    return steps


def _raises(step, value, dialect) -> bool:
    try:
        step(value, dialect)
    except Exception:
        return True
    return False


def through_type_decorators(table: TableSpec, batch: Mapping[str, np.ndarray], dialect
                            ) -> tuple[TableSpec, Mapping[str, np.ndarray]]:
    """``batch`` with its TypeDecorator columns converted by the types, and ``table`` describing the result."""
    from .executemany import python_values

    decorated = [name for name in batch if isinstance(table.column(name).sa_type, sa.TypeDecorator)]
    if not decorated:
        return table, batch
    out = dict(batch)
    columns = {c.name: c for c in table.columns}
    for name in decorated:
        spec = table.column(name)
        cells = python_values(spec, batch[name])  # the Python values, no processor of any dialect yet
        for step in _bind_chain(spec.sa_type, dialect):
            try:
                cells = [step(c, dialect) for c in cells]
            except Exception as exc:  # the type's own refusal, whatever it raises: name the cell
                bad = next(c for c in cells if _raises(step, c, dialect))
                raise refused_by_type(table, name, bad, exc) from exc
        values = np.empty(len(cells), dtype=object)
        values[:] = cells
        out[name] = values
        columns[spec.name] = replace(spec, kind=storage_kind(spec.sa_type, dialect))
    return replace(table, columns=tuple(columns[c.name] for c in table.columns)), out
