"""Tests for sqlalchemy_syda.mapped_classes: a mapped class described once, and nobody else walking mappers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

import sqlalchemy_syda
from sqlalchemy_syda.exceptions import IntrospectionError
from sqlalchemy_syda.mapped_classes import class_for_table, class_spec, class_spec_or_none, identity_key


class Base(DeclarativeBase):
    pass


class Staff(Base):
    __tablename__ = "staff_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    full_name: Mapped[str] = mapped_column("name", sa.String(80))
    team_lead: Mapped[str | None] = mapped_column(sa.String(80))
    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "staff"}


class Supervisor(Staff):  # single-table: lives in staff_members
    __mapper_args__ = {"polymorphic_identity": "supervisor"}


class Developer(Staff):  # joined
    __tablename__ = "developers"
    id: Mapped[int] = mapped_column(sa.ForeignKey("staff_members.id"), primary_key=True)
    mentor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_members.id"))
    mentor: Mapped[Staff | None] = relationship(foreign_keys=[mentor_id])
    __mapper_args__ = {"polymorphic_identity": "developer", "inherit_condition": id == Staff.id}


def test_joined_and_single_table_inheritance_are_described():
    """Test tables (base first), the own-table flag, lineage, discriminator, attributes and the primary key."""
    dev, sup, staff = class_spec(Developer), class_spec(Supervisor), class_spec(Staff)
    assert (dev.table, dev.tables, dev.own_table) == ("developers", ("staff_members", "developers"), True)
    assert (sup.table, sup.tables, sup.own_table) == ("staff_members", ("staff_members",), False)
    assert dev.lineage == (Staff, Developer) and dev.root is Staff and dev.inherits is Staff
    assert staff.inherits is None and staff.polymorphic and staff.polymorphic_on == ("staff_members", "kind")
    assert (dev.polymorphic_identity, sup.polymorphic_identity) == ("developer", "supervisor")
    assert staff.attribute("staff_members", "name") == "full_name" and staff.attribute("developers", "id") is None
    assert dev.attribute("developers", "id") == dev.attribute("staff_members", "id") == "id"
    assert dev.columns_of("full_name") == (("staff_members", "name"),)
    assert staff.primary_key == (("staff_members", "id"),)
    assert dev.sa_column("staff_members", "name") is Staff.__table__.c["name"]


def test_relationships_carry_their_column_pairs():
    """Test a many-to-one relationship's direction, target and (local, remote) column pairs."""
    (mentor,) = class_spec(Developer).relationships
    assert (mentor.key, mentor.direction, mentor.target) == ("mentor", "MANYTOONE", Staff)
    assert mentor.pairs == ((("developers", "mentor_id"), ("staff_members", "id")),)
    assert mentor.local_columns == ("mentor_id",)


def test_lookups_and_refusals():
    """Test the class mapping a table, the identity of transient objects, and what is not a mapped class."""
    assert class_for_table(Developer, "staff_members") is Staff and class_for_table(Staff, "nope") is None
    assert identity_key(Staff(id=3)) is None and identity_key(object()) is None
    assert class_spec_or_none("staff_members") is None and class_spec_or_none(Staff.__table__) is None
    with pytest.raises(IntrospectionError, match="Got an instance of Staff; pass the class Staff itself"):
        class_spec(Staff())
    with pytest.raises(IntrospectionError, match="is a declarative Base, not a mapped table"):
        class_spec(Base)


_INTROSPECTION = {"mapped_classes.py", "spec_builder.py", "introspect.py", "reflection.py"}
_MAPPER_NAMES = {"__mapper__", "get_property_by_column", "iterate_to_root", "base_mapper", "local_remote_pairs",
                 "column_attrs", "primary_key_from_instance", "mapper"}


def _walks_mappers(path: Path) -> list[str]:
    """Where a module inspects mappers: ``sa.inspect(...)`` / ``inspect(...)`` calls and mapper attributes."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "inspect":
            found.append(f"{path.name}:{node.lineno} inspect()")
        elif isinstance(node, ast.Attribute) and node.attr in _MAPPER_NAMES:
            found.append(f"{path.name}:{node.lineno} .{node.attr}")
    return found


def test_only_introspection_walks_mappers():
    """Test that no module outside introspection inspects mappers (the others read ClassSpec / TableSpec),
    and that the detector sees the walking that introspection does."""
    root = Path(sqlalchemy_syda.__file__).parent
    outside = [hit for path in sorted(root.glob("*.py")) if path.name not in _INTROSPECTION
               for hit in _walks_mappers(path)]
    assert outside == []
    assert _walks_mappers(root / "mapped_classes.py") and _walks_mappers(root / "spec_builder.py")
