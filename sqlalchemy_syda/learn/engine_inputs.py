"""Profile -> the engine's inputs: per table the column generators (with reasons), cardinality and counts.

:func:`recipe_inputs` is the one place a profile becomes something the engine runs; every entry point
(``profile.sample``, ``seed(..., profile=)``, ``generate(..., profile=)``, ``Model.synthesize(profile=)``)
goes through it and hands the generators to the engine as overrides, so the target schema's
constraints (UNIQUE, CHECK, lengths, FKs) still rule::

    >>> from sqlalchemy_syda.learn import learn
    >>> profile = learn(pd.DataFrame({"species": ["Adelie", "Gentoo"] * 50, "mass": [3700.0, 5000.0] * 50}))
    >>> inputs = recipe_inputs(profile)
    >>> inputs["data"].count
    100
    >>> inputs["data"].generators["species"]
    (learned('category'), 'learned: 2 frequent values')

It reads a profile's data and runs nothing, so the request layer (:mod:`.wiring`) can use it while
:mod:`.sampling` runs the engine for ``Profile.sample``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..cardinality import Cardinality
from ..exceptions import LearnError
from ..generators.base import Constant, Generator
from ..specs import ColumnSpec
from .copula import cholesky
from .generators import CopulaColumn, CopulaGroup, GapAfter, LearnedColumn
from .patterns import TemplateStrings

if TYPE_CHECKING:
    from .profile import ColumnProfile, Profile, TableProfile

__all__ = ["TableInputs", "column_generators", "recipe_inputs"]


@dataclass(frozen=True)
class TableInputs:
    """What the engine needs from a profile for one table."""

    table: str
    generators: dict[str, tuple[Generator, str]]
    """Column -> (generator, reason); key columns are absent (the engine's)."""
    count: int
    """Learned row count times the scale."""
    cardinality: dict[tuple[str, ...], Cardinality] = field(default_factory=dict)
    """Per foreign key (its columns): children per parent as learned (empty until relationships exist)."""

    @property
    def overrides(self) -> dict[str, Generator]:
        return {name: gen for name, (gen, _) in self.generators.items()}


def recipe_inputs(profile: Profile, *, scale: float = 1.0) -> dict[str, TableInputs]:
    """The engine's inputs for every table of ``profile`` (counts = learned rows x ``scale``)."""
    if not scale > 0:
        raise LearnError(f"scale must be a positive number; got {scale!r}.")
    from ..cardinality import histogram

    cards: dict[str, dict[tuple[str, ...], Cardinality]] = {}
    for rel in profile.relationships:
        hist = rel.histogram
        card = Cardinality("per_row", values=tuple(hist["by_row"])) if hist.get("by_row") else \
            histogram(hist["counts"], hist["parents"]) if hist.get("counts") else None
        if card is not None:
            missing = min(0.99, rel.null_share + rel.orphan_share)  # orphans are written as NULL FKs
            cards.setdefault(rel.child, {})[tuple(rel.columns)] = card.with_null(missing) if missing > 0 else card
    out = {}
    for table in profile.tables:
        out[table.name] = TableInputs(table.name, column_generators(table), max(0, round(table.rows * scale)),
                                      cards.get(table.name, {}))
    return out


def column_generators(table: TableProfile) -> dict[str, tuple[Generator, str]]:
    """Column -> (generator, reason) for every learned column that is not a key."""
    copula = _copula_generators(table)
    out: dict[str, tuple[Generator, str]] = {}
    for col in table.columns:
        if col.model == "key":
            continue
        gen = copula.get(col.name) or _column_generator(col, table)
        if col.model in ("number", "datetime", "pattern", "meaning", "text") and col.null_share > 0:
            gen = gen.nullable(col.null_share)
        elif col.model == "after" and col.params.get("null_given_base", 0) > 0:
            gen = gen.nullable(col.params["null_given_base"])
        if col.params.get("from_parent"):
            from .generators import FromParent

            gen = FromParent(tuple(col.params["from_parent"]["columns"]), col.params["from_parent"]["column"], gen)
        reason = col.reason + (f"; joint with {len(table.copula['columns']) - 1} columns (Gaussian copula)"
                               if col.name in copula else "")
        out[col.name] = (gen, f"learned: {reason}" if reason else "learned")
    return out


def _column_generator(col: ColumnProfile, table: TableProfile) -> Generator:
    if col.model == "constant":
        return Constant(col.params.get("value"))
    if col.model == "category" and col.params.get("by_row"):
        from .generators import ByRow

        return ByRow(col.params["by_row"])
    if col.model in ("number", "category", "datetime"):
        return LearnedColumn(col.model, col.params, col.dtype)
    if col.model == "after":
        gaps = dict(col.params["gaps"], resolution=col.params.get("resolution", 1))
        return GapAfter(col.params["base"], gaps, col.dtype)
    if col.model == "pattern":
        return TemplateStrings(col.params)
    if col.model in ("meaning", "text"):
        from ..generators.registry import generator_for

        spec = ColumnSpec(col.name, kind="string", length=col.params.get("max_length") or None)
        return generator_for(col.meaning or "text", spec)
    raise LearnError(f"column {table.name}.{col.name}: unknown model {col.model!r} in the profile.")


def _copula_generators(table: TableProfile) -> dict[str, Generator]:
    copula = table.copula
    if not copula:
        return {}
    names = copula["columns"]
    by_name = {c.name: c for c in table.columns}
    stratify = copula.get("stratify")
    factors = [cholesky(np.asarray(g["correlation"], dtype=np.float64)) for g in copula["groups"]]
    out: dict[str, Generator] = {}
    for i, name in enumerate(names):
        col = by_name[name]
        groups = [CopulaGroup(tuple(g["when"]) if g["when"] is not None else None, factors[k][i, : i + 1],
                              g["marginals"].get(name, col.params)) for k, g in enumerate(copula["groups"])]
        parent = copula.get("parent")
        out[name] = CopulaColumn(name, col.model, col.dtype, groups, stratify,
                                 (tuple(parent["columns"]), parent["column"]) if parent else None)
    return out
