"""A profile as a source for a seed of a real schema: learned generators as overrides, fan-outs as cardinality.

The entry points (``seed(..., profile=)``, ``generate(..., profile=)``) call :func:`apply_profile` once their
target tables are known. It maps profile tables to target tables by name, and per table hands over the
generators of :func:`.sampling.recipe_inputs` for the columns the target has -- never its primary or foreign
keys, nor columns the database fills -- and the learned children-per-parent histograms of its foreign keys.
What the caller passed wins (their overrides and cardinality), and the target schema's constraints still
apply on top (UNIQUE, CHECK, lengths, FKs)::

    >>> from sqlalchemy_syda import generate, learn, poisson
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> real = generate([Customer, Order], {Customer: 50}, seed=1,           # stands in for a real export
    ...                 cardinality={Order.customer_id: poisson(2).with_zero(0.2)})
    >>> profile = learn(real, foreign_keys=[("orders", "customer_id", "customers", "id")])
    >>> over, card = apply_profile(profile, table_specs([Customer, Order]), {"orders": {"status": "Shipped"}}, {})
    >>> sorted(over["orders"]), over["orders"]["status"]               # learned, except what the caller set
    (['order_date', 'status', 'total_amount'], 'Shipped')
    >>> card
    {('orders', ('customer_id',)): histogram(mean=1.64, max=4, zeros=0.3)}
    >>> profile_counts(profile, scale=2.0)                              # learned sizes x 2, for counts=None
    {'customers': 100, 'orders': 164}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..cardinality import Cardinality
from ..specs import TableSpec
from .engine_inputs import TableInputs, recipe_inputs

if TYPE_CHECKING:
    from .profile import Profile

__all__ = ["apply_profile", "profile_counts", "profile_table_for"]


def profile_table_for(spec: TableSpec, inputs: Mapping[str, TableInputs]) -> TableInputs | None:
    """The profile table a target table gets its values from (same name, or same name without the schema)."""
    for key in (spec.fullname, spec.name):
        if key in inputs:
            return inputs[key]
    lowered = {k.rsplit(".", 1)[-1].lower(): v for k, v in inputs.items()}
    return lowered.get(spec.name.lower())


def profile_counts(profile: Profile, scale: float = 1.0) -> dict[str, int]:
    """Learned row counts x ``scale``, by profile table name (what ``counts=None`` seeds)."""
    return {name: t.count for name, t in recipe_inputs(profile, scale=scale).items()}


def apply_profile(profile: Profile, specs: list[TableSpec], overrides: Mapping[str, Mapping[str, Any]],
                  cardinality: Mapping[tuple[str, tuple[str, ...]], Cardinality], scale: float = 1.0
                  ) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, tuple[str, ...]], Cardinality]]:
    """Overrides and cardinality with the profile's contribution (the caller's own entries win)."""
    inputs = recipe_inputs(profile, scale=scale)
    over = {name: dict(v) for name, v in overrides.items()}
    card = dict(cardinality)
    only = next(iter(inputs.values())) if len(inputs) == 1 else None
    for spec in specs:
        source = profile_table_for(spec, inputs)
        if source is None and only is not None and not any(profile_table_for(s, inputs) for s in specs):
            source = only  # a single-table profile (learn(df)) fills a single target table of any name
        if source is None:
            continue
        fk_columns = {c for fk in spec.foreign_keys for c in fk.columns}
        learned = {name.lower(): gen for name, gen in source.overrides.items()}
        table_over = over.setdefault(spec.fullname, {})
        for col in spec.columns:
            if col.primary_key or col.name in fk_columns or col.filled_by_database:
                continue
            gen = source.generators.get(col.name, (None,))[0] or learned.get(col.name.lower())
            if gen is not None and col.name not in table_over and col.key not in table_over:
                table_over[col.name] = gen
        for fk in spec.foreign_keys:
            learned_card = source.cardinality.get(tuple(fk.columns))
            if learned_card is not None and (spec.fullname, fk.columns) not in card:
                card[(spec.fullname, fk.columns)] = learned_card
    return over, card


def counts_for_specs(profile: Profile, specs: list[TableSpec], scale: float = 1.0) -> dict[str, int]:
    """Learned counts x ``scale`` keyed by the target tables' full names."""
    inputs = recipe_inputs(profile, scale=scale)
    out = {}
    for spec in specs:
        source = profile_table_for(spec, inputs)
        if source is not None:
            out[spec.fullname] = source.count
    return out
