"""The seed plan: which tables, how many rows, in which order, how FK cycles are broken, and per table
the :class:`~.recipe.TableRecipe` that says how every column is filled.

A :class:`SeedPlan` is data, like an Alembic operation: ``seed()`` and ``generate()`` execute it,
``--dry-run`` prints it, and nothing about it depends on a live connection once it is built::

    >>> from examples.crm_models import Customer, Order
    >>> from sqlalchemy_syda import poisson
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.planner import plan_seed
    >>> plan = plan_seed(table_specs([Customer, Order]), {"customers": 100, "orders": None},
    ...                  cardinality={("orders", ("customer_id",)): poisson(3)}, dialect="postgresql")
    >>> print(plan.describe(recipes=False))
     1. customers       100 rows
     2. orders          292 rows   customer_id -> customers (poisson(3))
        estimate: 392 rows, ~35 kB, <1 s into postgresql (rough)

Order comes from the FK graph (self-references do not count). A cycle is broken
at a nullable foreign key (its rows are written with NULL there and updated once
every table is in); on PostgreSQL a NOT NULL cycle goes through a DEFERRABLE
constraint (``SET CONSTRAINTS ... DEFERRED``), or, with ``alter_constraints=True``,
through a constraint made deferrable for the duration of the seed. Anything else
is an :class:`~.exceptions.UnresolvableCycleError` that names the cycle and the fix.
"""

from __future__ import annotations

import graphlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .cardinality import Cardinality
from .exceptions import PlanError, UnresolvableCycleError
from .fk_check_modes import check_fk_mode, wants_bulk_checks
from .specs import ForeignKeySpec, TableSpec
from .streams import Stream

if TYPE_CHECKING:  # annotations only: planning imports no module that runs SQL (tests/test_import_graph.py)
    from .options import SeedOptions
    from .recipe import TableRecipe

__all__ = ["PlanRequest", "SeedPlan", "TablePlan", "describe_recipe", "order_tables"]


@dataclass(frozen=True)
class PlanRequest:
    """What a run asks for, resolved against the schema (and the database, when there is one)."""

    specs: tuple[TableSpec, ...]
    counts: Mapping[str, int | None]
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Per table fullname: ``{column: override}``."""
    cardinality: Mapping[tuple[str, tuple[str, ...]], Cardinality] = field(default_factory=dict)
    existing: Mapping[str, int] = field(default_factory=dict)
    """Rows already in each table."""
    key_starts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    """First explicit id of integer primary keys (after the largest existing one)."""
    added: Mapping[str, str] = field(default_factory=dict)
    outside_rows: Mapping[str, int] = field(default_factory=dict)
    """Parents outside the run that have rows in the database: how many (children point at them)."""
    taken: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    """UNIQUE column sets of each table that already hold values (new rows must avoid them)."""
    dialect: str | None = None
    target: str = "database"
    """``database`` (a seed: cycles must be writable) or ``frames`` (data only: any cycle is fine)."""
    outside_specs: tuple[TableSpec, ...] = ()
    """Parents outside the run that hold rows (their columns can be read: relations)."""


@dataclass(frozen=True)
class TablePlan:
    """One table of a seed."""

    spec: TableSpec
    count: int
    existing: int = 0
    """Rows already in the table; row numbers (and unique values) continue after them."""
    key_starts: Mapping[str, int] = field(default_factory=dict)
    """First explicit id of integer primary keys (after the largest existing one)."""
    deferred: tuple[ForeignKeySpec, ...] = ()
    """Nullable FKs that close a cycle: written NULL, then UPDATEd after all inserts."""
    cardinality: Mapping[tuple[str, ...], Cardinality] = field(default_factory=dict)
    added_for: str | None = None
    """Set when the table was added because a seeded table needs parent rows."""
    bulk_fk_checks: bool = False
    """PostgreSQL: the table's foreign keys are dropped for the load and re-added (validated) at its end."""
    recipe: TableRecipe | None = field(default=None, compare=False)
    """How every column of the table is filled (see :mod:`.recipe`)."""


