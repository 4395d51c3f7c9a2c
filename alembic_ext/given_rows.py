"""Rows given in a migration (``op.seed_rows``) merged into generated batches.

A given row names some columns; the generator fills the rest. Batches are column arrays (what the
row engine produces), so merging replaces cells in place::

    >>> from sqlalchemy_syda.introspect import table_spec
    >>> given = GivenRows(table_spec(Contact), [{"email": "admin@example.com"},
    ...                                         {"email": "ops@example.com", "position": "Operations"}])
    >>> batch = {"email": np.array(["rita@a.test", "glenn@b.test", "tracy@c.test"], dtype=object),
    ...          "position": np.array(["CTO", "Buyer", "CFO"], dtype=object)}
    >>> merged = given.apply(batch, start=0)
    >>> merged["email"].tolist(), merged["position"].tolist()
    (['admin@example.com', 'ops@example.com', 'tracy@c.test'], ['CTO', 'Operations', 'CFO'])
    >>> GivenRows(table_spec(Contact), [{"mail": "admin@example.com"}])
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.SchemaError: op.seed_rows('contacts'): the table has no column 'mail'; its
    columns are id, customer_id, first_name, last_name, email, phone, position, is_primary.

Online, :class:`GivenRowsWriter` does the same to the batches ``seed()`` writes, so keys, sequences
and every constraint are handled by the one pipeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["GivenRows", "GivenRowsWriter"]


class GivenRows:
    """Values given for some cells of the first ``len(rows)`` rows of one table."""

    def __init__(self, spec: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        from sqlalchemy_syda.exceptions import SchemaError

        self.spec = spec
        self.rows = list(rows)
        names: dict[str, str] = {}
        for row in self.rows:
            for key in row:
                if not spec.has_column(key):
                    raise SchemaError(f"op.seed_rows({spec.fullname!r}): the table has no column {key!r}; its "
                                      f"columns are {', '.join(spec.column_names)}.")
                names[key] = spec.column(key).name
        self.columns = sorted(set(names.values()), key=spec.column_names.index)
        self._keys = names

    def apply(self, batch: Mapping[str, np.ndarray], start: int) -> dict[str, np.ndarray]:
        """``batch`` (rows ``start``.. of the table) with the given cells put in."""
        from sqlalchemy_syda.exceptions import SchemaError

        out = dict(batch)
        n = len(next(iter(batch.values()))) if batch else 0
        stop = min(start + n, len(self.rows))
        if start >= stop:
            return out
        for column in self.columns:
            present = [i for i in range(start, stop) if any(self._keys[k] == column for k in self.rows[i])]
            if not present:
                continue
            if column not in out:  # left to the database (server default, identity): all rows or none
                if len(present) != stop - start:
                    raise SchemaError(
                        f"op.seed_rows({self.spec.fullname!r}): column {column!r} is filled by the database; "
                        "give it in every row or in none.")
                out[column] = np.empty(n, dtype=object)
            cells = out[column].astype(object)
            for i in present:
                cells[i - start] = next(v for k, v in self.rows[i].items() if self._keys[k] == column)
            out[column] = cells
        return out


class GivenRowsWriter:
    """A :class:`sqlalchemy_syda.writers.base.Writer` that puts given cells into one table's batches."""

    def __init__(self, inner: Any, given: GivenRows) -> None:
        self.inner, self.given = inner, given

    @property
    def last_batch(self) -> Mapping[str, np.ndarray] | None:
        return self.inner.last_batch

    def prepare(self, conn: Any, table: Any, batch: Mapping[str, np.ndarray]) -> Mapping[str, np.ndarray]:
        """Nothing ahead of time: the given cells go in by row number, in :meth:`write`."""
        return batch

    def preview(self, conn: Any, plan: Any) -> list[str]:
        return self.inner.preview(conn, plan)

    def write(self, conn: Any, table: Any, batches: Iterable[Mapping[str, np.ndarray]]) -> int:
        if table.fullname != self.given.spec.fullname:
            return self.inner.write(conn, table, batches)
        return self.inner.write(conn, table, self._patched(batches))

    def _patched(self, batches: Iterable[Mapping[str, np.ndarray]]) -> Iterator[dict[str, np.ndarray]]:
        start = 0
        for batch in batches:
            yield self.given.apply(batch, start)
            start += len(next(iter(batch.values()))) if batch else 0
