"""Several classes of one mapped hierarchy in one seed: a block of rows per class, each loading as its class.

``seed(engine, {Person: 10, Engineer: 4, Manager: 3})`` means 10 plain people, 4 engineers and 3 managers,
as the ORM would store them. With joined-table inheritance the base table ``people`` gets 17 rows in
blocks (people, engineers, managers), its discriminator set per block, and ``engineers`` gets 4 rows
whose keys are exactly those of the engineer block; with single-table inheritance the one table gets the
17 rows and the discriminator per block::

    >>> from sqlalchemy.orm import Session, declarative_base
    >>> Model = declarative_base()
    >>> class Person(Model):
    ...     __tablename__ = "people"
    ...     id = sa.Column(sa.Integer, primary_key=True)
    ...     name = sa.Column(sa.String(50), nullable=False)
    ...     kind = sa.Column(sa.String(20), nullable=False)
    ...     __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "person"}
    >>> class Engineer(Person):
    ...     __tablename__ = "engineers"
    ...     id = sa.Column(sa.ForeignKey("people.id"), primary_key=True)
    ...     language = sa.Column(sa.String(20))
    ...     __mapper_args__ = {"polymorphic_identity": "engineer"}
    >>> class Manager(Person):
    ...     __tablename__ = "managers"
    ...     id = sa.Column(sa.ForeignKey("people.id"), primary_key=True)
    ...     reports = sa.Column(sa.Integer)
    ...     __mapper_args__ = {"polymorphic_identity": "manager"}
    >>> layout = hierarchy_layout([(Person, 10), (Engineer, 4), (Manager, 3)])
    >>> layout.counts                                     # rows per table
    {'people': 17, 'engineers': 4, 'managers': 3}
    >>> layout.cardinality[("engineers", ("id",))]        # engineers row j -> people row 10 + j
    rows_from(10)
    >>> layout.overrides["people"]["kind"]
    identity_blocks(0: 'person', 10: 'engineer', 14: 'manager')

Seeded, the rows load as their classes::

    >>> from sqlalchemy_syda import seed
    >>> db = sa.create_engine("sqlite://")
    >>> Model.metadata.create_all(db)
    >>> seed(db, {Person: 10, Engineer: 4, Manager: 3}, seed=1).counts
    {'people': 17, 'engineers': 4, 'managers': 3}
    >>> with Session(db) as session:
    ...     loaded = session.scalars(sa.select(Person).order_by(Person.id)).all()
    ...     [type(p).__name__ for p in loaded[9:12]], [p.id for p in loaded if isinstance(p, Engineer)]
    (['Person', 'Engineer', 'Engineer'], [11, 12, 13, 14])

Blocks follow a pre-order of the class tree (a class, then its subclasses), so every subclass table's rows
map onto one contiguous run of its parent table's rows. A single class of a hierarchy needs none of this:
``seed()`` handles it by adding the parent rows it needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .cardinality import Cardinality
from .generators.base import GenContext, Generator
from .mapped_classes import ClassSpec, class_spec, class_spec_or_none

__all__ = ["HierarchyLayout", "IdentityBlocks", "hierarchy_layout", "merge_into"]


@dataclass
class HierarchyLayout:
    """What a seed of several classes of one hierarchy becomes: tables, counts, FK blocks, discriminators."""

    entries: list[tuple[Any, int | None]] = field(default_factory=list)
    """``(Model | TableSpec, count)`` in the seed's terms: one entry per table."""
    counts: dict[str, int] = field(default_factory=dict)
    cardinality: dict[tuple[str, tuple[str, ...]], Cardinality] = field(default_factory=dict)
    overrides: dict[str, dict[str, Generator]] = field(default_factory=dict)
    grouped: list[Any] = field(default_factory=list)
    """The classes the layout replaced by their tables."""


class IdentityBlocks(Generator):
    """The discriminator of each row: ``values[i]`` for the rows of block ``i`` (``starts`` are its first rows).

    Row numbers count from 0 at the seed's first new row; :meth:`after` shifts them past existing rows.
    """

    def __init__(self, starts: Sequence[int], values: Sequence[Any], offset: int = 0) -> None:
        self.starts = np.asarray(starts, dtype=np.int64) + offset
        self.values = np.empty(len(values), dtype=object)
        self.values[:] = list(values)
        self._args = (tuple(starts), tuple(values))
        self._repr = "identity_blocks(" + ", ".join(f"{s}: {v!r}" for s, v in zip(starts, values)) + ")"

    def after(self, existing: int) -> IdentityBlocks:
        """The same blocks for a table that already holds ``existing`` rows."""
        return IdentityBlocks(*self._args, offset=existing)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        block = np.searchsorted(self.starts, np.asarray(rows, dtype=np.int64), side="right") - 1
        return self.values[np.clip(block, 0, len(self.values) - 1)]


