"""Tests for sqlalchemy_syda.introspect: models, tables, metadata and live databases -> specs."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Column, Float, ForeignKey, Integer, String
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    MappedAsDataclass,
    declarative_base,
    mapped_column,
    registry,
    relationship,
)

from sqlalchemy_syda.exceptions import IntrospectionError, SchemaError
from sqlalchemy_syda.introspect import reflect_specs, table_spec, table_specs
from sqlalchemy_syda.specs import CheckSpec, ColumnSpec, ForeignKeySpec, TableSpec, UniqueSpec

# ----------------------------------------------------------------- 2.0-style models


class Base(DeclarativeBase):
    pass


class Status(enum.Enum):
    active = "A"
    banned = "B"


class Color(enum.Enum):
    red = "r"
    green = "g"


class Account(Base):
    """A customer account.

        Holds the balance and the login of one person.
    """

    __tablename__ = "accounts"
    __table_args__ = (
        sa.UniqueConstraint("region", "number", name="uq_accounts_region_number"),
        sa.CheckConstraint("balance >= 0", name="ck_accounts_balance"),
        sa.Index(
            "ix_accounts_handle_live",
            "handle",
            unique=True,
            postgresql_where=sa.text("deleted = false"),
            sqlite_where=sa.text("deleted = 0"),
        ),
        {"comment": "Customer accounts", "info": {"syda": {"rows": 100}}},
    )

    id: Mapped[int] = mapped_column(sa.Identity(always=True), primary_key=True)
    full_name: Mapped[str] = mapped_column(
        "fullName", String(80), comment="Given and family name", doc="Shown on invoices"
    )
    email: Mapped[str] = mapped_column(String(120), unique=True, info={"syda": "email"})
    handle: Mapped[str] = mapped_column(String(30))
    login: Mapped[str] = mapped_column(String(30), index=True, unique=True)
    region: Mapped[str] = mapped_column(String(2))
    number: Mapped[int]
    twice: Mapped[int] = mapped_column(sa.Computed("number * 2", persisted=True))
    balance: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2), default=Decimal("0"))
    score: Mapped[float | None] = mapped_column(Float)
    age: Mapped[int | None] = mapped_column(sa.SmallInteger, sa.CheckConstraint("age >= 0"))
    visits: Mapped[int] = mapped_column(sa.BigInteger, server_default=sa.text("0"))
    status: Mapped[Status] = mapped_column(sa.Enum(Status, name="account_status"))
    color: Mapped[Color | None] = mapped_column(
        sa.Enum(Color, name="account_color", values_callable=lambda e: [m.value for m in e])
    )
    deleted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    birthday: Mapped[dt.date | None]
    wakes_at: Mapped[dt.time | None]
    session_length: Mapped[dt.timedelta | None]
    token: Mapped[uuid.UUID] = mapped_column(default=uuid.uuid4)
    prefs: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    avatar: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    bio: Mapped[str | None] = mapped_column(sa.Text)


class DataclassBase(MappedAsDataclass, DeclarativeBase):
    pass


class Plan(DataclassBase):
    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    label: Mapped[str] = mapped_column(String(20))


# ---------------------------------------------- the seed document's legacy models

LegacyBase = declarative_base()


class Department(LegacyBase):
    """Organizational department that groups employees by business function.
    Departments are the primary organizational units within the company structure.
    """

    __tablename__ = "departments"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True, comment="Official department name (e.g. Engineering, Marketing)")
    location = Column(String(100), comment="Primary office location of this department")
    budget = Column(Float, comment="Annual budget allocation in USD")

    employees = relationship("Employee", back_populates="department")


class Employee(LegacyBase):
    """Company employee with their personal and professional details.
    Each employee belongs to a specific department and has associated job information.
    """

    __tablename__ = "employees"

    id = Column(Integer, primary_key=True)
    first_name = Column(String(50), nullable=False, comment="Employee's given name")
    last_name = Column(String(50), nullable=False, comment="Employee's family name")
    email = Column(String(100), nullable=False, unique=True, comment="Business email address for communication")
    department_id = Column(Integer, ForeignKey("departments.id"), comment="Department where employee works")
    role = Column(String(100), comment="Job title or position within the company")
    salary = Column(Float, comment="Annual salary in USD")

    department = relationship("Department", back_populates="employees")


# ------------------------- registry().generate_base(): keys, cycles, inheritance, m2m

GraphBase = registry().generate_base()


class Warehouse(GraphBase):
    """A place that stores stock."""

    __tablename__ = "warehouses"

    region = Column(String(2), primary_key=True)
    code = Column(Integer, primary_key=True, autoincrement=False)
    name = Column(String(50), nullable=False)
    manager_id = Column(Integer, ForeignKey("staff.id", use_alter=True, name="fk_warehouse_manager"))


class Staff(GraphBase):
    """Somebody who works in a warehouse."""

    __tablename__ = "staff"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["wh_region", "wh_code"],
            ["warehouses.region", "warehouses.code"],
            name="fk_staff_warehouse",
            deferrable=True,
            initially="DEFERRED",
            ondelete="CASCADE",
        ),
    )

    id = Column(Integer, primary_key=True)
    boss_id = Column(Integer, ForeignKey("staff.id", name="fk_staff_boss"))
    wh_region = Column(String(2), nullable=False)
    wh_code = Column(Integer, nullable=False)
    kind = Column(String(20), nullable=False)
    licence = Column(String(20))

    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "staff"}


class Driver(Staff):  # single-table inheritance, and no docstring of its own
    __mapper_args__ = {"polymorphic_identity": "driver"}


class Picker(Staff):
    """Picks orders off the shelves."""

    __tablename__ = "pickers"
    __mapper_args__ = {"polymorphic_identity": "picker"}

    id = Column(Integer, ForeignKey("staff.id"), primary_key=True)
    items_per_hour = Column(Integer)


class Product(GraphBase):
    """Something the warehouses stock."""

    __tablename__ = "products"

    id = Column(Integer, primary_key=True)
    sku = Column(String(20), nullable=False, unique=True)
    tags = relationship("Tag", secondary="product_tags")


class Tag(GraphBase):
    __tablename__ = "tags"

    id = Column(Integer, primary_key=True)
    label = Column(String(30), nullable=False, unique=True)


product_tags = sa.Table(
    "product_tags",
    GraphBase.metadata,
    Column("product_id", ForeignKey("products.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True),
)


def _column(spec: TableSpec, name: str, **expected: Any) -> None:
    """Assert that a column's spec has exactly these fields (all others at their defaults)."""
    assert spec.column(name) == ColumnSpec(name=name, **expected)


