"""Model definitions shared by the seeding tests (test_seed, test_plan, test_cardinality, test_orm, ...).

Each group of tables has its own declarative base, so a test creates only the tables it needs::

    engine = make_engine(db_url)
    TreeBase.metadata.create_all(engine)

``make_engine`` turns foreign keys on for SQLite (a connect event), so every database enforces
every constraint the tests rely on.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.pool import NullPool

from sqlalchemy_syda import SydaMixin

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # examples/ (the seed document's CRM) lives next to the package
    sys.path.insert(0, str(ROOT))

from examples import crm_models  # noqa: E402

CRM = crm_models.MODELS
CrmBase = crm_models.Base

# ``db_url`` (tests/conftest.py) runs a test on all three databases; these narrow it where the dialect matters less
on_sqlite_and_pg = pytest.mark.parametrize(
    "db_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
on_sqlite_and_mariadb = pytest.mark.parametrize(
    "db_url", ["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)], indirect=True)


def make_engine(url: str, **kwargs) -> sa.Engine:
    """An engine that enforces foreign keys on SQLite too (and does not pool, so databases drop cleanly)."""
    kwargs.setdefault("poolclass", NullPool)
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        @sa.event.listens_for(engine, "connect")
        def _fk_on(dbapi_conn, _record):
            dbapi_conn.execute("PRAGMA foreign_keys=ON")
    return engine


def create(engine: sa.Engine, *models) -> None:
    """CREATE only the tables of ``models`` (mapped classes or Tables): DDL is what costs on MariaDB."""
    tables = [getattr(m, "__table__", m) for m in models]
    tables[0].metadata.create_all(engine, tables=tables)


def count(bind, table: str, where: str = "") -> int:
    """Rows of ``table`` (optionally matching ``where``)."""
    sql = f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")
    with _connect(bind) as conn:
        return conn.execute(sa.text(sql)).scalar_one()


def scalar(bind, sql: str, **params):
    with _connect(bind) as conn:
        return conn.execute(sa.text(sql), params).scalar()


def rows(bind, sql: str, **params) -> list:
    with _connect(bind) as conn:
        return conn.execute(sa.text(sql), params).all()


def orphans(bind, child: str, fk: str, parent: str, pk: str = "id") -> int:
    """Children whose non-NULL foreign key has no parent row (must be 0)."""
    return scalar(bind, f"SELECT COUNT(*) FROM {child} c LEFT JOIN {parent} p ON c.{fk} = p.{pk} "
                        f"WHERE c.{fk} IS NOT NULL AND p.{pk} IS NULL")


def _connect(bind):
    if isinstance(bind, sa.Engine):
        return bind.connect()
    import contextlib

    return contextlib.nullcontext(bind)


# --- self references ----------------------------------------------------------------------------------

class TreeBase(SydaMixin, DeclarativeBase):
    pass


class Category(TreeBase):
    """Product category; top-level categories have no parent."""

    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))


class Employee(TreeBase):
    """Company employee; the CEO manages themself."""

    __tablename__ = "employees"
    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(100))
    manager_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), nullable=False)


# --- a two-table cycle, broken at a nullable FK -------------------------------------------------------

class CycleBase(SydaMixin, DeclarativeBase):
    pass


class Department(CycleBase):
    """A department; its head is one of its staff (known only after staff exist)."""

    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    head_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", use_alter=True, name="fk_department_head"))


class Staff(CycleBase):
    """A member of staff working in a department."""

    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), nullable=False)


# --- NOT NULL cycles ----------------------------------------------------------------------------------

def not_null_cycle(deferrable: bool) -> tuple[sa.MetaData, sa.Table, sa.Table]:
    """``husbands.wife_id -> wives.id`` and ``wives.husband_id -> husbands.id``, both NOT NULL."""
    md = sa.MetaData()
    extra = {"deferrable": True, "initially": "DEFERRED"} if deferrable else {}
    husbands = Table(
        "husbands", md,
        Column("id", Integer, primary_key=True),
        Column("name", String(80), nullable=False),
        Column("wife_id", Integer, ForeignKey("wives.id", name="fk_husband_wife", use_alter=True, **extra),
               nullable=False),
    )
    wives = Table(
        "wives", md,
        Column("id", Integer, primary_key=True),
        Column("name", String(80), nullable=False),
        Column("husband_id", Integer, ForeignKey("husbands.id", name="fk_wife_husband", **extra), nullable=False),
    )
    return md, husbands, wives


# --- composite keys, many-to-many, one-to-one, inheritance -----------------------------------------------

class KeysBase(SydaMixin, DeclarativeBase):
    pass


class Warehouse(KeysBase):
    """A warehouse, identified by region code and site number."""

    __tablename__ = "warehouses"
    region: Mapped[str] = mapped_column(String(8), primary_key=True)
    site_no: Mapped[int] = mapped_column(primary_key=True)
    city: Mapped[str] = mapped_column(String(80))


class Shelf(KeysBase):
    """A shelf in a warehouse."""

    __tablename__ = "shelves"
    __table_args__ = (
        ForeignKeyConstraint(["region", "site_no"], ["warehouses.region", "warehouses.site_no"],
                             name="fk_shelf_warehouse"),
        UniqueConstraint("region", "site_no", "label", name="uq_shelf_label"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(8))
    site_no: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(String(12))


enrollments = Table(
    "enrollments", KeysBase.metadata,
    Column("student_id", ForeignKey("students.id"), primary_key=True),
    Column("course_id", ForeignKey("courses.id"), primary_key=True),
)


class Student(KeysBase):
    """A university student."""

    __tablename__ = "students"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(120), unique=True)
    courses: Mapped[list[Course]] = relationship(secondary=enrollments, back_populates="students")


class Course(KeysBase):
    """A course students enroll in."""

    __tablename__ = "courses"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    students: Mapped[list[Student]] = relationship(secondary=enrollments, back_populates="courses")


class Account(KeysBase):
    """A user account."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)


