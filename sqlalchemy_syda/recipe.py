"""The per-table decision as data: a frozen :class:`TableRecipe`.

The planner builds one recipe per table from the spec, the row counts of the table and its parents,
the rows already there, the overrides and the dialect. It holds everything the row engine needs and
everything a person wants to see: per column the generator (after constraints), where the choice
came from and why; how each foreign key is wired; the joint UNIQUE groups; the checks verified after
generation; and the constraints that are *not* verified. ``--dry-run``, ``syda plan``, ``syda inspect``,
:func:`~sqlalchemy_syda.explain`, the LLM prompts and the factories read it; the engine runs it::

    >>> from sqlalchemy_syda.planner import plan_seed
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> recipe = plan_seed(table_specs([Customer, Contact]), {"customers": 4, "contacts": 10}).table("contacts").recipe
    >>> recipe.column("email").source, recipe.column("email").role
    ('comment', 'value')
    >>> recipe.foreign_key("customer_id").describe()
    'parent_key(customers.id)'
    >>> recipe.foreign_key("customer_id").parent_rows
    4

A recipe answers the same for the same inputs, whoever asks. Where the row count forces a wider
domain (a UNIQUE column outgrowing its meaning's usual range) the column's reason says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from .cardinality import Cardinality
from .checks import CompiledChecks
from .generators.base import Generator
from .specs import ForeignKeySpec, TableSpec

__all__ = ["RELATION_KINDS", "ColumnRecipe", "ForeignKeyRecipe", "JointUnique", "Relation", "TableRecipe", "VerifiedUnique"]

ROLES = ("value", "foreign_key", "joint", "database")
RELATION_KINDS = ("after_parent", "from_parent", "domain_from_parent", "aggregate", "exactly_one", "children")


@dataclass(frozen=True)
class Relation:
    """A rule between this table and a related one (see :mod:`~sqlalchemy_syda.relations`).

    ``kind`` is one of:

    - ``after_parent``: ``column`` is not before ``other.source`` of the row's parent through ``via``;
    - ``from_parent``: ``column`` carries ``other.source`` of the row's parent (``discount``: share of rows
      discounted, largest discount);
    - ``domain_from_parent``: the e-mail ``column`` is at the domain of ``other.source`` (a website or domain);
    - ``aggregate``: ``column`` is ``source`` (``sum(expr)`` or ``count(*)``) over the rows of the child
      table ``other`` whose foreign key ``via`` points at the row; written after the children;
    - ``exactly_one``: ``column`` (a flag) is true for exactly one row per parent ``other`` through ``via``
      that has rows here; written after the rows;
    - ``children``: the foreign key ``via`` to ``other`` gets ``source`` children per parent by default.
    """

    kind: str
    column: str
    other: str
    """The parent table (``after_parent``, ``from_parent``, ``exactly_one``, ``children``) or the child table
    (``aggregate``)."""
    via: tuple[str, ...]
    """The foreign key columns: of this table, or of the child table for an ``aggregate``."""
    source: str | None
    """The parent column, the aggregate expression (``sum(quantity * unit_price)``, ``count(*)``) or the
    cardinality."""
    reason: str
    declared: str = "inferred"
    """``inferred`` (from names, comments, types, the FK graph), ``info`` or ``option`` (``relations=``)."""
    discount: tuple[float, float] | None = None

    def describe(self) -> str:
        via = ", ".join(self.via)
        if self.kind == "after_parent":
            return f"{self.column} >= {self.other}.{self.source} (via {via})"
        if self.kind == "from_parent":
            text = f"{self.column} = {self.other}.{self.source} (via {via})"
            if self.discount:
                text += f" less up to {self.discount[1]:.0%} in {self.discount[0]:.0%} of rows"
            return text
        if self.kind == "domain_from_parent":
            return f"{self.column} at the domain of {self.other}.{self.source} (via {via})"
        if self.kind == "aggregate":
            return f"{self.column} = {self.source} of {self.other} (via {self.other}.{via})"
        if self.kind == "exactly_one":
            return f"{self.column} true for exactly one row per {self.other} (via {via})"
        return f"{via}: {self.source} per {self.other}"

    @property
    def written_after(self) -> bool:
        """Set after every table is written (an UPDATE, or a pass over the frames), not while generating."""
        return self.kind in ("aggregate", "exactly_one")


@dataclass(frozen=True)
class ColumnRecipe:
    """One column's decision.

    ``role`` is ``value`` (its own generator), ``foreign_key`` (a parent's key, see the table's
    :class:`ForeignKeyRecipe`), ``joint`` (drawn with the other members of a composite UNIQUE) or
    ``database`` (left out of the INSERT: computed, identity or server default).
    """

    name: str
    role: str
    generator: Generator | None
    """The final generator (constraints, UNIQUE and NULLs applied); for a joint member, the member's values."""
    source: str
    """Where the choice came from: override, info, comment, name, type, primary_key, foreign_key, database."""
    reason: str
    meaning: str | None = None
    null_rate: float = 0.0
    check: str | None = None
    """The CHECK texts that shape the column (shown with the reason)."""
    inferred: Generator | None = None
    """The generator the column's meaning gave, before constraints, UNIQUE and NULLs were applied."""

    @property
    def written(self) -> bool:
        """The seed writes this column (the database fills the others)."""
        return self.role != "database"


