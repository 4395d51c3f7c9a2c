"""Building a :class:`~.recipe.TableRecipe`: every column's generator after the schema's constraints.

For one table it takes the column meanings (:mod:`.semantics`), narrows each generator to the type
limits and CHECK rules (:mod:`.constraints`), turns CHECK orderings into "later than" generators,
makes UNIQUE columns distinct by construction (:mod:`.unique_planner`), wires the foreign keys to
their parents, and freezes the result::

    >>> from examples.crm_models import Order
    >>> from sqlalchemy_syda.introspect import table_spec
    >>> recipe = table_recipe(TableInputs(table_spec(Order), 30, parent_rows={"customers": 10}))
    >>> recipe.foreign_key("customer_id").describe()
    'parent_key(customers.id)'
    >>> recipe.column("id").generator
    sequence(1)

The inputs are plain values (counts, not connections), so the same inputs give the same recipe
whoever asks: ``seed()``, ``generate()``, the factories or a worker on another machine.
"""

from __future__ import annotations

import graphlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .cardinality import Cardinality
from .checks import ColumnRule, CompiledChecks, compile_checks
from .constraints import narrow, partial_uniques, type_bounds, unique_sets
from .exceptions import SchemaError
from .generators.base import GenContext, Generator
from .generators.numbers import Sequence as SequenceGen
from .generators.pools import DEFAULT_LOCALE, Pools, get_pools
from .generators.temporal import After
from .recipe import ColumnRecipe, ForeignKeyRecipe, JointUnique, TableRecipe, VerifiedUnique
from .semantics import ColumnPlan, plan_columns
from .specs import ColumnSpec, TableSpec
from .streams import Stream

__all__ = ["TableInputs", "table_recipe"]


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
            tuple(self._unverified()), taken)

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


def table_recipe(inputs: TableInputs) -> TableRecipe:
    """The recipe of one table (see the module docstring)."""
    from .unique_planner import plan_composite_unique, unique_capable

    if not isinstance(inputs.count, int) or isinstance(inputs.count, bool) or inputs.count < 0:
        from .exceptions import PlanError

        raise PlanError(f"Row count for {inputs.spec.display_name!r} must be a non-negative integer; "
                        f"got {inputs.count!r}.")
    draft = Draft(inputs)
    _wire_foreign_keys(draft)
    spec = draft.spec
    single_unique = {s[0] for s in unique_sets(spec) if len(s) == 1}
    for col in spec.columns:
        plan = draft.plans[col.name]
        if plan.generator is None or col.name in draft.foreign_keys:
            continue
        rule = draft.checks.rules.get(col.name)
        gen = narrow(col, plan.generator, rule)
        if col.name in single_unique and not isinstance(gen, SequenceGen):
            gen = unique_capable(draft, col, gen, rule)
        draft.generators[col.name] = gen
    _apply_orderings(draft)
    for columns in unique_sets(spec):
        if len(columns) > 1:
            plan_composite_unique(draft, columns)
    for col in spec.columns:  # NULLs last, so uniqueness and orderings see the real generator
        gen = draft.generators.get(col.name)
        plan = draft.plans[col.name]
        rule = draft.checks.rules.get(col.name)
        in_joint = any(col.name in j.columns for j in draft.joints)
        if gen is not None and plan.null_rate and col.nullable and not (rule and rule.not_null) and not in_joint:
            draft.generators[col.name] = gen.nullable(plan.null_rate)
    _settle_verified(draft)
    draft.refuse_order_dependent_keys()
    return draft.freeze()


def _wire_foreign_keys(draft: Draft) -> None:
    uniques = unique_sets(draft.spec)
    for fk in draft.spec.foreign_keys:
        if any(draft.plans[c].source == "override" for c in fk.columns):
            draft.fk_recipes.append(ForeignKeyRecipe(fk, "override"))
            continue
        if fk.ref_table == draft.spec.fullname:
            recipe = ForeignKeyRecipe(fk, "self")
        else:
            one_to_one = any(set(u) == set(fk.columns) for u in uniques)
            card = draft.inputs.cardinality.get(fk.columns)
            rows = draft.inputs.parent_rows.get(fk.ref_table)
            if rows is None:
                recipe = ForeignKeyRecipe(fk, "virtual", one_to_one, card, max(draft.count, 1))
            else:
                recipe = ForeignKeyRecipe(fk, "parent", one_to_one, card, int(rows))
        draft.fk_recipes.append(recipe)
        for col in fk.columns:
            draft.foreign_keys[col] = recipe


def _settle_verified(draft: Draft) -> None:
    """The unique keys checked row by row, in the order they are checked: the partial unique indexes of
    the schema, then the UNIQUEs the planner could not build in; each with the columns a repeat redraws."""
    from .checks import check_columns, match_column

    names = set(draft.spec.column_names)
    settled = []
    for columns, where in partial_uniques(draft.spec):
        free = {m for c in check_columns(where) if (m := match_column(c, names)) is not None} & \
            set(draft.generators) - set(draft.foreign_keys)
        settled.append(VerifiedUnique(tuple(columns), where, tuple(sorted(free))))
    for unique in draft.verified:  # composite or single UNIQUEs verified: redraw members that cannot enumerate
        free = {c for c in unique.columns if c in draft.generators and not draft.enumerable(c)}
        settled.append(VerifiedUnique(unique.columns, None, tuple(sorted(free))))
    draft.verified = settled


def _apply_orderings(draft: Draft) -> None:
    for order in draft.checks.orderings:
        lesser, greater = order.lesser, order.greater
        gen = draft.generators.get(greater)
        if gen is None or greater in draft.foreign_keys or lesser not in draft.generators and \
                lesser not in draft.foreign_keys:
            continue
        if isinstance(gen, After) and gen.base == lesser and (gen.strict or not order.strict):
            continue
        col = draft.spec.column(greater)
        rule = draft.checks.rules.get(greater)
        span = 365.0
        if col.kind in ("integer", "float", "decimal"):
            lo, hi = getattr(gen, "lo", 0), getattr(gen, "hi", 100)
            span = max(1.0, (hi - lo) / 3)
        after = After(lesser, max_days=span, min_days=0.0, strict=order.strict, fallback=gen)
        draft.generators[greater] = narrow(col, after, rule)  # the greater column keeps its own bounds
        _below(draft, lesser, col, rule, order.strict)


def _below(draft: Draft, lesser: str, greater: ColumnSpec, rule: ColumnRule | None, strict: bool) -> None:
    """Draw the lesser column of an ordering below the greater column's upper bound (CHECK or type),
    so that a free offset upwards can still fit under it."""
    gen = draft.generators.get(lesser)
    if gen is None or lesser in draft.foreign_keys:
        return
    upper = rule.upper if rule is not None and rule.upper is not None else type_bounds(greater)[1]
    if upper is None:
        return
    inclusive = not strict and (rule is None or rule.upper is None or rule.upper_inclusive)
    try:
        draft.generators[lesser] = narrow(draft.spec.column(lesser), gen,
                                          ColumnRule(lesser, upper=upper, upper_inclusive=inclusive))
    except (TypeError, ValueError):  # bounds of another type (a date against a number): leave it
        return


def replan(draft: Draft, name: str, generator: Generator, why: str) -> None:
    """Record that ``name`` now draws from ``generator`` (the plan's reason gets ``why``)."""
    plan = draft.plans[name]
    draft.plans[name] = replace(plan, generator=generator, reason=f"{plan.reason}; {why}")
