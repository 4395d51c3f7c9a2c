"""The mutable state of one table's recipe while the planners decide it, and the inputs it starts from.

:func:`~.recipe_planner.table_recipe` fills a :class:`Draft` (column plans, generators, foreign keys,
joint and verified uniques) and freezes it into a :class:`~.recipe.TableRecipe`;
:mod:`.unique_planner` works on the same draft::

    >>> from sqlalchemy_syda.introspect import table_spec
    >>> draft = Draft(TableInputs(table_spec(Customer), 20, offset=5))
    >>> draft.need                       # rows the table holds after the run: what a UNIQUE must cover
    25
"""

from __future__ import annotations

import graphlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .cardinality import Cardinality
from .checks import CompiledChecks, compile_checks
from .exceptions import SchemaError
from .generators.base import GenContext, Generator
from .generators.pools import DEFAULT_LOCALE, Pools, get_pools
from .recipe import ColumnRecipe, ForeignKeyRecipe, JointUnique, Relation, TableRecipe, VerifiedUnique
from .semantics import ColumnPlan, plan_columns
from .specs import ColumnSpec, TableSpec
from .streams import Stream

__all__ = ["Draft", "TableInputs", "replan"]


@dataclass(frozen=True)
class TableInputs:
    """What a table's recipe is decided from (all plain data)."""

    spec: TableSpec
    count: int
    offset: int = 0
    seed: int | None = 0
    locale: str = DEFAULT_LOCALE
    dialect: str | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    cardinality: Mapping[tuple[str, ...], Cardinality] = field(default_factory=dict)
    parent_rows: Mapping[str, int] = field(default_factory=dict)
    """Rows children can point at, per parent table in the run or in the database; a parent missing here
    is *virtual* (keys 1..n of a table outside the run)."""
    taken: tuple[tuple[str, ...], ...] = ()
    """UNIQUE column sets that already hold values in the table (new rows avoid them)."""
    referenced: tuple[str, ...] = ()
    """Columns of this table that other tables of the run reference with a foreign key."""
    relations: tuple[Relation, ...] = ()
    """The rules across tables that concern this table (:mod:`.relations`)."""