# ------------------------------------------------------------------ column facts


def test_account_table_facts() -> None:
    """Table name, docstring (cleaned), comment, hint, model and primary key are read."""
    spec = table_spec(Account)
    assert spec.name == "accounts"
    assert spec.schema is None
    assert spec.doc == "A customer account.\n\nHolds the balance and the login of one person."
    assert spec.comment == "Customer accounts"
    assert spec.hint == {"rows": 100}
    assert spec.model is Account
    assert spec.model_name == "Account"
    assert spec.table is Account.__table__
    assert spec.primary_key == ("id",)
    assert spec.foreign_keys == ()
    assert spec.column_names[:3] == ("id", "fullName", "email")


def test_account_keys_and_defaults() -> None:
    """Identity, computed, attribute key vs column name, unique flags, defaults."""
    spec = table_spec(Account)
    _column(spec, "id", kind="integer", key="id", attr="id", type_repr="INTEGER", int_bits=32,
            nullable=False, primary_key=True, autoincrement=True, identity_always=True)
    _column(spec, "fullName", kind="string", key="fullName", attr="full_name", type_repr="VARCHAR(80)",
            length=80, nullable=False, comment="Given and family name", doc="Shown on invoices")
    assert spec.column("full_name") is spec.column("fullName")
    _column(spec, "email", kind="string", key="email", attr="email", type_repr="VARCHAR(120)", length=120,
            nullable=False, unique=True, hint="email")
    _column(spec, "login", kind="string", key="login", attr="login", type_repr="VARCHAR(30)", length=30,
            nullable=False, unique=True)
    # only unique under a WHERE: not unique on its own
    _column(spec, "handle", kind="string", key="handle", attr="handle", type_repr="VARCHAR(30)", length=30,
            nullable=False)
    _column(spec, "twice", kind="integer", key="twice", attr="twice", type_repr="INTEGER", int_bits=32,
            nullable=False, computed=True)
    _column(spec, "balance", kind="decimal", key="balance", attr="balance", type_repr="NUMERIC(10, 2)",
            precision=10, scale=2, nullable=False, has_default=True)
    _column(spec, "visits", kind="integer", key="visits", attr="visits", type_repr="BIGINT", int_bits=64,
            nullable=False, server_default="0")
    _column(spec, "created_at", kind="datetime", key="created_at", attr="created_at", type_repr="DATETIME",
            timezone=True, nullable=False, server_default="now()")
    assert spec.column("twice").filled_by_database
    assert spec.column("created_at").filled_by_database
    # Identity(always=True) on the primary key: keys are still written explicitly (COPY accepts them),
    # so children never need a RETURNING round trip
    assert spec.column("id").identity_always and not spec.column("id").filled_by_database
    assert not spec.column("balance").filled_by_database


