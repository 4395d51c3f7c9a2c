"""Rows drawn again: values already taken, CHECKs that fail, unique keys verified row by row.

Most constraints are built into the generators; what is left is checked after a batch is drawn, and
only the failing rows get their movable columns drawn again, with a fresh attempt number in their
streams. What happens to a row therefore depends on that row alone (and, for the row-by-row unique
keys, on the rows before it), never on which other rows share its chunk::

    repairs.taken(rows, values)      # UNIQUE values the table already holds
    repairs.checks(rows, values)     # CHECKs the generators could not build in
    repairs.uniques(rows, values)    # partial unique indexes, verified composite keys (row order)

e.g. a CHECK the generators cannot build in (``x % 7 <> 3``) is met by drawing only the failing rows again::

    >>> from sqlalchemy_syda.planner import plan_seed
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.run import engines_for
    >>> t = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
    ...              sa.Column("x", sa.Integer, nullable=False), sa.CheckConstraint("x % 7 <> 3"))
    >>> batch = engines_for(plan_seed(table_specs([t]), {"t": 500}))["t"].batch(0, 500)
    >>> bool((batch["x"] % 7 != 3).all())
    True

All three redraw through :meth:`Repairs.redraw`; a rule no redraw can meet raises
:class:`~..exceptions.ConstraintUnsatisfiableError` naming it and a sample row.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from ..checks import UnsupportedCheckError, check_columns, evaluate_predicate, match_column
from ..constraints import failing_rows
from ..exceptions import ConstraintUnsatisfiableError
from ..generators.base import Unique
from ..generators.numbers import Sequence as SequenceGen
from ..recipe import TableRecipe
from .free_slots import FreeSlots
from .key_repairs import KeyRepairs

__all__ = ["MAX_REDRAWS", "Repairs", "verified_checks"]

MAX_REDRAWS = 12


class Repairs:
    """The repairs of one table's rows (see the module docstring)."""

    def __init__(self, recipe: TableRecipe, compute: Callable[..., dict[str, np.ndarray]],
                 draw_one: Callable[..., np.ndarray], taken: Mapping[object, set],
                 dependents: Callable[[set[str]], set[str]], enumerable: Callable[[str], bool],
                 free_slots: Mapping[str, FreeSlots] | None = None, keys: KeyRepairs | None = None) -> None:
        self.recipe = recipe
        self._keys = keys
        self._free_slots = dict(free_slots or {})
        self._compute, self._draw_one, self._dependents = compute, draw_one, dependents
        self._enumerable = enumerable
        self._taken = {k: v for k, v in taken.items() if v}
        self._checks = verified_checks(recipe)
        generators = recipe.generators
        joint_columns = {c for j in recipe.joints for c in j.columns}
        self._frozen = set(recipe.wired) | joint_columns | \
            {n for n, g in generators.items() if isinstance(g, (Unique, SequenceGen))}
        self._seen: list[set] = [set() for _ in recipe.verified_uniques]

    # --- the shared step -------------------------------------------------------------------------
    def redraw(self, rows: np.ndarray, values: dict[str, np.ndarray], mask: np.ndarray, wanted: set[str], *,
               attempt: int, recompute: set[str], write: Iterable[str]) -> None:
        """Draw ``wanted`` again for ``rows[mask]`` (``recompute`` with the new attempt) and write ``write`` back."""
        sub = {k: v[mask] for k, v in values.items()}
        self._compute(rows[mask], wanted, attempt=attempt, only=recompute, values=sub)
        for name in write:
            put(values, name, mask, sub[name])

    # --- values already in the table ---------------------------------------------------------------
    def taken(self, rows: np.ndarray, values: dict[str, np.ndarray], only: set[str] | None = None,
              probe: bool = False) -> None:
        """Draw again the rows whose UNIQUE value is already in the database.

        ``probe`` (a dry run's check of the last rows): a UNIQUE permutation column whose free slots cannot
        run out is left as drawn, instead of scanning every new row for the ones whose value is taken."""
        generators = self.recipe.generators
        for name, taken in self._taken.items():
            if not isinstance(name, str) or name not in generators or (only is not None and name not in only):
                continue
            if probe and name in self._free_slots and self._free_slots[name].cannot_run_out():
                continue
            if name in self._free_slots:  # a UNIQUE permutation: the rows hit take slots no other row uses
                hit, fresh = self._free_slots[name].values(rows)
                if hit.any():
                    sub = {k: v[hit] for k, v in values.items()}
                    put(values, name, hit, fresh)
                    sub[name] = fresh
                    for dep in self._dependents({name}):
                        values[dep][hit] = self._draw_one(dep, rows[hit], sub)
                continue
            for attempt in range(1, MAX_REDRAWS + 1):
                column = values[name]
                mask = getattr(taken, "mask", None)  # a TakenLookup asks the database for a whole column at once
                hit = mask(column) if mask is not None else \
                    np.fromiter(map(taken.__contains__, column.tolist()), dtype=bool, count=len(column))
                if not hit.any():
                    break
                sub = {k: v[hit] for k, v in values.items()}
                fresh = self._draw_one(name, rows[hit], sub, attempt=attempt, redraw=attempt)
                put(values, name, hit, fresh)
                sub[name] = fresh
                for dep in self._dependents({name}):
                    values[dep][hit] = self._draw_one(dep, rows[hit], sub)
            else:
                raise ConstraintUnsatisfiableError(
                    f"UNIQUE on {self.recipe.name}.{name}: new values keep colliding with rows already in the "
                    "table; widen the column's domain or clear the table.")

    # --- CHECKs -----------------------------------------------------------------------------------
    def checks(self, rows: np.ndarray, values: dict[str, np.ndarray], only: set[str] | None = None,
               skip: set[str] | frozenset = frozenset()) -> None:
        """Draw again the rows a CHECK fails (``only``: the CHECKs over these columns alone; ``skip``: not the
        CHECKs that read these columns, left uncomputed by a dry run's probe)."""
        names = self.recipe.spec.column_names
        checks = self._checks if only is None else [c for c in self._checks if check_names(c, names) <= only]
        if skip:
            checks = [c for c in checks if not check_names(c, names) & skip]
        if not checks:
            return
        dialect = self.recipe.dialect
        for attempt in range(1, MAX_REDRAWS + 1):
            failing = failing_rows(checks, values, dialect)
            if not failing:
                return
            # each check redraws only its own columns for only its own failing rows, so what happens to a
            # row depends on that row alone (and never on which other rows share its chunk)
            for check, bad in failing:
                names = check_names(check, values)
                movable = names - self._frozen
                if not movable:
                    self._move_keys(check, rows, values, bad, names, attempt)
                    continue
                free = movable | self._dependents(movable)
                self.redraw(rows, values, bad, free, attempt=attempt, recompute=free, write=free)
        failing = failing_rows(checks, values, dialect)
        if failing:
            check, bad = failing[0]
            self._unsatisfiable(check, rows[bad][:3], values, bad, f"still failing after {MAX_REDRAWS} redraws")

    def _move_keys(self, check, rows: np.ndarray, values: dict[str, np.ndarray], bad: np.ndarray, names: set[str],
                   attempt: int) -> None:
        """A failing CHECK over foreign keys only: NULLs or swaps where they make the row pass, else other
        parents for the rows still failing (see :mod:`.key_repairs`)."""
        groups = self._keys.groups(names) if self._keys is not None else []
        if not groups:
            self._unsatisfiable(check, rows[bad][:3], values, bad, "its columns are keys or unique")
        before = bad.copy()
        nulls = "null" in check.sqltext.lower() or attempt > MAX_REDRAWS // 2
        changed = self._keys.settle(check, rows, values, bad, groups, nulls=nulls)
        fixed = before & ~bad
        if changed and fixed.any() and (deps := self._dependents(changed)):
            self.redraw(rows, values, fixed, deps, attempt=0, recompute=deps, write=deps)
        if bad.any():
            keys = {c for g in groups for c in g.columns}
            free = keys | self._dependents(keys)
            self.redraw(rows, values, bad, free, attempt=attempt, recompute=free, write=free)

    def movable(self) -> dict[str, set[str]]:
        """Per verified check (by text), the columns a failing row gets drawn again."""
        names = set(self.recipe.spec.column_names)
        out = {}
        for c in self._checks:
            reads = check_names(c, names)
            moves = reads - self._frozen
            if not moves and self._keys is not None:
                moves = {col for g in self._keys.groups(reads) for col in g.columns}
            out[c.sqltext] = moves
        return out

    def _unsatisfiable(self, check, sample_rows, values, bad, why: str):
        columns = set(self.recipe.spec.column_names)  # not the parent values and indexes the row engine keeps
        sample = {k: _plain(v[bad][0]) for k, v in values.items() if k in columns} if bad.any() else {}
        name = getattr(check, "name", None)
        raise ConstraintUnsatisfiableError(
            f"CHECK {name + ' ' if name else ''}({check.sqltext}) on {self.recipe.name!r} cannot be met: "
            f"{why}; e.g. rows {list(map(int, sample_rows))}: {sample}. Relax the constraint or override the "
            "columns it uses.")

    # --- unique keys verified row by row -----------------------------------------------------------
    def uniques(self, rows: np.ndarray, values: dict[str, np.ndarray]) -> None:
        """Rows that would repeat a partial unique key (``UNIQUE (owner_id) WHERE is_primary``) get their
        predicate columns drawn again until the predicate no longer holds for them.

        The first row (in row order) holding a key keeps it, so the result does not depend on chunking;
        the keys seen so far carry over to the next batch.
        """
        for unique, seen in zip(self.recipe.verified_uniques, self._seen):
            columns, where, free = unique.columns, unique.where, set(unique.redraw)
            for attempt in range(1, MAX_REDRAWS + 2):
                try:
                    holds = np.ones(len(rows), dtype=bool) if where is None else \
                        evaluate_predicate(where, values, dialect=self.recipe.dialect)
                except UnsupportedCheckError:
                    warnings.warn(f"partial unique index on {self.recipe.name} ({', '.join(columns)}) WHERE "
                                  f"{where}: the predicate cannot be evaluated, so it is not enforced", stacklevel=2)
                    return
                repeat = _repeats(values, columns, holds, seen)
                if repeat is None:
                    break
                if not free or attempt > MAX_REDRAWS:
                    what = f"WHERE {where}: rows" if where else "(verified row by row): rows"
                    raise ConstraintUnsatisfiableError(
                        f"Unique key on {self.recipe.name} ({', '.join(columns)}) {what} "
                        f"repeat a key and the predicate's columns cannot be changed to leave them out "
                        f"(e.g. row {int(rows[repeat][0])}). Override the predicate's columns or the key columns.")
                moved = free | self._dependents(free)
                self.redraw(rows, values, repeat, free, attempt=attempt, recompute=moved, write=moved)

    @property
    def ordered(self) -> bool:
        """Batches must come in row order (unique keys verified row by row carry state from batch to batch)."""
        return bool(self.recipe.verified_uniques)