def hierarchy_layout(items: Sequence[tuple[Any, int | None]]) -> HierarchyLayout | None:
    """The layout when ``items`` hold two or more mapped classes of one inheritance hierarchy, else None."""
    groups: dict[Any, list[tuple[ClassSpec, Any, int | None]]] = {}
    for key, count in items:
        spec = class_spec_or_none(key)
        if spec is not None and spec.polymorphic:
            groups.setdefault(spec.root, []).append((spec, key, count))
    groups = {root: members for root, members in groups.items() if len(members) > 1}
    if not groups:
        return None
    layout = HierarchyLayout()
    layout.grouped = [key for members in groups.values() for _, key, _ in members]
    grouped = {id(key) for key in layout.grouped}
    layout.entries = [(key, count) for key, count in items if id(key) not in grouped]
    for members in groups.values():
        _lay_out([(spec, count) for spec, _, count in members], layout)
    return layout


def _path(spec: ClassSpec) -> tuple[str, ...]:
    """Root-to-class names: sorting by it lists a class before its subclasses (pre-order)."""
    return tuple(f"{c.__module__}.{c.__qualname__}" for c in spec.lineage)


def _lay_out(members: list[tuple[ClassSpec, int | None]], layout: HierarchyLayout) -> None:
    from .exceptions import PlanError
    from .introspect import table_spec

    classes = sorted(members, key=lambda mc: _path(mc[0]))
    for spec, count in classes:
        if count is None:
            raise PlanError(f"{spec.name}: give each class of an inheritance hierarchy a row count "
                            "when several of them are seeded together.")
    tables: dict[str, tuple[ClassSpec, list[tuple[ClassSpec, int]]]] = {}  # table -> (owner, [(class, n)] in order)
    for spec, count in classes:
        for owner in map(class_spec, spec.lineage):
            if owner.inherits is not None and not owner.own_table:
                continue  # single-table inheritance: the parent's table
            entry = tables.setdefault(owner.table, (owner, []))
            entry[1].append((spec, count))
    for fullname, (owner, rows) in tables.items():
        layout.counts[fullname] = sum(n for _, n in rows)
        layout.entries.append((table_spec(owner.model), layout.counts[fullname]))
        parent = _table_parent(owner)
        if parent is not None:  # joined: this table's rows are one run of the parent table's rows
            start = _block_start(tables[parent.table][1], rows[0][0])
            columns = _parent_key_columns(owner, parent)
            if columns:
                layout.cardinality[(fullname, columns)] = Cardinality("rows_from", a=start)
    root = class_spec(classes[0][0].root)
    if root.polymorphic_on is not None and root.polymorphic_on[0] in tables:
        table, column = root.polymorphic_on
        starts, values, at = [], [], 0
        for spec, n in tables[table][1]:
            starts.append(at)
            values.append(spec.polymorphic_identity)
            at += n
        layout.overrides.setdefault(table, {})[column] = IdentityBlocks(starts, values)


def _table_parent(owner: ClassSpec) -> ClassSpec | None:
    """The nearest ancestor of ``owner`` stored in another table (None for the root)."""
    for ancestor in reversed(owner.lineage[:-1]):
        spec = class_spec(ancestor)
        if spec.table != owner.table:
            return spec
    return None


def _block_start(rows: list[tuple[ClassSpec, int]], spec: ClassSpec) -> int:
    at = 0
    for s, n in rows:
        if s.model is spec.model:
            return at
        at += n
    raise AssertionError("a subclass block is missing from its parent table")


def _parent_key_columns(owner: ClassSpec, parent: ClassSpec) -> tuple[str, ...] | None:
    """The local columns of the FK that joins ``owner``'s table to its parent's (the inherit condition)."""
    from .introspect import table_spec

    for fk in table_spec(owner.model).foreign_keys:
        if fk.ref_table == parent.table:
            return fk.columns
    return None


def merge_into(target: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``target`` with ``extra``'s entries added where ``target`` has none (the user's own settings win)."""
    out = {k: dict(v) if isinstance(v, Mapping) else v for k, v in target.items()}
    for key, value in extra.items():
        if isinstance(value, Mapping):
            merged = dict(value)
            merged.update(out.get(key, {}))
            out[key] = merged
        else:
            out.setdefault(key, value)
    return out