def test_account_type_kinds() -> None:
    """Every SQL type family maps to its kind, with its facts."""
    spec = table_spec(Account)
    _column(spec, "score", kind="float", key="score", attr="score", type_repr="FLOAT")
    _column(spec, "age", kind="integer", key="age", attr="age", type_repr="SMALLINT", int_bits=16)
    _column(spec, "deleted", kind="boolean", key="deleted", attr="deleted", type_repr="BOOLEAN",
            nullable=False, has_default=True)
    _column(spec, "birthday", kind="date", key="birthday", attr="birthday", type_repr="DATE")
    _column(spec, "wakes_at", kind="time", key="wakes_at", attr="wakes_at", type_repr="TIME")
    _column(spec, "session_length", kind="interval", key="session_length", attr="session_length",
            type_repr="DATETIME")
    _column(spec, "token", kind="uuid", key="token", attr="token", type_repr="CHAR(32)", nullable=False,
            has_default=True)
    _column(spec, "prefs", kind="json", key="prefs", attr="prefs", type_repr="JSON")
    _column(spec, "avatar", kind="binary", key="avatar", attr="avatar", type_repr="BLOB")
    _column(spec, "bio", kind="text", key="bio", attr="bio", type_repr="TEXT")


def test_enum_values_are_what_gets_stored() -> None:
    """A Python enum stores member names, unless values_callable says otherwise."""
    spec = table_spec(Account)
    status, color = spec.column("status"), spec.column("color")
    assert (status.kind, status.enum_values, status.enum_class, status.length) == (
        "enum", ("active", "banned"), Status, 6)
    assert status.nullable is False
    assert (color.kind, color.enum_values, color.enum_class, color.length) == ("enum", ("r", "g"), Color, 1)
    assert color.nullable is True


def test_account_uniques() -> None:
    """Column unique=True, composite UniqueConstraint, unique Index and partial unique Index."""
    assert table_spec(Account).uniques == (
        UniqueSpec(columns=("email",), origin="column"),
        UniqueSpec(columns=("region", "number"), name="uq_accounts_region_number", origin="constraint"),
        UniqueSpec(columns=("handle",), name="ix_accounts_handle_live", where="deleted = false", origin="index"),
        UniqueSpec(columns=("login",), name="ix_accounts_login", origin="index"),
    )


def test_account_checks_table_and_column_level() -> None:
    """Table-level CHECKs and the inline Column(..., CheckConstraint) both appear."""
    assert table_spec(Account).checks == (
        CheckSpec(sqltext="age >= 0", column="age"),
        CheckSpec(sqltext="balance >= 0", name="ck_accounts_balance"),
    )


def test_enum_and_boolean_constraints_are_rendered_with_literals() -> None:
    """create_constraint CHECKs render their value lists, not bind placeholders."""
    md = sa.MetaData()
    t = sa.Table(
        "flags", md,
        Column("id", Integer, primary_key=True),
        Column("status", sa.Enum(Status, create_constraint=True, name="ck_status")),
        Column("on", sa.Boolean(create_constraint=True)),
    )
    assert table_spec(t).checks == (
        CheckSpec(sqltext="status IN ('active', 'banned')", name="ck_status", column="status"),
        CheckSpec(sqltext='"on" IN (0, 1)', column="on"),
    )


