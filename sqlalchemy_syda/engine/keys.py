"""Where foreign keys point: sources of parent keys, read by parent row index.

A child never needs its parent's rows in memory: it asks a :class:`KeySource` for the key columns of
parent rows ``index``. The parent's row engine is one (it computes the keys of any row on demand, with
the same repairs its written rows got); rows already in the database come as :class:`ArrayKeys`;
:class:`CombinedKeys` puts the existing rows before the new ones; :class:`VirtualKeys` stands for a
table outside the run whose keys are 1..n::

    >>> keys = CombinedKeys(ArrayKeys({"id": np.array([7, 9])}), VirtualKeys(3))
    >>> keys.count
    5
    >>> keys.key_values(["id"], np.array([0, 1, 2, 4]))
    [array([7, 9, 1, 3])]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

__all__ = ["ArrayKeys", "CombinedKeys", "KeySource", "VirtualKeys"]


class KeySource(Protocol):
    """``count`` parent rows whose key columns can be read by row index."""

    @property
    def count(self) -> int: ...

    def key_values(self, columns: Sequence[str], index: np.ndarray) -> list[np.ndarray]: ...


@dataclass
class ArrayKeys:
    """Parent keys given as arrays (rows already in a database, or rendered earlier)."""

    columns: dict[str, np.ndarray]

    @property
    def count(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def key_values(self, columns: Sequence[str], index: np.ndarray) -> list[np.ndarray]:
        return [np.asarray(self.columns[c])[index] for c in columns]


class CombinedKeys:
    """Existing rows first, then the new rows of this run."""

    def __init__(self, old: ArrayKeys, new: KeySource) -> None:
        self.old, self.new = old, new

    @property
    def count(self) -> int:
        return self.old.count + self.new.count

    def key_values(self, columns: Sequence[str], index: np.ndarray) -> list[np.ndarray]:
        index = np.asarray(index)
        is_old = index < self.old.count
        if is_old.all():
            return self.old.key_values(columns, index)
        new = self.new.key_values(columns, np.where(is_old, 0, index - self.old.count))
        if not is_old.any():
            return new
        old = self.old.key_values(columns, np.where(is_old, index, 0))
        return [np.where(is_old, o, n) for o, n in zip(old, new)]


class VirtualKeys:
    """A parent table outside the run: keys 1..n (integer) of a table known only by name."""

    def __init__(self, count: int) -> None:
        self._count = int(count)

    @property
    def count(self) -> int:
        return self._count

    def key_values(self, columns: Sequence[str], index: np.ndarray) -> list[np.ndarray]:
        return [np.asarray(index, dtype=np.int64) + 1 for _ in columns]
