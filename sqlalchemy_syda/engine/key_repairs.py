"""Foreign keys moved to meet a CHECK that relates them: set to NULL, swapped, or pointed at other parents.

A CHECK over foreign key columns alone (``parent_id <> reference_id`` over two keys to one table,
``tag1 < tag2``, exactly one of two nullable keys, ``NOT (user_id IS NOT NULL AND team_id IS NOT NULL)``)
cannot be met by drawing the table's other columns again. For the rows that fail it, :class:`KeyRepairs`
tries in turn: NULL in as few of the check's nullable keys as it allows, when the check speaks of NULLs (patterns
of one size in an order drawn from the row number, so ``exactly one of a, b`` gives each side about half the
rows); the values of two keys that point at the same parent columns swapped; and else a fresh choice of the
row's parents (the next attempt of their streams). A row's repair reads that row alone::

    >>> import sqlalchemy as sa
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.planner import plan_seed
    >>> from sqlalchemy_syda.run import engines_for
    >>> md = sa.MetaData()
    >>> tags = sa.Table("tags", md, sa.Column("id", sa.Integer, primary_key=True))
    >>> pairs = sa.Table("pairs", md, sa.Column("id", sa.Integer, primary_key=True),
    ...                  sa.Column("tag1", sa.ForeignKey("tags.id"), nullable=False),
    ...                  sa.Column("tag2", sa.ForeignKey("tags.id"), nullable=False),
    ...                  sa.CheckConstraint("tag1 < tag2"))
    >>> batch = engines_for(plan_seed(table_specs([tags, pairs]), {"tags": 10, "pairs": 200}))["pairs"].batch(0, 200)
    >>> bool((batch["tag1"] < batch["tag2"]).all())
    True
"""

from __future__ import annotations

import itertools

import numpy as np

from ..checks import UnsupportedCheckError, evaluate_check
from ..recipe import ForeignKeyRecipe, TableRecipe
from ..streams import Stream

__all__ = ["KeyRepairs", "movable_keys"]

MAX_NULLABLE = 4
"""Nullable keys of one check whose NULL patterns are tried (2**4 patterns)."""


def movable_keys(recipe: TableRecipe) -> dict[str, ForeignKeyRecipe]:
    """Column -> FK recipe of the keys a CHECK may move: drawn freely for each row (not one-to-one, not from a
    cardinality, not a member of a joint UNIQUE, not the user's values)."""
    joint = {c for j in recipe.joints for c in j.columns}
    out = {}
    for fkr in recipe.foreign_keys:
        if fkr.kind == "override" or fkr.one_to_one or fkr.cardinality is not None or fkr.distinct \
                or set(fkr.columns) & joint:
            continue
        for col in fkr.columns:
            out[col] = fkr
    return out


class KeyRepairs:
    """NULLs and swaps that make failing rows pass a CHECK over foreign keys (see the module docstring)."""

    def __init__(self, recipe: TableRecipe, stream: Stream) -> None:
        self.recipe, self.stream = recipe, stream.child("key repairs")
        self.keys = movable_keys(recipe)

    def groups(self, columns: set[str]) -> list[ForeignKeyRecipe]:
        """The movable foreign keys among ``columns``, each once, in the table's FK order."""
        found = {id(self.keys[c]): self.keys[c] for c in columns if c in self.keys}
        return [f for f in self.recipe.foreign_keys if id(f) in found]

    def settle(self, check, rows: np.ndarray, values: dict[str, np.ndarray], bad: np.ndarray,
               groups: list[ForeignKeyRecipe], *, nulls: bool) -> set[str]:
        """Make ``bad`` rows pass ``check`` with NULLs (``nulls``) and swaps where one does; the columns changed."""
        changed: set[str] = set()
        if nulls:
            changed |= self._nulls(check, rows, values, bad, groups)
        changed |= self._swaps(check, values, bad, groups)
        return changed

    def _passes(self, check, values: dict[str, np.ndarray]) -> np.ndarray | None:
        try:
            return evaluate_check(check, values, dialect=self.recipe.dialect)
        except UnsupportedCheckError:
            return None

    def _nulls(self, check, rows, values, bad, groups) -> set[str]:
        nullable = [g for g in groups if g.fk.nullable][:MAX_NULLABLE]
        if not nullable:
            return set()
        idx = np.flatnonzero(bad)
        patterns = [p for k in range(1, len(nullable) + 1) for p in itertools.combinations(range(len(nullable)), k)]
        ok = np.zeros((len(patterns), len(idx)), dtype=bool)
        sub = {k: v[idx] for k, v in values.items()}
        for i, pattern in enumerate(patterns):
            trial = dict(sub)
            for g in pattern:
                for col in nullable[g].columns:
                    trial[col] = np.full(len(idx), None, dtype=object)
            passed = self._passes(check, trial)
            if passed is not None:
                ok[i] = passed
        # as few NULLs as the check allows; among patterns of one size, an order drawn from the row number
        chosen = np.full(len(idx), -1, dtype=np.int64)
        for size in range(1, len(nullable) + 1):
            same = np.array([i for i, p in enumerate(patterns) if len(p) == size], dtype=np.int64)
            start = self.stream.child("nulls", size).integers(rows[idx], 0, len(same))
            for step in range(len(same)):
                pick = same[(start + step) % len(same)]
                take = (chosen < 0) & ok[pick, np.arange(len(idx))]
                chosen[take] = pick[take]
        changed: set[str] = set()
        for i, pattern in enumerate(patterns):
            where = idx[chosen == i]
            if not len(where):
                continue
            for g in pattern:
                for col in nullable[g].columns:
                    if values[col].dtype != object:
                        values[col] = values[col].astype(object)
                    values[col][where] = None
                    changed.add(col)
        bad[idx[chosen >= 0]] = False
        return changed

    def _swaps(self, check, values, bad, groups) -> set[str]:
        changed: set[str] = set()
        for a, b in itertools.combinations(groups, 2):
            if a.fk.ref_table != b.fk.ref_table or a.fk.ref_columns != b.fk.ref_columns or \
                    a.fk.nullable != b.fk.nullable or not bad.any():
                continue
            idx = np.flatnonzero(bad)
            trial = {k: v[idx] for k, v in values.items()}
            for x, y in zip(a.columns, b.columns):
                trial[x], trial[y] = trial[y], trial[x]
            passed = self._passes(check, trial)
            if passed is None or not passed.any():
                continue
            where = idx[passed]
            for x, y in zip(a.columns, b.columns):
                values[x][where], values[y][where] = values[y][where].copy(), values[x][where].copy()
                changed |= {x, y}
            bad[where] = False
        return changed
