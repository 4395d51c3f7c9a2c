"""A mapped class described once: its tables, inheritance, relationships and attribute names, as a frozen value.

Introspection is the only place that walks SQLAlchemy mappers; :func:`class_spec` does it for a mapped class
and everything that needs to know about the ORM side (inheritance blocks, discriminators, transient objects,
factories) reads the :class:`ClassSpec` it returns::

    >>> spec = class_spec(Order)
    >>> spec.table, spec.tables, spec.lineage_names
    ('orders', ('orders',), ('Order',))
    >>> [(r.key, r.direction, r.local_columns) for r in spec.relationships]
    [('customer', 'MANYTOONE', ('customer_id',)), ('items', 'ONETOMANY', ('id',))]
    >>> spec.attribute("orders", "customer_id"), spec.columns_of("customer")
    ('customer_id', ())
    >>> class_spec(Order()).name
    Traceback (most recent call last):
    ...
    sqlalchemy_syda.exceptions.IntrospectionError: Got an instance of Order; pass the class Order itself.

With joined-table inheritance ``tables`` lists the base table first and ``table`` is the class's own;
with single-table inheritance both name the parent's table and ``own_table`` is False. The spec keeps
the live ``Table`` objects (``sa_tables``) for the writers and factories that must build SQL with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapper
from sqlalchemy.orm import registry as orm_registry

from .exceptions import IntrospectionError

__all__ = ["ACCEPTED", "ClassSpec", "RelationshipSpec", "class_for_table", "class_spec", "class_spec_or_none",
           "described", "identity_key", "is_declarative_base", "mapper_of", "table_owners"]

ACCEPTED = "a mapped class, Table, MetaData, declarative Base, Engine or Connection"


@dataclass(frozen=True)
class RelationshipSpec:
    """One ``relationship()`` of a class: its attribute, direction and the column pairs that join it."""

    key: str
    direction: str
    """``MANYTOONE``, ``ONETOMANY`` or ``MANYTOMANY``."""
    target: type = field(compare=False)
    pairs: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = ()
    """``((local table, column), (remote table, column))`` per joined column pair."""

    @property
    def local_columns(self) -> tuple[str, ...]:
        return tuple(column for (_, column), _ in self.pairs)


@dataclass(frozen=True)
class ClassSpec:
    """What the ORM says about one mapped class (tables by full name, columns by name)."""

    name: str
    table: str
    """The table the class's rows are stored in (its parent's with single-table inheritance)."""
    tables: tuple[str, ...]
    """Every table the class maps, the base class's first (joined inheritance)."""
    own_table: bool
    """False for a single-table-inheritance subclass (it maps its parent's table)."""
    lineage: tuple[type, ...] = field(compare=False)
    """The mapped classes from the root of its hierarchy down to the class itself."""
    polymorphic: bool = False
    """The hierarchy has a discriminator (``polymorphic_on``: a column or an expression)."""
    polymorphic_on: tuple[str, str] | None = None
    """``(table, column)`` of the hierarchy's discriminator when it is a column."""
    polymorphic_identity: Any = None
    attributes: Mapping[tuple[str, str], str] = field(default_factory=dict, compare=False)
    """``(table, column) -> attribute name`` for every column the class maps."""
    primary_key: tuple[tuple[str, str], ...] = ()
    model: type | None = field(default=None, compare=False, repr=False)
    sa_tables: tuple[sa.Table, ...] = field(default=(), compare=False, repr=False)

    @cached_property
    def columns(self) -> Mapping[str, tuple[tuple[str, str], ...]]:
        """``attribute name -> ((table, column), ...)`` for the column attributes, in the property's order.

        Read on first use, like :attr:`relationships`: both make SQLAlchemy configure the registry's mappers.
        """
        return {prop.key: tuple((c.table.fullname, c.name) for c in prop.columns if isinstance(c, sa.Column))
                for prop in mapper_of(self.model).column_attrs}

    @cached_property
    def relationships(self) -> tuple[RelationshipSpec, ...]:
        """Every ``relationship()`` of the class, with the column pairs that join it."""
        return tuple(
            RelationshipSpec(rel.key, rel.direction.name, rel.mapper.class_,
                             tuple(((a.table.fullname, a.name), (b.table.fullname, b.name))
                                   for a, b in rel.local_remote_pairs))
            for rel in mapper_of(self.model).relationships)

    @property
    def lineage_names(self) -> tuple[str, ...]:
        return tuple(c.__name__ for c in self.lineage)

    @property
    def root(self) -> type:
        return self.lineage[0]

    @property
    def inherits(self) -> type | None:
        return self.lineage[-2] if len(self.lineage) > 1 else None

    @property
    def sa_table(self) -> sa.Table:
        """The live ``Table`` of :attr:`table`."""
        return self.sa_table_named(self.table)

    def sa_table_named(self, fullname: str) -> sa.Table:
        return next(t for t in self.sa_tables if t.fullname == fullname)

    def attribute(self, table: str, column: str) -> str | None:
        """The attribute that maps ``table.column``, or None when the class does not map it."""
        return self.attributes.get((table, column))

    def columns_of(self, attribute: str) -> tuple[tuple[str, str], ...]:
        """The ``(table, column)`` pairs of a column attribute (empty for a relationship or unknown name)."""
        return self.columns.get(attribute, ())

    def sa_column(self, table: str, column: str) -> sa.Column[Any]:
        """The live ``Column`` named ``column`` of ``table``."""
        return next(c for c in self.sa_table_named(table).columns if c.name == column)

    def relationship(self, key: str) -> RelationshipSpec | None:
        return next((r for r in self.relationships if r.key == key), None)


