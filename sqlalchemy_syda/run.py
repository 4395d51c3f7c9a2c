"""The one orchestrator: a planned run executed into a sink.

Every entry point does the same three things: resolve the request (:mod:`.seed_request`), plan it
(:mod:`.planner`: table order, counts and a recipe per table), and execute the plan into a sink.
``seed()`` executes into the database (:mod:`.database_run`), ``generate()`` into DataFrames, the ORM's
transient ``synthesize()`` into objects, Alembic's offline mode into INSERT text. This module builds
the row engines (nowhere else does) and streams their batches::

    >>> from examples.crm_models import MODELS, Customer, Order
    >>> from sqlalchemy_syda.planner import plan_seed
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> plan = plan_seed(table_specs([Customer, Order]), {"customers": 3, "orders": 5})
    >>> frames = into_frames(plan, engines_for(plan))
    >>> sorted(frames), len(frames["orders"])
    (['customers', 'orders'], 5)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .engine.keys import ArrayKeys, CombinedKeys, KeySource
from .engine.rows import RowEngine
from .exceptions import PlanError
from .options import SeedOptions
from .plan import PlanRequest, SeedPlan
from .recipe import TableRecipe
from .specs import ColumnSpec, TableSpec

__all__ = ["DEFAULT_CHUNK", "RunData", "column_values", "computed_by", "engines_for", "into_frames", "recipe_batches", "recipe_rows", "table_batches", "to_frame",
           "with_llm"]

DEFAULT_CHUNK = 50_000


@dataclass
class RunData:
    """What a run reads from outside the plan: keys of rows already there, and UNIQUE values taken."""

    existing_keys: dict[str, ArrayKeys] = field(default_factory=dict)
    """Per table: key columns of its existing rows (parents children may point at)."""
    taken: dict[str, dict[object, set]] = field(default_factory=dict)
    """Per table: UNIQUE column (or column tuple) -> values the table already holds."""
    reuse: bool = False
    """Children also point at the existing rows of parents in the run (``existing="reuse"`` / ``"top-up"``)."""
    fanout: dict[str, dict[tuple[str, ...], np.ndarray]] = field(default_factory=dict)
    """Per table and FK columns: children before each parent block (a first pass done elsewhere, e.g. on a
    cluster); a row engine computes what is missing itself, once."""


def engines_for(plan: SeedPlan, data: RunData | None = None) -> dict[str, RowEngine]:
    """One row engine per table of ``plan``, wired to their parents (the only place engines are built)."""
    data = data or RunData()
    engines: dict[str, RowEngine] = {}
    sources: dict[str, KeySource] = {}
    for tp in plan.tables:
        name = tp.spec.fullname
        engines[name] = RowEngine(tp.recipe, sources, data.taken.get(name), data.fanout.get(name))
    for tp in plan.tables:
        for fkr in tp.recipe.foreign_keys:
            ref = fkr.parent
            if fkr.kind != "parent" or ref in sources:
                continue
            if ref in engines:
                parent = plan.table(ref)
                old = data.existing_keys.get(ref)
                if data.reuse and parent.existing and old is not None:
                    sources[ref] = CombinedKeys(old, engines[ref])
                else:
                    sources[ref] = engines[ref]
            elif ref in data.existing_keys:
                sources[ref] = data.existing_keys[ref]
    from .engine.children import attach_relations

    attach_relations(engines)  # aggregates and exactly-one flags computed with the rows where they can be
    return engines


def computed_by(engines: Mapping[str, RowEngine]) -> set[tuple[str, str]]:
    """(table, column) pairs the engines computed with the rows (relations that need no later UPDATE)."""
    return {(name, column) for name, engine in engines.items() for column in engine.computed}


def column_values(recipe: TableRecipe, columns: Sequence[str], index: np.ndarray,
                  sources: Mapping[str, KeySource] | None = None) -> list[np.ndarray]:
    """Values of ``columns`` at new-row numbers ``index`` of one recipe, as a run would write them."""
    return RowEngine(recipe, dict(sources or {})).key_values(list(columns), np.asarray(index, dtype=np.int64))


def recipe_batches(recipe: TableRecipe, sources: Mapping[str, KeySource] | None = None,
                   chunk_size: int = DEFAULT_CHUNK) -> Iterator[dict[str, np.ndarray]]:
    """Every row of one recipe, in chunks, with parents' keys from ``sources`` (e.g. rows rendered earlier)."""
    yield from table_batches(RowEngine(recipe, dict(sources or {})), chunk_size)


