"""Columns of the rows a table has written, kept in memory for the children that read them.

A child whose values follow its parent's (an order placed after its customer signed up, an item's price
the product's) asks the parent engine for those columns at its parent rows. Rows are a function of their
number, so the engine could compute them again; for tables of up to a million rows it keeps the columns
asked for as the rows are written instead, and answers from memory once the rows asked for are there::

    >>> import numpy as np
    >>> kept = KeptColumns(count=4)
    >>> kept.want("created_at")
    >>> kept.store(0, 2, {"created_at": np.array([10, 11]), "name": np.array(["a", "b"])})
    >>> kept.get(["created_at"], np.array([1, 0]))
    [array([11, 10])]
    >>> kept.get(["created_at"], np.array([3])) is None      # row 3 is not written yet: compute it
    True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["KEEP_AT_MOST", "KeptColumns"]

KEEP_AT_MOST = 1_000_000
"""Tables with more new rows keep nothing (their children compute the parent's values again)."""


class KeptColumns:
    """The kept columns of one table's ``count`` new rows (see the module docstring)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._columns: dict[str, np.ndarray | None] = {}
        self._written: np.ndarray | None = None

    def __bool__(self) -> bool:
        return bool(self._columns)

    def want(self, column: str) -> None:
        """Keep ``column`` from now on (nothing for tables of more than :data:`KEEP_AT_MOST` rows)."""
        if self.count <= KEEP_AT_MOST:
            self._columns.setdefault(column, None)

    def store(self, start: int, stop: int, values: Mapping[str, np.ndarray]) -> None:
        """Rows ``start`` .. ``stop - 1`` were written with ``values``."""
        if self._written is None:
            self._written = np.zeros(self.count, dtype=bool)
        for name, kept in self._columns.items():
            new = values[name]
            if kept is None:
                kept = self._columns[name] = np.empty(self.count, dtype=new.dtype)
            elif kept.dtype != new.dtype and kept.dtype != object:
                kept = self._columns[name] = kept.astype(object)
            kept[start:stop] = new
        self._written[start:stop] = True

    def get(self, columns: Sequence[str], index: np.ndarray) -> list[np.ndarray] | None:
        """``columns`` at new rows ``index`` as they were written; None unless all are kept and written."""
        if self._written is None or not all(self._columns.get(c) is not None for c in columns):
            return None
        index = np.asarray(index, dtype=np.int64)
        if not self._written[index].all():
            return None
        return [self._columns[c][index] for c in columns]  # type: ignore[index]
