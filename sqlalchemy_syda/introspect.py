"""Read mapped classes, tables, metadata and live databases into specs.

Introspection is the only stage that looks inside SQLAlchemy; everything after it reads the frozen
:mod:`sqlalchemy_syda.specs` dataclasses (and :class:`~.mapped_classes.ClassSpec` for the ORM side)::

    >>> spec = table_spec(Customer)
    >>> spec.doc.splitlines()[0]                      # the class docstring
    'Organization or individual client in the CRM system.'
    >>> spec.column("name")
    ColumnSpec(name='name', kind='string', ..., length=100, ..., nullable=False, ..., unique=True, ...)
    >>> [s.name for s in table_specs(Base)]          # every model, plus m2m association tables
    ['customers', 'contacts', 'products', 'orders', 'order_items']
    >>> [s.name for s in reflect_specs(engine, only=["orders"])]   # a database without model code
    ['orders']

This module turns a *source* (a class, ``Table``, ``MetaData``, declarative Base, list, or a live database)
into tables; the stages below it are modules of their own: :mod:`.mapped_classes` (mappers),
:mod:`.spec_builder` (one ``Table`` -> ``TableSpec``: keys, uniques, CHECKs, words), :mod:`.type_facts`
(what a column's type decides) and :mod:`.reflection` (a live database, with what generic reflection misses).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapper

from .exceptions import IntrospectionError
from .mapped_classes import ACCEPTED, described, is_declarative_base, mapper_of, table_owners
from .reflection import reflect_specs
from .spec_builder import build_mapped_spec, build_spec
from .specs import TableSpec

__all__ = ["reflect_specs", "table_spec", "table_specs"]


# --------------------------------------------------------------------------- public


def table_spec(obj: Any) -> TableSpec:
    """Describe one mapped class or :class:`~sqlalchemy.Table`.

    :param obj: a declarative mapped class (``DeclarativeBase``, legacy
        ``declarative_base()``, ``registry().generate_base()`` or imperatively
        mapped) or a ``Table``. A single-table-inheritance subclass describes its
        parent's table, with ``model`` left as the subclass.
    :raises IntrospectionError: for anything else, e.g. an unmapped class or an instance.

    e.g.::

        spec = table_spec(Employee)
        spec.primary_key           # ('id',)
        spec.column("email").unique
    """
    if isinstance(obj, sa.Table):
        return build_spec(obj)
    return build_mapped_spec(mapper_of(obj))


def table_specs(
    source: Any, *, only: Iterable[str] | None = None, metadata: sa.MetaData | None = None
) -> list[TableSpec]:
    """Describe several tables at once.

    :param source: one of

        - a declarative Base class: every mapped class of ``Base.registry``, plus the
          tables of ``Base.metadata`` that no class maps (m2m association tables);
        - a :class:`~sqlalchemy.MetaData`: all its tables, in definition order;
        - an :class:`~sqlalchemy.engine.Engine` or :class:`~sqlalchemy.engine.Connection`:
          the live database, see :func:`reflect_specs`;
        - a list or tuple of mapped classes, ``Table`` objects and table names; a name
          is looked up in the ``MetaData`` of the other items (or ``metadata=``), and a
          ``Table`` that one of the listed classes' registries maps is read through
          its class;
        - a single mapped class or ``Table``.
    :param only: keep just these tables, by table name, schema-qualified name or
        model class name; an unknown name raises.
    :param metadata: where table names of a list ``source`` are looked up.
    :raises IntrospectionError: for an unsupported source or an unknown name.
    """
    if isinstance(source, (Engine, Connection)):
        return reflect_specs(source, only=only)
    if isinstance(source, sa.MetaData):
        specs = [build_spec(t) for t in source.tables.values()]
    elif is_declarative_base(source):
        specs = _base_specs(source)
    elif isinstance(source, (list, tuple)):
        specs = _list_specs(source, metadata)
    elif isinstance(source, (type, sa.Table)):
        specs = [table_spec(source)]
    else:
        raise IntrospectionError(
            f"Expected {ACCEPTED}, or a list of mapped classes, Tables and table names; "
            f"got {described(source)}."
        )
    return _keep_only(specs, only)


# ------------------------------------------------------------------ sources -> tables


def _base_specs(base: type) -> list[TableSpec]:
    owners = table_owners([base.registry])  # type: ignore[attr-defined]
    tables = list(base.metadata.tables.values())  # type: ignore[attr-defined]
    tables += [t for t in owners if t not in set(tables)]
    return [build_mapped_spec(owners[t]) if t in owners else build_spec(t) for t in tables]


def _list_specs(items: list[Any] | tuple[Any, ...], metadata: sa.MetaData | None) -> list[TableSpec]:
    inspected: list[Any] = [sa.inspect(i, raiseerr=False) for i in items if isinstance(i, type)]
    mappers = [m for m in inspected if isinstance(m, Mapper)]
    owners = table_owners({m.registry for m in mappers})
    contexts = [metadata] if metadata is not None else []
    contexts += [m.local_table.metadata for m in mappers if isinstance(m.local_table, sa.Table)]
    contexts += [i.metadata for i in items if isinstance(i, sa.Table)]
    specs: list[TableSpec] = []
    for item in items:
        if isinstance(item, str):
            item = _table_named(item, contexts)
        spec = (
            build_mapped_spec(owners[item]) if isinstance(item, sa.Table) and item in owners else table_spec(item)
        )
        if not any(s.table is spec.table and s.model is spec.model for s in specs):
            specs.append(spec)
    return specs


def _table_named(name: str, contexts: list[sa.MetaData]) -> sa.Table:
    if not contexts:
        raise IntrospectionError(
            f"Table name {name!r} needs a MetaData to be looked up in: list its mapped class or Table "
            f"instead, pass metadata=..., or use table_specs(metadata, only=[{name!r}])."
        )
    for md in dict.fromkeys(contexts):
        if name in md.tables:
            return md.tables[name]
        by_name = [t for t in md.tables.values() if t.name == name]
        if len(by_name) == 1:
            return by_name[0]
    known = sorted({key for md in contexts for key in md.tables})
    raise IntrospectionError(f"No table named {name!r}; known tables: {', '.join(known) or '(none)'}.")


def _keep_only(specs: list[TableSpec], only: Iterable[str] | None) -> list[TableSpec]:
    if only is None:
        return specs
    wanted = [only] if isinstance(only, str) else list(only)
    names = {n for s in specs for n in (s.name, s.fullname, s.model_name) if n}
    missing = [w for w in wanted if w not in names]
    if missing:
        raise IntrospectionError(
            f"only= names not found: {', '.join(map(repr, missing))}; known: {', '.join(sorted(names))}."
        )
    return [s for s in specs if {s.name, s.fullname, s.model_name} & set(wanted)]
