"""Combinations of a joint UNIQUE that rows already in the table hold, and the ones still free.

A joint UNIQUE draws row ``k``'s combination from a keyed permutation of its members' domains (see
:mod:`.joint`). Next to rows already there, new row ``offset + j`` takes the j-th combination of that
permutation *not* in the table: the rows there are read over the UNIQUE's own columns, each combination
mapped back to its members' slots (a parent row; for a plain column the slot of its value; for a key that
holds only part of a foreign key the code of its values inside the UNIQUE), so the new rows never repeat
one, whatever the chunk size::

    >>> import sqlalchemy as sa
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.planner import plan_seed
    >>> from sqlalchemy_syda.run import RunData, engines_for
    >>> md = sa.MetaData()
    >>> a = sa.Table("a", md, sa.Column("id", sa.Integer, primary_key=True))
    >>> t = sa.Table("t", md, sa.Column("id", sa.Integer, primary_key=True),
    ...              sa.Column("a_id", sa.ForeignKey("a.id"), nullable=False),
    ...              sa.Column("code", sa.Integer, sa.CheckConstraint("code BETWEEN 1 AND 2"), nullable=False),
    ...              sa.UniqueConstraint("a_id", "code"))
    >>> plan = plan_seed(table_specs([a, t]), {"a": 3, "t": 4}, existing={"t": 2})
    >>> taken = {("a_id", "code"): {(1, 1), (2, 2)}}      # the 2 rows there
    >>> batch = engines_for(plan, RunData(taken={"t": taken}))["t"].batch(0, 4)
    >>> sorted(zip(batch["a_id"].tolist(), batch["code"].tolist()))
    [(1, 2), (2, 1), (3, 1), (3, 2)]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from ..exceptions import ConstraintUnsatisfiableError
from ..generators.base import GenContext
from ..recipe import JointUnique, TableRecipe
from ..specs import ColumnSpec
from ..streams import KeyedPermutation, Stream
from .parents import ParentKeys

__all__ = ["DENSE_JOINT", "TakenCombinations"]

DENSE_JOINT = 1 << 22
"""Joints of up to this many combinations draw from the free ones next to rows already there."""


class TakenCombinations:
    """The combinations rows already in the table hold, per joint UNIQUE of one recipe (see the module)."""

    def __init__(self, recipe: TableRecipe, parents: ParentKeys, stream: Stream,
                 ctx_for: Callable[[ColumnSpec, Mapping[str, np.ndarray]], GenContext],
                 fit: Callable[[ColumnSpec, np.ndarray], np.ndarray], taken: Mapping[tuple[str, ...], set]) -> None:
        self.recipe, self.parents, self.stream = recipe, parents, stream
        self._ctx_for, self._fit, self._taken = ctx_for, fit, taken
        self._free_cache: dict[tuple[str, ...], np.ndarray] = {}
        self._wired = recipe.wired
        self._generators = {c.name: c.generator for c in recipe.columns if c.generator is not None}

    def of(self, joint: JointUnique) -> tuple[tuple[str, ...], set]:
        """The columns the rows already there were read over (the UNIQUE's own, or the members' whole keys) and
        their combinations (empty: none)."""
        for key in (joint.columns, joint.unique):
            if key and self._taken.get(key):
                return key, self._taken[key]
        return joint.columns, set()

    def slots(self, joint: JointUnique, sizes: list[int],
                    partial: Mapping[int, tuple[np.ndarray, np.ndarray]] | None = None) -> np.ndarray | None:
        """Combinations not taken yet, in permutation order, for a joint with rows already there.

        New row ``offset + j`` takes the j-th free combination: distinct, never one already in the table
        (an association table topped up after its parents grew, a (customer, code) key appended to), and
        independent of the chunk size.
        """
        key, taken = self.of(joint)
        total = math.prod(sizes)
        if not taken or total > DENSE_JOINT:
            return None
        cache = self._free_cache
        if joint.columns not in cache:
            found = self._indices(joint, sizes, key, taken, partial)
            if found is None:
                return None
            index, known = found
            flat_taken = np.zeros(len(taken), dtype=np.int64)
            radix = 1
            for idx, size in zip(index, sizes):
                flat_taken += idx * radix
                radix *= size
            cache[joint.columns] = self._untaken(
                joint, KeyedPermutation(total, self.stream.child("joint", *joint.columns)), flat_taken[known], len(taken))
        return cache[joint.columns]


    def pairs(self, joint: JointUnique, sizes: list[int], pair: tuple[int, int, list],
                    radix: list[int]) -> np.ndarray | None:
        """:meth:`slots` for a pair: the combinations (unordered parent pair, other members) not taken yet,
        in the pair's permutation order; a pair already there in either order counts as taken."""
        key, taken = self.of(joint)
        total = math.prod(radix)
        if not taken or total > DENSE_JOINT or not all(m[0] in self._wired for m in joint.members):
            return None
        if joint.columns not in self._free_cache:
            p, q, _ = pair
            index, known = self._indices(joint, sizes, key, taken)
            i, j = np.minimum(index[p], index[q]), np.maximum(index[p], index[q])
            known &= i != j  # a parent paired with itself is no combination of the pair
            flat, scale = j * (j - 1) // 2 + i, radix[0]
            for member, idx in enumerate(index):
                if member not in (p, q):
                    flat = flat + idx * scale
                    scale *= sizes[member]
            self._free_cache[joint.columns] = self._untaken(
                joint, KeyedPermutation(total, self.stream.child("joint pair", *joint.columns)), flat[known],
                len(taken), f" its CHECK ({pair[2][0].sqltext}) allows")
        return self._free_cache[joint.columns]

    def _indices(self, joint: JointUnique, sizes: list[int], key: tuple[str, ...], taken: set,
                       partial: Mapping[int, tuple[np.ndarray, np.ndarray]] | None = None
                       ) -> tuple[list[np.ndarray], np.ndarray] | None:
        """Per member, the index in its domain of each combination already in the table (a parent row; for a
        ``partial`` member the code of its values inside the UNIQUE; for a plain column its value's slot), and a
        mask of the combinations every member of which this run can draw. None: a member whose values depend on
        the row cannot say where a value sits."""
        tuples = list(taken)
        known = np.ones(len(tuples), dtype=bool)
        unique = set(joint.unique or joint.columns)
        index = []
        for i, (member, size) in enumerate(zip(joint.members, sizes)):
            fkr = self._wired.get(member[0])
            if fkr is not None:
                cols = [c for c in member if c in unique] if partial and i in partial else list(member)
                ref = dict(zip(fkr.fk.columns, fkr.fk.ref_columns))
                source = self.parents.source(fkr)
                keys = source.key_values([ref[c] for c in cols], np.arange(source.count if partial and i in partial
                                                                             else size))
                rows_keys = list(zip(*[np.asarray(col).tolist() for col in keys]))
                if partial and i in partial:  # the codes _partial_members gave these inside values
                    uniques = pd.Series(rows_keys).drop_duplicates().tolist()
                    where = {k: g for g, k in enumerate(uniques)}
                else:
                    where = {k: r for r, k in enumerate(rows_keys)}
            else:
                gen = self._generators[member[0]]
                if getattr(gen, "depends_on", None):
                    return None
                spec = self.recipe.spec.column(member[0])
                drawn = self._fit(spec, gen.at(self._ctx_for(spec, {}), np.arange(size)))
                cols = [member[0]]
                where = {(v,): r for r, v in enumerate(np.asarray(drawn, dtype=object).tolist())}
            pos = [key.index(c) for c in cols]
            idx = np.array([where.get(tuple(t[p] for p in pos), -1) for t in tuples], dtype=np.int64)
            known &= idx >= 0
            index.append(np.maximum(idx, 0))
        return index, known

    def _untaken(self, joint: JointUnique, perm: KeyedPermutation, taken: np.ndarray, held: int,
                 allows: str = "") -> np.ndarray:
        """The permutation's slots in order, less the ``taken`` ones (``held`` rows hold them); too few for the new
        rows is a :class:`ConstraintUnsatisfiableError`."""
        order = perm(np.arange(perm.domain))
        free = order[~np.isin(order, taken)]
        if len(free) < self.recipe.count:
            raise ConstraintUnsatisfiableError(
                f"UNIQUE ({', '.join(joint.columns)}) on {self.recipe.name!r} cannot take {self.recipe.count} "
                f"more rows: {held} of the {perm.domain} combinations{allows} are already in the table. Lower the row "
                "count or add parent rows.")
        return free