def class_spec(model: Any) -> ClassSpec:
    """The :class:`ClassSpec` of a mapped class; an IntrospectionError says what else was given."""
    return _describe_mapper(mapper_of(model))


def class_spec_or_none(key: Any) -> ClassSpec | None:
    """The spec when ``key`` is a mapped class, else None (tables, names, specs, anything else)."""
    if not isinstance(key, type):
        return None
    mapper = sa.inspect(key, raiseerr=False)
    return _describe_mapper(mapper) if isinstance(mapper, Mapper) else None


def class_for_table(model: type, table: str) -> type | None:
    """The class of ``model``'s registry that maps ``table`` as the root of its hierarchy (None when none does)."""
    for m in mapper_of(model).registry.mappers:
        if isinstance(m.local_table, sa.Table) and m.local_table.fullname == table and not m.inherits:
            return m.class_
    return None


def identity_key(obj: Any) -> tuple[Any, ...] | None:
    """The primary key of a persistent ORM object, None for a transient (or unmapped) one."""
    state = sa.inspect(obj, raiseerr=False)
    key = getattr(state, "key", None)
    return None if key is None else tuple(key[1])


def _describe_mapper(mapper: Mapper[Any]) -> ClassSpec:
    tables = tuple(t for t in mapper.tables if isinstance(t, sa.Table))
    local = mapper.local_table
    attributes: dict[tuple[str, str], str] = {}
    for table in tables:
        for col in table.columns:
            try:
                attributes[(table.fullname, col.name)] = mapper.get_property_by_column(col).key
            except sa.orm.exc.UnmappedColumnError:
                continue
    on = mapper.polymorphic_on
    polymorphic_on = (on.table.fullname, on.name) if isinstance(on, sa.Column) and on.table is not None else None
    return ClassSpec(
        name=mapper.class_.__name__,
        table=local.fullname if isinstance(local, sa.Table) else "",
        tables=tuple(t.fullname for t in tables),
        own_table=not mapper.single,
        lineage=tuple(m.class_ for m in reversed(list(mapper.iterate_to_root()))),
        polymorphic=on is not None,
        polymorphic_on=polymorphic_on,
        polymorphic_identity=mapper.polymorphic_identity,
        attributes=attributes,
        primary_key=tuple((c.table.fullname, c.name) for c in mapper.primary_key),
        model=mapper.class_,
        sa_tables=tables,
    )


def mapper_of(obj: Any) -> Mapper[Any]:
    """The mapper of a mapped class; an IntrospectionError for an instance, a Base or an unmapped class."""
    if not isinstance(obj, type):
        if isinstance(sa.inspect(type(obj), raiseerr=False), Mapper):
            raise IntrospectionError(
                f"Got an instance of {type(obj).__name__}; pass the class {type(obj).__name__} itself."
            )
        raise IntrospectionError(f"Expected {ACCEPTED}; got {described(obj)}.")
    mapper: Any = sa.inspect(obj, raiseerr=False)
    if isinstance(mapper, Mapper):
        return mapper
    if is_declarative_base(obj):
        raise IntrospectionError(
            f"class {obj.__name__} is a declarative Base, not a mapped table; "
            f"use table_specs({obj.__name__}) to read all its models."
        )
    abstract = " (it is __abstract__)" if obj.__dict__.get("__abstract__") else ""
    raise IntrospectionError(
        f"class {obj.__name__} is not mapped by SQLAlchemy{abstract}; "
        "did you forget __tablename__ / a DeclarativeBase?"
    )


def is_declarative_base(obj: Any) -> bool:
    """Whether ``obj`` is a declarative Base (it has its own registry and maps no table)."""
    return (
        isinstance(obj, type)
        and isinstance(obj.__dict__.get("registry"), orm_registry)  # not inherited: abstract classes
        and isinstance(getattr(obj, "metadata", None), sa.MetaData)
        and not isinstance(sa.inspect(obj, raiseerr=False), Mapper)
    )


def table_owners(registries: Iterable[orm_registry]) -> dict[sa.Table, Mapper[Any]]:
    """The mapper that owns each table; single-table subclasses defer to their parent."""
    owners: dict[sa.Table, Mapper[Any]] = {}
    for reg in registries:
        mappers = sorted(
            reg.mappers, key=lambda m: (len(m.class_.__mro__), m.class_.__qualname__)
        )  # parents first
        for m in mappers:
            if isinstance(m.local_table, sa.Table) and not m.single:
                owners.setdefault(m.local_table, m)
    return owners


def described(obj: Any) -> str:
    """How an error names a value it cannot use: ``class X`` or ``<type repr...>``."""
    if isinstance(obj, type):
        return f"class {obj.__qualname__}"
    text = repr(obj)
    return f"<{type(obj).__name__} {text[:60] + '...' if len(text) > 60 else text}>"
