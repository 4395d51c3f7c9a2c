"""The row engine: a :class:`~..recipe.TableRecipe` run over any range of rows.

Row *k* depends only on (seed, table, k): ``batch(0, 100_000)`` equals ``batch(0, 50_000)`` followed by
``batch(50_000, 100_000)``. A child asks its parent's engine for the keys of parent rows ``index`` with
:meth:`RowEngine.key_values`, which goes through the same row path as :meth:`RowEngine.batch`
(repairs included), so a child always points at the key its parent row was written with::

    >>> from sqlalchemy_syda.recipe_planner import TableInputs, table_recipe
    >>> from sqlalchemy_syda.introspect import table_spec
    >>> rows = RowEngine(table_recipe(TableInputs(table_spec(Customer), 10)), sources={})
    >>> batch = rows.batch(0, 10)              # {column: array of 10 values}, constraints met
    >>> batch["id"].tolist()
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    >>> rows.key_values(["id"], np.arange(3))
    [array([1, 2, 3])]
    >>> bool((rows.key_values(["name"], np.arange(10))[0] == batch["name"]).all())
    True

Engines are built by :func:`~..run.engines_for` only; everything else reads recipes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from ..constraints import value_length
from ..exceptions import ConstraintUnsatisfiableError
from ..generators.base import GenContext, Generator, Nullable, Unique
from ..generators.parent_values import parse_ref
from ..generators.pools import get_pools
from ..generators.strings import fit_length
from ..recipe import TableRecipe
from ..specs import ColumnSpec
from ..streams import Stream
from .free_slots import FreeSlots
from .joint import JointDraw
from .kept_columns import KeptColumns
from .key_repairs import KeyRepairs
from .keys import KeySource
from .parents import ParentKeys, index_name
from .repairs import Repairs, check_names

__all__ = ["PROBE_CHILDREN", "RowEngine"]

PROBE_CHILDREN = 1_000_000
"""A dry run's probe computes a column taken from a parent's children (an aggregate, a first-child flag: walking
every child row) up to this many children; past it the probe leaves the column NULL and the seed computes it."""


class RowEngine:
    """Generates the rows of one recipe; also a :class:`~.keys.KeySource` for its children."""

    def __init__(self, recipe: TableRecipe, sources: Mapping[str, KeySource],
                 taken: Mapping[object, set] | None = None,
                 fanout: Mapping[tuple[str, ...], np.ndarray] | None = None) -> None:
        self.recipe, self.spec = recipe, recipe.spec
        self.offset = recipe.offset
        self.stream = Stream.root(recipe.seed).child("table", recipe.spec.fullname)
        self.pools = get_pools(recipe.locale)
        self.generators: dict[str, Generator] = {c.name: c.generator for c in recipe.columns
                                                 if c.role in ("value", "joint") and c.generator is not None}
        self.wired = recipe.wired
        taken = dict(taken or {})
        self.parents = ParentKeys(recipe, sources, self.stream, self.key_values, fanout, taken)
        self.joint = JointDraw(recipe, self.parents, self.stream, self._ctx, self._fit, taken)
        self.repairs = Repairs(recipe, self._compute, self._draw_one, taken, self._dependents, self._enumerable,
                               self._free_slots(taken), KeyRepairs(recipe, self.stream))
        self._joint_of = {c: j for j in recipe.joints for c in j.columns}
        self._key_columns: dict[tuple[str, ...], set[str] | None] = {}
        self._kept = KeptColumns(recipe.count)
        self.probing = False
        """A dry run's probe (:mod:`~..dry_run_probe`): rows raise what the seed would raise, but a UNIQUE column
        whose free slots cannot run out skips the whole-run scan for new values already in the table, so its
        rows may differ from the seed's (see :meth:`~.free_slots.FreeSlots.cannot_run_out`), and a column taken from
        more than :data:`PROBE_CHILDREN` children is not computed (NULL, its CHECKs left to the seed)."""
        self.not_probed: set[str] = set()
        """Columns a probe left uncomputed (see :attr:`probing`)."""
        self.computed: dict[str, Callable[[np.ndarray, dict], np.ndarray]] = {}
        """Columns computed from other tables' rows (a parent's aggregate of its children, the first child of
        each parent): set by :func:`~.children.attach_relations`, in place of the column's generator."""

    @property
    def count(self) -> int:
        return self.recipe.count

    @property
    def output_columns(self) -> tuple[str, ...]:
        return self.recipe.output_columns

    # --- rows -------------------------------------------------------------------------------------
    def batch(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """Rows ``start`` .. ``stop - 1`` (of the new rows) as column arrays, every constraint checked."""
        rows = np.arange(start + self.offset, stop + self.offset, dtype=np.int64)
        values = self._compute(rows, self.output_columns)
        self.repairs.taken(rows, values, probe=self.probing)
        self.repairs.checks(rows, values, skip=self.not_probed)
        self.repairs.uniques(rows, values)
        if self._kept:
            self._kept.store(start, stop, values)
        return {name: values[name] for name in self.output_columns}

    def keep(self, column: str) -> None:
        """Keep ``column`` of the rows written (children's relations read it), so that :meth:`key_values` gives
        them from memory instead of computing them again (see :mod:`.kept_columns`)."""
        if column in self.output_columns:
            self._kept.want(column)

    def key_values(self, columns: Sequence[str], index: np.ndarray) -> list[np.ndarray]:
        """Values of ``columns`` at new-row numbers ``index`` (what children reference), as written."""
        kept = self._kept.get(columns, index)  # rows written already (in this process): as they were written
        if kept is not None:
            return kept
        values = self.values_at(columns, index)
        return [values[c] for c in columns]

    def values_at(self, columns: Sequence[str], index: np.ndarray) -> dict[str, np.ndarray]:
        """:meth:`key_values` as the row's column dict (with the parent row index of its foreign keys)."""
        rows = np.asarray(index, dtype=np.int64) + self.offset
        repaired = self._repaired_with(tuple(columns))
        values = self._compute(rows, repaired if repaired is not None else list(columns))
        if repaired is not None:
            self.repairs.taken(rows, values, only=repaired, probe=self.probing)
            self.repairs.checks(rows, values, only=repaired, skip=self.not_probed)
        return values

    def _repaired_with(self, columns: tuple[str, ...]) -> set[str] | None:
        """The columns to compute so that the row repairs that can move ``columns`` come out exactly as in
        :meth:`batch`; None when no repair can touch them (the usual case: keys are sequences or unique)."""
        if columns in self._key_columns:
            return self._key_columns[columns]
        taken = {c for cols in self.recipe.avoid_taken if len(cols) == 1 for c in cols}
        movable = self.repairs.movable()
        names = self.spec.column_names
        wanted = self._closure(columns)
        touched = False
        changed = True
        while changed:
            changed = False
            for name in list(wanted & taken):
                extra = self._closure(self._dependents({name}))
                touched = True
                if not extra <= wanted:
                    wanted |= extra
                    changed = True
            for text, moves in movable.items():
                if moves & wanted:
                    touched = True
                    check = next(c for c in self.repairs._checks if c.sqltext == text)
                    extra = self._closure(check_names(check, names) | self._dependents(moves))
                    if not extra <= wanted:
                        wanted |= extra
                        changed = True
        self._key_columns[columns] = wanted if touched else None
        return self._key_columns[columns]

    def _free_slots(self, taken: Mapping[object, set]) -> dict[str, FreeSlots]:
        """Per UNIQUE permutation column with values already in the table, where its colliding rows go."""
        out = {}
        for name, values in taken.items():
            gen = self.generators.get(name) if isinstance(name, str) else None
            if isinstance(gen, Nullable):
                gen = gen.inner
            if not values or not isinstance(gen, Unique):
                continue
            spec = self.spec.column(name)
            limit = value_length(spec, self.recipe.checks.rules.get(name))
            limited = limit is not None and spec.kind in ("string", "text")

            def fits(v: np.ndarray, limit=limit if limited else None) -> np.ndarray:
                return np.ones(len(v), dtype=bool) if limit is None else ~_too_long(v, limit)

            out[name] = FreeSlots(self.spec.fullname, name, gen, values, self.offset, self.recipe.total,
                                  lambda rows, name=name: self._compute(rows, {name}),
                                  lambda columns, spec=spec: self._ctx(spec, columns), fits, limited)
        return out

    # --- columns ----------------------------------------------------------------------------------
    def _ctx(self, spec: ColumnSpec, columns: Mapping[str, np.ndarray] | None = None, attempt: int = 0,
             redraw: int = 0) -> GenContext:
        stream = self.stream.child("column", spec.name)
        if attempt:
            stream = stream.child("retry", attempt)
        return GenContext(stream, self.stream, spec, self.pools, self.recipe.total, self.spec.fullname,
                          columns or {}, redraw, functools.partial(self.parent_values, values=columns))

    def parent_values(self, fk_columns: tuple[str, ...], columns: tuple[str, ...], rows: np.ndarray,
                      values: Mapping[str, np.ndarray] | None = None) -> list[np.ndarray] | None:
        """Values of the parent's ``columns`` in the parent row of each of ``rows`` through the FK ``fk_columns``
        (None where the FK is NULL); None when that parent is not generated by this run (rows already in the
        database, a self-reference), or the FK is drawn jointly with others and ``values`` (the batch's columns
        so far) do not hold its parent rows yet."""
        fkr = self.wired.get(fk_columns[0]) if fk_columns else None
        if fkr is None or tuple(fkr.fk.columns) != tuple(fk_columns):
            return None
        drawn = None if values is None else values.get(index_name(fkr.columns))
        if drawn is not None and len(drawn) != len(rows):
            drawn = None
        if drawn is None and fk_columns[0] in self._joint_of:
            return None
        source = self.parents.source(fkr)
        if not isinstance(source, RowEngine) or not source.count or not set(columns) <= set(source.generators):
            return None
        if drawn is not None:  # the parent rows the batch's keys point at (a joint's own choice)
            index, nulls = np.where(drawn < 0, 0, drawn), drawn < 0
        else:
            index, nulls = self.parents.assign(rows, fkr)
        values = source.key_values(list(columns), index)
        if nulls.any():
            values = [v.astype(object) for v in values]
            for v in values:
                v[nulls] = None
        return values

    def _compute(self, rows: np.ndarray, wanted: Iterable[str], attempt: int = 0,
                 only: set[str] | None = None, values: dict[str, np.ndarray] | None = None
                 ) -> dict[str, np.ndarray]:
        values = {} if values is None else values
        needed = self._closure(wanted)
        for name in self.recipe.order:
            if name not in needed or (name in values and (only is None or name not in only)):
                continue
            joint = self._joint_of.get(name)
            if joint is not None:  # before plain FKs: a joint made only of FKs (association table) draws them
                self.joint.draw(rows, joint, values)
                continue
            if name in self.wired:
                self.parents.fill(rows, self.wired[name], values,
                                  attempt=attempt if only is None or name in only else 0)
                continue
            spec = self.spec.column(name)
            if name in self.computed:
                children = getattr(getattr(self.computed[name], "child", None), "count", 0)
                if self.probing and children > PROBE_CHILDREN:  # walking every child row is the seed's job
                    values[name] = np.full(len(rows), None, dtype=object)
                    self.not_probed.add(name)
                    continue
                values[name] = self._fit(spec, self.computed[name](rows, values))
                continue
            gen = self.generators[name]
            self._parent_refs(gen, rows, values)
            ctx = self._ctx(spec, values, attempt if only is None or name in only else 0)
            out = gen.generate(ctx, rows)
            values[name] = self._fit_unique(spec, gen, ctx, rows, out) if _is_unique(gen) \
                else self._fit(spec, out)
        return values

    def _parent_refs(self, gen: Generator, rows: np.ndarray, values: dict[str, np.ndarray]) -> None:
        """Put the parent values ``gen`` reads (``"customer_id->created_at"``) next to the row's columns."""
        for dep in gen.depends_on:
            if dep not in values and (ref := parse_ref(dep)) is not None:
                values[dep] = self.parents.parent_values(rows, ref[0], ref[1], values)

    def _draw_one(self, name: str, rows: np.ndarray, columns: Mapping[str, np.ndarray], attempt: int = 0,
                  redraw: int = 0) -> np.ndarray:
        spec = self.spec.column(name)
        if isinstance(columns, dict):
            self._parent_refs(self.generators[name], rows, columns)
        return self._fit(spec, self.generators[name].generate(self._ctx(spec, columns, attempt, redraw), rows))

    def _closure(self, wanted: Iterable[str]) -> set[str]:
        needed: set[str] = set()
        todo = list(wanted)
        while todo:
            name = todo.pop()
            if name in needed:
                continue
            needed.add(name)
            gen = self.generators.get(name)
            if gen is not None:
                todo.extend(gen.depends_on)
            joint = self._joint_of.get(name)
            if joint is not None:
                todo.extend(joint.columns)
        return needed

    def _dependents(self, names: set[str]) -> set[str]:
        out: set[str] = set()
        changed = True
        while changed:
            changed = False
            for name, gen in self.generators.items():
                if name not in out and set(gen.depends_on) & (names | out):
                    out.add(name)
                    changed = True
        return out

    def _enumerable(self, name: str) -> bool:
        gen = self.generators.get(name)
        return gen is not None and gen.domain(self._ctx(self.spec.column(name))) is not None

    def _fit_unique(self, spec: ColumnSpec, gen: Generator, ctx: GenContext, rows: np.ndarray,
                    values: np.ndarray) -> np.ndarray:
        """Fit a UNIQUE string column to its length without cutting distinct values into equal ones.

        Too-long values are drawn again from permutation slots no other row uses (shorter ones turn up:
        short names, short domains); what is still too long becomes ``~`` plus the row number in base 36,
        which no pool value contains, so the column stays unique.
        """
        rule = self.recipe.checks.rules.get(spec.name)
        limit = value_length(spec, rule)
        if limit is None or spec.kind not in ("string", "text") or values.dtype != object:
            return self._fit(spec, values)
        values = values.copy()
        for redraw in range(1, 4):
            long = _too_long(values, limit)
            if not long.any():
                return values
            retry = GenContext(ctx.stream, ctx.table_stream, ctx.spec, ctx.pools, ctx.n_total, ctx.table,
                               {k: v[long] for k, v in ctx.columns.items()}, redraw)
            try:
                values[long] = gen.generate(retry, rows[long])
            except ConstraintUnsatisfiableError:  # no free slots left: go straight to codes
                break
        long = _too_long(values, limit)
        if long.any():
            values[long] = self._codes(spec, rows[long], limit, (rule.min_length or 0) if rule is not None else 0)
        return values

    def _codes(self, spec: ColumnSpec, rows: np.ndarray, limit: int, shortest: int) -> np.ndarray:
        """``~`` + the row number in base 36 (zero-padded to a CHECK's minimum length), or the bare number."""
        codes = np.array(["~" + np.base_repr(int(k), 36).lower().zfill(shortest - 1) for k in rows], dtype=object)
        if max(map(len, codes)) > limit:  # a very short column: the bare row number, base 36
            codes = np.array([np.base_repr(int(k), 36).lower().zfill(shortest) for k in rows], dtype=object)
        if max(map(len, codes)) > limit:
            raise ConstraintUnsatisfiableError(
                f"UNIQUE on {self.spec.fullname}.{spec.name}: {self.recipe.total} distinct values do not "
                f"fit in {limit} characters. Widen the column or lower the row count.")
        return codes

    def _fit(self, spec: ColumnSpec, values: np.ndarray) -> np.ndarray:
        if spec.kind in ("string", "text") and values.dtype == object:
            return fit_length(values, value_length(spec, self.recipe.checks.rules.get(spec.name)))
        if spec.kind == "integer" and values.dtype.kind == "f":
            missing = np.isnan(values)
            if not missing.any():
                return values.astype(np.int64)
            out = np.full(len(values), None, dtype=object)  # NaN is NULL: whole numbers around it (a learned
            out[~missing] = values[~missing].astype(np.int64).tolist()  # float column into INTEGER)
            return out
        if spec.kind == "integer" and values.dtype == object:  # a learned category of floats (7.0, NaN)
            return np.array([None if isinstance(v, float) and v != v else int(v) if isinstance(v, float)
                             and v.is_integer() else v for v in values.tolist()], dtype=object)
        return values

    def __repr__(self) -> str:
        return f"RowEngine({self.spec.fullname!r}, {self.count})"


def _is_unique(gen: Generator) -> bool:
    """A UNIQUE generator, possibly with NULLs on top (NULL rows come from the row number, so they stay)."""
    return isinstance(gen, Unique) or (isinstance(gen, Nullable) and isinstance(gen.inner, Unique))


def _too_long(values: np.ndarray, limit: int) -> np.ndarray:
    """True where a (non-NULL) string is longer than ``limit``."""
    return np.fromiter((v is not None and len(v) > limit for v in values.tolist()), dtype=bool, count=len(values))