def test_nulls_not_distinct_and_unique_index_dedup() -> None:
    """NULLS NOT DISTINCT is kept; a unique index repeating a constraint is listed once; the PK is not a unique."""
    md = sa.MetaData()
    t = sa.Table(
        "codes", md,
        Column("code", String(10), primary_key=True),
        Column("a", Integer),
        Column("b", Integer),
        sa.UniqueConstraint("a", "b", name="uq_ab", postgresql_nulls_not_distinct=True),
        sa.Index("ix_ba", "b", "a", unique=True),
        sa.Index("ix_code", "code", unique=True),
        sa.Index("ix_lower", sa.func.lower(sa.column("code")), unique=True),
    )
    assert table_spec(t).uniques == (
        UniqueSpec(columns=("a", "b"), name="uq_ab", nulls_distinct=False, origin="constraint"),
    )


def test_type_decorators_and_dialect_types() -> None:
    """A TypeDecorator is read through its impl; dialect integer types keep their width."""

    class Money(sa.TypeDecorator[Decimal]):
        impl = sa.Numeric(12, 2)
        cache_ok = True

    class Shout(sa.TypeDecorator[str]):
        impl = String
        cache_ok = True

    md = sa.MetaData()
    t = sa.Table(
        "typed", md,
        Column("price", Money()),
        Column("word", Shout(15)),
        Column("blob", sa.PickleType()),
        Column("tiny", mysql.TINYINT()),
        Column("medium", mysql.MEDIUMINT()),
        Column("mysql_bool", mysql.TINYINT(1)),
        Column("pg_int", postgresql.INTEGER()),
        Column("pg_double", postgresql.DOUBLE_PRECISION()),
        Column("pg_uuid", postgresql.UUID()),
        Column("pg_jsonb", postgresql.JSONB()),
        Column("pg_interval", postgresql.INTERVAL()),
        Column("pg_array", postgresql.ARRAY(Integer)),
        Column("pg_enum", postgresql.ENUM("x", "y", name="xy")),
        Column("pg_inet", postgresql.INET()),
        Column("unicode", sa.Unicode(40)),
        Column("unitext", sa.UnicodeText()),
        Column("unbounded", String()),
        Column("nothing", sa.types.NullType()),
    )
    spec = table_spec(t)
    got = {c.name: (c.kind, c.length, c.precision, c.scale, c.int_bits, c.enum_values) for c in spec.columns}
    assert got == {
        "price": ("decimal", None, 12, 2, None, None),
        "word": ("string", 15, None, None, None, None),
        "blob": ("binary", None, None, None, None, None),
        "tiny": ("integer", None, None, None, 8, None),
        "medium": ("integer", None, None, None, 24, None),
        "mysql_bool": ("boolean", None, None, None, None, None),
        "pg_int": ("integer", None, None, None, 32, None),
        "pg_double": ("float", None, None, None, None, None),
        "pg_uuid": ("uuid", None, None, None, None, None),
        "pg_jsonb": ("json", None, None, None, None, None),
        "pg_interval": ("interval", None, None, None, None, None),
        "pg_array": ("array", None, None, None, None, None),
        "pg_enum": ("enum", 1, None, None, None, ("x", "y")),
        "pg_inet": ("inet", None, None, None, None, None),
        "unicode": ("string", 40, None, None, None, None),
        "unitext": ("text", None, None, None, None, None),
        "unbounded": ("string", None, None, None, None, None),
        "nothing": ("other", None, None, None, None, None),
    }
    assert spec.column("price").type_repr == "NUMERIC(12, 2)"
    assert spec.column("pg_jsonb").type_repr == "JSONB"
    assert isinstance(spec.column("price").sa_type, Money)


def test_dataclass_signature_is_not_a_docstring() -> None:
    """MappedAsDataclass writes 'Plan(label: str)' into __doc__; that is not the model's description."""
    assert Plan.__doc__ and Plan.__doc__.startswith("Plan(")
    assert table_spec(Plan).doc is None


# ------------------------------------------------------------- the seed's models


