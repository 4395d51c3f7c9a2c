"""The writer protocol, and what the writers share (prepared batches, NULL masks, dates as text).

A writer takes batches (column name -> numpy array, as :mod:`..generate`
produces) and puts them into a table on an open SQLAlchemy ``Connection``,
inside whatever transaction that connection is in. :class:`Writer` declares
everything ``seed()`` calls on one: ``prepare`` (in the generation thread),
``write``, ``last_batch`` (for the error message) and ``preview`` (the dry run)::

    >>> import numpy as np
    >>> null_mask(np.array([1.5, np.nan]))
    array([False,  True])
    >>> iso_dates(np.array(["2024-02-29", "NaT"], dtype="datetime64[D]"))
    ['2024-02-29', None]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from ..plan import SeedPlan
    from ..specs import TableSpec

__all__ = ["Prepared", "Writer", "iso_dates", "null_mask", "prepared_parts", "with_none"]


class Writer(Protocol):
    """Writes a stream of batches into one table; everything ``seed()`` asks of a writer.

    ``last_batch`` is the batch being written when an error occurred (for the error message).
    """

    last_batch: Mapping[str, np.ndarray] | None

    def prepare(self, conn: Connection, table: TableSpec,
                batch: Mapping[str, np.ndarray]) -> Prepared | Mapping[str, np.ndarray]:
        """What can be done to a batch ahead of ``write``, in the generation thread (thread-safe: it may read
        only the dialect); a writer with nothing to prepare returns the batch as it is."""
        ...

    def write(self, conn: Connection, table: TableSpec,
              batches: Iterable[Mapping[str, np.ndarray] | Prepared]) -> int:
        """Write the batches (bare, or as ``prepare`` returned them) into ``table``; the number of rows."""
        ...

    def preview(self, conn: Connection, plan: SeedPlan) -> list[str]:
        """The statement that would write each table of ``plan``, one per table in plan order (the dry run)."""
        ...


@dataclass(frozen=True)
class Prepared:
    """A batch and what a writer made of it ahead of time (``writer.prepare``), in the generation thread.

    Writers that have a ``prepare(conn, table, batch)`` method receive these instead of bare batches, so
    the work that needs the GIL (formatting, Python objects) overlaps the database's own work.
    """

    batch: Mapping[str, np.ndarray]
    payload: Any


def prepared_parts(item: Mapping[str, np.ndarray] | Prepared, prepare) -> tuple[Mapping[str, np.ndarray], Any]:
    """(batch, payload) of a batch that was prepared ahead, or of a bare one (prepared now)."""
    if isinstance(item, Prepared):
        return item.batch, item.payload
    return item, prepare(item)


def null_mask(values: np.ndarray) -> np.ndarray:
    """True where a cell is NULL (None, NaN or NaT)."""
    if values.dtype == object:
        import pandas as pd

        return np.asarray(pd.isna(values), dtype=bool)
    if values.dtype.kind == "f":
        return np.isnan(values)
    if values.dtype.kind in "mM":
        return np.isnat(values)
    return np.zeros(len(values), dtype=bool)


def iso_dates(days: np.ndarray) -> list:
    """``datetime64[D]`` as ``YYYY-MM-DD`` strings (None for NaT).

    Each day in the column's range is formatted once and looked up by row: dates cluster, so the range is
    usually far shorter than the column.
    """
    nulls = np.isnat(days)
    ordinals = days.view(np.int64)
    present = ordinals[~nulls] if nulls.any() else ordinals
    if not len(present):
        return [None] * len(days)
    low, high = int(present.min()), int(present.max())
    if high - low >= len(days):
        return with_none(np.datetime_as_string(days, unit="D"), nulls)
    table = np.datetime_as_string(np.arange(low, high + 1).astype("datetime64[D]"), unit="D").astype(object)
    return with_none(table[np.where(nulls, low, ordinals) - low], nulls)


def with_none(cells: np.ndarray, nulls: np.ndarray) -> list:
    """``cells.tolist()`` with None where ``nulls`` is set (set in an object array, not cell by cell)."""
    if not nulls.any():
        return cells.tolist()
    out = cells.astype(object)
    out[nulls] = None
    return out.tolist()

