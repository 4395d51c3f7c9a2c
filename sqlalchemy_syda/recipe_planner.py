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

from dataclasses import replace

from .checks import ColumnRule
from .constraints import narrow, partial_uniques, type_bounds, unique_sets, unique_within
from .generators.base import Constant
from .generators.numbers import Sequence as SequenceGen
from .generators.temporal import After, Before
from .recipe import ForeignKeyRecipe, TableRecipe, VerifiedUnique
from .recipe_draft import Draft, TableInputs
from .specs import ColumnSpec
from .unique_planner import plan_composite_unique, unique_capable

__all__ = ["TableInputs", "table_recipe"]


def table_recipe(inputs: TableInputs) -> TableRecipe:
    """The recipe of one table (see the module docstring)."""
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
    _apply_relations(draft)
    draft.refuse_order_dependent_keys()
    return draft.freeze()


def _wire_foreign_keys(draft: Draft) -> None:
    uniques = unique_sets(draft.spec)
    for fk in draft.spec.foreign_keys:
        if any(draft.plans[c].source == "override" for c in fk.columns):
            draft.fk_recipes.append(ForeignKeyRecipe(fk, "override"))
            continue
        if fk.ref_table == draft.spec.fullname:
            recipe = ForeignKeyRecipe(fk, "self", cardinality=draft.inputs.cardinality.get(fk.columns))
        else:
            inside = unique_within(fk.columns, uniques)
            one_to_one = bool(inside)
            # a UNIQUE on part of the key (keystone's local_user.user_id of (user_id, domain_id)): the parent
            # rows must differ in those columns, not only as rows
            distinct = tuple(u for u in inside if set(u) != set(fk.columns))
            card = draft.inputs.cardinality.get(fk.columns)
            rows = draft.inputs.parent_rows.get(fk.ref_table)
            if rows is None:
                recipe = ForeignKeyRecipe(fk, "virtual", one_to_one, card, max(draft.count, 1), distinct)
            else:
                recipe = ForeignKeyRecipe(fk, "parent", one_to_one, card, int(rows), distinct)
        draft.fk_recipes.append(recipe)
        for col in fk.columns:
            draft.foreign_keys[col] = recipe


def _apply_relations(draft: Draft) -> None:
    """Rules across tables: a time after the parent's, a value carried from the parent (generators that read
    the parent row), exactly-one flags written false and set after the rows, aggregates kept for after the
    children. A rule on a key, a UNIQUE or an overridden column, or through a key that is not wired to
    rows of the run or the database, does not apply (and is not listed)."""
    from .constraints import unique_sets
    from .generators.base import Constant
    from .generators.parent_values import AfterParent, AtParentDomain, FromParent, parent_ref

    uniques = {c for cols in unique_sets(draft.spec) for c in cols}
    after: dict[str, list] = {}
    for rel in draft.inputs.relations:
        col = draft.spec.column(rel.column)
        gen = draft.generators.get(col.name)
        inferred = rel.declared == "inferred"
        if rel.kind == "aggregate":
            if gen is not None and not (inferred and draft.plans[col.name].source == "override"):
                draft.relations.append(rel)
            continue
        fkr = draft.foreign_keys.get(rel.via[0])
        if fkr is None or fkr.kind != "parent":
            continue
        if rel.kind == "children":
            draft.relations.append(rel)
            continue
        if rel.kind == "domain_from_parent":  # a UNIQUE e-mail stays unique: repeats are drawn again, row by row
            if gen is None or col.name in draft.foreign_keys or (inferred and draft.plans[col.name].source in (
                    "override", "info")) or any(col.name in j.columns for j in draft.joints):
                continue
            draft.generators[col.name] = AtParentDomain(gen, parent_ref(rel.via, rel.source), rel.via,
                                                        f"{rel.other}.{rel.source}")
            if col.name in uniques and not _local_part_unique(gen):
                draft.verified.append(VerifiedUnique((col.name,), None, (col.name,)))
            draft.relations.append(rel)
            continue
        if gen is None or col.name in uniques or col.name in draft.foreign_keys or \
                (inferred and draft.plans[col.name].source in ("override", "info")):
            continue
        if rel.kind == "exactly_one":
            draft.generators[col.name] = Constant(False)
        elif rel.kind == "from_parent":
            draft.generators[col.name] = FromParent(gen, parent_ref(rel.via, rel.source), rel.via,
                                                    f"{rel.other}.{rel.source}", rel.discount, col.scale)
        elif rel.kind == "after_parent":
            if col.kind not in ("date", "datetime") or any(d in draft.generators for d in gen.depends_on):
                continue  # a time that follows another column of its row follows it there
            after.setdefault(col.name, []).append(rel)
            continue
        draft.relations.append(rel)
    for name, rels in after.items():
        rule = draft.checks.rules.get(name)
        upper = rule.upper if rule is not None and rule.upper is not None else None
        try:
            from .generators.temporal import datetime64

            datetime64(upper, "s") if upper is not None else None
        except (TypeError, ValueError):
            upper = None
        draft.generators[name] = AfterParent(draft.generators[name], tuple(parent_ref(r.via, r.source) for r in rels),
                                             tuple(c for r in rels for c in r.via),
                                             tuple(f"{r.other}.{r.source}" for r in rels), upper,
                                             rule.upper_inclusive if rule is not None else True)
        draft.relations.extend(rels)


