"""Beyond one process: a seed cut into block-aligned partitions that any process or machine generates.

:mod:`.partitions` holds the pure partition functions (plan + table + row range -> rows), :mod:`.parquet`
and :mod:`.staging` the two sinks a partition writes into (a Parquet file; a PostgreSQL staging table,
published in one transaction), :mod:`.cluster` the Dask client and futures, and :mod:`.cluster_run` the
entry points behind ``seed(..., cluster=)`` and ``generate(..., cluster=)``::

    >>> from sqlalchemy_syda.scale import partitions
    >>> partitions.partition_ranges(120_000, 7)          # whole blocks of BLOCK_ROWS rows
    [(0, 50000), (50000, 100000), (100000, 120000)]

Dask (``pip install 'sqlalchemy-syda[dask]'``) is imported only when a cluster is used.
"""