@dataclass(frozen=True)
class ForeignKeyRecipe:
    """How one foreign key gets its values.

    ``kind``: ``parent`` (rows of a table in the run, or already in the database), ``self`` (an earlier
    row of the same table), ``virtual`` (a table outside the run whose keys are 1..n) or ``override``
    (the user's values; the engine does not wire it).
    """

    fk: ForeignKeySpec
    kind: str
    one_to_one: bool = False
    cardinality: Cardinality | None = None
    parent_rows: int | None = None
    """How many parent rows children choose from (None for self-references: the rows before)."""
    distinct: tuple[tuple[str, ...], ...] = ()
    """UNIQUE sets on part of the key's columns: one-to-one over parent rows that differ in each of them."""

    @property
    def parent(self) -> str:
        return self.fk.ref_table

    @property
    def columns(self) -> tuple[str, ...]:
        return self.fk.columns

    def describe(self) -> str:
        target = ", ".join(f"{self.fk.ref_table}.{c}" for c in self.fk.ref_columns)
        if self.kind == "self":
            return f"earlier_row({target})"
        if self.kind == "override":
            return f"override ({target})"
        text = f"parent_key({target})"
        if self.kind == "virtual":
            text += f" [keys 1..{self.parent_rows} of a table outside the run]"
        if self.one_to_one:
            text += " one-to-one"
        for columns in self.distinct:
            text += f" (distinct {', '.join(columns)})"
        if self.cardinality is not None:
            text += f" {self.cardinality!r}"
        return text


@dataclass(frozen=True)
class JointUnique:
    """A composite UNIQUE drawn from a keyed permutation of the product of its members' domains."""

    columns: tuple[str, ...]
    members: tuple[tuple[str, ...], ...]
    """Each member is one column or all columns of one foreign key."""
    unique: tuple[str, ...] = field(default=(), repr=False)
    """The UNIQUE's own columns (a foreign key member may have columns outside it); empty: ``columns``."""


@dataclass(frozen=True)
class VerifiedUnique:
    """A unique key checked row by row in row order (a partial unique index, or a composite UNIQUE whose
    members cannot all enumerate their values); repeating rows get ``redraw`` columns drawn again."""

    columns: tuple[str, ...]
    where: str | None
    redraw: tuple[str, ...]


