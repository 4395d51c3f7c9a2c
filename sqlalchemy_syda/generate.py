"""Rows for tables, in chunks, deterministic: the generation stage of the pipeline.

:class:`TableGenerator` holds one table's decisions (generators from :mod:`.semantics`, narrowed by
:mod:`.constraints`, foreign keys wired to their parents) and produces any range of rows on demand.
Row *k* depends only on (seed, table, k), so ``batch(0, 100_000)`` equals ``batch(0, 50_000)``
followed by ``batch(50_000, 100_000)``, and a child can ask a parent for the key of parent row *j*
without the parent ever holding its rows in memory.

:func:`generate` is the public entry point for data without a database::

    >>> df = generate(Customer, 1000, seed=42)                  # one pandas DataFrame
    >>> frames = generate([Customer, Order], {Customer: 10, Order: 30}, seed=42)
    >>> set(frames["orders"].customer_id) <= set(frames["customers"].id)
    True
"""

from __future__ import annotations

import graphlib
import math
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np
import pandas as pd

from .cardinality import Cardinality
from .checks import CompiledChecks, compile_checks
from .constraints import failing_rows, narrow, partial_uniques, unique_sets, value_length, widened_range
from .exceptions import ConstraintUnsatisfiableError, PlanError, SchemaError, SydaError
from .generators.base import GenContext, Generator, Nullable, Unique
from .generators.numbers import Sequence as SequenceGen
from .generators.pools import DEFAULT_LOCALE, get_pools
from .generators.strings import fit_length
from .generators.temporal import After
from .inheritance import hierarchy_layout
from .semantics import ColumnPlan, plan_columns
from .specs import ColumnSpec, ForeignKeySpec, TableSpec
from .streams import KeyedPermutation, Stream

__all__ = ["DEFAULT_CHUNK", "KeySource", "TableGenerator", "generate", "iter_batches", "to_frame"]

DEFAULT_CHUNK = 50_000
_MAX_REROLLS = 12
_DENSE_JOINT = 1 << 22  # joints of FKs up to this many combinations draw from the free ones


class KeySource(Protocol):
    """Where foreign keys point: ``count`` parent rows whose key columns can be read by row index."""

    count: int

    def key_values(self, columns: Sequence[str], index: np.ndarray) -> list[np.ndarray]: ...


