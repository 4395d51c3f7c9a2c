"""The factory_boy declarations a syda factory gets from its model: a row number, column values, parents.

:func:`declarations` reads the model's :class:`~.mapped_classes.ClassSpec` and tables: every column the
database does not fill gets the value of row ``syda_row`` (:class:`Column`); a NOT NULL foreign key gets its
parent through a :class:`Parent` sub-factory (on the relationship when there is one); a NOT NULL
self-reference points at the latest object made (:class:`SelfKey`); a NOT NULL cycle between tables is
refused::

    >>> decls, hidden = declarations(Contact)
    >>> sorted(decls)
    ['customer', 'email', 'first_name', 'is_primary', 'last_name', 'phone', 'position']
    >>> type(decls["customer"]).__name__, sorted(hidden)
    ('Parent', ['syda_row'])
"""

from __future__ import annotations

from typing import Any

import factory
import sqlalchemy as sa
from factory import enums as _enums
from factory.declarations import BaseDeclaration
from sqlalchemy.ext.asyncio import AsyncSession

from .exceptions import PlanError, SchemaError
from .factory_rows import rows_state, source, table_rows
from .factory_sessions import dialect, session_of, sync
from .mapped_classes import ClassSpec, class_for_table, class_spec

__all__ = ["ROW", "Column", "NextRow", "Parent", "SelfKey", "declarations"]

ROW = "syda_row"


class NextRow(BaseDeclaration):
    """The row number of the object being made (a hidden parameter: ``syda_row``)."""

    def evaluate(self, instance: Any, step: Any, extra: Any) -> int:
        cls = step.builder.factory_meta.factory
        session = session_of(cls)
        state = rows_state(cls, sync(session))
        if state.next is None:
            state.next = table_rows(session, cls._meta.model) if step.builder.strategy == _enums.CREATE_STRATEGY \
                else 0
        k = state.next
        state.next += 1
        return k


class Column(BaseDeclaration):
    """One column's value of row ``syda_row``."""

    def __init__(self, table: str, column: str) -> None:
        super().__init__()
        self.table, self.column = table, column

    def evaluate(self, instance: Any, step: Any, extra: Any) -> Any:
        cls = step.builder.factory_meta.factory
        k = getattr(instance, ROW)
        return source(cls, self.table).row(int(k), dialect(session_of(cls)))[self.column]


class Parent(factory.SubFactory):
    """A SubFactory to a syda factory of ``model``, made on first use and bound like the child."""

    def __init__(self, model: type, **defaults: Any) -> None:
        super().__init__("sqlalchemy_syda.factories.SydaFactory", **defaults)
        self.model = model

    def evaluate(self, instance: Any, step: Any, extra: Any) -> Any:
        child = step.builder.factory_meta.factory
        return step.recurse(child.syda_parent_factory(self.model), extra, force_sequence=None)


class SelfKey(BaseDeclaration):
    """A NOT NULL self-reference, as ``(is_root, key)``: the latest object of the model in the session,
    else the row itself (the first row points at itself: key and reference get the same explicit value)."""

    def __init__(self, ref_attr: str) -> None:
        super().__init__()
        self.ref_attr = ref_attr

    def evaluate(self, instance: Any, step: Any, extra: Any) -> tuple[bool, Any]:
        cls = step.builder.factory_meta.factory
        state = rows_state(cls, sync(session_of(cls)))
        if state.latest is not None:
            return False, getattr(state.latest, self.ref_attr)
        return True, _root_key(cls)


def _root_key(cls: Any) -> Any:
    session = session_of(cls)
    spec_table = class_spec(cls._meta.model).sa_table
    pk = list(spec_table.primary_key.columns)
    if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer):
        raise SchemaError(f"{cls._meta.model.__name__}: a NOT NULL self-reference needs an integer key to point the "
                          "first row at itself; pass the foreign key explicitly.")
    if session is None or isinstance(session, AsyncSession):
        return 1
    if session.get_bind().dialect.name == "postgresql":  # take the id from the sequence, so it stays in step
        key = session.scalar(sa.text("SELECT nextval(pg_get_serial_sequence(:t, :c))"),
                             {"t": spec_table.fullname, "c": pk[0].name})
        if key is not None:
            return int(key)
    return int(session.scalar(sa.select(sa.func.coalesce(sa.func.max(pk[0]), 0))) or 0) + 1