def test_seed_document_models() -> None:
    """The seed's Department/Employee (legacy declarative_base) read as the README describes."""
    dept, emp = table_spec(Department), table_spec(Employee)
    assert dept.doc == (
        "Organizational department that groups employees by business function.\n"
        "Departments are the primary organizational units within the company structure."
    )
    _column(dept, "name", kind="string", key="name", attr="name", type_repr="VARCHAR(100)", length=100,
            nullable=False, unique=True, comment="Official department name (e.g. Engineering, Marketing)")
    _column(dept, "budget", kind="float", key="budget", attr="budget", type_repr="FLOAT",
            comment="Annual budget allocation in USD")
    _column(emp, "department_id", kind="integer", key="department_id", attr="department_id",
            type_repr="INTEGER", int_bits=32, comment="Department where employee works",
            references=("departments", "id"))
    assert emp.foreign_keys == (ForeignKeySpec(columns=("department_id",), ref_table="departments",
                                               ref_columns=("id",)),)
    assert emp.uniques == (UniqueSpec(columns=("email",), origin="column"),)
    assert [c.name for c in emp.columns if c.unique] == ["email"]
    assert emp.column("id").autoincrement and not emp.column("department_id").autoincrement


# ----------------------------------------------------- keys, cycles, inheritance


def test_composite_keys_deferrable_and_use_alter() -> None:
    """Composite PK, composite deferrable FK, self-reference and a use_alter FK."""
    wh, staff = table_spec(Warehouse), table_spec(Staff)
    assert wh.primary_key == ("region", "code")
    assert not wh.column("code").autoincrement  # composite PK: nothing is filled by the database
    assert wh.foreign_keys == (
        ForeignKeySpec(columns=("manager_id",), ref_table="staff", ref_columns=("id",),
                       name="fk_warehouse_manager", use_alter=True),
    )
    assert staff.foreign_keys == (
        ForeignKeySpec(columns=("boss_id",), ref_table="staff", ref_columns=("id",), name="fk_staff_boss"),
        ForeignKeySpec(columns=("wh_region", "wh_code"), ref_table="warehouses", ref_columns=("region", "code"),
                       name="fk_staff_warehouse", nullable=False, deferrable=True, initially="DEFERRED",
                       ondelete="CASCADE"),
    )
    assert staff.column("boss_id").references == ("staff", "id")
    assert staff.column("wh_region").references is None  # part of a composite FK only


def test_single_table_inheritance_reads_the_parent_table() -> None:
    """An STI subclass describes the parent's table; its docstring is not inherited."""
    spec = table_spec(Driver)
    assert (spec.name, spec.model, spec.model_name, spec.doc) == ("staff", Driver, "Driver", None)
    assert spec.column_names == table_spec(Staff).column_names
    assert table_spec(Staff).doc == "Somebody who works in a warehouse."


def test_joined_table_inheritance_reads_the_own_table() -> None:
    """A joined-inheritance subclass has its own table, whose PK copies the parent's."""
    spec = table_spec(Picker)
    assert spec.name == "pickers"
    assert spec.column_names == ("id", "items_per_hour")
    assert spec.doc == "Picks orders off the shelves."
    _column(spec, "id", kind="integer", key="id", attr="id", type_repr="INTEGER", int_bits=32,
            nullable=False, primary_key=True, references=("staff", "id"))


def test_base_source_includes_association_tables() -> None:
    """table_specs(Base) gives one spec per table, mapped classes preferred, m2m tables too."""
    specs = table_specs(GraphBase)
    assert [(s.name, s.model_name) for s in specs] == [
        ("warehouses", "Warehouse"),
        ("staff", "Staff"),
        ("pickers", "Picker"),
        ("products", "Product"),
        ("tags", "Tag"),
        ("product_tags", None),
    ]
    link = specs[-1]
    assert link.primary_key == ("product_id", "tag_id")
    assert [f.ref_table for f in link.foreign_keys] == ["products", "tags"]
    assert link.column("tag_id").attr is None


def test_legacy_and_2_0_bases() -> None:
    """Legacy declarative_base() and DeclarativeBase subclasses both work as sources."""
    assert [s.model for s in table_specs(LegacyBase)] == [Department, Employee]
    assert [s.model for s in table_specs(Base)] == [Account]


def test_metadata_source_keeps_definition_order() -> None:
    """A MetaData gives plain table specs, in the order the tables were defined."""
    specs = table_specs(GraphBase.metadata)
    assert [s.name for s in specs] == ["warehouses", "staff", "pickers", "products", "tags", "product_tags"]
    assert all(s.model is None and s.doc is None for s in specs)
    assert specs[1].column("boss_id").attr is None


