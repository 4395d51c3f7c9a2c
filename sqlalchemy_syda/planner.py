"""The planner: a resolved request -> a :class:`~.plan.SeedPlan` with every table's recipe.

:mod:`.plan` orders the tables and fixes their row counts; then each table's
:class:`~.recipe.TableRecipe` is built from plain facts: its count and existing rows, how many rows each parent offers (new rows, plus the
existing ones when children may point at them), the overrides, the cardinalities and the columns
other tables reference::

    >>> from examples.crm_models import Customer, Order
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> plan = plan_seed(table_specs([Customer, Order]), {"customers": 10, "orders": 30})
    >>> plan.table("orders").recipe.foreign_key("customer_id").parent_rows
    10
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .cardinality import Cardinality
from .generators.numbers import Sequence as SequenceGen
from .options import SeedOptions
from .plan import PlanRequest, SeedPlan, TablePlan, order_tables
from .plan_size import check_row_limit
from .recipe_planner import TableInputs, table_recipe
from .specs import TableSpec

__all__ = ["plan_run", "plan_seed", "table_inputs", "with_recipes"]


def plan_seed(specs: list[TableSpec], counts: Mapping[str, int | None], *, dialect: str | None = None,
              cardinality: Mapping[tuple[str, tuple[str, ...]], Cardinality] | None = None,
              existing: Mapping[str, int] | None = None, key_starts: Mapping[str, Mapping[str, int]] | None = None,
              added: Mapping[str, str] | None = None, **options: Any) -> SeedPlan:
    """The plan of a run over ``specs`` with ``counts`` (``None``: derived from a cardinality), without a
    database: a convenience over :func:`plan_run` (``options`` are :class:`~.options.SeedOptions`)."""
    request = PlanRequest(tuple(specs), dict(counts), cardinality=dict(cardinality or {}),
                          existing=dict(existing or {}), key_starts=dict(key_starts or {}), added=dict(added or {}),
                          dialect=dialect)
    return plan_run(request, SeedOptions.build(**options))


def plan_run(request: PlanRequest, options: SeedOptions) -> SeedPlan:
    """The whole plan: relations across tables, table order, counts, cycle breaks, FK check modes and recipes; a
    table over ``options.max_rows`` is refused before any recipe is built (:mod:`.plan_size`)."""
    from .relations import default_children

    relations = _relations(request, options)
    request = replace(request, cardinality={**default_children(relations, request.cardinality),
                                            **request.cardinality})
    plan = order_tables(request, options)
    check_row_limit(plan, options.max_rows)
    return with_recipes(plan, request, options)


def _relations(request: PlanRequest, options: SeedOptions) -> dict:
    from .relations import plan_relations

    return plan_relations(request.specs, request.counts, options.relations, request.outside_specs)


def with_recipes(plan: SeedPlan, request: PlanRequest, options: SeedOptions) -> SeedPlan:
    """``plan`` with every table's recipe."""
    relations = _relations(request, options)
    tables = tuple(replace(tp, recipe=table_recipe(replace(table_inputs(plan, tp, request, options),
                                                           relations=relations.get(tp.spec.fullname, ()))))
                   for tp in plan.tables)
    return replace(plan, tables=tables)


def table_inputs(plan: SeedPlan, tp: TablePlan, request: PlanRequest, options: SeedOptions) -> TableInputs:
    """What ``tp``'s recipe is decided from."""
    spec = tp.spec
    over: dict[str, Any] = dict(request.overrides.get(spec.fullname, {}))
    for col, start in tp.key_starts.items():
        over.setdefault(col, SequenceGen(start - tp.existing))
    for col, gen in list(over.items()):
        after = getattr(gen, "after", None)
        if callable(after) and type(gen).__name__ == "IdentityBlocks":  # blocks count from the first new row
            over[col] = after(tp.existing)
    return TableInputs(
        spec, tp.count, tp.existing, options.seed, options.locale_name, request.dialect, over,
        _cardinality(plan, tp, options.existing), _parent_rows(plan, tp, request, options.existing),
        tuple(request.taken.get(spec.fullname, ())) if tp.existing and tp.count else (),
        _referenced(plan, spec.fullname))


def _parent_rows(plan: SeedPlan, tp: TablePlan, request: PlanRequest, existing: str) -> dict[str, int]:
    """Rows each parent offers ``tp``'s children: a parent in the run gives its new rows (and its existing
    ones with ``reuse`` / ``top-up``); a parent outside the run gives the rows it has in the database."""
    out: dict[str, int] = {}
    counts = plan.counts
    for fk in tp.spec.foreign_keys:
        ref = fk.ref_table
        if ref == tp.spec.fullname:
            continue
        if ref in counts:
            parent = plan.table(ref)
            out[ref] = parent.count + (parent.existing if existing in ("reuse", "top-up") else 0)
        elif ref in request.outside_rows:
            out[ref] = request.outside_rows[ref]
    return out


def _cardinality(plan: SeedPlan, tp: TablePlan, existing: str) -> dict[tuple[str, ...], Cardinality]:
    """``tp``'s cardinalities, with inheritance blocks (``rows_from``) moved past the parent's existing rows
    where children index existing and new parent rows together (``reuse``)."""
    card = dict(tp.cardinality)
    if existing not in ("reuse", "top-up"):
        return card
    for fk in tp.spec.foreign_keys:
        c = card.get(fk.columns)
        if c is not None and c.kind == "rows_from" and fk.ref_table in plan.counts:
            card[fk.columns] = replace(c, a=c.a + plan.table(fk.ref_table).existing)
    return card


def _referenced(plan: SeedPlan, table: str) -> tuple[str, ...]:
    """Columns of ``table`` that a foreign key of a table in the plan points at."""
    out: list[str] = []
    for other in plan.tables:
        for fk in other.spec.foreign_keys:
            if fk.ref_table == table:
                out.extend(c for c in fk.ref_columns if c not in out)
    return tuple(out)
