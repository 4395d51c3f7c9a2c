"""The rule model: what a table's CHECK constraints demand, as data the generators read.

A :class:`ColumnRule` holds what one column's non-NULL values must meet
(bounds, allowed and forbidden values, NOT NULL, lengths, LIKE patterns,
regexes, remainders); rules from several constraints merge into the tighter
one, and a merge that leaves no value raises
:class:`~sqlalchemy_syda.exceptions.ConstraintUnsatisfiableError` naming the
constraints. An :class:`Ordering` is ``lesser < greater`` between two columns,
a :class:`ResidualCheck` a conjunct that is generated freely and verified
afterwards; :class:`CompiledChecks` gathers them for one table::

    >>> adult = ColumnRule("age", lower=18, upper=150)
    >>> adult.admits(17), adult.admits(40)
    (False, True)
    >>> adult.merge(ColumnRule("age", allowed=(10, 20, 30))).allowed
    (20, 30)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlglot import exp

from ..exceptions import ConstraintUnsatisfiableError
from ..specs import CheckSpec
from .parse import like_regex

__all__ = [
    "ColumnRule",
    "CompiledChecks",
    "LikePattern",
    "Ordering",
    "ResidualCheck",
    "describe_checks",
    "sql_remainder",
    "unique_values",
]


@dataclass(frozen=True)
class LikePattern:
    """A ``LIKE`` / ``ILIKE`` pattern a column's values must match."""

    pattern: str
    escape: str | None = None
    case_sensitive: bool = True

    @property
    def regex(self) -> re.Pattern[str]:
        """The pattern as a Python regex; use ``regex.fullmatch(value)``."""
        return like_regex(self.pattern, self.escape, case_sensitive=self.case_sensitive)


@dataclass(frozen=True)
class Ordering:
    """``lesser < greater`` (or ``<=`` when not ``strict``) between two columns of a row."""

    lesser: str
    greater: str
    strict: bool
    source: CheckSpec | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ResidualCheck:
    """A conjunct of a CHECK that was not compiled into rules: generated freely, then verified.

    Quacks like a :class:`CheckSpec` (``sqltext``, ``name``, ``column``) and can
    be passed to :func:`evaluate_check` as it is.
    """

    check: CheckSpec
    sqltext: str
    columns: frozenset[str]
    """Columns the conjunct refers to, by their names in the table when known."""
    expression: exp.Expression = field(compare=False, repr=False)

    @property
    def name(self) -> str | None:
        return self.check.name

    @property
    def column(self) -> str | None:
        return self.check.column


def describe_checks(sources: Iterable[CheckSpec]) -> str:
    return ", ".join(f"{s.name} ({s.sqltext})" if s.name else f"({s.sqltext})" for s in sources)


def unique_values(values: Iterable[Any]) -> tuple[Any, ...]:
    kept: list[Any] = []
    for value in values:
        if not any(value == k and type(value) is type(k) for k in kept):
            kept.append(value)
    return tuple(kept)


def _tighter(a: Any, a_inclusive: bool, b: Any, b_inclusive: bool, *, lower: bool) -> tuple[Any, bool]:
    """The tighter of two bounds (``None`` is no bound); equal bounds keep the exclusive one."""
    if a is None:
        return b, b_inclusive
    if b is None:
        return a, a_inclusive
    if a == b:
        return a, a_inclusive and b_inclusive
    return (a, a_inclusive) if (a > b) == lower else (b, b_inclusive)


def sql_remainder(value: int, divisor: int) -> int:
    """``value % divisor`` as SQL computes it (PostgreSQL, SQLite, MariaDB): the sign follows ``value``."""
    rest = abs(value) % abs(divisor)
    return rest if value >= 0 else -rest


def _min_or_max(a: int | None, b: int | None, pick: Callable[[int, int], int]) -> int | None:
    return b if a is None else a if b is None else pick(a, b)


