"""``learn(source)``: one entry point for every kind of real data.

A source is a pandas DataFrame, a CSV / Parquet / Excel file (a path), or -- for several tables at
once -- a dict of DataFrames (with their foreign keys) or a live database (an Engine or Connection:
every table, or ``tables=``, with the keys the schema declares). The result is a
:class:`~.profile.Profile`::

    >>> profile = learn(penguins)                    # one table, named "data"
    >>> [t.name for t in profile.tables], profile.source
    (['data'], {'kind': 'dataframe', 'rows_read': 344})
    >>> profile = learn(penguins, name="penguins", rare=10, stratify="species")
    >>> profile.tables[0].copula["stratify"], len(profile.sample(1000, seed=1))
    ('species', 1000)
    >>> penguins.to_csv(tmp / "penguins.csv", index=False)
    >>> learn(tmp / "penguins.csv").source          # a file: read with pandas
    {'kind': 'file', 'format': 'csv', 'rows_read': 344, 'name': 'penguins.csv'}

Several tables, from a live database or from frames with their foreign keys::

    >>> from sqlalchemy_syda import seed
    >>> _ = seed(engine, {Customer: 20, Order: 60}, seed=1)
    >>> profile = learn(engine, tables=["customers", "orders"])
    >>> profile.relationships[0].child, profile.relationships[0].parent, profile.source["method"]
    ('orders', 'customers', 'full read')
    >>> frames = profile.sample(seed=1)             # {table: DataFrame}, as many rows as were learned
    >>> {name: len(frame) for name, frame in frames.items()}
    {'customers': 20, 'orders': 60}
    >>> profile = learn({"customers": frames["customers"], "orders": frames["orders"]},
    ...                 foreign_keys=[("orders", "customer_id", "customers", "id")])
    >>> profile.relationships[0].columns
    ('customer_id',)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..exceptions import LearnError
from .frame import fit_frame
from .profile import Profile

__all__ = ["learn"]


def learn(source: Any, tables: Any = None, *, name: str | None = None, rare: int = 5, quantiles: int = 101,
          stratify: str | bool | None = "auto", foreign_keys: Any = (), primary_keys: Any = None,
          schema: str | None = None, sample_rows: int = 50_000, smoothing: float = 1.0) -> Profile:
    """Learn a :class:`Profile` from real data.

    :param source: a DataFrame, a path to a CSV, Parquet or Excel file, ``{table: DataFrame}`` or an
        Engine / Connection.
    :param tables: for a database: the tables to learn (default: all of them).
    :param foreign_keys: for a dict of frames: ``(child, column(s), parent, column(s))`` tuples.
    :param sample_rows: for a database: tables with more rows are profiled with SQL aggregates and a sample
        of about this many rows instead of being downloaded; the sample is seeded (TABLESAMPLE REPEATABLE (0)
        on PostgreSQL, a fixed-seed hash of the key elsewhere), so the same database gives the same profile.
    :param name: the table's name (default: ``data``, or the file's stem).
    :param rare: categories seen fewer times are never stored (privacy).
    :param quantiles: points per quantile sketch (more: closer marginals, a bigger profile).
    :param stratify: ``"auto"``, a categorical column to stratify the copula by, or ``False``.
    :param smoothing: the privacy/fidelity dial of small tables: the kernel width of number sketches as a
        multiple of Silverman's rule (default 1; 0: the plain quantiles; 1.5-2: synthetic rows farther from
        the real ones, marginals a little less close). Tables past about 2,000 rows are not smoothed.
    """
    options = {"rare": rare, "quantiles": quantiles, "stratify": stratify, "smoothing": smoothing}
    if isinstance(source, pd.DataFrame):
        table = fit_frame(source, name or "data", **options)
        return Profile((table,), source={"kind": "dataframe", "rows_read": len(source)}).canonical()
    if isinstance(source, dict):
        from .relations import learn_tables

        return learn_tables(source, foreign_keys, primary_keys, **options)
    import sqlalchemy as sa

    if isinstance(source, (sa.Engine, sa.Connection)):
        from .relations import learn_database

        return learn_database(source, [tables] if isinstance(tables, str) else tables, schema=schema,
                              sample_rows=sample_rows, **options)
    if isinstance(source, (str, Path)):
        from .files import read_table

        frame, info = read_table(source)
        table = fit_frame(frame, name or info["name"], **options)
        return Profile((table,), source={"kind": "file", "format": info["format"], "rows_read": len(frame),
                                         "name": Path(source).name}).canonical()
    raise LearnError(f"learn() cannot read a {type(source).__name__}: give it a pandas DataFrame, the path "
                     "of a CSV, Parquet or Excel file, a dict of DataFrames or an Engine / Connection.")
