"""``generate()``: synthetic rows without a database, as pandas DataFrames.

The same run as ``seed()`` (request -> plan with recipes -> execute), into the DataFrame sink of
:mod:`.run`. Foreign keys point at the generated parents; cardinalities and derived counts work as
in a seed; ``dry_run=True`` returns the plan instead of data::

    >>> from examples.crm_models import Customer, Order
    >>> df = generate(Customer, 1000, seed=42)                  # one pandas DataFrame
    >>> frames = generate([Customer, Order], {Customer: 10, Order: 30}, seed=42)
    >>> set(frames["orders"].customer_id) <= set(frames["customers"].id)
    True
    >>> frames = generate([Customer, Order], {Customer: 10}, cardinality={Order.customer_id: 3})
    >>> len(frames["orders"])
    30

A NOT NULL foreign key cycle is fine here (the frames hold the final keys); the plan's
``deferred_constraints`` name the foreign keys whose checks an insert of the frames must defer.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .frames_run import generate_with
from .generators.pools import DEFAULT_LOCALE
from .options import SeedOptions
from .plan import SeedPlan
from .plan_size import MAX_ROWS
from .run import DEFAULT_CHUNK, to_frame

__all__ = ["DEFAULT_CHUNK", "generate", "generate_with", "to_frame"]


def generate(models: Any, counts: int | Mapping[Any, int | None] | None = None, *, seed: int | None = 0,
             locale: str = DEFAULT_LOCALE, overrides: Mapping[Any, Any] | None = None,
             chunk_size: int = DEFAULT_CHUNK, rows: int | None = None, llm: Any = None,
             cardinality: Mapping[Any, Any] | None = None, dry_run: bool = False, profile: Any = None,
             scale: float = 1.0, max_rows: int | None = MAX_ROWS, relations: Any = None,
             cluster: Any = None, partitions: int | None = None, output_dir: str | Path | None = None,
             format: str = "parquet") -> pd.DataFrame | dict[str, pd.DataFrame] | SeedPlan | Path | dict[str, Path]:
    """Synthetic rows without a database.

    :param models: a mapped class, ``Table``, dict schema or :class:`TableSpec` -> one DataFrame;
        a list of them -> ``{table name: DataFrame}`` with foreign keys pointing at generated parents.
    :param counts: rows per table: an int for all, or ``{Model | Table | "name": n}``; a table left out
        takes ``rows`` or, with a fixed/range/Poisson ``cardinality`` on one of its foreign keys, the
        count that cardinality derives.
    :param seed: same seed, same data (whatever the chunk size).
    :param overrides: ``{column: value}`` for one model, or ``{Model: {column: value}}`` / ``{Model.col:
        value}`` for several; a value is a generator name, a Generator, a constant or a callable.
    :param cardinality: children per parent, as in :func:`~sqlalchemy_syda.seed`.
    :param llm: the optional LLM (an :class:`~.llm.LLM`, an ``LLMConfig``, ``"env"``, ...): it writes the
        text-like columns, which enter as overrides (user overrides win); keys and FKs stay the engine's.
    :param dry_run: return the :class:`~.plan.SeedPlan` (order, counts, recipes) instead of data.
    :param profile: a :class:`~.learn.Profile` learned from real data: values and fan-outs of its tables with
        the same names (``counts=None``: their learned sizes times ``scale``); overrides win.
    :param max_rows: rows per table accepted without confirmation, as in :func:`~sqlalchemy_syda.seed`; the
        frames must also fit in this machine's memory (a ``PlanError`` says so before anything is generated).
    :param cluster: run the rows as partitions on a Dask cluster: a ``distributed.Client``, a cluster object, a
        scheduler address (``"tcp://host:8786"``) or ``"local:N"`` (see :mod:`.scale`); the rows are the same.
    :param partitions: cut every table into at most this many partitions of whole row blocks (default: one in
        this process, two per worker thread on a cluster); the rows do not depend on it.
    :param output_dir: write Parquet instead of returning frames: a directory per table, one file per partition;
        returns the directory (``{table: directory}`` for several models).
    :param format: the file format with ``output_dir``; only ``"parquet"``.
    """
    if profile is not None:  # a path is loaded here: SeedOptions and the layers below take a Profile
        from .learn.profile import as_profile

        profile = as_profile(profile)
    options = SeedOptions.build(seed=seed, locale=locale, overrides=overrides, chunk_size=chunk_size, rows=rows,
                                llm=llm, cardinality=cardinality, dry_run=dry_run, profile=profile, scale=scale,
                                max_rows=max_rows, relations=relations)
    partitioned = None
    if cluster is not None or partitions is not None or output_dir is not None:
        partitioned = {"cluster": cluster, "partitions": partitions, "output_dir": output_dir, "fmt": format}
    return generate_with(models, counts, options, partitioned)