def test_list_source_with_names_and_tables() -> None:
    """A list mixes classes, Tables and names; Tables and names resolve to their classes."""
    specs = table_specs([Tag, product_tags, "products", Warehouse.__table__])
    assert [(s.name, s.model) for s in specs] == [
        ("tags", Tag), ("product_tags", None), ("products", Product), ("warehouses", Warehouse),
    ]
    named = table_specs(["staff", "tags"], metadata=GraphBase.metadata)
    assert [(s.name, s.model) for s in named] == [("staff", None), ("tags", None)]
    assert table_specs([Staff, Driver, Staff])[1].model is Driver  # STI siblings are kept, repeats dropped


def test_only_filters_by_table_or_model_name() -> None:
    """only= takes table names or model names."""
    specs = table_specs(GraphBase, only=["Tag", "staff"])
    assert [s.name for s in specs] == ["staff", "tags"]
    assert [s.name for s in table_specs(Account)] == ["accounts"]
    assert [s.name for s in table_specs(GraphBase, only="tags")] == ["tags"]  # a lone name is one name


# --------------------------------------------------------------------- errors


def test_error_for_unsupported_source() -> None:
    """A value that is no schema names itself and what is accepted."""
    with pytest.raises(IntrospectionError, match=r"Expected a mapped class, Table, MetaData.*got <int 5>"):
        table_specs(5)
    with pytest.raises(IntrospectionError, match=r"got <str 'accounts'>"):
        table_spec("accounts")
    assert issubclass(IntrospectionError, SchemaError)


def test_error_for_unmapped_and_abstract_classes() -> None:
    """Plain and abstract classes are reported as not mapped, with the likely fix."""

    class Foo:
        pass

    class Abstract(Base):
        __abstract__ = True

    with pytest.raises(IntrospectionError, match=r"class Foo is not mapped by SQLAlchemy; did you forget __tablename__"):
        table_spec(Foo)
    with pytest.raises(IntrospectionError, match=r"class Abstract is not mapped.*__abstract__"):
        table_specs([Abstract])


def test_error_for_instances_and_bases_given_to_table_spec() -> None:
    """An instance asks for its class; a Base points to table_specs()."""
    with pytest.raises(IntrospectionError, match=r"instance of Tag; pass the class Tag itself"):
        table_spec(Tag(label="x"))
    with pytest.raises(IntrospectionError, match=r"Base is a declarative Base.*table_specs\(Base\)"):
        table_spec(Base)


def test_error_for_names_without_metadata_and_unknown_names() -> None:
    """Names need a MetaData; unknown names and only= entries list what exists."""
    with pytest.raises(IntrospectionError, match=r"'tags' needs a MetaData"):
        table_specs(["tags"])
    with pytest.raises(IntrospectionError, match=r"No table named 'tgas'; known tables: .*tags"):
        table_specs([Tag, "tgas"])
    with pytest.raises(IntrospectionError, match=r"only= names not found: 'Tga'"):
        table_specs(GraphBase, only=["Tga"])


def test_error_for_unreachable_database() -> None:
    """An unreachable server names the URL without its password, and the driver's message."""
    engine = sa.create_engine("postgresql+psycopg://syda:s3cret@127.0.0.1:1/nowhere")
    with pytest.raises(IntrospectionError, match=r"postgresql\+psycopg://syda:\*\*\*@127\.0\.0\.1:1/nowhere") as info:
        reflect_specs(engine)
    assert "s3cret" not in str(info.value)
    assert "refused" in str(info.value).lower() or "connect" in str(info.value).lower()
    with pytest.raises(IntrospectionError, match=r"reflect_specs\(\) needs an Engine or Connection; got class Tag"):
        reflect_specs(Tag)  # type: ignore[arg-type]


# ------------------------------------------------------------------ reflection


def _create(url: str, *metadatas: sa.MetaData) -> sa.Engine:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for md in metadatas:
            md.create_all(conn)
    return engine


def _by_name(specs: list[TableSpec]) -> dict[str, TableSpec]:
    return {s.name: s for s in specs}


def _kinds(spec: TableSpec) -> dict[str, str]:
    return {c.name: c.kind for c in spec.columns}


