"""How a recipe meets UNIQUE: distinct values by construction where possible, verified where not.

A single UNIQUE column draws from a keyed permutation of its generator's domain
(:class:`~.generators.base.Unique`). A meaning with too few values for the rows gives way to the type's
own generator, or its integer range is widened within the type and the CHECKs; the column's reason says so.
A composite UNIQUE rides on one member that can be distinct alone, or widens one inferred member, or
draws its members jointly from a permutation of the product of their domains (how association tables
get distinct ``(user_id, tag_id)`` pairs); what cannot be built is verified row by row::

    >>> from sqlalchemy_syda.introspect import table_spec
    >>> from sqlalchemy_syda.recipe_planner import TableInputs, table_recipe
    >>> import sqlalchemy as sa
    >>> slots = sa.Table("slots", sa.MetaData(),
    ...     sa.Column("day", sa.SmallInteger, sa.CheckConstraint("day BETWEEN 1 AND 7"), primary_key=True),
    ...     sa.Column("hour", sa.SmallInteger, sa.CheckConstraint("hour BETWEEN 8 AND 17"), primary_key=True))
    >>> table_recipe(TableInputs(table_spec(slots), 50)).joints       # 50 of the 70 (day, hour) pairs
    (JointUnique(columns=('day', 'hour'), members=(('day',), ('hour',))),)
"""

from __future__ import annotations

import math
import warnings
from dataclasses import replace

from .checks import ColumnRule
from .constraints import narrow, widened_range
from .exceptions import ConstraintUnsatisfiableError, SydaError
from .generators.base import Generator, Unique
from .generators.numbers import Sequence as SequenceGen
from .generators.temporal import After
from .recipe import JointUnique, VerifiedUnique
from .recipe_draft import Draft, replan
from .specs import ColumnSpec

__all__ = ["joint_capacity", "plan_composite_unique", "unique_capable"]


def unique_capable(draft: Draft, col: ColumnSpec, gen: Generator, rule: ColumnRule | None) -> Generator:
    """``gen`` made UNIQUE; a meaning with too few values for the rows (a 4-value ``status``) gives way
    to the column type's own generator when that one has enough."""
    from .semantics import type_generator

    need = draft.need
    size = gen.domain(draft.ctx(col))
    if (size is None or size < need) and draft.plans[col.name].source in ("name", "comment", "type"):
        try:
            fallback = narrow(col, type_generator(col), rule)
        except SydaError:
            fallback = None
        wider = None if fallback is None else fallback.domain(draft.ctx(col))
        if wider is not None and wider < need and (grown := widened_range(col, fallback, rule, need)) is not None:
            fallback, wider = grown, grown.domain(draft.ctx(col))  # the type's range has room: use enough of it
        if wider is not None and wider >= need:
            why = "cannot enumerate distinct values" if size is None else \
                f"has {size} values, too few to be UNIQUE over {need} rows"
            replan(draft, col.name, fallback, f"the meaning {why}, so the type's generator is used")
            gen, size = fallback, wider
    if size is not None and size < need and (wider_range := widened_range(col, gen, rule, need)) is not None:
        replan(draft, col.name, wider_range, f"{size} values are too few to be UNIQUE over {need} rows, so the "
               "range is widened")
        gen, size = wider_range, wider_range.domain(draft.ctx(col))
    name = next((u.name for u in draft.spec.uniques if tuple(u.columns) == (col.name,) and u.name), None)
    capacity = gen.capacity(draft.ctx(col))
    if capacity is not None and capacity < need:  # the documented fallback, said in the recipe
        plan = draft.plans[col.name]
        draft.plans[col.name] = replace(plan, reason=(
            f"{plan.reason}; {gen!r} has {capacity:,} distinct values, so {need - capacity:,} of the {need:,} "
            "rows get a numeric suffix"))
    if size is None:  # nothing enumerable: draw as usual, redraw the rows that repeat a value
        own = gen.unique(name)
        if type(own) is not Unique:  # the generator checks its own uniqueness (a user's row function)
            return own
        draft.verified.append(VerifiedUnique((col.name,), None, ()))
        return gen
    return gen.unique(name)


def member_domain(draft: Draft, member: tuple[str, ...]) -> int:
    """Distinct values of one member of a composite UNIQUE: parent rows for a foreign key."""
    if member[0] in draft.foreign_keys:
        fk = draft.foreign_keys[member[0]]
        return draft.count if fk.kind == "self" else int(fk.parent_rows or 0)
    size = draft.domain(member[0])
    if size is None:
        raise ConstraintUnsatisfiableError(
            f"UNIQUE including {draft.spec.fullname}.{member[0]}: its generator {draft.generators.get(member[0])!r} "
            "cannot enumerate values; give it a unique-capable generator.")
    return size