def _repeats(values: Mapping[str, np.ndarray], columns: tuple[str, ...], holds: np.ndarray,
             seen: set) -> np.ndarray | None:
    """Mask of rows repeating a key seen before (None when there are none: the batch's keys join ``seen``)."""
    keys = list(zip(*(values[c].tolist() for c in columns)))
    repeat = np.zeros(len(holds), dtype=bool)
    batch_seen: set = set()
    for i in np.flatnonzero(holds).tolist():
        key = keys[i]
        if any(k is None or k != k for k in key):  # NULLs (and NaN) never collide in SQL
            continue
        if key in seen or key in batch_seen:
            repeat[i] = True
        else:
            batch_seen.add(key)
    if repeat.any():
        return repeat
    seen.update(batch_seen)
    return None


def put(values: dict[str, np.ndarray], name: str, mask: np.ndarray, new: np.ndarray) -> None:
    """``values[name][mask] = new``, widening the column to objects when the new values need it."""
    column = values[name]
    if column.dtype != new.dtype:
        column = column.astype(object)
        values[name] = column
    column[mask] = new


def verified_checks(recipe: TableRecipe) -> list:
    """The CHECKs verified after generation: residual conjuncts, then the original texts behind compiled
    rules (rules shape values, checks prove them)."""
    compiled = recipe.checks
    seen, out = set(), list(compiled.residual)
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


def check_names(check, values: Iterable[str]) -> set[str]:
    """The table columns a check reads."""
    cols = getattr(check, "columns", None) or check_columns(check.sqltext)
    return {m for c in cols if (m := match_column(c, values)) is not None}


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value
