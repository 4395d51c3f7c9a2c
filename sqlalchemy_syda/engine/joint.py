"""Composite UNIQUE keys drawn jointly: row k takes combination ``perm(k)`` of its members' domains.

The product of the members' domains (parent rows for a foreign key member, a generator's values for
a plain one) is put through a keyed permutation, so distinct rows get distinct combinations without
looking at each other. When the table already holds combinations (an association table topped up),
new row ``offset + j`` takes the j-th *free* combination instead::

    >>> from sqlalchemy_syda.planner import plan_seed
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.run import engines_for
    >>> tags = sa.Table("post_tags", sa.MetaData(), sa.Column("post_id", sa.Integer, primary_key=True),
    ...                 sa.Column("tag_id", sa.Integer, primary_key=True))
    >>> plan = plan_seed(table_specs([tags]), {"post_tags": 6})
    >>> engine = engines_for(plan)["post_tags"]        # its JointDraw draws both columns together
    >>> batch = engine.batch(0, 6)
    >>> len(set(zip(batch["post_id"], batch["tag_id"])))
    6
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np

from ..exceptions import ConstraintUnsatisfiableError
from ..generators.base import GenContext
from ..recipe import JointUnique, TableRecipe
from ..specs import ColumnSpec
from ..streams import KeyedPermutation, Stream
from ..unique_planner import joint_capacity
from .parents import ParentKeys

__all__ = ["JointDraw"]

_DENSE_JOINT = 1 << 22  # joints of FKs up to this many combinations draw from the free ones


class JointDraw:
    """Draws the members of a recipe's joint UNIQUE groups."""

    def __init__(self, recipe: TableRecipe, parents: ParentKeys, stream: Stream,
                 ctx_for: Callable[[ColumnSpec, Mapping[str, np.ndarray]], GenContext],
                 fit: Callable[[ColumnSpec, np.ndarray], np.ndarray], taken: Mapping[tuple[str, ...], set]) -> None:
        self.recipe, self.parents, self.stream = recipe, parents, stream
        self._ctx_for, self._fit, self._taken = ctx_for, fit, taken
        self._free_cache: dict[tuple[str, ...], np.ndarray] = {}
        self._wired = recipe.wired
        self._generators = {c.name: c.generator for c in recipe.columns if c.generator is not None}

    def member_domain(self, member: tuple[str, ...]) -> int:
        if member[0] in self._wired:
            return self.parents.domain(self._wired[member[0]])
        spec = self.recipe.spec.column(member[0])
        size = self._generators[member[0]].domain(self._ctx_for(spec, {}))
        if size is None:
            raise ConstraintUnsatisfiableError(
                f"UNIQUE including {self.recipe.name}.{member[0]}: its generator cannot enumerate values; give it "
                "a unique-capable generator.")
        return size

    def draw(self, rows: np.ndarray, joint: JointUnique, values: dict[str, np.ndarray]) -> None:
        sizes = [self.member_domain(m) for m in joint.members]
        total = math.prod(sizes)
        offset = self.recipe.offset
        free = self._free_slots(joint, sizes)
        if free is None and total <= 1 << 62:
            joint_capacity(self.recipe.name, joint, sizes, self.recipe.total, self.recipe.count)
        if free is not None:
            index = _digits(free[rows - offset], sizes)
        elif total > 1 << 62:
            # a product this large cannot collide in practice: draw the members independently
            index = [self.stream.child("joint", *m).integers(rows, 0, s) for m, s in zip(joint.members, sizes)]
        else:
            index = _digits(KeyedPermutation(total, self.stream.child("joint", *joint.columns))(rows), sizes)
        for member, idx in zip(joint.members, index):
            if member[0] in self._wired:
                self.parents.fill(rows, self._wired[member[0]], values, idx)
            else:
                spec = self.recipe.spec.column(member[0])
                gen = self._generators[member[0]]
                values[member[0]] = self._fit(spec, gen.at(self._ctx_for(spec, values), idx))

    def _free_slots(self, joint: JointUnique, sizes: list[int]) -> np.ndarray | None:
        """Combinations not taken yet, in permutation order, for a joint of foreign keys with rows already there.

        New row ``offset + j`` takes the j-th free combination: distinct, never one already in the table
        (an association table topped up after its parents grew), and independent of the chunk size.
        """
        taken = self._taken.get(joint.columns)
        total = math.prod(sizes)
        if not taken or total > _DENSE_JOINT or not all(m[0] in self._wired for m in joint.members):
            return None
        cache = self._free_cache
        if joint.columns not in cache:
            flat_taken = np.zeros(len(taken), dtype=np.int64)
            known = np.ones(len(taken), dtype=bool)
            tuples = list(taken)
            radix = 1
            for member, size in zip(joint.members, sizes):
                fkr = self._wired[member[0]]
                keys = self.parents.source(fkr).key_values(fkr.fk.ref_columns, np.arange(size))
                where = {k: i for i, k in enumerate(zip(*[np.asarray(col).tolist() for col in keys]))}
                pos = [joint.columns.index(c) for c in member]
                idx = np.array([where.get(tuple(t[p] for p in pos), -1) for t in tuples], dtype=np.int64)
                known &= idx >= 0
                flat_taken += np.maximum(idx, 0) * radix
                radix *= size
            order = KeyedPermutation(total, self.stream.child("joint", *joint.columns))(np.arange(total))
            free = order[~np.isin(order, flat_taken[known])]
            if len(free) < self.recipe.count:
                raise ConstraintUnsatisfiableError(
                    f"UNIQUE ({', '.join(joint.columns)}) on {self.recipe.name!r} cannot take {self.recipe.count} "
                    f"more rows: {len(taken)} of the {total} combinations are already in the table. Lower the row "
                    "count or add parent rows.")
            cache[joint.columns] = free
        return cache[joint.columns]


def _digits(flat: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    """Mixed-radix digits of ``flat``: one index per member."""
    index = []
    for size in sizes:
        index.append(flat % size)
        flat = flat // size
    return index