class Profile(KeysBase):
    """Exactly one profile per account: its primary key is the account's."""

    __tablename__ = "profiles"
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    bio: Mapped[str | None] = mapped_column(String(200))


class Passport(KeysBase):
    """At most one passport per account (a unique foreign key)."""

    __tablename__ = "passports"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), unique=True)
    number: Mapped[str] = mapped_column(String(20))


class InheritBase(SydaMixin, DeclarativeBase):
    pass


class Person(InheritBase):
    """A person."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(80))
    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "person"}


class Engineer(Person):
    """A person who is an engineer."""

    __tablename__ = "engineers"
    id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    language: Mapped[str] = mapped_column(String(40))
    __mapper_args__ = {"polymorphic_identity": "engineer"}


# --- partial unique index, CHECK constraints --------------------------------------------------------------

class RulesBase(SydaMixin, DeclarativeBase):
    pass


class Owner(RulesBase):
    """Someone who owns bank accounts."""

    __tablename__ = "owners"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))


class BankAccount(RulesBase):
    """A bank account; an owner has at most one primary account."""

    __tablename__ = "bank_accounts"
    __table_args__ = (
        Index("uq_one_primary_per_owner", "owner_id", unique=True,
              postgresql_where=sa.text("is_primary"), sqlite_where=sa.text("is_primary")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"))
    is_primary: Mapped[bool] = mapped_column()
    iban: Mapped[str] = mapped_column(String(34))


class Booking(RulesBase):
    """A hotel booking."""

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("nights BETWEEN 1 AND 14", name="ck_nights"),
        CheckConstraint("price > 0 AND price < 5000", name="ck_price"),
        CheckConstraint("status IN ('new', 'paid', 'cancelled')", name="ck_status"),
        CheckConstraint("check_out > check_in", name="ck_dates"),
        CheckConstraint("discount <= price", name="ck_discount"),
        CheckConstraint("code LIKE 'BK-%'", name="ck_code"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    nights: Mapped[int] = mapped_column()
    price: Mapped[float] = mapped_column()
    discount: Mapped[float] = mapped_column()
    status: Mapped[str] = mapped_column(String(20))
    check_in: Mapped[dt.date] = mapped_column()
    check_out: Mapped[dt.date] = mapped_column()


# --- simple parent / child (existing rows, cardinality, errors) ------------------------------------------

class ShopBase(SydaMixin, DeclarativeBase):
    pass


class Author(ShopBase):
    """A book author."""

    __tablename__ = "authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(120), unique=True)
    full_name: Mapped[str] = mapped_column("name", String(100))  # attribute key != column name
    books: Mapped[list[Book]] = relationship(back_populates="author")


class Book(ShopBase):
    """A book written by one author."""

    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    title: Mapped[str] = mapped_column(String(200))
    isbn: Mapped[str] = mapped_column(String(20), unique=True)
    author: Mapped[Author] = relationship(back_populates="books")


class Publisher(ShopBase):
    """A publishing house (never seeded by the tests directly)."""

    __tablename__ = "publishers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class Edition(ShopBase):
    """An edition of a book, printed by a publisher."""

    __tablename__ = "editions"
    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"))
    publisher_id: Mapped[int] = mapped_column(ForeignKey("publishers.id"))
    year: Mapped[int] = mapped_column()


NOT_NULL_CYCLE = not_null_cycle(deferrable=False)[0]
"""A MetaData with a NOT NULL two-table cycle (for the CLI: ``--models schemas:NOT_NULL_CYCLE``)."""


def async_url(pg_schema_url: str, driver: str) -> tuple[str, dict]:
    """``pg_schema_url`` for an async driver, and the connect_args that keep its search_path."""
    url = sa.make_url(pg_schema_url).set(drivername=driver)
    connect_args = {}
    if driver.endswith("asyncpg"):  # asyncpg takes the search_path as a server setting, not as libpq options
        schema = url.query["options"].split("=", 1)[1]
        url = url.difference_update_query(["options"])
        connect_args = {"server_settings": {"search_path": schema}}
    return url.render_as_string(hide_password=False), connect_args