@dataclass(frozen=True)
class TableRecipe:
    """Everything decided about one table of a run (see the module docstring)."""

    spec: TableSpec
    count: int
    offset: int
    """Rows already in the table: row numbers (and UNIQUE values) continue after them."""
    seed: int | None
    locale: str
    dialect: str | None
    columns: tuple[ColumnRecipe, ...]
    order: tuple[str, ...]
    """The order columns are computed in (a column after those it depends on)."""
    foreign_keys: tuple[ForeignKeyRecipe, ...] = ()
    joints: tuple[JointUnique, ...] = ()
    verified_uniques: tuple[VerifiedUnique, ...] = ()
    checks: CompiledChecks = field(default_factory=CompiledChecks)
    """CHECK rules that shape the generators, orderings, and the conjuncts verified after generation."""
    unverified: tuple[str, ...] = ()
    """Constraints that are neither built in nor verified (unreadable CHECKs, predicates it cannot evaluate)."""
    avoid_taken: tuple[tuple[str, ...], ...] = ()
    """UNIQUE columns (or column sets) whose values already in the table are avoided (drawn again)."""
    relations: tuple[Relation, ...] = ()
    """Rules across tables (time after the parent, values carried, aggregates, exactly-one flags)."""

    @property
    def name(self) -> str:
        return self.spec.fullname

    @property
    def total(self) -> int:
        """Rows in the table after the run (existing + new)."""
        return self.offset + self.count

    def column(self, name: str) -> ColumnRecipe:
        real = self.spec.column(name).name
        for col in self.columns:
            if col.name == real:
                return col
        raise KeyError(name)

    @property
    def by_name(self) -> Mapping[str, ColumnRecipe]:
        return {c.name: c for c in self.columns}

    @property
    def output_columns(self) -> tuple[str, ...]:
        """Columns the run writes, in table order."""
        return tuple(c.name for c in self.columns if c.written)

    @property
    def generators(self) -> dict[str, Generator]:
        """Own generators of the ``value`` columns."""
        return {c.name: c.generator for c in self.columns if c.role == "value" and c.generator is not None}

    def foreign_key(self, column: str) -> ForeignKeyRecipe:
        real = self.spec.column(column).name
        for fk in self.foreign_keys:
            if real in fk.columns:
                return fk
        raise KeyError(column)

    @property
    def wired(self) -> dict[str, ForeignKeyRecipe]:
        """Column -> its foreign key recipe, for the keys the engine assigns (not overridden ones)."""
        return {c: fk for fk in self.foreign_keys if fk.kind != "override" for c in fk.columns}

    def joint_of(self, column: str) -> JointUnique | None:
        return next((j for j in self.joints if column in j.columns), None)

    def describe(self) -> list[dict[str, str]]:
        """One row per column: column, type, generator, source, reason (``syda inspect``, ``--dry-run``)."""
        rows = []
        for col in self.columns:
            spec = self.spec.column(col.name)
            if col.role == "foreign_key":
                text = self.foreign_key(col.name).describe()
            elif col.role == "database":
                text = "(database)"
            else:
                text = repr(col.generator)
                joint = self.joint_of(col.name)
                if joint is not None:
                    text += f" [jointly unique ({', '.join(joint.columns)})]"
            reason = col.reason + (f"; CHECK {col.check}" if col.check else "")
            for rel in self.relations:
                if rel.column == col.name and rel.kind != "children":
                    reason += f"; relation {rel.describe()}: {rel.reason}"
            rows.append({"column": col.name, "type": spec.type_repr or spec.kind, "generator": text,
                         "source": col.source, "reason": reason})
        return rows

    def notes(self) -> Iterator[str]:
        """Lines about the table as a whole: verified checks and uniques, what is not verified."""
        for check in self.checks.residual:
            yield f"verified after generation: CHECK ({check.sqltext})"
        for unique in self.verified_uniques:
            where = f" WHERE {unique.where}" if unique.where else ""
            yield f"verified row by row: UNIQUE ({', '.join(unique.columns)}){where}"
        for columns in self.avoid_taken:
            yield f"values already in the table avoided: {', '.join(columns)}"
        for rel in self.relations:
            yield f"relation ({rel.declared}): {rel.describe()}: {rel.reason}"
        for text in self.unverified:
            yield f"NOT verified: {text}"

    def __repr__(self) -> str:
        return f"TableRecipe({self.name!r}, {self.count} rows after {self.offset})"