def recipe_rows(recipe: TableRecipe, start: int, stop: int, sources: Mapping[str, KeySource] | None = None
                ) -> dict[str, np.ndarray]:
    """Rows ``start`` .. ``stop - 1`` of one recipe (rows past ``recipe.count`` continue the same way)."""
    return RowEngine(recipe, dict(sources or {})).batch(start, stop)


def table_batches(engine: RowEngine, chunk_size: int = DEFAULT_CHUNK, workers: int = 1
                  ) -> Iterator[dict[str, np.ndarray]]:
    """All rows of one engine in chunks of ``chunk_size`` (the values do not depend on the chunk size)."""
    if chunk_size < 1:
        raise PlanError(f"chunk_size must be at least 1; got {chunk_size}.")
    if workers > 1 and engine.count > chunk_size and not engine.repairs.ordered:  # row-order repairs
        from .parallel import parallel_batches

        yield from parallel_batches(engine, chunk_size, workers)
        return
    for start in range(0, engine.count, chunk_size):
        yield engine.batch(start, min(engine.count, start + chunk_size))


def into_frames(plan: SeedPlan, engines: Mapping[str, RowEngine], chunk_size: int = DEFAULT_CHUNK,
                tables: Sequence[str] | None = None) -> dict[str, pd.DataFrame]:
    """The DataFrame sink: every table of ``plan`` (or only ``tables``) as one frame."""
    frames = {}
    for tp in plan.tables:
        name = tp.spec.fullname
        if tables is not None and name not in tables:
            continue
        engine = engines[name]
        parts = list(table_batches(engine, chunk_size))
        merged = {c: np.concatenate([p[c] for p in parts]) if parts else np.array([])
                  for c in engine.output_columns}
        frames[name] = to_frame(tp.spec, merged)
    from .written_after import frame_updates

    frame_updates(plan, frames, computed_by(engines))  # what the engines could not compute with the rows
    return frames


def to_frame(spec: TableSpec, columns: Mapping[str, np.ndarray], attr_names: bool = False) -> pd.DataFrame:
    """Column arrays as a DataFrame with fitting dtypes (nullable integers stay integers)."""
    data = {}
    for name, values in columns.items():
        col = spec.column(name)
        key = col.attr_key if attr_names else name
        data[key] = _series(col, values)
    return pd.DataFrame(data)


def _series(col: ColumnSpec, values: np.ndarray):
    if col.kind == "integer" and values.dtype.kind in "fO":
        mask = pd.isna(values)
        ints = np.where(mask, 0, values).astype(np.int64)
        return pd.arrays.IntegerArray(ints, np.asarray(mask, dtype=bool))
    if col.kind == "boolean" and values.dtype == object:
        return pd.array(values, dtype="boolean")
    if col.kind in ("float", "decimal") and values.dtype == object:
        return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy()
    return values


def with_llm(plan: SeedPlan, request: PlanRequest, options: SeedOptions) -> SeedPlan:
    """The plan again, with the LLM's values as per-column overrides (user overrides win; keys and FKs stay
    the engine's). The LLM reads the recipes; rows are never sent to it."""
    from .llm.source import resolve_llm
    from .planner import plan_run

    source = resolve_llm(options.llm)
    if source is None:
        return plan
    recipes = [tp.recipe for tp in plan.tables]
    over = source.overrides(recipes, request.overrides, values_of=_values_of)
    return plan_run(replace(request, overrides={**request.overrides, **over}), options)


def _values_of(recipe: TableRecipe, columns: Sequence[str]) -> dict[str, np.ndarray]:
    return dict(zip(columns, column_values(recipe, columns, np.arange(recipe.count))))
