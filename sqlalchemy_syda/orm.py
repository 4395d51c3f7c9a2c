"""ORM entry points: ``Model.synthesize(n)``, ``session.seed(...)`` and their async twins.

::

    >>> from sqlalchemy.orm import declarative_base, sessionmaker
    >>> Model = declarative_base(cls=SydaMixin)
    >>> class Client(Model):
    ...     __tablename__ = "clients"
    ...     id = sa.Column(sa.Integer, primary_key=True)
    ...     name = sa.Column(sa.String(100), nullable=False, unique=True, comment="Customer organization name")
    ...     email = sa.Column(sa.String(100))
    >>> class Invoice(Model):
    ...     __tablename__ = "invoices"
    ...     id = sa.Column(sa.Integer, primary_key=True)
    ...     client_id = sa.Column(sa.ForeignKey("clients.id"), nullable=False)
    ...     total = sa.Column(sa.Numeric(10, 2))
    >>> clients = Client.synthesize(3, seed=1)          # three transient objects, nothing written
    >>> [(c.id, c.name) for c in clients], sa.inspect(clients[0]).transient
    ([(1, 'Rubio Engineering'), (2, 'Gallegos & Braun Inc'), (3, 'Ritter Plumbing')], True)
    >>> db = sa.create_engine("sqlite://")
    >>> Model.metadata.create_all(db)
    >>> SessionLocal = sessionmaker(db, class_=SeedSession)
    >>> with SessionLocal.begin() as session:
    ...     session.seed({Client: 5, Invoice: 12}, seed=1).counts    # same options as seed()
    {'clients': 5, 'invoices': 12}
    >>> with SessionLocal() as session:                 # rows written in the session, objects attached
    ...     invoices = Invoice.synthesize(2, session=session, seed=2)
    ...     [(i.id, i.client_id) for i in invoices], sa.inspect(invoices[0]).persistent
    ...     session.rollback()                          # and undone with it
    ...     session.scalar(sa.select(sa.func.count()).select_from(Invoice))
    ([(13, 1), (14, 1)], True)
    12

Async sessions have the same ``seed``::

    ASession = async_sessionmaker(async_engine, class_=AsyncSeedSession)
    async with ASession() as s, s.begin():
        await s.seed({Customer: 100})

All of them call :func:`~.seed.seed` / :func:`~.generate.generate`; there is no second engine here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from .exceptions import SchemaError
from .mapped_classes import ClassSpec, class_spec
from .seed import SeedResult
from .seed import seed as _seed

__all__ = ["AsyncSeedSession", "SeedSession", "SeedSessionMixin", "SydaMixin", "rows_to_objects", "synthesize"]

T = TypeVar("T")


def _python(value: Any, kind: str) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if kind == "date" and isinstance(value, dt.datetime):
        return value.date()
    if kind == "uuid" and isinstance(value, str):
        import uuid

        return uuid.UUID(value)
    return value


def rows_to_objects(model: type[T], frame) -> list[T]:
    """DataFrame rows (column names) -> transient instances of ``model`` (attribute names)."""
    from .introspect import table_spec

    spec = table_spec(model)
    cols = [(spec.column(c), frame[c].tolist()) for c in frame.columns]
    out = []
    for i in range(len(frame)):
        out.append(model(**{col.attr_key: _cell(values[i], col) for col, values in cols}))
    return out


def _cell(value: Any, col: Any) -> Any:
    """One frame cell as the Python value the mapped attribute expects."""
    value = _python(value, col.kind)
    if col.enum_class is not None and isinstance(value, str):
        value = _enum_member(col.enum_class, value)
    if value is not None and hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
        if col.kind == "date":
            value = value.date()
    return value


def _enum_member(enum_class, stored: str):
    if stored in enum_class.__members__:
        return enum_class[stored]
    for member in enum_class:
        if member.value == stored:
            return member
    return stored


class SydaMixin:
    """Adds ``synthesize`` to declarative models: ``class Base(SydaMixin, DeclarativeBase)``."""

    @classmethod
    def synthesize(cls: type[T], n: int = 1, session: Session | None = None, *, seed: int | None = None,
                   profile: Any = None, **overrides: Any) -> list[T]:
        """``n`` realistic instances: persisted through ``session`` (with needed parents), or transient.

        :param seed: fixes the data (default 0): the same call gives the same objects; pass another seed
            for others.
        :param profile: a :class:`~.learn.Profile` learned from real data: its columns give the values
            (a single-table profile fits any one table; overrides win).
        :param overrides: per attribute: a value, a generator name, a Generator or a callable.
        """
        return synthesize(cls, n, session, seed=seed, profile=profile, **overrides)


def synthesize(model: type[T], n: int = 1, session: Session | None = None, *, seed: int | None = None,
               profile: Any = None, **overrides: Any) -> list[T]:
    """``Model.synthesize(...)`` for any mapped class, with or without :class:`SydaMixin`."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise SchemaError(f"synthesize() needs a non-negative integer count; got {n!r}.")
    if session is None:
        return _transient(model, n, seed, overrides, profile)
    return _persisted(model, n, session, seed, overrides, profile)


