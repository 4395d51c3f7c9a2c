"""A run's request resolved into a :class:`~.plan.PlanRequest`: for a database, or for DataFrames.

``seed()`` resolves its models against the live database (tables that exist, rows already there,
their largest ids, parents a NOT NULL foreign key needs, UNIQUE values taken); ``generate()`` resolves
them against the schema alone. Both end in the same plain request the planner takes::

    >>> from examples.crm_models import Customer, Order
    >>> request = frames_request([Customer, Order], {Customer: 10, Order: 30}, SeedOptions())
    >>> dict(request.counts)
    {'customers': 10, 'orders': 30}

:func:`run_data` then reads, for a planned seed, the keys of existing parent rows children may point
at and the UNIQUE values new rows must avoid.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from .constraints import unique_sets
from .exceptions import PlanError, SchemaError
from .existing_rows import existing_facts, existing_keys, taken_values
from .inheritance import hierarchy_layout, merge_into
from .options import SeedOptions
from .plan import PlanRequest, SeedPlan
from .run import RunData, engines_for, table_batches
from .seed_request import (
    add_missing_parents,
    cardinalities,
    overrides_by_table,
    referred_table,
    requested,
    specs_and_counts,
    with_discriminators,
)
from .specs import TableSpec
from .taken_lookup import TakenLookup

__all__ = ["database_request", "frame_specs", "frames_request", "run_data", "settle_taken"]


def database_request(conn: sa.Connection, models: Any, options: SeedOptions) -> PlanRequest:
    """What a seed through ``conn`` asks for (see the module docstring)."""
    if models is None and options.profile is not None:
        from .learn.wiring import profile_counts

        models = profile_counts(options.profile, options.scale)
    items = requested(models, options.rows)
    layout = hierarchy_layout(items)
    specs, counts = specs_and_counts(items if layout is None else layout.entries, conn)
    card = cardinalities(options.cardinality, specs)
    over = overrides_by_table(options.overrides, specs)
    if layout is not None:  # several classes of one hierarchy: a block of rows per class
        if options.existing == "top-up":
            raise PlanError("existing='top-up' cannot count rows per class of an inheritance hierarchy ("
                            + ", ".join(getattr(k, "__name__", str(k)) for k in layout.grouped) + "): seed "
                            "the missing rows of each class with existing='append', or one class at a time.")
        card.update(layout.cardinality)
        over = merge_into(over, layout.overrides)
    specs, counts, added = add_missing_parents(conn, specs, counts, options.add_parents)
    over = with_discriminators(over, specs)
    if options.profile is not None:
        from .learn.wiring import apply_profile

        over, card = apply_profile(options.profile, specs, over, card, options.scale)
    existing: dict[str, int] = {}
    key_starts: dict[str, dict[str, int]] = {}
    for spec in specs:
        n_old, starts = existing_facts(conn, spec)
        existing[spec.fullname] = n_old
        key_starts[spec.fullname] = starts
        if options.existing == "top-up" and counts.get(spec.fullname) is not None:
            counts[spec.fullname] = max(0, counts[spec.fullname] - n_old)
    taken = {spec.fullname: _taken_sets(spec, key_starts[spec.fullname]) for spec in specs
             if existing[spec.fullname]}
    outside = _outside_rows(conn, specs)
    return PlanRequest(tuple(specs), counts, over, card, existing, key_starts, added, outside,
                       taken, conn.dialect.name, outside_specs=_outside_specs(specs, outside))


def _outside_specs(specs: list[TableSpec], outside: Mapping[str, int]) -> tuple[TableSpec, ...]:
    """Specs of the parents outside the run that hold rows: the relations read their columns (a time, a price)."""
    from .introspect import table_spec

    out: dict[str, TableSpec] = {}
    for spec in specs:
        for fk in spec.foreign_keys:
            if fk.ref_table in outside and outside[fk.ref_table] and fk.ref_table not in out:
                parent = referred_table(spec, fk)
                if parent is not None:
                    out[fk.ref_table] = table_spec(parent)
    return tuple(out.values())


def _taken_sets(spec: TableSpec, key_starts: Mapping[str, int]) -> tuple[tuple[str, ...], ...]:
    """UNIQUE column sets whose existing values new rows must avoid (keys that continue after the largest
    id, and foreign keys, cannot collide by construction)."""
    fk_cols = {c for fk in spec.foreign_keys for c in fk.columns}
    out = []
    for cols in unique_sets(spec):
        if len(cols) == 1 and (cols[0] in fk_cols or cols[0] in key_starts):
            continue
        out.append(tuple(cols))
    return tuple(out)


def _outside_rows(conn: sa.Connection, specs: list[TableSpec]) -> dict[str, int]:
    """Parents outside the run that children may point at: how many rows each holds."""
    names = {s.fullname for s in specs}
    out: dict[str, int] = {}
    for spec in specs:
        for fk in spec.foreign_keys:
            if fk.ref_table in names or fk.ref_table in out:
                continue
            parent = referred_table(spec, fk)
            if parent is not None:
                out[fk.ref_table] = int(conn.execute(sa.select(sa.func.count()).select_from(parent)).scalar_one())
    return out


def run_data(conn: sa.Connection, plan: SeedPlan, options: SeedOptions) -> RunData:
    """Existing parent keys and taken UNIQUE values for a planned seed."""
    from .introspect import table_spec

    reuse = options.existing in ("reuse", "top-up")
    data = RunData(reuse=reuse)
    wanted: dict[str, tuple[TableSpec, list[str]]] = {}
    for tp in plan.tables:
        for fk in tp.spec.foreign_keys:
            ref = fk.ref_table
            if ref == tp.spec.fullname:
                continue
            if ref in plan.counts:
                if not (reuse and plan.table(ref).existing):
                    continue
                spec = plan.table(ref).spec
            else:
                parent = referred_table(tp.spec, fk)
                if parent is None:
                    continue
                spec = wanted[ref][0] if ref in wanted else table_spec(parent)
            cols = wanted.setdefault(ref, (spec, []))[1]
            cols.extend(c for c in fk.ref_columns if c not in cols)
    for tp in plan.tables:  # parent columns the relations read (a time, a price): only those, in bulk
        for rel in tp.recipe.relations:
            if rel.kind in ("after_parent", "from_parent") and rel.other in wanted:
                cols = wanted[rel.other][1]
                if rel.source not in cols:
                    cols.append(rel.source)
    for ref, (spec, cols) in wanted.items():
        data.existing_keys[ref] = existing_keys(conn, spec, tuple(cols))
    for tp in plan.tables:
        taken = taken_values(conn, tp)
        if taken:
            data.taken[tp.spec.fullname] = taken
    return data


def settle_taken(plan: SeedPlan, data: RunData, chunk_size: int) -> int:
    """Ask the database about every UNIQUE value the plan's engines draw, then settle the lookups
    (:mod:`.taken_lookup`); how many values were asked. Runs the engines once, in this thread, writing nothing."""
    tables = {name: [v for v in taken.values() if isinstance(v, TakenLookup) and not v.settled]
              for name, taken in data.taken.items()}
    tables = {name: lookups for name, lookups in tables.items() if lookups}
    if not tables:
        return 0
    engines = engines_for(plan, data)
    for tp in plan.tables:
        if tp.spec.fullname in tables:
            for _ in table_batches(engines[tp.spec.fullname], chunk_size):
                pass
    asked = 0
    for lookups in tables.values():
        for lookup in lookups:
            asked += lookup.asked
            lookup.settle()
    return asked


def frames_request(models: Any, counts: Any, options: SeedOptions) -> PlanRequest:
    """What a ``generate()`` call asks for: specs from models, tables or dict schemas; no database."""
    single = not isinstance(models, (list, tuple))
    rows = options.rows
    layout = None
    if not single:  # several classes of one hierarchy: a block of rows per class (classes with their own count)
        each = counts if isinstance(counts, int) and not isinstance(counts, bool) else rows
        per_class = [(m, counts.get(m, each) if isinstance(counts, Mapping) else each)
                     for m in models if isinstance(m, type)]
        layout = hierarchy_layout([(m, n) for m, n in per_class if n is not None])
    if layout is not None:
        consumed = {id(key) for key in layout.grouped}
        tables = [key for key, _ in layout.entries if isinstance(key, TableSpec)]
        models = [m for m in models if id(m) not in consumed] + tables
        mapping = counts if isinstance(counts, Mapping) else {}
        rows = counts if isinstance(counts, int) and not isinstance(counts, bool) else rows
        counts = {**{k: n for k, n in mapping.items() if id(k) not in consumed},
                  **{spec.fullname: layout.counts[spec.fullname] for spec in tables}}
    specs = frame_specs(models)
    names = [s.fullname for s in specs]
    if len(set(names)) != len(names):
        raise SchemaError(f"The same table was given twice: {names}.")
    card = cardinalities(options.cardinality, specs)
    over = overrides_by_table(options.overrides, specs, single=specs[0] if single and len(specs) == 1 else None)
    if layout is not None:
        card.update(layout.cardinality)
        over = merge_into(over, layout.overrides)
    if options.profile is not None:
        from .learn.wiring import apply_profile, counts_for_specs

        over, card = apply_profile(options.profile, specs, over, card, options.scale)
        if counts is None and rows is None:
            counts = counts_for_specs(options.profile, specs, options.scale)
    resolved = {s.fullname: _count_for(s, counts, rows, card) for s in specs}
    return PlanRequest(tuple(specs), resolved, over, card, target="frames")


def frame_specs(models: Any) -> list[TableSpec]:
    """Specs of a mapped class, ``Table``, dict schema, TableSpec, or a list of them."""
    from .dict_schema import dict_table_spec
    from .introspect import table_spec

    if isinstance(models, TableSpec):
        return [models]
    if isinstance(models, Mapping) and models and all(isinstance(v, (str, Mapping)) for v in models.values()):
        return [dict_table_spec(dict(models))]
    if isinstance(models, (list, tuple)):
        return [s for m in models for s in frame_specs(m)]
    return [table_spec(models)]


def _count_for(spec: TableSpec, counts: Any, default: int | None, card: Mapping) -> int | None:
    if isinstance(counts, Mapping):
        for key, value in counts.items():
            if spec.matches(key):
                return _row_count(spec, value)
        if default is not None:
            return default
        if any(t == spec.fullname and c.derives_count for (t, _), c in card.items()):
            return None  # derived from the parents' counts by the planner
        raise PlanError(f"No row count for {spec.display_name!r}: add it to the counts "
                        f"(e.g. {{{spec.display_name}: 100}}), pass rows=N for every table, or give one of its "
                        "foreign keys a fixed/range/Poisson cardinality to derive it from.")
    if isinstance(counts, bool) or (counts is not None and not isinstance(counts, numbers.Integral)):
        raise PlanError(f"counts must be a number or {{Model: n}}; got {counts!r}.")
    return _row_count(spec, counts) if counts is not None else (default if default is not None else 10)


def _row_count(spec: TableSpec, value: Any) -> int | None:
    """A table's count as an int (numpy integers too); None stays None (derived)."""
    if value is None:
        return None
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 0:
        raise PlanError(f"Row count for {spec.display_name!r} must be a non-negative integer; got {value!r}.")
    return int(value)