@dataclass(frozen=True)
class SeedPlan:
    """Tables in insert order plus the constraints handled specially."""

    tables: tuple[TablePlan, ...]
    deferred_constraints: tuple[tuple[str, ForeignKeySpec], ...] = ()
    """(table, FK) that PostgreSQL checks at the end of the seed (DEFERRABLE)."""
    altered_constraints: tuple[tuple[str, ForeignKeySpec], ...] = ()
    """(table, FK) made DEFERRABLE for the seed and restored afterwards (``alter_constraints=True``)."""
    cycles: tuple[tuple[str, ...], ...] = ()
    target: str | None = None
    """Where the rows go: the database's dialect name, or ``frames`` (``generate()``); sizes the estimate."""

    @property
    def counts(self) -> dict[str, int]:
        return {t.spec.fullname: t.count for t in self.tables}

    def table(self, name: str) -> TablePlan:
        for t in self.tables:
            if name in (t.spec.fullname, t.spec.name, t.spec.model_name):
                return t
        raise KeyError(name)

    def describe(self, recipes: bool = True) -> str:
        """A human-readable plan (what ``--dry-run`` prints): tables in order, then each table's recipe."""
        width = max((len(t.spec.fullname) for t in self.tables), default=5)
        lines = []
        for i, t in enumerate(self.tables, 1):
            extra = []
            if t.existing:
                extra.append(f"after {t.existing} existing rows")
            for fk in t.spec.foreign_keys:
                card = t.cardinality.get(fk.columns)
                note = f"{', '.join(fk.columns)} -> {fk.ref_table}"
                if card is not None:
                    note += f" ({card!r})"
                if fk in t.deferred:
                    note += " [NULL first, UPDATE after]"
                extra.append(note)
            if t.added_for:
                extra.append(f"added: {t.added_for}")
            if t.bulk_fk_checks:
                extra.append("FKs checked in bulk after the load")
            lines.append((f"{i:>2}. {t.spec.fullname:<{width}} {t.count:>9} rows   " + "; ".join(extra)).rstrip())
        if self.tables:
            from .plan_size import plan_estimate

            where = {"frames": "in memory"}.get(self.target or "", f"into {self.target or 'the database'}")
            lines.append(f"    estimate: {sum(self.counts.values()):,} rows, {plan_estimate(self)} {where} "
                         "(rough)")
        for table, fk in self.deferred_constraints:
            lines.append(f"    deferred check: {table}.{fk.name or fk.columns} (DEFERRABLE)")
        for table, fk in self.altered_constraints:
            lines.append(f"    made deferrable for the seed: {table}.{fk.name or fk.columns}")
        if recipes:
            for t in self.tables:
                if t.recipe is not None:
                    lines.append("")
                    lines.extend(describe_recipe(t.recipe))
        return "\n".join(lines)


def describe_recipe(recipe: TableRecipe) -> list[str]:
    """A recipe as text lines: a column table (generator, source, reason), then notes on the table."""
    rows = recipe.describe()
    head = ("column", "generator", "source", "reason")
    widths = [min(max([len(h)] + [len(r[h]) for r in rows]), 60) for h in head[:3]]
    lines = [f"{recipe.name}: {recipe.count} rows" + (f" after {recipe.offset}" if recipe.offset else "")]
    lines.append("  " + "  ".join(h.ljust(w) for h, w in zip(head, widths)) + "  reason")
    for r in rows:
        lines.append("  " + "  ".join(r[h].ljust(w) for h, w in zip(head, widths)) + "  " + r["reason"])
    lines.extend(f"  {note}" for note in recipe.notes())
    return lines