def joint_capacity(table: str, joint: JointUnique, sizes: list[int], need: int, count: int) -> None:
    """Refuse a joint UNIQUE whose members allow fewer combinations than the rows need."""
    size = math.prod(sizes)
    if size < need:
        raise ConstraintUnsatisfiableError(
            f"UNIQUE ({', '.join(joint.columns)}) on {table!r} cannot hold {count} rows: "
            f"the columns allow only {size} distinct combinations. Lower the row count or add parent rows.")


def plan_composite_unique(draft: Draft, columns: tuple[str, ...]) -> None:
    """Decide how the composite UNIQUE ``columns`` is met (see the module docstring)."""
    for col in columns:  # already distinct through one member?
        gen = draft.generators.get(col)
        if isinstance(gen, (Unique, SequenceGen)) or (gen is not None and gen.distinct_rows):
            return
        if col in draft.foreign_keys and draft.foreign_keys[col].one_to_one:
            return
    if any(set(columns) & set(j.columns) for j in draft.joints):
        warnings.warn(f"UNIQUE {columns} of {draft.spec.fullname!r} overlaps another composite UNIQUE; "
                      "it is verified, not constructed.", stacklevel=3)
        return
    for col in columns:  # one free member with a large enough domain carries the rule alone
        gen = draft.generators.get(col)
        if col in draft.foreign_keys or gen is None or isinstance(gen, After):
            continue
        size = gen.domain(draft.ctx(draft.spec.column(col)))
        if size is not None and size >= draft.need * 4:
            draft.generators[col] = gen.unique()
            return
    if _widen_a_member(draft, columns):
        return
    members: list[tuple[str, ...]] = []
    for col in columns:
        if col in draft.foreign_keys:
            fk_cols = draft.foreign_keys[col].fk.columns
            if fk_cols not in members:
                members.append(fk_cols)
        elif draft.enumerable(col):
            members.append((col,))
        # a member that cannot enumerate its values (an ordered column, coordinates) is drawn freely:
        # the others, distinct together, already make the whole key distinct
    free = [c for c in columns if c not in draft.foreign_keys and not draft.enumerable(c) and c in draft.generators]
    joint = JointUnique(tuple(c for m in members for c in m), tuple(members), tuple(columns))
    if free and (not members or math.prod(member_domain(draft, m) for m in members) < draft.need):
        # the enumerable members alone cannot be distinct over every row: draw the free members (floats,
        # ordered columns) as usual and redraw the rows that would repeat a key
        draft.verified.append(VerifiedUnique(tuple(columns), None, ()))
        return
    if not members:
        raise ConstraintUnsatisfiableError(
            f"UNIQUE ({', '.join(columns)}) on {draft.spec.fullname!r}: none of its columns can enumerate "
            "distinct values; give one of them a unique-capable generator (e.g. an override).")
    joint_capacity(draft.spec.fullname, joint, [member_domain(draft, m) for m in joint.members], draft.need,
                   draft.count)
    draft.joints.append(joint)


def _widen_a_member(draft: Draft, columns: tuple[str, ...]) -> bool:
    """When the members' own values are too few together (``rating`` 1-5 x a boolean), let one inferred
    member fall back to its type's generator, which alone carries the UNIQUE."""
    from .semantics import type_generator

    need = draft.need * 4
    sizes = [member_domain(draft, (c,)) if c in draft.foreign_keys or draft.enumerable(c) else None
             for c in columns]
    if all(size is not None for size in sizes) and math.prod(sizes) >= draft.need:
        return False
    for col in columns:
        plan = draft.plans[col]
        if col in draft.foreign_keys or col not in draft.generators or plan.source not in ("name", "comment") \
                or draft.generators[col].depends_on:  # an ordered column keeps its ordering
            continue
        spec = draft.spec.column(col)
        try:
            fallback = narrow(spec, type_generator(spec), draft.checks.rules.get(col))
        except SydaError:
            continue
        size = fallback.domain(draft.ctx(spec))
        if size is not None and size >= need:
            draft.generators[col] = fallback.unique()
            replan(draft, col, fallback, f"its values are too few for UNIQUE ({', '.join(columns)}), so the "
                   "type's generator is used")
            return True
    return False