@dataclass
class ArrayKeys:
    """Parent keys given as arrays (rows already in a database, or a parent generated elsewhere)."""

    columns: dict[str, np.ndarray]

    @property
    def count(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def key_values(self, columns: Sequence[str], index: np.ndarray) -> list[np.ndarray]:
        return [np.asarray(self.columns[c])[index] for c in columns]


@dataclass(frozen=True)
class _ForeignKey:
    fk: ForeignKeySpec
    lookup: Mapping[str, KeySource] | None  # None: self-reference
    one_to_one: bool
    fallback: KeySource | None = None

    @property
    def source(self) -> KeySource | None:
        """The parent, looked up when first needed (parents may be set up after their children)."""
        if self.lookup is None:
            return None
        return self.lookup.get(self.fk.ref_table, self.fallback)


@dataclass(frozen=True)
class _Joint:
    """A composite UNIQUE drawn from a permutation of the product of its members' domains."""

    columns: tuple[str, ...]
    members: tuple[tuple[str, ...], ...]  # each member: one column, or all columns of one FK


class TableGenerator:
    """Generates the rows of one table; also a :class:`KeySource` for its children."""

    def __init__(self, spec: TableSpec, count: int, *, seed: int | None = 0, locale: str = DEFAULT_LOCALE,
                 overrides: Mapping[str, Any] | None = None, parents: Mapping[str, KeySource] | None = None,
                 dialect: str | None = None, row_offset: int = 0,
                 cardinality: Mapping[tuple[str, ...], Cardinality] | None = None,
                 avoid: Mapping[str, set] | None = None) -> None:
        if not isinstance(count, (int, np.integer)) or isinstance(count, bool) or count < 0:
            raise PlanError(f"Row count for {spec.display_name!r} must be a non-negative integer; got {count!r}.")
        self.spec, self.count, self.dialect = spec, int(count), dialect
        self.offset = int(row_offset)
        """Rows already in the table: row numbers continue after them, so unique values do not repeat."""
        self.cardinality = dict(cardinality or {})
        self.avoid = {k: v for k, v in (avoid or {}).items() if v}
        """Values already taken in UNIQUE columns (rows in the database): drawn again when hit."""
        self._free_cache: dict[tuple[str, ...], np.ndarray] = {}
        self.stream = Stream.root(seed).child("table", spec.fullname)
        self.pools = get_pools(locale)
        self.plans: dict[str, ColumnPlan] = plan_columns(spec, overrides)
        self.checks: CompiledChecks = compile_checks(spec.checks, spec.column_names, dialect)
        self._parents = parents if parents is not None else {}
        self.foreign_keys = self._wire_foreign_keys(self._parents)
        self.generators: dict[str, Generator] = {}
        self.joints: list[_Joint] = []
        self.partials = partial_uniques(spec)
        """Partial unique indexes: checked across batches, which therefore must come in row order."""
        self._partial_seen: list[set] = [set() for _ in self.partials]
        self._build_generators()
        self.order = self._column_order()

    # --- set-up ------------------------------------------------------------------------------
    def _wire_foreign_keys(self, parents: Mapping[str, KeySource]) -> dict[str, _ForeignKey]:
        wired: dict[str, _ForeignKey] = {}
        uniques = unique_sets(self.spec)
        for fk in self.spec.foreign_keys:
            if any(self.plans[c].source == "override" for c in fk.columns):
                continue
            self_ref = fk.ref_table == self.spec.fullname
            one_to_one = not self_ref and any(set(u) == set(fk.columns) for u in uniques)
            fallback = None if self_ref else _VirtualParent(fk, max(self.count, 1))
            for col in fk.columns:
                wired[col] = _ForeignKey(fk, None if self_ref else parents, one_to_one, fallback)
        return wired

    def _ctx(self, spec: ColumnSpec, columns: Mapping[str, np.ndarray] | None = None, attempt: int = 0,
             redraw: int = 0) -> GenContext:
        stream = self.stream.child("column", spec.name)
        if attempt:
            stream = stream.child("retry", attempt)
        return GenContext(stream, self.stream, spec, self.pools, self.offset + self.count, self.spec.fullname,
                          columns or {}, redraw)

    def _build_generators(self) -> None:
        spec = self.spec
        single_unique = {s[0] for s in unique_sets(spec) if len(s) == 1}
        for col in spec.columns:
            plan = self.plans[col.name]
            if plan.generator is None or col.name in self.foreign_keys:
                continue
            rule = self.checks.rules.get(col.name)
            gen = narrow(col, plan.generator, rule)
            if col.name in single_unique and not isinstance(gen, SequenceGen):
                gen = self._unique_capable(col, gen, rule)
            self.generators[col.name] = gen
        self._apply_orderings()
        for columns in unique_sets(spec):
            if len(columns) > 1:
                self._plan_composite_unique(columns)
        for col in spec.columns:  # NULLs last, so uniqueness and orderings see the real generator
            gen = self.generators.get(col.name)
            plan = self.plans[col.name]
            rule = self.checks.rules.get(col.name)
            in_joint = any(col.name in j.columns for j in self.joints)
            if gen is not None and plan.null_rate and col.nullable and not (rule and rule.not_null) and not in_joint:
                self.generators[col.name] = gen.nullable(plan.null_rate)

    def _apply_orderings(self) -> None:
        for order in self.checks.orderings:
            lesser, greater = order.lesser, order.greater
            gen = self.generators.get(greater)
            if gen is None or greater in self.foreign_keys or lesser not in self.generators and \
                    lesser not in self.foreign_keys:
                continue
            if isinstance(gen, After) and gen.base == lesser and (gen.strict or not order.strict):
                continue
            col = self.spec.column(greater)
            rule = self.checks.rules.get(greater)
            span = 365.0
            if col.kind in ("integer", "float", "decimal"):
                lo, hi = getattr(gen, "lo", 0), getattr(gen, "hi", 100)
                span = max(1.0, (hi - lo) / 3)
            after = After(lesser, max_days=span, min_days=0.0, strict=order.strict, fallback=gen)
            self.generators[greater] = narrow(col, after, rule)  # the greater column keeps its own bounds
            self._below(lesser, col, rule, order.strict)

    def _below(self, lesser: str, greater: ColumnSpec, rule, strict: bool) -> None:
        """Draw the lesser column of an ordering below the greater column's upper bound (CHECK or type),
        so that a free offset upwards can still fit under it."""
        from .checks import ColumnRule
        from .constraints import type_bounds

        gen = self.generators.get(lesser)
        if gen is None or lesser in self.foreign_keys:
            return
        upper = rule.upper if rule is not None and rule.upper is not None else type_bounds(greater)[1]
        if upper is None:
            return
        inclusive = not strict and (rule is None or rule.upper is None or rule.upper_inclusive)
        try:
            self.generators[lesser] = narrow(self.spec.column(lesser), gen,
                                             ColumnRule(lesser, upper=upper, upper_inclusive=inclusive))
        except (TypeError, ValueError):  # bounds of another type (a date against a number): leave it
            return

    def _plan_composite_unique(self, columns: tuple[str, ...]) -> None:
        for col in columns:  # already distinct through one member?
            gen = self.generators.get(col)
            if isinstance(gen, (Unique, SequenceGen)) or (gen is not None and gen.distinct_rows):
                return
            if col in self.foreign_keys and self.foreign_keys[col].one_to_one:
                return
        if any(set(columns) & set(j.columns) for j in self.joints):
            warnings.warn(f"UNIQUE {columns} of {self.spec.fullname!r} overlaps another composite UNIQUE; "
                          "it is verified, not constructed.", stacklevel=3)
            return
        for col in columns:  # one free member with a large enough domain carries the rule alone
            gen = self.generators.get(col)
            if col in self.foreign_keys or gen is None or isinstance(gen, After):
                continue
            size = gen.domain(self._ctx(self.spec.column(col)))
            if size is not None and size >= (self.offset + self.count) * 4:
                self.generators[col] = gen.unique()
                return
        if self._widen_a_member(columns):
            return
        members: list[tuple[str, ...]] = []
        for col in columns:
            if col in self.foreign_keys:
                fk_cols = self.foreign_keys[col].fk.columns
                if fk_cols not in members:
                    members.append(fk_cols)
            elif self._enumerable(col):
                members.append((col,))
            # a member that cannot enumerate its values (an ordered column, coordinates) is drawn freely:
            # the others, distinct together, already make the whole key distinct
        free = [c for c in columns if c not in self.foreign_keys and not self._enumerable(c)
                and c in self.generators]
        joint = _Joint(tuple(c for m in members for c in m), tuple(members))
        if free and (not members or (not self._parents_pending(joint) and
                                     math.prod(self._member_domain(m) for m in members) < self.offset + self.count)):
            # the enumerable members alone cannot be distinct over every row: draw the free members (floats,
            # ordered columns) as usual and redraw the rows that would repeat a key
            self.partials.append((tuple(columns), None))
            self._partial_seen.append(set())
            return
        if not members:
            raise ConstraintUnsatisfiableError(
                f"UNIQUE ({', '.join(columns)}) on {self.spec.fullname!r}: none of its columns can enumerate "
                "distinct values; give one of them a unique-capable generator (e.g. an override).")
        if not self._parents_pending(joint):  # parents wired later (seed()): checked when rows are drawn
            self._check_joint_capacity(joint, [self._member_domain(m) for m in joint.members])
        self.joints.append(joint)

    def _widen_a_member(self, columns: tuple[str, ...]) -> bool:
        """When the members' own values are too few together (``rating`` 1-5 x a boolean), let one inferred
        member fall back to its type's generator, which alone carries the UNIQUE."""
        from .semantics import type_generator

        need = (self.offset + self.count) * 4
        sizes = [self._member_domain((c,)) if c in self.foreign_keys or self._enumerable(c) else None
                 for c in columns]
        if all(size is not None for size in sizes) and math.prod(sizes) >= self.offset + self.count:
            return False
        for col in columns:
            plan = self.plans[col]
            if col in self.foreign_keys or col not in self.generators or plan.source not in ("name", "comment") \
                    or self.generators[col].depends_on:  # an ordered column keeps its ordering
                continue
            spec = self.spec.column(col)
            try:
                fallback = narrow(spec, type_generator(spec), self.checks.rules.get(col))
            except SydaError:
                continue
            size = fallback.domain(self._ctx(spec))
            if size is not None and size >= need:
                self.generators[col] = fallback.unique()
                self.plans[col] = replace(plan, generator=fallback, reason=(
                    f"{plan.reason}; its values are too few for UNIQUE ({', '.join(columns)}), so the type's "
                    "generator is used"))
                return True
        return False

    def _enumerable(self, col: str) -> bool:
        gen = self.generators.get(col)
        return gen is not None and gen.domain(self._ctx(self.spec.column(col))) is not None

    def _parents_pending(self, joint: _Joint) -> bool:
        return any(m[0] in self.foreign_keys and self.foreign_keys[m[0]].lookup is not None
                   and self.foreign_keys[m[0]].fk.ref_table not in self.foreign_keys[m[0]].lookup
                   for m in joint.members)

    def _check_joint_capacity(self, joint: _Joint, sizes: list[int]) -> None:
        size = math.prod(sizes)
        if size < self.offset + self.count:
            raise ConstraintUnsatisfiableError(
                f"UNIQUE ({', '.join(joint.columns)}) on {self.spec.fullname!r} cannot hold {self.count} rows: "
                f"the columns allow only {size} distinct combinations. Lower the row count or add parent rows.")

    def _unique_capable(self, col: ColumnSpec, gen: Generator, rule) -> Generator:
        """``gen`` made UNIQUE; a meaning with too few values for the rows (a 4-value ``status``) gives way
        to the column type's own generator when that one has enough."""
        need = self.offset + self.count
        size = gen.domain(self._ctx(col))
        if (size is None or size < need) and self.plans[col.name].source in ("name", "comment", "type"):
            from .semantics import type_generator

            try:
                fallback = narrow(col, type_generator(col), rule)
            except SydaError:
                fallback = None
            wider = None if fallback is None else fallback.domain(self._ctx(col))
            if wider is not None and wider >= need:
                why = "cannot enumerate distinct values" if size is None else \
                    f"has {size} values, too few to be UNIQUE over {need} rows"
                self.plans[col.name] = replace(self.plans[col.name], generator=fallback, reason=(
                    f"{self.plans[col.name].reason}; the meaning {why}, so the type's generator is used"))
                gen = fallback
                size = wider
        if size is not None and size < need and (wider_range := widened_range(col, gen, rule, need)) is not None:
            self.plans[col.name] = replace(self.plans[col.name], generator=wider_range, reason=(
                f"{self.plans[col.name].reason}; {size} values are too few to be UNIQUE over {need} rows, so the "
                "range is widened"))
            gen, size = wider_range, wider_range.domain(self._ctx(col))
        name = next((u.name for u in self.spec.uniques if tuple(u.columns) == (col.name,) and u.name), None)
        if size is None:  # nothing enumerable: draw as usual, redraw the rows that repeat a value
            own = gen.unique(name)
            if type(own) is not Unique:  # the generator checks its own uniqueness (a user's row function)
                return own
            self.partials.append(((col.name,), None))
            self._partial_seen.append(set())
            return gen
        return gen.unique(name)

    def _member_domain(self, member: tuple[str, ...]) -> int:
        if member[0] in self.foreign_keys:
            fk = self.foreign_keys[member[0]]
            return fk.source.count if fk.source is not None else self.count
        gen = self.generators.get(member[0])
        size = None if gen is None else gen.domain(self._ctx(self.spec.column(member[0])))
        if size is None:
            raise ConstraintUnsatisfiableError(
                f"UNIQUE including {self.spec.fullname}.{member[0]}: its generator {gen!r} cannot enumerate "
                "values; give it a unique-capable generator.")
        return size

    def _column_order(self) -> list[str]:
        graph: dict[str, set[str]] = {}
        for name, gen in self.generators.items():
            graph[name] = {d for d in gen.depends_on if d in self.generators or d in self.foreign_keys}
        for name in self.foreign_keys:
            graph.setdefault(name, set())
        try:
            return list(graphlib.TopologicalSorter(graph).static_order())
        except graphlib.CycleError as exc:
            raise SchemaError(f"columns of {self.spec.fullname!r} depend on each other in a cycle: {exc.args[1]}")\
                from None

    # --- generation --------------------------------------------------------------------------
    @property
    def output_columns(self) -> list[str]:
        """Columns this generator fills (database-filled ones are left out), in table order."""
        return [c.name for c in self.spec.columns if c.name in self.generators or c.name in self.foreign_keys]

    def batch(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """Rows ``start`` .. ``stop - 1`` as column arrays, every constraint checked."""
        rows = np.arange(start + self.offset, stop + self.offset, dtype=np.int64)
        values = self._compute(rows, self.output_columns)
        self._avoid_taken(rows, values)
        self._fix_checks(rows, values)
        self._fix_partial_uniques(rows, values)
        return {name: values[name] for name in self.output_columns}

    def _fix_partial_uniques(self, rows: np.ndarray, values: dict[str, np.ndarray]) -> None:
        """Rows that would repeat a partial unique key (``UNIQUE (owner_id) WHERE is_primary``) get their
        predicate columns drawn again until the predicate no longer holds for them.

        The first row (in row order) holding a key keeps it, so the result does not depend on chunking;
        the keys seen so far carry over to the next batch.
        """
        from .checks import UnsupportedCheckError, check_columns, evaluate_predicate, match_column

        for (columns, where), seen in zip(self.partials, self._partial_seen):
            if where is None:  # a composite UNIQUE verified row by row: redraw its non-enumerable members
                free = {c for c in columns if c in self.generators and not self._enumerable(c)}
            else:
                free = {m for c in check_columns(where) if (m := match_column(c, values)) is not None} & \
                    set(self.generators) - set(self.foreign_keys)
            for attempt in range(1, _MAX_REROLLS + 2):
                try:
                    holds = np.ones(len(rows), dtype=bool) if where is None else \
                        evaluate_predicate(where, values, dialect=self.dialect)
                except UnsupportedCheckError:
                    warnings.warn(f"partial unique index on {self.spec.fullname} ({', '.join(columns)}) WHERE "
                                  f"{where}: the predicate cannot be evaluated, so it is not enforced", stacklevel=2)
                    return
                keys = list(zip(*(values[c].tolist() for c in columns)))
                repeat = np.zeros(len(rows), dtype=bool)
                batch_seen: set = set()
                for i in np.flatnonzero(holds).tolist():
                    key = keys[i]
                    if any(k is None or k != k for k in key):  # NULLs (and NaN) never collide in SQL
                        continue
                    if key in seen or key in batch_seen:
                        repeat[i] = True
                    else:
                        batch_seen.add(key)
                if not repeat.any():
                    seen.update(batch_seen)
                    break
                if not free or attempt > _MAX_REROLLS:
                    what = f"WHERE {where}: rows" if where else "(verified row by row): rows"
                    raise ConstraintUnsatisfiableError(
                        f"Unique key on {self.spec.fullname} ({', '.join(columns)}) {what} "
                        f"repeat a key and the predicate's columns cannot be changed to leave them out "
                        f"(e.g. row {int(rows[repeat][0])}). Override the predicate's columns or the key columns.")
                sub = {k: v[repeat] for k, v in values.items()}
                self._compute(rows[repeat], free, attempt=attempt, only=free | self._dependents(free), values=sub)
                for name in free | self._dependents(free):
                    column, new = values[name], sub[name]
                    if column.dtype != new.dtype:
                        column = column.astype(object)
                        values[name] = column
                    column[repeat] = new

    def _avoid_taken(self, rows: np.ndarray, values: dict[str, np.ndarray]) -> None:
        """Draw again the rows whose UNIQUE value is already in the database."""
        for name, taken in self.avoid.items():
            if name not in self.generators:
                continue
            spec, gen = self.spec.column(name), self.generators[name]
            for redraw in range(1, _MAX_REROLLS + 1):
                column = values[name]
                hit = np.fromiter(map(taken.__contains__, column.tolist()), dtype=bool, count=len(column))
                if not hit.any():
                    break
                sub = {k: v[hit] for k, v in values.items()}
                fresh = self._fit(spec, gen.generate(self._ctx(spec, sub, attempt=redraw, redraw=redraw), rows[hit]))
                if column.dtype != fresh.dtype:
                    column = column.astype(object)
                column[hit] = fresh
                values[name] = column
                sub[name] = fresh
                for dep in self._dependents({name}):
                    dep_spec = self.spec.column(dep)
                    values[dep][hit] = self._fit(dep_spec, self.generators[dep].generate(
                        self._ctx(dep_spec, sub), rows[hit]))
            else:
                raise ConstraintUnsatisfiableError(
                    f"UNIQUE on {self.spec.fullname}.{name}: new values keep colliding with rows already in the "
                    "table; widen the column's domain or clear the table.")

    def key_values(self, columns: Sequence[str], index: np.ndarray) -> list[np.ndarray]:
        """Values of ``columns`` at row numbers ``index`` (what children reference)."""
        values = self._compute(np.asarray(index, dtype=np.int64) + self.offset, list(columns))
        return [values[c] for c in columns]

    def _compute(self, rows: np.ndarray, wanted: Iterable[str], attempt: int = 0,
                 only: set[str] | None = None, values: dict[str, np.ndarray] | None = None
                 ) -> dict[str, np.ndarray]:
        values = {} if values is None else values
        needed = self._closure(wanted)
        for name in self.order:
            if name not in needed or (name in values and (only is None or name not in only)):
                continue
            joint = next((j for j in self.joints if name in j.columns), None)
            if joint is not None:  # before plain FKs: a joint made only of FKs (association table) draws them
                self._joint(rows, joint, values)
                continue
            if name in self.foreign_keys:
                self._foreign_key(rows, self.foreign_keys[name], values)
                continue
            spec = self.spec.column(name)
            gen = self.generators[name]
            ctx = self._ctx(spec, values, attempt if only is None or name in only else 0)
            out = gen.generate(ctx, rows)
            values[name] = self._fit_unique(spec, gen, ctx, rows, out) if _is_unique(gen) \
                else self._fit(spec, out)
        return values

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
            joint = next((j for j in self.joints if name in j.columns), None)
            if joint is not None:
                todo.extend(joint.columns)
        return needed

    def _fit_unique(self, spec: ColumnSpec, gen: Generator, ctx: GenContext, rows: np.ndarray,
                    values: np.ndarray) -> np.ndarray:
        """Fit a UNIQUE string column to its length without cutting distinct values into equal ones.

        Too-long values are drawn again from permutation slots no other row uses (shorter ones turn up:
        short names, short domains); what is still too long becomes ``~`` plus the row number in base 36,
        which no pool value contains, so the column stays unique.
        """
        limit = value_length(spec, self.checks.rules.get(spec.name))
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
            rule = self.checks.rules.get(spec.name)
            shortest = (rule.min_length or 0) if rule is not None else 0  # CHECK (length(x) >= k) holds for codes too
            codes = np.array(["~" + np.base_repr(int(k), 36).lower().zfill(shortest - 1) for k in rows[long]],
                             dtype=object)
            if max(map(len, codes)) > limit:  # a very short column: the bare row number, base 36
                codes = np.array([np.base_repr(int(k), 36).lower().zfill(shortest) for k in rows[long]],
                                 dtype=object)
            if max(map(len, codes)) > limit:
                raise ConstraintUnsatisfiableError(
                    f"UNIQUE on {self.spec.fullname}.{spec.name}: {self.offset + self.count} distinct values do not "
                    f"fit in {limit} characters. Widen the column or lower the row count.")
            values[long] = codes
        return values

    def _fit(self, spec: ColumnSpec, values: np.ndarray) -> np.ndarray:
        if spec.kind in ("string", "text") and values.dtype == object:
            return fit_length(values, value_length(spec, self.checks.rules.get(spec.name)))
        if spec.kind == "integer" and values.dtype.kind == "f" and not np.isnan(values).any():
            return values.astype(np.int64)
        return values

    def _parent_index(self, rows: np.ndarray, fkw: _ForeignKey) -> tuple[np.ndarray, np.ndarray]:
        """Parent row index of every row, and a mask of rows whose FK is NULL."""
        fk = fkw.fk
        stream = self.stream.child("fk", *fk.columns)
        nulls = np.zeros(len(rows), dtype=bool)
        if fkw.source is None:  # self-reference: point to an earlier row of this seed
            new = rows - self.offset
            index = np.floor(stream.uniform(rows) * new).astype(np.int64)
            roots = new == 0
            if fk.nullable:
                roots |= stream.child("root").bernoulli(rows, 0.15)
                nulls = roots
            index = np.where(roots, new, index)
            return index, nulls
        count = fkw.source.count
        if count == 0:
            if fk.nullable:
                return np.zeros(len(rows), dtype=np.int64), np.ones(len(rows), dtype=bool)
            raise PlanError(f"{self.spec.fullname}.{', '.join(fk.columns)} needs rows in {fk.ref_table!r}, "
                            "which has none. Seed the parent table too (or give it a count).")
        card = self.cardinality.get(fk.columns)
        if card is not None:
            return card.assign(stream.child("cardinality"), rows - self.offset, count, self.count), nulls
        if fkw.one_to_one:
            if self.count > count:
                raise ConstraintUnsatisfiableError(
                    f"{self.spec.fullname}.{', '.join(fk.columns)} is a one-to-one key to {fk.ref_table!r}: "
                    f"{self.count} rows need at least as many parent rows, but there are {count}.")
            return KeyedPermutation(count, stream)(rows - self.offset), nulls
        return stream.integers(rows, 0, count), nulls

    def _foreign_key(self, rows: np.ndarray, fkw: _ForeignKey, values: dict[str, np.ndarray],
                     index: np.ndarray | None = None) -> None:
        if index is None:
            index, nulls = self._parent_index(rows, fkw)
        else:
            nulls = np.zeros(len(rows), dtype=bool)
        fk = fkw.fk
        source: KeySource = self if fkw.source is None else fkw.source
        if nulls.all():  # e.g. an optional FK to a table without rows: nothing to look up
            for col in fk.columns:
                values[col] = np.full(len(rows), None, dtype=object)
            return
        if fkw.source is None:
            keys = [np.asarray(v) for v in self._self_keys(index, fk)]
        else:
            keys = source.key_values(fk.ref_columns, index)
        for col, key in zip(fk.columns, keys):
            key = np.asarray(key)
            if nulls.any():
                key = key.astype(object)
                key[nulls] = None
            values[col] = key

    def _self_keys(self, index: np.ndarray, fk: ForeignKeySpec) -> list[np.ndarray]:
        ref_cols = list(fk.ref_columns)
        if any(c in self.foreign_keys and self.foreign_keys[c].fk is fk for c in ref_cols):
            raise SchemaError(f"{self.spec.fullname}: foreign key {fk.columns} references itself.")
        return self.key_values(ref_cols, index)

    def _joint(self, rows: np.ndarray, joint: _Joint, values: dict[str, np.ndarray]) -> None:
        sizes = [self._member_domain(m) for m in joint.members]
        total = math.prod(sizes)
        free = self._free_slots(joint, sizes)
        if free is None and total <= 1 << 62:
            self._check_joint_capacity(joint, sizes)
        if free is not None:
            flat = free[rows - self.offset]
            index = []
            for size in sizes:
                index.append(flat % size)
                flat = flat // size
        elif total > 1 << 62:
            # a product this large cannot collide in practice: draw the members independently
            index = [self.stream.child("joint", *m).integers(rows, 0, s) for m, s in zip(joint.members, sizes)]
        else:
            flat = KeyedPermutation(total, self.stream.child("joint", *joint.columns))(rows)
            index = []
            for size in sizes:
                index.append(flat % size)
                flat = flat // size
        for member, idx in zip(joint.members, index):
            if member[0] in self.foreign_keys:
                self._foreign_key(rows, self.foreign_keys[member[0]], values, idx)
            else:
                spec = self.spec.column(member[0])
                gen = self.generators[member[0]]
                values[member[0]] = self._fit(spec, gen.at(self._ctx(spec, values), idx))

    def _free_slots(self, joint: _Joint, sizes: list[int]) -> np.ndarray | None:
        """Combinations not taken yet, in permutation order, for a joint of foreign keys with rows already there.

        New row ``offset + j`` takes the j-th free combination: distinct, never one already in the table
        (an association table topped up after its parents grew), and independent of the chunk size.
        """
        taken = self.avoid.get(joint.columns)
        total = math.prod(sizes)
        if not taken or total > _DENSE_JOINT or not all(m[0] in self.foreign_keys for m in joint.members):
            return None
        cache = self._free_cache
        if joint.columns not in cache:
            flat_taken = np.zeros(len(taken), dtype=np.int64)
            known = np.ones(len(taken), dtype=bool)
            tuples = list(taken)
            radix = 1
            for member, size in zip(joint.members, sizes):
                source = self.foreign_keys[member[0]].source
                keys = source.key_values(self.foreign_keys[member[0]].fk.ref_columns, np.arange(size))
                where = {k: i for i, k in enumerate(zip(*[np.asarray(col).tolist() for col in keys]))}
                pos = [joint.columns.index(c) for c in member]
                idx = np.array([where.get(tuple(t[p] for p in pos), -1) for t in tuples], dtype=np.int64)
                known &= idx >= 0
                flat_taken += np.maximum(idx, 0) * radix
                radix *= size
            order = KeyedPermutation(total, self.stream.child("joint", *joint.columns))(np.arange(total))
            free = order[~np.isin(order, flat_taken[known])]
            if len(free) < self.count:
                raise ConstraintUnsatisfiableError(
                    f"UNIQUE ({', '.join(joint.columns)}) on {self.spec.fullname!r} cannot take {self.count} more "
                    f"rows: {len(taken)} of the {total} combinations are already in the table. Lower the row count "
                    "or add parent rows.")
            cache[joint.columns] = free
        return cache[joint.columns]

    def _fix_checks(self, rows: np.ndarray, values: dict[str, np.ndarray]) -> None:
        checks = [*self.checks.residual, *_rule_checks(self.checks)]
        if not checks:
            return
        frozen = set(self.foreign_keys) | {c for j in self.joints for c in j.columns} | \
            {n for n, g in self.generators.items() if isinstance(g, (Unique, SequenceGen))}
        for attempt in range(1, _MAX_REROLLS + 1):
            failing = failing_rows(checks, values, self.dialect)
            if not failing:
                return
            # each check redraws only its own columns for only its own failing rows, so what happens to a
            # row depends on that row alone (and never on which other rows share its chunk)
            for check, bad in failing:
                movable = _check_columns(check, values) - frozen
                if not movable:
                    self._unsatisfiable(check, rows[bad][:3], values, bad, "its columns are keys or unique")
                free = movable | self._dependents(movable)
                sub = {k: v[bad] for k, v in values.items()}
                self._compute(rows[bad], free, attempt=attempt, only=free, values=sub)
                for name in free:
                    column, new = values[name], sub[name]
                    if column.dtype != new.dtype:
                        column = column.astype(object)
                        values[name] = column
                    column[bad] = new
        failing = failing_rows(checks, values, self.dialect)
        if failing:
            check, bad = failing[0]
            self._unsatisfiable(check, rows[bad][:3], values, bad, f"still failing after {_MAX_REROLLS} redraws")

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

    def _unsatisfiable(self, check, sample_rows, values, bad, why: str):
        sample = {k: v[bad][0] for k, v in values.items()} if bad.any() else {}
        raise ConstraintUnsatisfiableError(
            f"CHECK {getattr(check, 'name', None) or ''} ({check.sqltext}) on {self.spec.fullname!r} cannot be met: "
            f"{why}; e.g. rows {list(map(int, sample_rows))}: {sample}. Relax the constraint or override the "
            "columns it uses.")

    def describe(self) -> list[dict[str, str]]:
        """One row per column: the final generator (constraints applied) and why it was chosen."""
        rows = []
        for col in self.spec.columns:
            plan = self.plans[col.name]
            if col.name in self.foreign_keys:
                fkw = self.foreign_keys[col.name]
                card = self.cardinality.get(fkw.fk.columns)
                target = ", ".join(f"{fkw.fk.ref_table}.{c}" for c in fkw.fk.ref_columns)
                text = f"parent_key({target})" + (f" {card!r}" if card else "")
                if fkw.lookup is None:
                    text = f"earlier_row({target})"
                reason = plan.reason if plan.source == "foreign_key" else f"foreign key to {target}"
            elif col.name in self.generators:
                joint = next((j for j in self.joints if col.name in j.columns), None)
                text = repr(self.generators[col.name])
                if joint is not None:
                    text += f" [jointly unique ({', '.join(joint.columns)})]"
                reason = plan.reason
            else:
                text, reason = "(database)", plan.reason
            rule = self.checks.rules.get(col.name)
            if rule is not None:
                reason += "; CHECK " + " AND ".join(sorted({s.sqltext for s in rule.sources}))
            rows.append({"column": col.name, "type": col.type_repr or col.kind, "generator": text,
                         "source": plan.source, "reason": reason})
        return rows

    def __repr__(self) -> str:
        return f"TableGenerator({self.spec.fullname!r}, {self.count})"


def _is_unique(gen: Generator) -> bool:
    """A UNIQUE generator, possibly with NULLs on top (NULL rows come from the row number, so they stay)."""
    return isinstance(gen, Unique) or (isinstance(gen, Nullable) and isinstance(gen.inner, Unique))


def _too_long(values: np.ndarray, limit: int) -> np.ndarray:
    """True where a (non-NULL) string is longer than ``limit``."""
    return np.fromiter((v is not None and len(v) > limit for v in values.tolist()), dtype=bool, count=len(values))


def _rule_checks(compiled: CompiledChecks) -> list:
    """The original CHECK texts behind compiled rules, verified too (rules shape values, checks prove them)."""
    seen, out = set(), []
    for rule in compiled.rules.values():
        for src in rule.sources:
            if src.sqltext not in seen:
                seen.add(src.sqltext)
                out.append(src)
    for order in compiled.orderings:
        if order.source is not None and order.source.sqltext not in seen:
            seen.add(order.source.sqltext)
            out.append(order.source)
    return out


def _check_columns(check, values: Mapping[str, np.ndarray]) -> set[str]:
    from .checks import check_columns, match_column

    cols = getattr(check, "columns", None) or check_columns(check.sqltext)
    return {m for c in cols if (m := match_column(c, values)) is not None}


class _VirtualParent:
    """A parent table that is not being generated: keys 1..n (integer) of a table we only know by name."""

    def __init__(self, fk: ForeignKeySpec, count: int) -> None:
        self.fk, self.count = fk, count

    def key_values(self, columns: Sequence[str], index: np.ndarray) -> list[np.ndarray]:
        return [np.asarray(index, dtype=np.int64) + 1 for _ in columns]


# --- the public function -------------------------------------------------------------------------

def iter_batches(gen: TableGenerator, chunk_size: int = DEFAULT_CHUNK) -> Iterator[dict[str, np.ndarray]]:
    """All rows of ``gen`` in chunks of ``chunk_size`` (values do not depend on the chunk size)."""
    if chunk_size < 1:
        raise PlanError(f"chunk_size must be at least 1; got {chunk_size}.")
    for start in range(0, gen.count, chunk_size):
        yield gen.batch(start, min(gen.count, start + chunk_size))


def to_frame(spec: TableSpec, columns: Mapping[str, np.ndarray], attr_names: bool = False) -> pd.DataFrame:
    """Column arrays as a DataFrame with fitting dtypes (nullable integers stay integers)."""
    data = {}
    for name, values in columns.items():
        col = spec.column(name)
        key = col.attr_key if attr_names else name
        data[key] = _series(col, values)
    return pd.DataFrame(data)


def _series(col: ColumnSpec, values: np.ndarray) -> Any:
    if col.kind == "integer" and values.dtype.kind in "fO":
        mask = pd.isna(values)
        ints = np.where(mask, 0, values).astype(np.int64)
        return pd.arrays.IntegerArray(ints, np.asarray(mask, dtype=bool))
    if col.kind == "boolean" and values.dtype == object:
        return pd.array(values, dtype="boolean")
    if col.kind in ("float", "decimal") and values.dtype == object:
        return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy()
    return values


def _specs_for(models: Any) -> list[TableSpec]:
    from .dict_schema import dict_table_spec
    from .introspect import table_spec

    if isinstance(models, TableSpec):
        return [models]
    if isinstance(models, Mapping) and models and all(isinstance(v, (str, Mapping)) for v in models.values()):
        return [dict_table_spec(dict(models))]
    if isinstance(models, (list, tuple)):
        return [s for m in models for s in _specs_for(m)]
    return [table_spec(models)]


def _count_for(spec: TableSpec, counts: Any, default: int | None) -> int:
    if isinstance(counts, Mapping):
        for key, value in counts.items():
            if key is spec.model or key is spec.table or key in (spec.name, spec.fullname, spec.model_name):
                return value
            if isinstance(key, TableSpec) and key.fullname == spec.fullname:
                return value
        if default is not None:
            return default
        raise PlanError(f"No row count for {spec.display_name!r}: add it to the counts "
                        f"(e.g. {{{spec.display_name}: 100}}) or pass rows=N for every table.")
    return counts if counts is not None else (default if default is not None else 10)


def generate(models: Any, counts: int | Mapping[Any, int] | None = None, *, seed: int | None = 0,
             locale: str = DEFAULT_LOCALE, overrides: Mapping[Any, Any] | None = None,
             chunk_size: int = DEFAULT_CHUNK, rows: int | None = None, llm: Any = None
             ) -> pd.DataFrame | dict[str, pd.DataFrame]:
    """Synthetic rows without a database.

    :param models: a mapped class, ``Table``, dict schema or :class:`TableSpec` -> one DataFrame;
        a list of them -> ``{table name: DataFrame}`` with foreign keys pointing at generated parents.
    :param counts: rows per table: an int for all, or ``{Model | Table | "name": n}``.
    :param seed: same seed, same data (whatever the chunk size).
    :param overrides: ``{column: value}`` for one model, or ``{Model: {column: value}}`` for several;
        a value is a generator name, a :class:`~.generators.base.Generator`, a constant or a callable.
    :param llm: the optional LLM (an :class:`~.llm.LLM`, an ``LLMConfig``, ``"env"``, ...): it writes the
        text-like columns, which enter as overrides (user overrides win); keys and FKs stay the engine's.
    """
    single = not isinstance(models, (list, tuple))
    layout = None
    if not single:  # several classes of one hierarchy: a block of rows per class (classes with their own count)
        each = counts if isinstance(counts, int) and not isinstance(counts, bool) else rows
        per_class = [(m, counts.get(m, each) if isinstance(counts, Mapping) else each)
                     for m in models if isinstance(m, type)]
        layout = hierarchy_layout([(m, n) for m, n in per_class if n is not None])
    if layout is not None:
        consumed = {id(key) for key in layout.grouped}
        tables = [key for key, _ in layout.entries if isinstance(key, TableSpec)]
        models = [m for m in models if id(m) not in consumed] + tables
        mapping = counts if isinstance(counts, Mapping) else {}
        rows = counts if isinstance(counts, int) and not isinstance(counts, bool) else rows
        counts = {**{k: n for k, n in mapping.items() if id(k) not in consumed},
                  **{spec.fullname: layout.counts[spec.fullname] for spec in tables}}
    specs = _specs_for(models)
    names = [s.fullname for s in specs]
    if len(set(names)) != len(names):
        raise SchemaError(f"The same table was given twice: {names}.")
    ordered = _dependency_order(specs)
    source = None
    if llm is not None:
        from .llm.source import resolve_llm

        source = resolve_llm(llm)
    if source is not None:  # LLM values enter as per-column overrides, keyed by table
        overrides = source.overrides([(s, _count_for(s, counts, rows), _overrides_for(s, overrides, single))
                                      for s in ordered], seed=seed, locale=locale)
    gens: dict[str, TableGenerator] = {}
    for spec in ordered:
        count = _count_for(spec, counts, rows)
        table_overrides = _overrides_for(spec, overrides, single)
        card = {}
        if layout is not None:
            table_overrides = {**layout.overrides.get(spec.fullname, {}), **table_overrides}
            card = {cols: c for (table, cols), c in layout.cardinality.items() if table == spec.fullname}
        gens[spec.fullname] = TableGenerator(spec, count, seed=seed, locale=locale, overrides=table_overrides,
                                             parents=gens, cardinality=card)
    frames = {}
    for spec in specs:
        gen = gens[spec.fullname]
        parts = list(iter_batches(gen, chunk_size))
        merged = {c: np.concatenate([p[c] for p in parts]) if parts else np.array([]) for c in gen.output_columns}
        frames[spec.fullname] = to_frame(spec, merged)
    return frames[specs[0].fullname] if single and len(specs) == 1 else frames


def _overrides_for(spec: TableSpec, overrides: Mapping[Any, Any] | None, single: bool) -> dict[str, Any]:
    if not overrides:
        return {}
    for key, value in overrides.items():
        if key is spec.model or key is spec.table or key in (spec.name, spec.fullname, spec.model_name):
            if isinstance(value, Mapping):
                return dict(value)
    if single and all(isinstance(k, str) and spec.has_column(k) for k in overrides):
        return dict(overrides)
    return {}


def _dependency_order(specs: list[TableSpec]) -> list[TableSpec]:
    by_name = {s.fullname: s for s in specs}
    graph = {s.fullname: {fk.ref_table for fk in s.foreign_keys if fk.ref_table in by_name
                          and fk.ref_table != s.fullname} for s in specs}
    sorter = graphlib.TopologicalSorter(graph)
    try:
        return [by_name[n] for n in sorter.static_order()]
    except graphlib.CycleError:
        # a cycle: break it at nullable FKs (children of a broken edge get NULL there)
        return _order_breaking_cycles(specs, by_name)


def _order_breaking_cycles(specs: list[TableSpec], by_name: dict[str, TableSpec]) -> list[TableSpec]:
    graph = {s.fullname: {fk.ref_table for fk in s.foreign_keys if fk.ref_table in by_name and
                          fk.ref_table != s.fullname and not fk.nullable} for s in specs}
    try:
        return [by_name[n] for n in graphlib.TopologicalSorter(graph).static_order()]
    except graphlib.CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        raise PlanError(f"Foreign keys form a cycle with no nullable column to break it: {cycle}. Make one of "
                        "the foreign keys nullable (or DEFERRABLE on PostgreSQL).") from None


