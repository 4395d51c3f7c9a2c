"""The run into DataFrames: a request resolved against the schema alone, planned, and executed into frames.

:func:`generate_with` is what :func:`~.generate.generate` runs once its options are validated (and what
``Profile.sample`` runs, which is why it lives below ``generate()``: it takes a :class:`~.options.SeedOptions`
whose ``profile`` is already loaded, and imports nothing of :mod:`.learn`)::

    >>> frames = generate_with([Customer, Order], {Customer: 5, Order: 12}, SeedOptions(seed=42))
    >>> len(frames["orders"]), set(frames["orders"].customer_id) <= set(frames["customers"].id)
    (12, True)
    >>> generate_with(Customer, 3, SeedOptions(dry_run=True)).counts
    {'customers': 3}
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .options import SeedOptions
from .plan import SeedPlan
from .plan_size import check_memory
from .run import DEFAULT_CHUNK

__all__ = ["DEFAULT_CHUNK", "generate_with"]


def generate_with(models: Any, counts: Any, options: SeedOptions, partitioned: Mapping[str, Any] | None = None
                  ) -> pd.DataFrame | dict[str, pd.DataFrame] | SeedPlan | Path | dict[str, Path]:
    """:func:`~.generate.generate` with its options already validated (``partitioned``: the partition options of
    ``generate(cluster=, partitions=, output_dir=, format=)``, see :mod:`.scale.cluster_generate`)."""
    from .planner import plan_run
    from .run import engines_for, into_frames, with_llm
    from .run_request import frames_request

    single = not isinstance(models, (list, tuple))
    request = frames_request(models, counts, options)
    plan = plan_run(request, options)
    if options.llm is not None and not options.dry_run:
        plan = with_llm(plan, request, options)
    if options.dry_run:
        return plan
    names = [s.fullname for s in request.specs]
    if partitioned is None or partitioned.get("output_dir") is None:  # Parquet files: memory stays bounded
        check_memory(plan)
    if partitioned is not None:
        from .scale.cluster_generate import generate_partitioned

        out = generate_partitioned(plan, names, **partitioned)
        return out[names[0]] if single and len(names) == 1 else out
    frames = into_frames(plan, engines_for(plan), options.chunk_size)
    if single and len(names) == 1:
        return frames[names[0]]
    return {name: frames[name] for name in names}
