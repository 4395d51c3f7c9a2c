"""``generate(..., cluster=, partitions=, output_dir=)``: a planned run's partitions as Parquet files or frames.

``generate()`` plans as usual and hands the plan here. Every table is cut into block-aligned partitions
(:mod:`.partitions`); each becomes one Parquet file in the table's directory (:mod:`.parquet`) or, without
``output_dir``, one DataFrame gathered back and concatenated. ``cluster=None`` runs the same partition
functions one after the other in this process; a cluster runs them as Dask futures. Either way the rows
equal the single-process ``generate()``'s, whatever the number of partitions::

    >>> import tempfile
    >>> from sqlalchemy_syda import generate
    >>> out = tempfile.mkdtemp()
    >>> dirs = generate([Customer, Order], {Customer: 30, Order: 60}, partitions=3, output_dir=out)
    >>> sorted(dirs), sorted(p.name for p in dirs["orders"].iterdir())
    (['customers', 'orders'], ['part-00000.parquet'])
    >>> frames = generate([Customer, Order], {Customer: 30, Order: 60}, partitions=3)
    >>> frames["orders"].equals(generate([Customer, Order], {Customer: 30, Order: 60})["orders"])
    True

(60 rows are less than one block of :data:`~.partitions.BLOCK_ROWS` rows, so one partition and one file.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..exceptions import OutputError
from ..plan import SeedPlan
from ..run import RunData
from .cluster import Task, cluster_client, default_partitions, run_tasks
from .fanout import first_pass
from .partitions import Partition, generate_partition, plan_partitions

__all__ = ["generate_partitioned"]


def _parquet(plan: SeedPlan, data: RunData, output_dir: str, part: Partition) -> str:
    from .parquet import write_parquet_partition

    return str(write_parquet_partition(plan, part, output_dir, data))


def _frame(plan: SeedPlan, data: RunData, part: Partition) -> pd.DataFrame:
    return generate_partition(plan, part.table, part.start, part.stop, data)


def generate_partitioned(plan: SeedPlan, names: Sequence[str], *, cluster: Any = None, partitions: int | None = None,
                         output_dir: str | Path | None = None, fmt: str = "parquet", block_rows: int | None = None,
                         progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """The tables ``names`` of ``plan`` through partitions: ``{table: directory}`` with ``output_dir``, else
    ``{table: DataFrame}``."""
    if fmt != "parquet":
        raise OutputError(f"Partitioned output is written as Parquet (format='parquet'); got format={fmt!r}.")
    if output_dir is not None:
        from .parquet import prepare_output

        dirs = prepare_output(output_dir, [tp.spec.fullname for tp in plan.tables])
    if cluster is None:
        data = first_pass(None, plan)
        fn, shared = (_parquet, (plan, data, str(output_dir))) if output_dir is not None else (_frame, (plan, data))
        parts = plan_partitions(plan, partitions or 1, block_rows)
        results = [fn(*shared, p) for p in parts]
        if progress is not None:
            for p in parts:
                progress(p.table, p.stop, plan.table(p.table).count)
    else:
        with cluster_client(cluster) as client:
            data = first_pass(client, plan)
            fn, shared = (_parquet, (plan, data, str(output_dir))) if output_dir is not None else (_frame, (plan, data))
            parts = plan_partitions(plan, partitions or default_partitions(client), block_rows)
            results = run_tasks(client, fn, [Task(p.table, p.index, p.of, p.start, p.stop, (p,)) for p in parts],
                                progress, shared=shared)
    if output_dir is not None:
        return {name: dirs[name] for name in names}
    frames: dict[str, list[pd.DataFrame]] = {name: [] for name in names}
    for part, frame in zip(parts, results):
        if part.table in frames:
            frames[part.table].append(frame)
    return {name: pd.concat(frames[name], ignore_index=True) if frames[name] else generate_partition(plan, name, 0, 0)
            for name in names}