def _transient(cls, n: int, seed: int | None, overrides: dict, profile: Any = None) -> list:
    """``generate()`` of the class's table(s), turned into objects: the same call gives the same objects."""
    from .generate import generate_with
    from .introspect import table_spec
    from .options import SeedOptions

    spec = table_spec(cls)
    mapped = class_spec(cls)
    inherited = [t for t in mapped.tables if t != spec.fullname]
    local = {k: v for k, v in overrides.items() if spec.has_column(k) or not inherited}
    on = mapped.polymorphic_on
    if on is not None and on[0] == spec.fullname and mapped.polymorphic_identity is not None and \
            not any(spec.column(k).name == on[1] for k in local if spec.has_column(k)):
        local[on[1]] = mapped.polymorphic_identity  # the discriminator says which class the row is
    if profile is not None:
        from .learn.profile import as_profile

        profile = as_profile(profile)
    options = SeedOptions(seed=seed or 0, overrides=local, profile=profile)
    objects = rows_to_objects(cls, generate_with(spec, n, options))
    for table in inherited:  # joined inheritance: the columns of the base classes' tables too
        _fill_inherited(mapped, table, objects, seed or 0, overrides)
    return objects


def _fill_inherited(mapped: ClassSpec, table: str, objects: list, seed: int, overrides: dict) -> None:
    from .generate import generate_with
    from .introspect import table_spec
    from .options import SeedOptions

    sa_table = mapped.sa_table_named(table)
    attr_of = {}
    for col in sa_table.columns:
        if (table, col.name) == mapped.polymorphic_on:  # SQLAlchemy sets the class's identity itself
            continue
        if mapped.attribute(table, col.name) is not None:  # else a column the class does not map
            attr_of[col.name] = mapped.attribute(table, col.name)
    spec = table_spec(sa_table)
    over = {col: overrides[key] for col, key in attr_of.items() if key in overrides}
    frame = generate_with(spec, len(objects), SeedOptions(seed=seed, overrides=over))
    for name, key in attr_of.items():
        if name not in frame:
            continue
        col = spec.column(name)
        for obj, value in zip(objects, frame[name].tolist()):
            setattr(obj, key, _cell(value, col))


def _persisted(cls, n: int, session: Session, seed: int | None, overrides: dict, profile: Any = None) -> list:
    from .introspect import table_spec

    spec = table_spec(cls)
    result = _seed(session, {cls: n}, seed=seed or 0, overrides={cls: overrides} if overrides else None,
                   return_keys=True, profile=profile)
    keys = result.keys.get(spec.fullname, [])
    if not keys:
        return []
    table = spec.table
    pk = [table.c[c] for c in spec.primary_key]
    objects: list = []
    for start in range(0, len(keys), 500):
        part = keys[start:start + 500]
        if len(pk) == 1:
            cond = pk[0].in_([k[0] for k in part])
        else:
            cond = sa.tuple_(*pk).in_(part)
        found = {tuple(getattr(o, spec.column(c).attr_key) for c in spec.primary_key): o
                 for o in session.scalars(sa.select(cls).where(cond))}
        objects.extend(found[tuple(k)] for k in part if tuple(k) in found)
    return objects


class SeedSessionMixin:
    """Adds ``seed(...)`` to a Session subclass of your own."""

    def seed(self, models: Any = None, **options: Any) -> SeedResult:
        """``seed(self, models, **options)``: see :func:`sqlalchemy_syda.seed`."""
        return _seed(self, models, **options)


class SeedSession(SeedSessionMixin, Session):
    """A Session with ``seed()``: ``sessionmaker(engine, class_=SeedSession)``."""


class AsyncSeedSession(AsyncSession):
    """An AsyncSession with ``await s.seed(...)`` (runs the sync pipeline through ``run_sync``)."""

    sync_session_class = SeedSession

    async def seed(self, models: Any = None, **options: Any) -> SeedResult:
        return await self.run_sync(lambda s: _seed(s, models, **options))