def _local_part_unique(gen) -> bool:
    """A person's e-mail whose local part alone is distinct per row (the name parts, a separator that never occurs
    inside them, an initial or a number): another domain cannot make two rows equal."""
    from .generators.base import Nullable, Unique
    from .generators.person import PersonPart

    while isinstance(gen, (Unique, Nullable)):
        gen = gen.inner
    return isinstance(gen, PersonPart) and gen.part == "email"


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
        reverse = draft.generators.get(lesser)
        if isinstance(reverse, After) and reverse.base == greater and reverse.fallback is not None:
            draft.generators[lesser] = reverse.fallback  # the names said the other way round: the CHECK wins
        if _overridden(draft, greater):  # the caller's values stand: the lesser column goes below them
            _below_override(draft, lesser, greater, order.strict)
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


def _overridden(draft: Draft, column: str) -> bool:
    plan = draft.plans.get(column)
    return plan is not None and plan.source == "override"


def _below_override(draft: Draft, lesser: str, greater: str, strict: bool) -> None:
    """An ordering whose greater column is overridden: the caller's values stand and the lesser column goes
    below them, within its own CHECK bounds. A constant caps the lesser column's own values; a per-row override
    puts each row's lesser value a step below its greater one (:class:`~.generators.temporal.Before`), unless
    the lesser column is UNIQUE (it keeps its distinct draw; rows the CHECK fails are drawn again)."""
    gen = draft.generators.get(lesser)
    if gen is None or lesser in draft.foreign_keys or _overridden(draft, lesser):
        return
    col, given = draft.spec.column(lesser), draft.generators[greater]
    rule = draft.checks.rules.get(lesser) or ColumnRule(lesser)
    try:
        if isinstance(given, Constant):
            value = given.value
            if value is None or isinstance(value, bool):
                return
            if rule.upper is None or value < rule.upper or (value == rule.upper and strict):
                rule = replace(rule, upper=value, upper_inclusive=not strict)
            draft.generators[lesser] = narrow(col, gen, rule)
        elif not any(tuple(u) == (lesser,) for u in unique_sets(draft.spec)):  # UNIQUE: its own draw, then redraws
            span = 365.0
            if col.kind in ("integer", "float", "decimal"):
                span = max(1.0, (getattr(gen, "hi", 100) - getattr(gen, "lo", 0)) / 3)
            draft.generators[lesser] = narrow(col, Before(greater, max_days=span, strict=strict, fallback=gen), rule)
    except (TypeError, ValueError):  # a value of another kind than the column's: left to the CHECK's redraws
        return


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
