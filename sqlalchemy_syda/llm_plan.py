"""The optional LLM in a run: its values enter the plan as per-column overrides.

:func:`with_llm` asks the configured LLM (see :mod:`.llm`) for the text-like columns of every recipe
and plans again with them as overrides (the user's own overrides win; keys and FKs stay the engine's).
The LLM reads the recipes; rows are never sent to it. Without an LLM the plan comes back as it was::

    >>> from sqlalchemy_syda.options import SeedOptions
    >>> from sqlalchemy_syda.planner import plan_run
    >>> from sqlalchemy_syda.run_request import frames_request
    >>> options = SeedOptions(seed=1)
    >>> request = frames_request([Customer], {Customer: 3}, options)
    >>> plan = plan_run(request, options)
    >>> with_llm(plan, request, options) is plan
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .options import SeedOptions
from .plan import PlanRequest, SeedPlan
from .recipe import TableRecipe
from .run import column_values

__all__ = ["with_llm"]


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
