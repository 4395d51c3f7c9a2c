"""Partitions of a seed: runs of whole row blocks that any process can generate on its own.

Row *k* of table *T* depends only on (seed, *T*, *k*), so a table's rows can be cut anywhere. The cuts
fall on fixed blocks of :data:`BLOCK_ROWS` rows, so a partition is a run of whole blocks and the rows
(and the files written from them) never depend on how many partitions were asked for.
:func:`generate_partition` is a pure function of plain data: the plan, a table name and a row range
(plus, for a seed into a database, the keys and UNIQUE values already there). It builds the table's
row engine and its parents' on the spot, so a worker never needs another worker's rows, an Engine or
live metadata::

    >>> from examples.crm_models import Customer, Order
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.planner import plan_seed
    >>> plan = plan_seed(table_specs([Customer, Order]), {"customers": 30, "orders": 70})
    >>> [(p.table, p.start, p.stop) for p in plan_partitions(plan, 3, block_rows=25)]
    [('customers', 0, 25), ('customers', 25, 30), ('orders', 0, 25), ('orders', 25, 50), ('orders', 50, 70)]
    >>> whole = generate_partition(plan, "orders", 0, 70)
    >>> parts = [generate_partition(plan, "orders", 0, 25), generate_partition(plan, "orders", 25, 70)]
    >>> bool(pd.concat(parts, ignore_index=True).equals(whole))
    True

A table whose rows are verified in row order (a partial unique index, a composite key checked row by
row) is one partition: its row *k* depends on the rows before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..exceptions import PlanError
from ..plan import SeedPlan
from ..run import RunData, engines_for, to_frame

__all__ = ["BLOCK_ROWS", "Partition", "generate_partition", "partition_batches", "partition_ranges",
           "plan_partitions"]

BLOCK_ROWS = 50_000
"""Rows per block: partitions start and end on block boundaries (the last one at the table's end)."""


@dataclass(frozen=True)
class Partition:
    """Rows ``start`` .. ``stop - 1`` of ``table``: the ``index``-th of ``of`` partitions of that table."""

    table: str
    index: int
    of: int
    start: int
    stop: int

    @property
    def rows(self) -> int:
        return self.stop - self.start


def partition_ranges(count: int, partitions: int, block_rows: int | None = None) -> list[tuple[int, int]]:
    """``count`` rows cut into at most ``partitions`` runs of whole blocks (of :data:`BLOCK_ROWS` rows unless
    ``block_rows`` says otherwise), as even as blocks allow."""
    block_rows = BLOCK_ROWS if block_rows is None else block_rows
    if not isinstance(partitions, int) or isinstance(partitions, bool) or partitions < 1:
        raise PlanError(f"partitions must be a positive integer; got {partitions!r}.")
    if block_rows < 1:
        raise PlanError(f"block_rows must be at least 1; got {block_rows!r}.")
    if count <= 0:
        return []
    blocks = -(-count // block_rows)
    n = min(partitions, blocks)
    cuts = [min(count, (blocks * i // n) * block_rows) for i in range(n + 1)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def plan_partitions(plan: SeedPlan, partitions: int, block_rows: int | None = None) -> list[Partition]:
    """Every table of ``plan`` in insert order, each cut into at most ``partitions`` partitions (tables verified
    in row order stay whole)."""
    out: list[Partition] = []
    for tp in plan.tables:
        name = tp.spec.fullname
        wanted = 1 if _row_ordered(plan, name) else partitions
        ranges = partition_ranges(tp.count, wanted, block_rows)
        out.extend(Partition(name, i, len(ranges), a, b) for i, (a, b) in enumerate(ranges))
    return out


def partition_batches(plan: SeedPlan, table: str, start: int, stop: int, data: RunData | None = None,
                      chunk_size: int = BLOCK_ROWS) -> Iterator[dict[str, np.ndarray]]:
    """Rows ``start`` .. ``stop - 1`` of ``table`` as column-array batches of at most ``chunk_size`` rows."""
    tp = plan.table(table)
    if not 0 <= start <= stop <= tp.count:
        raise PlanError(f"{table}: rows {start}..{stop} are outside the table's {tp.count} planned rows.")
    engine = engines_for(plan, data)[tp.spec.fullname]  # fresh engines: row-order state never leaks between tasks
    if start and _row_ordered(plan, tp.spec.fullname):
        raise PlanError(f"{table} is verified in row order (a partial unique index or a composite key checked row "
                        "by row): it is generated as one partition, from row 0.")
    for a in range(start, stop, max(1, chunk_size)):
        yield engine.batch(a, min(stop, a + chunk_size))


def generate_partition(plan: SeedPlan, table: str, start: int, stop: int, data: RunData | None = None,
                       chunk_size: int = BLOCK_ROWS) -> pd.DataFrame:
    """Rows ``start`` .. ``stop - 1`` of ``table`` as a DataFrame (the columns a seed writes, final FK values)."""
    tp = plan.table(table)
    parts = list(partition_batches(plan, table, start, stop, data, chunk_size))
    columns = tp.recipe.output_columns
    merged = {c: np.concatenate([p[c] for p in parts]) if parts else np.array([], dtype=object) for c in columns}
    return to_frame(tp.spec, merged)


def _row_ordered(plan: SeedPlan, table: str) -> bool:
    recipe = plan.table(table).recipe
    return bool(recipe.verified_uniques)
