"""UNIQUE values already in a table, asked of the database for the new values only.

New rows must not repeat a UNIQUE value the table already holds. Loading every value of the table into
Python costs what the table costs (a 2M-row table: gigabytes, tens of seconds, to add 1,000 rows), so
instead the values the engine draws are sent to the database in batches (``WHERE col IN (...)``, on the
index the UNIQUE constraint has) and only those it already holds come back. Memory and time follow the
rows added, not the rows there.

The row engine decides row by row and in a background thread while the writer holds the connection,
so :func:`~.run_request.settle_taken` asks first: before writing, it runs the tables' engines once over their rows
(generation only), which asks the database about every value they draw, first draws and redraws alike,
and keeps the answers. Generation is deterministic, so the engines that then write draw exactly the
same values and find their answers in that small set; the lookup never queries once settled::

    >>> import sqlalchemy as sa
    >>> from sqlalchemy_syda.introspect import table_spec
    >>> import numpy as np
    >>> tags = sa.Table("tags", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
    ...                 sa.Column("name", sa.String(20), unique=True))
    >>> with engine.begin() as conn:
    ...     tags.create(conn)
    ...     _ = conn.execute(tags.insert(), [{"name": "red"}, {"name": "blue"}])
    ...     lookup = TakenLookup(conn, table_spec(tags), "name")
    ...     lookup.mask(np.array(["red", "green"], dtype=object)).tolist()
    [True, False]
    >>> lookup.settle(); sorted(lookup.found)
    ['red']

MariaDB / MySQL compare text by collation (case and trailing spaces often do not count); a drawn
value then counts as taken when the database matched it ignoring case and trailing spaces.
"""

from __future__ import annotations

import threading

import numpy as np
import sqlalchemy as sa

from .dialects.base import sa_table
from .specs import TableSpec

__all__ = ["TakenLookup"]

_BATCH = 5_000
"""Values per ``IN (...)`` query."""


class TakenLookup:
    """Which values of one UNIQUE column the table already holds, asked of the database (see the module)."""

    def __init__(self, conn: sa.Connection, spec: TableSpec, column: str) -> None:
        self._conn, self._spec, self._column = conn, spec, column
        self._thread = threading.get_ident()
        self.found: set = set()
        """The drawn values (as the engine holds them) the table already has."""
        self.settled = False
        self.asked = 0
        """How many values were sent to the database."""

    def __bool__(self) -> bool:
        return True

    def __contains__(self, value: object) -> bool:
        return bool(self.mask(np.array([value], dtype=object))[0])

    def __reduce__(self):  # a worker process gets the answers, never the connection
        if not self.settled:
            raise RuntimeError("A TakenLookup goes to worker processes only once settled (settle_taken).")
        return (set, (list(self.found),))

    def settle(self) -> None:
        """From now on answer from :attr:`found` only, without asking the database."""
        self.settled = True
        self._conn = None

    def mask(self, values: np.ndarray) -> np.ndarray:
        """Per value, whether the table holds it already."""
        plain = values.tolist()
        if self.settled:
            return np.fromiter(map(self.found.__contains__, plain), dtype=bool, count=len(plain))
        if threading.get_ident() != self._thread:
            raise RuntimeError("TakenLookup asked from another thread before settle_taken(); the seed's connection "
                               "is busy writing there.")
        from .writers.executemany import python_values

        cells = python_values(self._spec.column(self._column), values)
        fold = self._fold()
        wanted = sorted({c for c in cells if c is not None}, key=repr)
        held: set = set()
        column = sa_table(self._spec).c[self._column]
        for start in range(0, len(wanted), _BATCH):
            part = wanted[start:start + _BATCH]
            self.asked += len(part)
            held.update(fold(v) for v in self._conn.execute(sa.select(column).where(column.in_(part))).scalars())
        hit = np.fromiter((c is not None and fold(c) in held for c in cells), dtype=bool, count=len(cells))
        self.found.update(p for p, h in zip(plain, hit) if h)
        return hit

    def _fold(self):
        kind = self._spec.column(self._column).kind
        if kind == "uuid":
            return str
        if kind == "decimal":  # Decimal('16.6') read back never equals the float 16.6 drawn
            return lambda v: float(v) if v is not None else v
        if self._conn.dialect.name in ("mysql", "mariadb"):
            return lambda v: v.rstrip(" ").casefold() if isinstance(v, str) else v
        return lambda v: v