def order_tables(request: PlanRequest, options: SeedOptions) -> SeedPlan:
    """Order the tables by their foreign keys, break cycles, derive missing counts and choose per table how
    PostgreSQL checks its foreign keys (see :mod:`.fk_check_modes`); the recipes come from :mod:`.planner`."""
    specs, counts, dialect = request.specs, request.counts, request.dialect
    alter_constraints, seed, fk_checks = options.alter_constraints, options.seed, options.fk_checks
    key_starts, added = request.key_starts, request.added
    by_name = {s.fullname: s for s in specs}
    cardinality = dict(request.cardinality)
    existing = dict(request.existing)
    deferred: dict[str, list[ForeignKeySpec]] = {}
    deferred_constraints: list[tuple[str, ForeignKeySpec]] = []
    altered: list[tuple[str, ForeignKeySpec]] = []
    cycles: list[tuple[str, ...]] = []
    edges = {s.fullname: {fk for fk in s.foreign_keys if fk.ref_table in by_name and fk.ref_table != s.fullname}
             for s in specs}
    while True:
        graph = {name: {fk.ref_table for fk in fks} for name, fks in edges.items()}
        try:
            order = list(graphlib.TopologicalSorter(graph).static_order())
            break
        except graphlib.CycleError as exc:
            cycle = tuple(exc.args[1])
            cycles.append(cycle)
            table, fk, how = _break(cycle, edges, dialect, alter_constraints, request.target == "frames")
            edges[table].discard(fk)
            if how == "null":
                deferred.setdefault(table, []).append(fk)
            elif how == "deferrable":
                deferred_constraints.append((table, fk))
            else:
                altered.append((table, fk))
                deferred_constraints.append((table, fk))
    resolved: dict[str, int] = {}
    for name in order:
        spec = by_name[name]
        count = counts.get(name)
        card = {cols: c for (t, cols), c in cardinality.items() if t == name}
        if count is None:
            count = _derived_count(spec, card, resolved, existing, seed)
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise PlanError(f"Row count for {spec.display_name!r} must be a non-negative integer; got {count!r}.")
        resolved[name] = count
    special = {t for t, _ in deferred_constraints}  # pending deferred checks: ALTER TABLE would fail there

    def bulk(name: str) -> bool:
        spec = by_name[name]
        wanted = wants_bulk_checks(fk_checks, dialect=dialect, new_rows=resolved[name],
                                   existing_rows=existing.get(name, 0), has_foreign_keys=bool(spec.foreign_keys))
        return wanted and name not in special and not any(fk.ref_table in special for fk in spec.foreign_keys)

    check_fk_mode(fk_checks, dialect)
    tables = tuple(
        TablePlan(by_name[n], resolved[n], existing.get(n, 0), dict((key_starts or {}).get(n, {})),
                  tuple(deferred.get(n, ())), {cols: c for (t, cols), c in cardinality.items() if t == n},
                  (added or {}).get(n), bulk(n))
        for n in order)
    return SeedPlan(tables, tuple(deferred_constraints), tuple(altered), tuple(cycles),
                    "frames" if request.target == "frames" else dialect)


def _derived_count(spec: TableSpec, card: Mapping[tuple[str, ...], Cardinality], resolved: Mapping[str, int],
                   existing: Mapping[str, int], seed: int | None) -> int:
    for fk in spec.foreign_keys:
        c = card.get(fk.columns)
        if c is not None and c.derives_count and fk.ref_table in resolved:
            stream = Stream.root(seed).child("table", spec.fullname).child("fk", *fk.columns).child("cardinality")
            return c.derived_count(stream, resolved[fk.ref_table])
    raise PlanError(f"No row count for {spec.display_name!r}: give it a count, or a fixed/range/Poisson "
                    "cardinality on one of its foreign keys so the count can be derived.")


def _break(cycle: tuple[str, ...], edges: Mapping[str, set[ForeignKeySpec]], dialect: str | None,
           alter: bool, frames: bool = False) -> tuple[str, ForeignKeySpec, str]:
    members = list(cycle[:-1]) if len(cycle) > 1 and cycle[0] == cycle[-1] else list(cycle)
    candidates = []
    for i, table in enumerate(members):
        nxt = members[(i + 1) % len(members)]
        for fk in edges[table]:
            if fk.ref_table == nxt:
                candidates.append((table, fk))
    # graphlib reports the cycle in either direction; look at both
    for i, table in enumerate(members):
        prev = members[i - 1]
        for fk in edges[table]:
            if fk.ref_table == prev and (table, fk) not in candidates:
                candidates.append((table, fk))
    for table, fk in candidates:
        if fk.nullable:
            return table, fk, "null"
    if dialect == "postgresql":
        for table, fk in candidates:
            if fk.deferrable:
                return table, fk, "deferrable"
        if alter and candidates:
            return candidates[0][0], candidates[0][1], "alter"
    if frames and candidates:  # no database: the frames hold the final keys; inserting them needs the deferral
        deferrable = [c for c in candidates if c[1].deferrable]
        table, fk = (deferrable or candidates)[0]
        return table, fk, "deferrable"
    path = " -> ".join(members + members[:1])
    fks = "; ".join(f"{t}.{', '.join(fk.columns)} -> {fk.ref_table}" for t, fk in candidates)
    fix = ("make one of them nullable, or declare it DEFERRABLE INITIALLY DEFERRED, or pass "
           "alter_constraints=True to make it deferrable for the duration of the seed"
           if dialect == "postgresql" else
           "make one of them nullable (NOT NULL cycles can only be seeded on PostgreSQL, through DEFERRABLE "
           "constraints)")
    raise UnresolvableCycleError(f"Foreign keys form a NOT NULL cycle {path} ({fks}); {fix}.")