class Draft:
    """The mutable state of one recipe while it is being decided (frozen by :meth:`freeze`)."""

    def __init__(self, inputs: TableInputs) -> None:
        self.inputs = inputs
        self.spec = inputs.spec
        self.count, self.offset = int(inputs.count), int(inputs.offset)
        self.stream = Stream.root(inputs.seed).child("table", self.spec.fullname)
        self.pools: Pools = get_pools(inputs.locale)
        self.plans: dict[str, ColumnPlan] = plan_columns(self.spec, inputs.overrides)
        self.checks: CompiledChecks = compile_checks(self.spec.checks, self.spec.column_names, inputs.dialect)
        self.foreign_keys: dict[str, ForeignKeyRecipe] = {}
        self.fk_recipes: list[ForeignKeyRecipe] = []
        self.generators: dict[str, Generator] = {}
        self.joints: list[JointUnique] = []
        self.verified: list[VerifiedUnique] = []
        self.unverified: list[str] = []
        self.relations: list[Relation] = []

    @property
    def need(self) -> int:
        """Rows the table holds after the run: what a UNIQUE domain must cover."""
        return self.offset + self.count

    def ctx(self, spec: ColumnSpec) -> GenContext:
        return GenContext(self.stream.child("column", spec.name), self.stream, spec, self.pools, self.need,
                          self.spec.fullname, {}, 0)

    def domain(self, name: str) -> int | None:
        gen = self.generators.get(name)
        return None if gen is None else gen.domain(self.ctx(self.spec.column(name)))

    def enumerable(self, name: str) -> bool:
        return self.domain(name) is not None

    def freeze(self) -> TableRecipe:
        spec = self.spec
        columns = []
        for col in spec.columns:
            plan = self.plans[col.name]
            rule = self.checks.rules.get(col.name)
            check = " AND ".join(sorted({s.sqltext for s in rule.sources})) if rule is not None else None
            if col.name in self.foreign_keys:
                role, gen = "foreign_key", None
                reason = plan.reason if plan.source == "foreign_key" else \
                    "foreign key to " + ", ".join(f"{self.foreign_keys[col.name].parent}.{c}"
                                                  for c in self.foreign_keys[col.name].fk.ref_columns)
            elif col.name in self.generators:
                in_joint = any(col.name in j.columns for j in self.joints)
                role, gen, reason = ("joint" if in_joint else "value"), self.generators[col.name], plan.reason
            else:
                role, gen, reason = "database", None, plan.reason
            columns.append(ColumnRecipe(col.name, role, gen, plan.source, reason, plan.meaning, plan.null_rate,
                                        check, plan.generator))
        taken = tuple(cols for cols in self.inputs.taken if self._avoidable(cols))
        return TableRecipe(
            spec, self.count, self.offset, self.inputs.seed, self.inputs.locale, self.inputs.dialect, tuple(columns),
            self._order(), tuple(self.fk_recipes), tuple(self.joints), tuple(self.verified), self.checks,
            tuple(self._unverified()), taken, tuple(self.relations))

    def _avoidable(self, cols: tuple[str, ...]) -> bool:
        if len(cols) > 1:
            return True
        return cols[0] in self.generators

    def _order(self) -> tuple[str, ...]:
        graph: dict[str, set[str]] = {}
        for name, gen in self.generators.items():
            graph[name] = {d for d in gen.depends_on if d in self.generators or d in self.foreign_keys}
        for name in self.foreign_keys:
            graph.setdefault(name, set())
        try:
            return tuple(graphlib.TopologicalSorter(graph).static_order())
        except graphlib.CycleError as exc:
            raise SchemaError(f"columns of {self.spec.fullname!r} depend on each other in a cycle: {exc.args[1]}") \
                from None

    def _unverified(self) -> list[str]:
        from .checks import UnsupportedCheckError, evaluate_check, evaluate_predicate

        out = [f"CHECK ({c.sqltext}): the CHECK could not be parsed" for c in self.checks.unparsed]
        empty = {c: np.array([], dtype=object) for c in self.spec.column_names}
        for check in self.checks.residual:
            try:
                evaluate_check(check, empty, dialect=self.inputs.dialect)
            except UnsupportedCheckError as exc:
                source = getattr(check, "check", check)
                name = f"{source.name} " if getattr(source, "name", None) else ""
                out.append(f"CHECK {name}({source.sqltext}): {exc}")
        for unique in self.verified:
            if unique.where is None:
                continue
            try:
                evaluate_predicate(unique.where, empty, dialect=self.inputs.dialect)
            except UnsupportedCheckError as exc:
                out.append(f"UNIQUE ({', '.join(unique.columns)}) WHERE {unique.where}: {exc}")
        return out + self.unverified

    def refuse_order_dependent_keys(self) -> None:
        """A key column children reference must be a function of its row alone; one that a row-by-row UNIQUE
        check redraws depends on the rows before it, so children could point at a value never written."""
        for unique in self.verified:
            moved = set(unique.redraw) & set(self.inputs.referenced)
            if moved:
                from .exceptions import PlanError

                raise PlanError(
                    f"{self.spec.fullname}.{sorted(moved)[0]} is referenced by a foreign key but its values are redrawn "
                    f"to keep UNIQUE ({', '.join(unique.columns)}) distinct row by row; give it a unique-capable "
                    "generator (an override) so every row's key is known in advance.")


def replan(draft: Draft, name: str, generator: Generator, why: str) -> None:
    """Record that ``name`` now draws from ``generator`` (the plan's reason gets ``why``)."""
    plan = draft.plans[name]
    draft.plans[name] = replace(plan, generator=generator, reason=f"{plan.reason}; {why}")