def declarations(model: type) -> tuple[dict[str, Any], dict[str, Any]]:
    """(declarations, hidden parameters) generated for ``model``."""
    mapped = class_spec(model)
    tables = mapped.sa_tables
    decls: dict[str, Any] = {}
    hidden: dict[str, Any] = {ROW: NextRow()}
    fk_handled: set[tuple[str, str]] = set()
    local = mapped.sa_table
    for table in tables:
        for fkc in table.foreign_key_constraints:
            cols = list(fkc.columns)
            referred = fkc.referred_table
            fk_handled.update((table.fullname, c.name) for c in cols)
            if referred is not table and referred in tables:
                continue  # joined inheritance: the ORM sets the key from the base row
            if all(c.nullable for c in cols):
                continue
            if referred is table and table is local:
                _self_reference(mapped, fkc, decls, hidden)
                continue
            parent = class_for_table(model, referred.fullname)
            if parent is None:
                raise SchemaError(f"{model.__name__}.{', '.join(c.name for c in cols)} needs a row of "
                                  f"{referred.name!r}, which no mapped class maps; pass the key explicitly.")
            _refuse_cycle(model, parent)
            rel = next((r for r in mapped.relationships if r.direction == "MANYTOONE"
                        and set(r.local_columns) == {c.name for c in cols}), None)
            if rel is not None:
                decls[rel.key] = Parent(parent)
            else:
                name = f"syda_parent_{'_'.join(c.name for c in cols)}"
                hidden[name] = Parent(parent)
                parent_spec = class_spec(parent)
                for col, elem in zip(cols, fkc.elements):
                    key = mapped.attribute(table.fullname, col.name)
                    ref_key = parent_spec.attribute(elem.column.table.fullname, elem.column.name)
                    decls[key] = factory.SelfAttribute(f"{name}.{ref_key}")
    for table in tables:
        for col in table.columns:
            if (table.fullname, col.name) in fk_handled or (table.fullname, col.name) == mapped.polymorphic_on \
                    or col.computed is not None:
                continue
            if col.primary_key and (col.autoincrement is True or (col.autoincrement == "auto" and
                                                                  col is table.autoincrement_column)):
                continue
            if col.server_default is not None or col.identity is not None:
                continue
            key = mapped.attribute(table.fullname, col.name)
            if key is not None:
                decls.setdefault(key, Column(table.fullname, col.name))
    return decls, hidden


def _self_reference(mapped: ClassSpec, fkc: sa.ForeignKeyConstraint, decls: dict[str, Any],
                    hidden: dict[str, Any]) -> None:
    if len(fkc.elements) != 1:
        raise SchemaError(f"{mapped.name}: a NOT NULL composite self-reference is not generated; "
                          "pass its columns explicitly.")
    col, ref = fkc.elements[0].parent, fkc.elements[0].column
    ref_attr = mapped.attribute(ref.table.fullname, ref.name)
    name = f"syda_self_{col.name}"
    hidden[name] = SelfKey(ref_attr)
    decls[mapped.attribute(col.table.fullname, col.name)] = factory.LazyAttribute(lambda o: getattr(o, name)[1])
    if ref.primary_key:  # the root's own key; later rows leave it to the database
        decls[ref_attr] = factory.LazyAttribute(lambda o: getattr(o, name)[1] if getattr(o, name)[0] else None)


def _refuse_cycle(model: type, parent: type) -> None:
    """A NOT NULL FK path from ``parent`` back to ``model`` would make SubFactories recurse forever."""
    seen, todo = set(), [class_spec(parent).sa_table]
    target = class_spec(model).sa_table
    while todo:
        table = todo.pop()
        if table in seen:
            continue
        seen.add(table)
        for fkc in table.foreign_key_constraints:
            if any(c.nullable for c in fkc.columns) or fkc.referred_table is table:
                continue
            if fkc.referred_table is target:
                raise PlanError(f"{model.__name__} and {parent.__name__} need each other through NOT NULL foreign "
                                "keys; factories cannot make either first. Make one key nullable, or pass a "
                                "parent object explicitly.")
            todo.append(fkc.referred_table)
