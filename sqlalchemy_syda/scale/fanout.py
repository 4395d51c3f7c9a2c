"""The first pass: children per parent block, summed into prefixes, before any child partition runs.

A child table with a fixed, range, Poisson or histogram cardinality lays its rows out parent after parent,
so child row *k* belongs to the parent whose running total of children first exceeds *k*'s position. The
per-parent counts are counter-based, so the totals of blocks of :data:`~..cardinality.FANOUT_BLOCK` parents
can be computed anywhere; the client adds them up (an exclusive prefix sum, one number per block) and
ships the prefixes to every worker in :class:`~..run.RunData`. A child partition then finds its parents'
blocks by binary search and computes the counts of those blocks only; no worker reads another's rows::

    >>> from sqlalchemy_syda import poisson
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.planner import plan_seed
    >>> plan = plan_seed(table_specs([Customer, Order]), {"customers": 100, "orders": None},
    ...                  cardinality={("orders", ("customer_id",)): poisson(3)})
    >>> data = first_pass(None, plan)
    >>> prefix = data.fanout["orders"][("customer_id",)]
    >>> int(prefix[0]), int(prefix[-1]) == plan.table("orders").count
    (0, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..cardinality import FANOUT_BLOCK, Cardinality
from ..plan import SeedPlan
from ..run import RunData, engines_for
from ..streams import Stream
from .cluster import Task, run_tasks

__all__ = ["BLOCKS_PER_TASK", "first_pass"]

BLOCKS_PER_TASK = 16
"""Parent blocks per first-pass task (16 x 65,536 = about a million parents)."""


def _totals(card: Cardinality, stream: Stream, parents: int, first: int, stop: int) -> np.ndarray:
    return card.block_totals(stream, parents, first, stop)


def first_pass(client: Any, plan: SeedPlan, data: RunData | None = None) -> RunData:
    """``data`` (or an empty :class:`~..run.RunData`) with the fan-out prefixes of every cardinality of ``plan``;
    the block totals are computed on ``client``'s cluster (``None``: here)."""
    data = data or RunData()
    engines = engines_for(plan, data)
    jobs: list[tuple[str, tuple[str, ...], list[Task]]] = []
    for tp in plan.tables:
        name = tp.spec.fullname
        for fkr in tp.recipe.foreign_keys:
            inputs = engines[name].parents.fanout_inputs(fkr)
            if inputs is None or fkr.fk.columns in data.fanout.get(name, {}):
                continue
            card, stream, parents = inputs
            blocks = -(-parents // FANOUT_BLOCK)
            tasks = [Task(name, i, -(-blocks // BLOCKS_PER_TASK), b, min(blocks, b + BLOCKS_PER_TASK),
                          (card, stream, parents, b, min(blocks, b + BLOCKS_PER_TASK)))
                     for i, b in enumerate(range(0, blocks, BLOCKS_PER_TASK))]
            jobs.append((name, fkr.fk.columns, tasks))
    every = [t for _, _, tasks in jobs for t in tasks]
    if client is None:
        results = [_totals(*t.args) for t in every]
    else:
        results = run_tasks(client, _totals, every) if every else []
    done = iter(results)
    for name, columns, tasks in jobs:
        totals = np.concatenate([next(done) for _ in tasks])
        data.fanout.setdefault(name, {})[columns] = np.concatenate([[0], np.cumsum(totals)]).astype(np.int64)
    return data
