"""Frozen descriptions of a schema that the pipeline stages pass to each other.

``introspect.py`` (models, ``Table``, ``MetaData``, a live database) and
``dict_schema.py`` (the seed document's ``{"email": "email", ...}`` dicts)
both produce these; everything downstream reads only these, never a
``Session`` or an ``Inspector``::

    >>> from sqlalchemy_syda.introspect import table_spec
    >>> spec = table_spec(Contact)
    >>> spec.name, spec.primary_key, spec.column_names
    ('contacts', ('id',), ('id', 'customer_id', 'first_name', 'last_name', 'email', 'phone', 'position', 'is_primary'))
    >>> email = spec.column("email")
    >>> email.kind, email.length, email.nullable, email.unique, email.comment
    ('string', 100, False, True, "Contact's email address")
    >>> spec.foreign_keys[0].columns, spec.foreign_keys[0].ref_table, spec.foreign_keys[0].ref_columns
    (('customer_id',), 'customers', ('id',))

A ``kind`` is the generic family of the SQL type: ``integer``, ``float``,
``decimal``, ``string``, ``text``, ``boolean``, ``date``, ``datetime``,
``time``, ``interval``, ``uuid``, ``inet`` (PostgreSQL INET/CIDR), ``macaddr``, ``json``,
``binary``, ``enum``, ``array`` or ``other``. A ``TypeDecorator`` column has the kind of the Python
values it is given (see :mod:`.type_kinds`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["CheckSpec", "ColumnSpec", "ForeignKeySpec", "TableSpec", "UniqueSpec", "KINDS"]

KINDS = (
    "integer", "float", "decimal", "string", "text", "boolean", "date", "datetime",
    "time", "interval", "uuid", "inet", "macaddr", "json", "binary", "enum", "array", "other",
)


@dataclass(frozen=True)
class ColumnSpec:
    """One column: its type facts, flags and the words that describe it."""

    name: str
    """Column name in the database."""
    kind: str = "string"
    key: str | None = None
    """``Column.key`` (the key of ``table.c``); defaults to ``name``."""
    attr: str | None = None
    """ORM attribute name when the table is mapped (may differ from ``name``)."""
    type_repr: str = ""
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    timezone: bool = False
    int_bits: int | None = None
    """16, 32 or 64 for integer kinds: bounds the values."""
    enum_values: tuple[str, ...] | None = None
    """Stored values of an Enum column (member names unless ``values_callable``)."""
    nullable: bool = True
    primary_key: bool = False
    autoincrement: bool = False
    """The database would fill this column itself (serial, identity, rowid)."""
    identity_always: bool = False
    computed: bool = False
    server_default: str | None = None
    """Text of the server default; a column with one is left to the database."""
    has_default: bool = False
    """A client-side (Python) default exists."""
    unique: bool = False
    """Unique on its own (``unique=True``, a one-column UniqueConstraint or unique Index)."""
    comment: str | None = None
    doc: str | None = None
    hint: Any = field(default=None, hash=False)
    """``info={"syda": ...}`` of the column, or the type name of a dict schema."""
    references: tuple[str, str] | None = None
    """``(table fullname, column name)`` when the column alone is a foreign key."""
    sa_type: Any = field(default=None, compare=False, hash=False, repr=False)
    item: ColumnSpec | None = field(default=None, compare=False, hash=False, repr=False)
    """For an ``array`` column: its elements (kind, length, bits), which decide their values."""
    enum_class: Any = field(default=None, compare=False, hash=False, repr=False)

    @property
    def column_key(self) -> str:
        return self.key or self.name

    @property
    def attr_key(self) -> str:
        return self.attr or self.column_key

    @property
    def filled_by_database(self) -> bool:
        """True when a seed must leave the column out and let the database fill it."""
        if self.computed:
            return True
        if self.primary_key:
            # keys are always written explicitly (children need them without a round trip);
            # PostgreSQL COPY accepts explicit values even for GENERATED ALWAYS identity columns
            return False
        return self.identity_always or self.server_default is not None

    @property
    def description(self) -> str:
        """Comment and doc joined: the column's own words."""
        return " ".join(p for p in (self.comment, self.doc) if p)


@dataclass(frozen=True)
class ForeignKeySpec:
    """A (possibly composite) foreign key constraint."""

    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    name: str | None = None
    nullable: bool = True
    """All local columns are nullable, so the FK can be broken with NULL."""
    deferrable: bool | None = None
    initially: str | None = None
    use_alter: bool = False
    ondelete: str | None = None


@dataclass(frozen=True)
class UniqueSpec:
    """A UNIQUE rule over one or more columns (constraint or unique index)."""

    columns: tuple[str, ...]
    name: str | None = None
    where: str | None = None
    """Predicate text of a partial unique index (PostgreSQL/SQLite ``WHERE``)."""
    nulls_distinct: bool = True
    """False for PostgreSQL ``NULLS NOT DISTINCT``."""
    origin: str = "constraint"
    """``column`` | ``constraint`` | ``index`` | ``primary_key``."""


@dataclass(frozen=True)
class CheckSpec:
    """A CHECK constraint by its SQL text."""

    sqltext: str
    name: str | None = None
    column: str | None = None
    """Set for a column-level CHECK."""


@dataclass(frozen=True)
class TableSpec:
    """One table: columns, keys, constraints and the words that describe it."""

    name: str
    columns: tuple[ColumnSpec, ...]
    schema: str | None = None
    doc: str | None = None
    """Class docstring of the mapped model."""
    comment: str | None = None
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKeySpec, ...] = ()
    uniques: tuple[UniqueSpec, ...] = ()
    checks: tuple[CheckSpec, ...] = ()
    hint: Any = field(default=None, hash=False)
    """``__table_args__ = {"info": {"syda": ...}}``."""
    model_name: str | None = None
    model: Any = field(default=None, compare=False, hash=False, repr=False)
    table: Any = field(default=None, compare=False, hash=False, repr=False)

    @property
    def fullname(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def __getstate__(self) -> dict[str, Any]:
        """Pickled as plain data: the live model and ``Table`` stay behind (a worker gets the spec alone)."""
        return {**self.__dict__, "model": None, "table": None}

    @property
    def display_name(self) -> str:
        """Model name when mapped, else the table name."""
        return self.model_name or self.name

    @property
    def description(self) -> str:
        return " ".join(p for p in (self.doc, self.comment) if p)

    def matches(self, key: Any) -> bool:
        """Whether ``key`` names this table: its model, ``Table``, a TableSpec of it, or a table / model name.

        The one table-key lookup of the package (counts, overrides and cardinalities are keyed this way).
        """
        if isinstance(key, TableSpec):
            return key.fullname == self.fullname
        if isinstance(key, str):
            return key in (self.name, self.fullname, self.model_name)
        return (key is self.model and key is not None) or (key is self.table and key is not None)

    def column(self, name: str) -> ColumnSpec:
        for col in self.columns:
            if col.name == name or col.attr == name or col.key == name:
                return col
        raise KeyError(f"table {self.fullname!r} has no column {name!r}")

    def has_column(self, name: str) -> bool:
        return any(name in (c.name, c.attr, c.key) for c in self.columns)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)