@dataclass(frozen=True)
class ColumnRule:
    """What the CHECKs demand of one column's non-NULL values (NULL passes unless ``not_null``)."""

    column: str
    lower: Any = None
    lower_inclusive: bool = True
    upper: Any = None
    upper_inclusive: bool = True
    allowed: tuple[Any, ...] | None = None
    """The only values allowed (``IN``, ``=``), already filtered by the other rules."""
    forbidden: tuple[Any, ...] = ()
    not_null: bool = False
    min_length: int | None = None
    max_length: int | None = None
    like: tuple[LikePattern, ...] = ()
    regex: tuple[str, ...] = ()
    """Regexes (PostgreSQL ``~``) each value must contain: use ``re.search``."""
    modulo: tuple[tuple[int, int], ...] = ()
    """``(m, r)`` pairs: ``column % m = r``, SQL's remainder (its sign is the value's: ``-7 % 3 = -1``)."""
    sources: tuple[CheckSpec, ...] = ()

    def admits(self, value: Any) -> bool:
        """Whether a non-NULL ``value`` meets every rule (allowed and forbidden values, bounds,
        lengths, patterns). Raises TypeError when ``value`` and a bound cannot be compared."""
        if self.allowed is not None and value not in self.allowed:
            return False
        if any(value == bad for bad in self.forbidden):
            return False
        if self.lower is not None and not (value > self.lower or (self.lower_inclusive and value == self.lower)):
            return False
        if self.upper is not None and not (value < self.upper or (self.upper_inclusive and value == self.upper)):
            return False
        if isinstance(value, str):
            return self._admits_text(value)
        if self.modulo and isinstance(value, int) and not isinstance(value, bool):
            return all(sql_remainder(value, m) == r for m, r in self.modulo)
        return True

    def _admits_text(self, value: str) -> bool:
        return (
            (self.min_length is None or len(value) >= self.min_length)
            and (self.max_length is None or len(value) <= self.max_length)
            and all(p.regex.fullmatch(value) for p in self.like)
            and all(re.search(r, value) for r in self.regex)
        )

    def merge(self, other: ColumnRule) -> ColumnRule:
        """Both rules at once; raises ConstraintUnsatisfiableError when no value is left
        (TypeError when bounds or values of different types meet)."""
        lower, lower_inclusive = _tighter(
            self.lower, self.lower_inclusive, other.lower, other.lower_inclusive, lower=True)
        upper, upper_inclusive = _tighter(
            self.upper, self.upper_inclusive, other.upper, other.upper_inclusive, lower=False)
        if self.allowed is None or other.allowed is None:
            allowed = self.allowed if other.allowed is None else other.allowed
        else:
            allowed = tuple(v for v in self.allowed if v in other.allowed)
        merged = ColumnRule(
            self.column, lower=lower, lower_inclusive=lower_inclusive, upper=upper,
            upper_inclusive=upper_inclusive, allowed=allowed,
            forbidden=unique_values(self.forbidden + other.forbidden), not_null=self.not_null or other.not_null,
            min_length=_min_or_max(self.min_length, other.min_length, max),
            max_length=_min_or_max(self.max_length, other.max_length, min),
            like=unique_values(self.like + other.like), regex=unique_values(self.regex + other.regex),
            modulo=unique_values(self.modulo + other.modulo), sources=unique_values(self.sources + other.sources),
        )
        return merged.checked()

    def checked(self) -> ColumnRule:
        """This rule with ``allowed`` filtered by the others; raises when nothing is left."""
        problem = self._contradiction()
        if problem is None and self.allowed is not None:
            allowed = unique_values(v for v in self.allowed if self.admits(v))
            if not allowed:
                problem = f"none of the allowed values {self.allowed!r} meets the other rules"
            elif allowed != self.allowed:
                return replace(self, allowed=allowed)
        if problem is not None:
            raise ConstraintUnsatisfiableError(
                f"CHECK {describe_checks(self.sources)} leaves no value for column {self.column!r}: {problem}, "
                "so only NULL would pass. Fix or drop the constraint.")
        return self

    def _contradiction(self) -> str | None:
        if self.lower is not None and self.upper is not None:
            if self.lower > self.upper or (
                    self.lower == self.upper and not (self.lower_inclusive and self.upper_inclusive)):
                return f"the lower bound {self.lower!r} is not below the upper bound {self.upper!r}"
        if self.max_length is not None and self.max_length < max(self.min_length or 0, 0):
            return f"the length must be at least {self.min_length or 0} and at most {self.max_length}"
        for m, r in self.modulo:
            if abs(r) >= m:
                return f"no remainder of a division by {m} is {r}"
            other = next((r2 for m2, r2 in self.modulo if m2 == m and r2 != r), None)
            if other is not None:
                return f"the remainder of a division by {m} cannot be both {r} and {other}"
        return None


@dataclass(frozen=True)
class CompiledChecks:
    """A table's CHECKs, compiled: per-column rules, orderings, and what is left to verify."""

    rules: dict[str, ColumnRule] = field(default_factory=dict)
    orderings: tuple[Ordering, ...] = ()
    residual: tuple[ResidualCheck, ...] = ()
    """Conjuncts kept for verification with :func:`evaluate_check`."""
    unparsed: tuple[CheckSpec, ...] = ()
    """Constraints sqlglot could not read: neither compiled nor verifiable."""