MODEL_KINDS = _kinds(table_spec(Account))


def test_reflect_sqlite(sqlite_url: str) -> None:
    """SQLite: lengths, kinds, uniques (incl. partial index), FKs and CHECKs come back."""
    engine = _create(sqlite_url, Base.metadata, GraphBase.metadata)
    try:
        specs = _by_name(reflect_specs(engine))
    finally:
        engine.dispose()
    assert set(specs) == {"accounts", "warehouses", "staff", "pickers", "products", "tags", "product_tags"}
    acc = specs["accounts"]
    assert acc.model is None and acc.doc is None and acc.comment is None  # SQLite keeps no comments
    # SQLite stores Enum as VARCHAR, Interval as DATETIME, Uuid as CHAR(32)
    assert _kinds(acc) == MODEL_KINDS | {
        "status": "string", "color": "string", "session_length": "datetime", "token": "string"}
    assert acc.column("fullName").length == 80
    assert (acc.column("balance").precision, acc.column("balance").scale) == (10, 2)
    assert acc.column("id").autoincrement and acc.column("id").primary_key
    assert acc.column("twice").computed
    assert acc.column("created_at").server_default == "CURRENT_TIMESTAMP"
    assert {(u.columns, u.where) for u in acc.uniques} == {
        (("email",), None), (("region", "number"), None), (("login",), None), (("handle",), "deleted = 0")}
    assert [c.name for c in acc.columns if c.unique] == ["email", "login"]
    assert {(c.sqltext, c.name) for c in acc.checks} == {("age >= 0", None), ("balance >= 0", "ck_accounts_balance")}
    staff = specs["staff"]
    assert {(f.columns, f.ref_table, f.ref_columns, f.ondelete) for f in staff.foreign_keys} == {
        (("boss_id",), "staff", ("id",), None),
        (("wh_region", "wh_code"), "warehouses", ("region", "code"), "CASCADE"),
    }
    assert specs["product_tags"].primary_key == ("product_id", "tag_id")


