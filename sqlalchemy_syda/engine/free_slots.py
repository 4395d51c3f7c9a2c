"""New UNIQUE values next to rows already in the table: the permutation slots no row uses.

A UNIQUE column gives new row *k* the value at slot *k* of a keyed permutation of its domain, so the new
rows ``offset .. total - 1`` never repeat each other. Rows already in the table may hold any value of the
domain (another seed, another program). The new rows whose value is already there are found once, over
the whole run, and take the slots no new row uses, in row order: those past ``total`` first, then those
below ``offset``; a slot whose value is taken too is skipped. Each slot serves one row at most, so the
redrawn rows never repeat each other, the whole domain less the values already there is available, and
which value a row gets does not depend on the chunk size::

    >>> import sqlalchemy as sa
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.planner import plan_seed
    >>> from sqlalchemy_syda.run import RunData, engines_for
    >>> t = sa.Table("tickets", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
    ...              sa.Column("code", sa.Integer, sa.CheckConstraint("code BETWEEN 1 AND 60"), unique=True,
    ...                        nullable=False))
    >>> plan = plan_seed(table_specs([t]), {"tickets": 40}, existing={"tickets": 20})
    >>> taken = {"code": set(range(1, 21))}             # the 20 rows there hold codes 1..20
    >>> codes = engines_for(plan, RunData(taken={"tickets": taken}))["tickets"].batch(0, 40)["code"]
    >>> len(set(codes.tolist())), bool(set(codes.tolist()) & taken["code"])   # every code still free
    (40, False)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..exceptions import ConstraintUnsatisfiableError
from ..generators.base import GenContext, Unique
from ..streams import KeyedPermutation

__all__ = ["FreeSlots", "SCAN_CHUNK"]

SCAN_CHUNK = 65_536
"""New rows computed at a time when looking for the ones whose value is taken."""


class FreeSlots:
    """Values for the new rows of one UNIQUE column whose own value the table already holds.

    ``column(rows)`` computes the column (and what it depends on) for new rows as the run writes them
    before repairs; ``ctx(columns)`` is the column's generator context over a row's other values;
    ``fits(values)`` says which values the column can store unchanged; ``limited``: a string column with a
    length limit (its too-long values were drawn again at other slots).
    """

    def __init__(self, table: str, name: str, gen: Unique, taken: set, offset: int, total: int,
                 column: Callable[[np.ndarray], dict[str, np.ndarray]],
                 ctx: Callable[[dict[str, np.ndarray]], GenContext],
                 fits: Callable[[np.ndarray], np.ndarray], limited: bool) -> None:
        self.table, self.name, self.gen, self.taken = table, name, gen, taken
        self.limited = limited
        self.offset, self.total = offset, total
        self._column, self._ctx, self._fits = column, ctx, fits
        self._rows: np.ndarray | None = None
        self._values: np.ndarray | None = None
        self._enough: bool | None = None

    def values(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mask of ``rows`` whose value is taken, and their new values (in the mask's order)."""
        if self._rows is None:
            self._rows, self._values = self._assign()
        pos = np.searchsorted(self._rows, rows)
        hit = pos < len(self._rows)
        hit[hit] = self._rows[pos[hit]] == rows[hit]
        return hit, self._values[pos[hit]]

    def cannot_run_out(self) -> bool:
        """True when the free slots are sure to be enough, so a dry run need not look for colliding rows.

        The rows already there hold at most ``offset`` distinct values, at no more than ``offset`` slots of
        the permutation; say ``c`` of them are also new rows' values. Then at most ``offset - c`` free slots
        hold a taken value, so ``offset`` free slots whose values fit the column always leave the ``c``
        colliding rows a value each. Without a length limit every slot fits (a domain of ``total`` values is
        enough); with one, the free slots are read in order until ``offset`` fit, which costs what the rows
        already there cost, never the rows to add. Values that depend on a row's other columns (a product
        name in its category's style) are read here without a row, and two rows' values may meet across
        styles (the assignment then moves one on): for those twice as many fitting slots are asked for, a margin
        rather than a proof (the seed itself still runs the exact assignment and raises if it runs out).
        Anything short of that leaves the dry run to the exact assignment.
        """
        if self._enough is None:
            self._enough = self._enough_free()
        return self._enough

    def _enough_free(self) -> bool:
        need = self.offset * (2 if getattr(self.gen.inner, "depends_on", None) else 1)
        ctx = self._ctx({})
        size = self.gen.inner.domain(ctx)
        if size is None:
            return False
        ranges = self._ranges(size)
        free = sum(b - a for a, b in ranges)
        if free < need:
            return False
        if not self.limited and need == self.offset:
            return True
        perm = KeyedPermutation(size, ctx.stream.child("unique"))
        fitting, cursor, budget = 0, 0, min(free, 10 * need + SCAN_CHUNK)
        while cursor < budget:
            slots = _take(ranges, cursor, min(SCAN_CHUNK, budget - cursor))
            cursor += len(slots)
            fitting += int(self._fits(self.gen.inner.at(ctx, perm(slots))).sum())
            if fitting >= need:
                return True
        return False

    # --- the assignment, once per run ---------------------------------------------------------------
    def _colliding(self) -> tuple[np.ndarray, dict[str, list[np.ndarray]]]:
        """The new rows whose value is taken (row order) and their other columns (the new value's context)."""
        found: list[np.ndarray] = []
        context: dict[str, list[np.ndarray]] = {}
        for start in range(self.offset, self.total, SCAN_CHUNK):
            rows = np.arange(start, min(start + SCAN_CHUNK, self.total), dtype=np.int64)
            values = self._column(rows)
            hit = _member(values[self.name], self.taken)
            if hit.any():
                found.append(rows[hit])
                for key, column in values.items():
                    context.setdefault(key, []).append(column[hit])
        if not found:
            return np.zeros(0, dtype=np.int64), {}
        return np.concatenate(found), {k: np.concatenate([np.asarray(c, dtype=object) for c in v])
                                       for k, v in context.items()}

    def _assign(self) -> tuple[np.ndarray, np.ndarray]:
        rows, context = self._colliding()
        out = np.empty(len(rows), dtype=object)
        if not len(rows):
            return rows, out
        size = self.gen.inner.domain(self._ctx({}))
        perm = KeyedPermutation(size, self._ctx({}).stream.child("unique"))
        ranges = self._ranges(size)
        todo, cursor, chosen = np.arange(len(rows)), 0, set()
        while len(todo):
            take = _take(ranges, cursor, len(todo))
            if len(take) < len(todo):
                raise ConstraintUnsatisfiableError(
                    f"UNIQUE on '{self.table}.{self.name}': {self.offset:,} rows already in the table and "
                    f"{self.total - self.offset:,} new rows need more than the {size:,} distinct values of "
                    f"{self.gen.inner!r}. Lower the row count, widen the column or clear the table.")
            cursor += len(todo)
            fresh = self.gen.inner.at(self._ctx({k: v[todo] for k, v in context.items()}), perm(take))
            ok = ~_member(fresh, self.taken) & self._fits(fresh)
            for i in np.flatnonzero(ok).tolist():
                if fresh[i] in chosen:  # values that depend on the row's other columns may meet
                    ok[i] = False
                else:
                    chosen.add(fresh[i])
            out[todo[ok]] = fresh[ok]
            todo = todo[~ok]
        return rows, out

    def _ranges(self, size: int) -> list[tuple[int, int]]:
        """The slots no new row takes, in the order they are handed out: past the new rows, then below them.

        A length-limited string column redraws its too-long values at slots ``k + r * total`` (r = 1..3, see
        :meth:`~.rows.RowEngine._fit_unique`), so those come last and only where no new row ``k`` exists."""
        total, offset = self.total, self.offset
        if not self.limited:
            spans = [(total, size), (0, offset)]
        else:
            spans = [(4 * total, size), (0, offset)] + [(r * total, r * total + offset) for r in (1, 2, 3)]
        return [(a, min(b, size)) for a, b in spans if min(b, size) > a]


def _take(ranges: list[tuple[int, int]], cursor: int, n: int) -> np.ndarray:
    """Slots ``cursor .. cursor + n - 1`` of the ranges laid end to end (fewer when they run out)."""
    out = []
    for start, stop in ranges:
        length = stop - start
        if cursor >= length:
            cursor -= length
            continue
        got = min(n, length - cursor)
        out.append(np.arange(start + cursor, start + cursor + got, dtype=np.int64))
        n -= got
        cursor = 0
        if not n:
            break
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def _member(values: np.ndarray, taken: set) -> np.ndarray:
    if hasattr(taken, "mask"):  # a TakenLookup: asked of the database in batches, not value by value
        return taken.mask(np.asarray(values, dtype=object))
    return np.fromiter(map(taken.__contains__, values.tolist()), dtype=bool, count=len(values))
