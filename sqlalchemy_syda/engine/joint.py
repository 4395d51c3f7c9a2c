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

import itertools
import math
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from ..checks import UnsupportedCheckError, evaluate_check
from ..exceptions import ConstraintUnsatisfiableError
from ..generators.base import GenContext
from ..recipe import JointUnique, TableRecipe
from ..specs import ColumnSpec
from ..streams import KeyedPermutation, Stream
from ..unique_planner import joint_capacity
from .joint_taken import TakenCombinations
from .parents import ParentKeys

__all__ = ["JointDraw"]



class JointDraw:
    """Draws the members of a recipe's joint UNIQUE groups."""

    def __init__(self, recipe: TableRecipe, parents: ParentKeys, stream: Stream,
                 ctx_for: Callable[[ColumnSpec, Mapping[str, np.ndarray]], GenContext],
                 fit: Callable[[ColumnSpec, np.ndarray], np.ndarray], taken: Mapping[tuple[str, ...], set]) -> None:
        self.recipe, self.parents, self.stream = recipe, parents, stream
        self._ctx_for, self._fit = ctx_for, fit
        self.taken = TakenCombinations(recipe, parents, stream, ctx_for, fit, taken)
        self._pairs: dict[tuple[str, ...], tuple[int, int, list] | None] = {}
        self._fanout_plans: dict[tuple[str, ...], tuple[int, dict[int, int], bool] | None] = {}
        self._partial: dict[tuple[str, ...], dict[int, tuple[np.ndarray, np.ndarray]]] = {}
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
        pair = self._pair(joint)
        if pair is not None:
            self._draw_pair(rows, joint, values, sizes, pair)
            return
        fanout = self._fanout_plan(joint, sizes)
        if fanout is not None:
            self._draw_fanout(rows, joint, values, sizes, fanout)
            return
        partial = self._partial_members(joint)
        if partial:  # distinct over what the UNIQUE sees of those keys: their parents' distinct inside values
            sizes = [len(partial[i][1]) if i in partial else s for i, s in enumerate(sizes)]
        total = math.prod(sizes)
        offset = self.recipe.offset
        free = self.taken.slots(joint, sizes, partial)
        if free is None and total <= 1 << 62:
            joint_capacity(self.recipe.name, joint, sizes, self.recipe.total, self.recipe.count)
        if free is not None:
            index = _digits(free[rows - offset], sizes)
        elif total > 1 << 62:
            # a product this large cannot collide in practice: draw the members independently
            index = [self.stream.child("joint", *m).integers(rows, 0, s) for m, s in zip(joint.members, sizes)]
        else:
            index = _digits(KeyedPermutation(total, self.stream.child("joint", *joint.columns))(rows), sizes)
        for i, (order, starts) in partial.items():  # a parent row among those with the drawn inside values
            group = index[i]
            counts = np.diff(np.append(starts, len(order)))[group]
            pick = self.stream.child("joint pick", *joint.members[i]).integers(rows, 0, 1 << 62) % counts
            index[i] = order[starts[group] + pick]
        self._fill(rows, joint, values, index)

    def _partial_members(self, joint: JointUnique) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Foreign key members with columns outside the UNIQUE (``(player_id, year, stint)`` with the key
        ``(year, team_id)``): per member, its parent rows ordered by their values of the inside columns, and where
        each distinct value starts. Distinct member combinations are not distinct keys there (two teams of one
        year), so the permutation runs over the distinct inside values instead."""
        if joint.columns in self._partial:
            return self._partial[joint.columns]
        unique = set(joint.unique or joint.columns)
        out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._partial[joint.columns] = out
        for i, member in enumerate(joint.members):
            fkr = self._wired.get(member[0])
            if fkr is None or fkr.columns != member or set(member) <= unique or fkr.kind != "parent":
                continue
            source = self.parents.source(fkr)
            ref = dict(zip(fkr.fk.columns, fkr.fk.ref_columns))
            inside = [ref[c] for c in member if c in unique]
            if source is None or not inside or not source.count:
                continue
            keys = [np.asarray(v).astype(object) for v in source.key_values(inside, np.arange(source.count))]
            codes = pd.MultiIndex.from_arrays(keys).factorize()[0] if len(keys) > 1 else pd.factorize(keys[0])[0]
            order = np.argsort(codes, kind="stable").astype(np.int64)
            starts = np.searchsorted(codes[order], np.arange(int(codes.max()) + 1)).astype(np.int64)
            out[i] = (order, starts)
        return out

    # --- foreign keys with learned (or given) children per parent -------------------------------------
    def _fanout_plan(self, joint: JointUnique, sizes: list[int]) -> tuple[int, dict[int, int], bool] | None:
        """How a joint whose foreign key members follow per-parent counts keeps those counts: (the leading
        member, {other such member: its stride}, whether those make the key distinct); None: the permutation.

        The lead lays its rows out by its counts (a parent's children are consecutive rows). Each other such
        member lays out row ``(r * stride + shift) mod n`` instead, the stride chosen so that the lead's
        consecutive rows land at least one of its own parents' block apart: every row of one lead parent gets
        another parent there: both fan-outs are the counts', the two keys are not tied to each other, and when
        the UNIQUE holds both keys whole the key is distinct. Otherwise (one key, or a key the UNIQUE holds only
        part of: ``(player_id, year, stint)`` with ``(year, team_id)``) the remaining members are distinct within
        each lead parent instead (see :meth:`_draw_fanout`)."""
        if joint.columns in self._fanout_plans:
            return self._fanout_plans[joint.columns]
        plan = None
        n = self.recipe.count
        blocks = {}
        for i, member in enumerate(joint.members):
            fkr = self._wired.get(member[0])
            counts = self.parents.fanout_counts(fkr) if fkr is not None and fkr.columns == member else None
            if counts is not None and n and counts.sum():
                blocks[i] = fkr.cardinality.largest_run(counts, n)
        unique = set(joint.unique or joint.columns)
        inside = [i for i in blocks if set(joint.members[i]) <= unique]  # members whose keys the UNIQUE holds whole
        if inside and not self.taken.of(joint)[1]:
            lead = max(inside, key=lambda i: (sizes[i], -i))  # the most parents: the smallest blocks
            strides = {}
            for i in (j for j in blocks if j != lead):
                stride = _stride(n, blocks[lead], blocks[i])
                if stride is None:
                    break
                strides[i] = stride
            else:
                rest = math.prod(s for i, s in enumerate(sizes) if i not in blocks)
                distinct = any(i in inside for i in strides)
                if distinct or rest >= blocks[lead]:
                    plan = (lead, strides, distinct)
        self._fanout_plans[joint.columns] = plan
        return plan

    def _draw_fanout(self, rows: np.ndarray, joint: JointUnique, values: dict[str, np.ndarray], sizes: list[int],
                     plan: tuple[int, dict[int, int], bool]) -> None:
        lead, strides, distinct = plan
        n = self.recipe.count
        lead_fk = self._wired[joint.members[lead][0]]
        new = self.parents.layout_positions(rows, lead_fk)  # the layout the lead's counts fill, shared by the others
        index: list[np.ndarray | None] = [None] * len(sizes)
        index[lead] = self.parents.assign_at(new, lead_fk)
        for i, stride in strides.items():
            shift = int(self.stream.child("joint shift", *joint.members[i]).integers(np.zeros(1, dtype=np.int64), 0, n)[0])
            slots = (new * stride + shift) % n
            index[i] = self.parents.assign_at(slots, self._wired[joint.members[i][0]])
        rest = [i for i in range(len(sizes)) if index[i] is None]
        if distinct:  # the key is distinct already: the other members vary freely
            for i in rest:
                index[i] = self.stream.child("joint", *joint.members[i]).integers(rows, 0, sizes[i])
        elif rest:
            # distinct within each lead parent: its rows are consecutive, and (r * k) mod m with k prime to m
            # repeats only every m rows, m >= the largest parent's rows
            m = math.prod(sizes[i] for i in rest)
            if m > 1 << 62:
                for i in rest:
                    index[i] = self.stream.child("joint", *joint.members[i]).integers(rows, 0, sizes[i])
            else:
                k = _coprime_near(m, m * _GOLDEN)
                flat = KeyedPermutation(m, self.stream.child("joint rest", *joint.columns))((new % m) * k % m)
                for i, digit in zip(rest, _digits(flat, [sizes[i] for i in rest])):
                    index[i] = digit
        self._fill(rows, joint, values, index)

    # --- two keys to one parent that a CHECK relates (tag1 < tag2, a <> b) ---------------------------
    def _pair(self, joint: JointUnique) -> tuple[int, int, list] | None:
        """Members ``p`` and ``q``: foreign keys to the same parent columns that a verified CHECK reads alone."""
        if joint.columns in self._pairs:
            return self._pairs[joint.columns]
        from .repairs import check_names, verified_checks

        found = None
        fks = [(i, self._wired[m[0]]) for i, m in enumerate(joint.members) if m[0] in self._wired]
        for (p, a), (q, b) in itertools.combinations(fks, 2):
            if (a.fk.ref_table, a.fk.ref_columns) != (b.fk.ref_table, b.fk.ref_columns):
                continue
            both = set(a.columns) | set(b.columns)
            names = self.recipe.spec.column_names
            checks = [c for c in verified_checks(self.recipe) if (reads := check_names(c, names)) <= both
                      and reads & set(a.columns) and reads & set(b.columns)]
            if checks:
                found = (p, q, checks)
                break
        self._pairs[joint.columns] = found
        return found

    def _draw_pair(self, rows: np.ndarray, joint: JointUnique, values: dict[str, np.ndarray], sizes: list[int],
                   pair: tuple[int, int, list]) -> None:
        """The pair's two parents are a distinct *unordered* pair of parent rows (``n (n - 1) / 2`` of them), put
        in the order the CHECK wants; the other members vary as usual. Distinct rows stay distinct either way."""
        p, q, checks = pair
        n = sizes[p]
        radix = [n * (n - 1) // 2] + [s for i, s in enumerate(sizes) if i not in (p, q)]
        total = math.prod(radix)
        if total < self.recipe.total:
            raise ConstraintUnsatisfiableError(
                f"UNIQUE ({', '.join(joint.columns)}) on {self.recipe.name!r} cannot hold {self.recipe.total} rows: "
                f"its CHECK ({checks[0].sqltext}) needs two different parents, and {n} parent rows make only "
                f"{total} such combinations. Lower the row count or add parent rows.")
        free = self.taken.pairs(joint, sizes, pair, radix)
        flat = free[rows - self.recipe.offset] if free is not None else \
            KeyedPermutation(total, self.stream.child("joint pair", *joint.columns))(rows)
        digits = _digits(flat, radix)
        low, high = _unordered_pair(digits[0])
        rest = iter(digits[1:])
        index = [low if i == p else high if i == q else next(rest) for i in range(len(sizes))]
        self._fill(rows, joint, values, index)
        trial = dict(values)
        a, b = joint.members[p], joint.members[q]
        for x, y in zip(a, b):
            trial[x], trial[y] = values[y], values[x]
        swap = np.zeros(len(rows), dtype=bool)
        for check in checks:
            try:
                swap |= ~evaluate_check(check, values, dialect=self.recipe.dialect) & \
                    evaluate_check(check, trial, dialect=self.recipe.dialect)
            except UnsupportedCheckError:
                continue
        for x, y in zip(a, b):
            values[x][swap], values[y][swap] = values[y][swap].copy(), values[x][swap].copy()

    def _fill(self, rows: np.ndarray, joint: JointUnique, values: dict[str, np.ndarray],
              index: list[np.ndarray]) -> None:
        for member, idx in zip(joint.members, index):
            if member[0] in self._wired:
                self.parents.fill(rows, self._wired[member[0]], values, idx)
            else:
                spec = self.recipe.spec.column(member[0])
                gen = self._generators[member[0]]
                values[member[0]] = self._fit(spec, gen.at(self._ctx_for(spec, values), idx))

_GOLDEN = (math.sqrt(5) - 1) / 2


def _coprime_near(n: int, target: float) -> int:
    k = max(1, int(round(target))) % n or 1
    for step in range(n):
        for c in (k + step, k - step):
            if 0 < c < n and math.gcd(c, n) == 1:
                return c
    return 1


def _stride(n: int, lead_rows: int, other_rows: int) -> int | None:
    """A stride ``k`` prime to ``n`` whose multiples ``d * k`` (``d`` < ``lead_rows``) are all at least ``other_rows``
    from 0 modulo ``n`` (either way round); near ``n`` times the golden ratio, which spreads small multiples best."""
    if n < 2 or 2 * (lead_rows - 1) * other_rows > n:  # too crowded for any stride: not worth the search
        return None
    d = np.arange(1, max(lead_rows, 1), dtype=np.int64)
    start = int(round(n * _GOLDEN))
    for step in range(min(n, 4096)):
        for k in {start + step, start - step}:
            if not 0 < k < n or math.gcd(k, n) != 1:
                continue
            gaps = (d * k) % n
            if not len(d) or int(np.minimum(gaps, n - gaps).min()) >= other_rows:
                return k
    return None


def _unordered_pair(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ``t``-th pair ``i < j`` of the triangle (0, 1), (0, 2), (1, 2), (0, 3), ...: ``t = j (j - 1) / 2 + i``."""
    t = np.asarray(t, dtype=np.int64)
    j = ((1 + np.sqrt(1 + 8 * t.astype(np.float64))) // 2).astype(np.int64)
    j -= (j * (j - 1) // 2) > t                      # float rounding, either way
    j += ((j + 1) * j // 2) <= t
    return t - j * (j - 1) // 2, j


def _digits(flat: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    """Mixed-radix digits of ``flat``: one index per member."""
    index = []
    for size in sizes:
        index.append(flat % size)
        flat = flat // size
    return index