def test_reflect_sqlite_inline_unique(sqlite_url: str) -> None:
    """SQLite's inline column UNIQUE is only visible as an autoindex; it still counts."""
    engine = sa.create_engine(sqlite_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE TABLE people (id INTEGER PRIMARY KEY, email VARCHAR(80) UNIQUE NOT NULL, "
                "nick TEXT, code TEXT, UNIQUE (nick, code))"
            )
            conn.exec_driver_sql("CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT)")
        with engine.connect() as conn:  # a Connection works as the bind too
            specs = _by_name(reflect_specs(conn, only=["people", "codes"]))
    finally:
        engine.dispose()
    people = specs["people"]
    assert people.column("email").unique and not people.column("nick").unique
    assert {u.columns for u in people.uniques} == {("email",), ("nick", "code")}
    assert specs["codes"].uniques == ()  # the autoindex of a TEXT primary key is the PK itself
    assert (people.column("email").kind, people.column("nick").kind) == ("string", "text")


def test_reflect_only_unknown_table(sqlite_url: str) -> None:
    """Asking to reflect a table that does not exist is an IntrospectionError."""
    engine = sa.create_engine(sqlite_url)
    try:
        with pytest.raises(IntrospectionError, match=r"nope"):
            reflect_specs(engine, only=["nope"])
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_reflect_postgresql(pg_url: str) -> None:
    """PostgreSQL: native enums, identity, comments, partial unique index, deferrable FK, CHECKs."""
    engine = _create(pg_url, Base.metadata, GraphBase.metadata)
    try:
        specs = _by_name(table_specs(engine))
        only = table_specs(engine, only=["staff"])
    finally:
        engine.dispose()
    assert [s.name for s in only] == ["staff"]  # referenced tables are reflected but not returned
    acc = specs["accounts"]
    assert acc.comment == "Customer accounts"
    assert acc.column("fullName").comment == "Given and family name"
    assert _kinds(acc) == MODEL_KINDS
    assert acc.column("status").enum_values == ("active", "banned")
    assert acc.column("color").enum_values == ("r", "g")
    assert acc.column("created_at").timezone
    assert acc.column("age").int_bits == 16 and acc.column("visits").int_bits == 64
    ident = acc.column("id")
    assert (ident.autoincrement, ident.identity_always, ident.server_default) == (True, True, None)
    assert acc.column("twice").computed and acc.column("twice").filled_by_database
    assert acc.column("created_at").server_default == "now()"
    assert {(u.columns, u.where) for u in acc.uniques} == {
        (("email",), None), (("region", "number"), None), (("login",), None), (("handle",), "(deleted = false)")}
    assert [c.name for c in acc.columns if c.unique] == ["email", "login"]
    assert {(c.sqltext, c.name) for c in acc.checks} == {
        ("age >= 0", "accounts_age_check"), ("balance >= 0::numeric", "ck_accounts_balance")}
    staff = specs["staff"]
    fk = next(f for f in staff.foreign_keys if f.ref_table == "warehouses")
    assert (fk.columns, fk.ref_columns, fk.deferrable, fk.initially, fk.ondelete, fk.nullable) == (
        ("wh_region", "wh_code"), ("region", "code"), True, "DEFERRED", "CASCADE", False)
    wh = specs["warehouses"]
    assert wh.primary_key == ("region", "code")
    assert wh.column("manager_id").references == ("staff", "id")


@pytest.mark.postgres
def test_reflect_postgresql_schema_and_nulls_not_distinct(pg_url: str) -> None:
    """A named schema is read with schema=; NULLS NOT DISTINCT survives reflection."""
    md = sa.MetaData(schema="sales")
    sa.Table(
        "regions", md,
        Column("id", Integer, primary_key=True),
        Column("a", Integer), Column("b", Integer),
        sa.UniqueConstraint("a", "b", name="uq_regions_ab", postgresql_nulls_not_distinct=True),
        comment="Sales regions",
    )
    engine = sa.create_engine(pg_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE SCHEMA sales")
            md.create_all(conn)
        (spec,) = reflect_specs(engine, schema="sales")
    finally:
        engine.dispose()
    assert (spec.name, spec.schema, spec.fullname, spec.comment) == ("regions", "sales", "sales.regions", "Sales regions")
    assert spec.uniques == (UniqueSpec(columns=("a", "b"), name="uq_regions_ab", nulls_distinct=False),)


def _without_deferrable(md: sa.MetaData) -> sa.MetaData:
    """A copy of md without DEFERRABLE, which MariaDB's DDL rejects."""
    copy = sa.MetaData()
    for table in md.tables.values():
        for fkc in table.to_metadata(copy).foreign_key_constraints:
            fkc.deferrable = fkc.initially = None
    return copy


@pytest.mark.mariadb
def test_reflect_mariadb(mariadb_url: str) -> None:
    """MariaDB: comments, enums, TINYINT(1) booleans, JSON (a checked LONGTEXT), column CHECKs, uniques."""
    engine = _create(mariadb_url, Base.metadata, _without_deferrable(GraphBase.metadata))
    try:
        specs = _by_name(reflect_specs(engine))
    finally:
        engine.dispose()
    acc = specs["accounts"]
    assert acc.comment == "Customer accounts"
    assert acc.column("fullName").comment == "Given and family name"
    # MariaDB has no INTERVAL (DATETIME is used); SQLAlchemy 2.0 reflects MariaDB's UUID as CHAR(32)
    uuid_kind = "uuid" if sa.__version__ >= "2.1" else "string"
    assert _kinds(acc) == MODEL_KINDS | {"session_length": "datetime", "token": uuid_kind}
    assert acc.column("status").enum_values == ("active", "banned")
    assert acc.column("fullName").length == 80
    assert acc.column("id").autoincrement
    assert acc.column("twice").computed
    # MariaDB has no partial indexes: the unique index on handle is a full one
    assert {u.columns for u in acc.uniques} == {("email",), ("region", "number"), ("login",), ("handle",)}
    assert {c.name for c in acc.columns if c.unique} == {"email", "login", "handle"}
    assert {(c.sqltext, c.column) for c in acc.checks} == {
        ("`balance` >= 0", None), ("`age` >= 0", "age")}
    staff = specs["staff"]
    assert {(f.columns, f.ref_table, f.ref_columns) for f in staff.foreign_keys} == {
        (("boss_id",), "staff", ("id",)),
        (("wh_region", "wh_code"), "warehouses", ("region", "code")),
    }
