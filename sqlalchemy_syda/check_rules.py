"""CHECK constraints as rules the generators honour and as vectorised tests.

A CHECK constraint is SQL text. It is parsed once with sqlglot (the dialect
given first, then generic SQL, then PostgreSQL for its ``~`` operator) and
used in two ways.

**Compiled rules.** The constraint is split at its top-level ``AND``; each
conjunct that compares one column with literals becomes part of that column's
:class:`ColumnRule` (bounds, allowed and forbidden values, NOT NULL, length,
LIKE, regex), and a comparison of two columns becomes an :class:`Ordering`.
Rules from several constraints on one column are merged (the tighter bound
wins, value sets are intersected and filtered by the bounds); a merge that
leaves no value raises :class:`~sqlalchemy_syda.exceptions.ConstraintUnsatisfiableError`
naming the constraints. A conjunct that is anything else (``OR``, arithmetic,
``lower(code) = code``) is kept *residual*: generated freely, then verified::

    >>> from sqlalchemy_syda.specs import CheckSpec
    >>> compiled = compile_checks(
    ...     [CheckSpec("age >= 18 AND age < 150 AND status IN ('a', 'b', 'c')", name="ck_people"),
    ...      CheckSpec("status <> 'c'"),
    ...      CheckSpec("ends_at > starts_at"),
    ...      CheckSpec("discount IS NULL OR discount < price")],
    ...     columns=["age", "status", "starts_at", "ends_at", "discount", "price"])
    >>> compiled.rules["age"].lower, compiled.rules["age"].upper, compiled.rules["status"].allowed
    (18, 150, ('a', 'b'))
    >>> compiled.orderings[0].lesser, compiled.orderings[0].greater
    ('starts_at', 'ends_at')
    >>> [r.sqltext for r in compiled.residual]
    ['discount IS NULL OR discount < price']

Literals become Python values: integers, floats (``NUMERIC`` literals too),
strings, booleans and ``None``; date literals stay strings (``'2020-01-01'``),
since only the caller knows the column's kind. PostgreSQL's reflected forms
(``(price > (0)::numeric)``, ``(status)::text = ANY (ARRAY[...])``,
``(email)::text ~~ '%@%'::text``) compile like the plain ones.

**Vectorised evaluation.** :func:`evaluate_check` runs a constraint over whole
columns with numpy and SQL's three-valued logic. A row passes unless the
expression is FALSE, so a NULL (unknown) result passes, as in the database::

    >>> import numpy as np
    >>> evaluate_check("price > 0 AND qty BETWEEN 1 AND 10",
    ...                {"price": np.array([1.5, -1.0, np.nan]), "qty": np.array([3, 3, 30])})
    array([ True, False, False])

Columns may be int/float/bool/``datetime64`` arrays or object arrays of str,
``Decimal``, ``date`` or ``datetime``; ``None``/NaN/NaT and the ``nulls`` masks
mark NULLs. Date columns compare with string literals (``'2020-01-01'``).
Anything the evaluator does not know raises :class:`UnsupportedCheckError`
naming the construct, so the caller can skip the verification.

Known limits, where databases differ and the evaluator picks one behaviour:
division or modulo by zero gives NULL (SQLite; PostgreSQL rejects the row);
``lower``/``upper`` fold all of Unicode (SQLite folds ASCII only); LIKE ignores
ASCII case on SQLite and MySQL, and ``=`` is always case-sensitive; an integer
column holding NULLs must come as an int array with a ``nulls`` mask, not as
floats with NaN, for ``/`` to divide as integers; unparseable strings cast to
numbers or dates become NULL.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache, reduce
from typing import Any

import numpy as np
import pandas as pd
import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from .exceptions import ConstraintUnsatisfiableError, SydaError
from .specs import CheckSpec

__all__ = [
    "CheckLike",
    "ColumnRule",
    "CompiledChecks",
    "LikePattern",
    "Ordering",
    "ResidualCheck",
    "UnsupportedCheckError",
    "check_columns",
    "compile_checks",
    "evaluate_check",
    "evaluate_predicate",
    "like_regex",
    "match_column",
    "parse_check",
    "sql_remainder",
]


class UnsupportedCheckError(SydaError):
    """A CHECK that cannot be parsed, or holds a construct the evaluator does not know."""


# --------------------------------------------------------------------------- parsing

_DIALECT_NAMES = {"postgresql": "postgres", "mariadb": "mysql", "mssql": "tsql"}


def _sqlglot_dialect(dialect: str | None) -> str | None:
    """sqlglot's name for a SQLAlchemy dialect name (``postgresql+psycopg`` -> ``postgres``)."""
    if not dialect:
        return None
    name = dialect.lower().split("+")[0]
    return _DIALECT_NAMES.get(name, name)


def _readers(dialect: str | None) -> tuple[str | None, ...]:
    return tuple(dict.fromkeys((dialect, None, "postgres")))


def _is_predicate_tree(statements: list[exp.Expression | None]) -> bool:
    """One expression, not a query, with no alias (sqlglot reads ``x > 1 y`` as an alias)."""
    if len(statements) != 1 or statements[0] is None:
        return False
    tree = statements[0]
    return not isinstance(tree, exp.Query | exp.Command) and tree.find(exp.Alias) is None


@lru_cache(maxsize=2048)
def _parse(text: str, dialect: str | None) -> tuple[exp.Expression, str | None]:
    """The tree of ``text`` and the dialect that read it; shared, so never mutated."""
    problems = []
    for reader in _readers(dialect):
        try:
            statements = sqlglot.parse(text, read=reader)
        except (SqlglotError, ValueError) as error:  # an unknown dialect name is a ValueError
            problems.append(f"{reader or 'generic SQL'}: {str(error).splitlines()[0]}")
            continue
        if _is_predicate_tree(statements):
            return statements[0], reader
        problems.append(f"{reader or 'generic SQL'}: not a single boolean expression")
    raise UnsupportedCheckError(f"cannot parse CHECK ({text}): " + "; ".join(problems))


def parse_check(text: str, dialect: str | None = None) -> exp.Expression:
    """The sqlglot tree of a CHECK's SQL text (cached and shared: do not mutate it).

    ``dialect`` is a SQLAlchemy or sqlglot dialect name; generic SQL and then
    PostgreSQL are tried when it fails. Raises :class:`UnsupportedCheckError`.
    """
    return _parse(text.strip(), _sqlglot_dialect(dialect))[0]


def check_columns(text: str, dialect: str | None = None) -> set[str]:
    """Names of the columns a CHECK refers to, as written, without table qualifiers."""
    return {column.name for column in parse_check(text, dialect).find_all(exp.Column)}


def match_column(name: str, columns: Iterable[str]) -> str | None:
    """The member of ``columns`` that ``name`` refers to: the exact name, else the
    only case-insensitive match, else ``None``."""
    candidates = list(columns)
    if name in candidates:
        return name
    folded = [column for column in candidates if column.casefold() == name.casefold()]
    return folded[0] if len(folded) == 1 else None


# --------------------------------------------------------------------------- rules


def _like_source(pattern: str, escape: str | None) -> str:
    """The regex source (for a full match) of a LIKE pattern."""
    parts, chars = [], iter(pattern)
    for char in chars:
        if escape and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


@lru_cache(maxsize=512)
def like_regex(pattern: str, escape: str | None = None, *, case_sensitive: bool = True) -> re.Pattern[str]:
    """A Python regex that ``fullmatch``-es exactly the strings ``LIKE pattern`` accepts."""
    flags = re.DOTALL if case_sensitive else re.DOTALL | re.IGNORECASE
    return re.compile(_like_source(pattern, escape), flags)


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


def _describe(sources: Iterable[CheckSpec]) -> str:
    return ", ".join(f"{s.name} ({s.sqltext})" if s.name else f"({s.sqltext})" for s in sources)


def _unique(values: Iterable[Any]) -> tuple[Any, ...]:
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
            forbidden=_unique(self.forbidden + other.forbidden), not_null=self.not_null or other.not_null,
            min_length=_min_or_max(self.min_length, other.min_length, max),
            max_length=_min_or_max(self.max_length, other.max_length, min),
            like=_unique(self.like + other.like), regex=_unique(self.regex + other.regex),
            modulo=_unique(self.modulo + other.modulo), sources=_unique(self.sources + other.sources),
        )
        return merged.checked()

    def checked(self) -> ColumnRule:
        """This rule with ``allowed`` filtered by the others; raises when nothing is left."""
        problem = self._contradiction()
        if problem is None and self.allowed is not None:
            allowed = _unique(v for v in self.allowed if self.admits(v))
            if not allowed:
                problem = f"none of the allowed values {self.allowed!r} meets the other rules"
            elif allowed != self.allowed:
                return replace(self, allowed=allowed)
        if problem is not None:
            raise ConstraintUnsatisfiableError(
                f"CHECK {_describe(self.sources)} leaves no value for column {self.column!r}: {problem}, "
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


_FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "=", "<>": "<>"}
_NEGATED = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "=": "<>", "<>": "="}
_OPERATORS: dict[type[exp.Expression], str] = {
    exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<=", exp.EQ: "=", exp.NEQ: "<>"}
_NO_VALUE = object()


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def _literal_value(node: exp.Expression) -> Any:
    """The Python value of a constant (through parentheses, casts, unary minus), else _NO_VALUE."""
    if isinstance(node, exp.Paren | exp.Cast):
        return _literal_value(node.this)
    if isinstance(node, exp.Neg):
        value = _literal_value(node.this)
        return -value if isinstance(value, int | float) and not isinstance(value, bool) else _NO_VALUE
    if isinstance(node, exp.Literal):
        return node.this if node.is_string else _number(node.this)
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    if isinstance(node, exp.Null):
        return None
    if isinstance(node, exp.HexString):
        return int(node.this, 16)
    return _NO_VALUE


def _is_transparent_cast(node: exp.Expression) -> bool:
    """A cast that keeps a column's values comparable as they are (to text, or to a non-integer number)."""
    if not isinstance(node, exp.Cast):
        return False
    target = node.to.this
    return target in exp.DataType.TEXT_TYPES or (
        target in exp.DataType.NUMERIC_TYPES and target not in exp.DataType.INTEGER_TYPES)


def _column_of(node: exp.Expression, columns: tuple[str, ...]) -> str | None:
    while isinstance(node, exp.Paren) or _is_transparent_cast(node):
        node = node.this
    return match_column(node.name, columns) if isinstance(node, exp.Column) else None


def _length_of(node: exp.Expression, columns: tuple[str, ...]) -> tuple[str, bool] | None:
    """``(column, counts bytes)`` when ``node`` is ``length(column)``."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Length):
        column = _column_of(node.this, columns)
        return (column, bool(node.args.get("binary"))) if column else None
    return None


def _remainder_of(node: exp.Expression, columns: tuple[str, ...]) -> tuple[str, int] | None:
    """``(column, m)`` when ``node`` is ``column % m`` or ``mod(column, m)`` with a non-zero integer ``m``."""
    while isinstance(node, exp.Paren):
        node = node.this
    if not isinstance(node, exp.Mod):
        return None
    column, divisor = _column_of(node.this, columns), _literal_value(node.expression)
    if column and type(divisor) is int and divisor:
        return column, abs(divisor)
    return None


def _quantified(node: exp.Expression) -> tuple[str, list[exp.Expression]] | None:
    """``("ANY" | "ALL", items)`` for ``ANY (ARRAY[...])`` / ``ALL (ARRAY[...])`` (PostgreSQL)."""
    if isinstance(node, exp.Any | exp.All):
        quantifier, inner = ("ANY" if isinstance(node, exp.Any) else "ALL"), node.this
    elif isinstance(node, exp.Anonymous) and node.name.upper() in ("ANY", "ALL") and len(node.expressions) == 1:
        quantifier, inner = node.name.upper(), node.expressions[0]
    else:
        return None
    while isinstance(inner, exp.Paren | exp.Cast):
        inner = inner.this
    return (quantifier, list(inner.expressions)) if isinstance(inner, exp.Array) else None


def _strip_not(node: exp.Expression) -> tuple[exp.Expression, bool]:
    negated = False
    while isinstance(node, exp.Paren | exp.Not):
        negated ^= isinstance(node, exp.Not)
        node = node.this
    return node, negated


def _conjuncts(node: exp.Expression) -> list[exp.Expression]:
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.And):
        return _conjuncts(node.this) + _conjuncts(node.expression)
    return [node]


class _Compiler:
    """Turns one conjunct of one CHECK into a ColumnRule, an Ordering or None (residual)."""

    def __init__(self, check: CheckSpec, columns: tuple[str, ...], dialect: str | None) -> None:
        self.check, self.columns, self.dialect = check, columns, dialect

    def rule(self, column: str, **facts: Any) -> ColumnRule:
        return ColumnRule(column, sources=(self.check,), **facts)

    def compile(self, node: exp.Expression) -> ColumnRule | Ordering | None:
        node, negated = _strip_not(node)
        if isinstance(node, exp.Is):
            return self._is(node, negated ^ bool(node.args.get("negate")))
        if isinstance(node, exp.In):
            return self._in(node, negated)
        if type(node) in _OPERATORS:
            operator = _OPERATORS[type(node)]
            return self._comparison(_NEGATED[operator] if negated else operator, node.this, node.expression)
        if negated or node.args.get("negate"):
            return None
        if isinstance(node, exp.Or):
            return self._null_or(node)
        if isinstance(node, exp.Between):
            return self._between(node)
        if isinstance(node, exp.Like | exp.ILike | exp.Escape):
            return self._like(node)
        if isinstance(node, exp.RegexpLike | exp.RegexpILike):
            return self._regex(node)
        return None

    def _null_or(self, node: exp.Or) -> ColumnRule | None:
        """``x IS NULL OR <rule on x>`` is the rule itself: a ColumnRule binds only non-NULL values."""
        for null_side, other in ((node.this, node.expression), (node.expression, node.this)):
            inner, negated = _strip_not(null_side)
            if not isinstance(inner, exp.Is) or negated or inner.args.get("negate") \
                    or not isinstance(inner.expression, exp.Null):
                continue
            column = _column_of(inner.this, self.columns)
            compiled = self.compile(other)
            if column and isinstance(compiled, ColumnRule) and compiled.column == column and not compiled.not_null:
                return compiled
        return None

    def _is(self, node: exp.Is, negated: bool) -> ColumnRule | None:
        column = _column_of(node.this, self.columns)
        if column and negated and isinstance(node.expression, exp.Null):
            return self.rule(column, not_null=True)
        return None

    def _in(self, node: exp.In, negated: bool) -> ColumnRule | None:
        column = _column_of(node.this, self.columns)
        values = [_literal_value(item) for item in node.expressions]
        if not column or node.args.get("query") or not values or _NO_VALUE in values:
            return None
        return self._value_set(column, values, allowed=not negated)

    def _value_set(self, column: str, values: list[Any], *, allowed: bool) -> ColumnRule | None:
        if not allowed:  # x NOT IN (1, NULL) still rules out 1
            return self.rule(column, forbidden=_unique(v for v in values if v is not None))
        if None in values:  # x IN (1, NULL) is NULL, so passes, for every other x
            return None
        return self.rule(column, allowed=_unique(values))

    def _comparison(self, operator: str, left: exp.Expression, right: exp.Expression):
        quantified = _quantified(right)
        if quantified:
            return self._quantified_comparison(operator, left, *quantified)
        if _literal_value(left) is not _NO_VALUE and _literal_value(right) is _NO_VALUE:
            operator, left, right = _FLIPPED[operator], right, left
        value = _literal_value(right)
        if value is _NO_VALUE:
            return self._ordering(operator, left, right)
        if value is None:  # a comparison with NULL is never false
            return None
        if column := _column_of(left, self.columns):
            return self._bound(column, operator, value)
        if length := _length_of(left, self.columns):
            return self._length(*length, operator, value)
        if (remainder := _remainder_of(left, self.columns)) and operator == "=" and type(value) is int:
            column, divisor = remainder
            return self.rule(column, modulo=((divisor, value),))
        return None

    def _quantified_comparison(self, operator: str, left: exp.Expression, quantifier: str,
                               items: list[exp.Expression]) -> ColumnRule | None:
        column = _column_of(left, self.columns)
        values = [_literal_value(item) for item in items]
        if not column or _NO_VALUE in values:
            return None
        if (operator, quantifier) == ("=", "ANY"):
            return self._value_set(column, values, allowed=True)
        if (operator, quantifier) == ("<>", "ALL"):
            return self._value_set(column, values, allowed=False)
        return None

    def _bound(self, column: str, operator: str, value: Any) -> ColumnRule:
        if operator == "=":
            return self.rule(column, allowed=(value,))
        if operator == "<>":
            return self.rule(column, forbidden=(value,))
        if operator in (">", ">="):
            return self.rule(column, lower=value, lower_inclusive=operator == ">=")
        return self.rule(column, upper=value, upper_inclusive=operator == "<=")

    def _length(self, column: str, counts_bytes: bool, operator: str, value: Any) -> ColumnRule | None:
        if not isinstance(value, int | float) or isinstance(value, bool) or operator == "<>":
            return None
        low = {">": math.floor(value) + 1, ">=": math.ceil(value), "=": value}.get(operator)
        high = {"<": math.ceil(value) - 1, "<=": math.floor(value), "=": value}.get(operator)
        if operator == "=" and value != int(value):
            low, high = 1, 0  # no length equals 2.5
        if counts_bytes and high is not None:  # a byte limit is not a character limit
            return None
        return self.rule(column, min_length=None if low is None else max(int(low), 0),
                         max_length=None if high is None else int(high))

    def _ordering(self, operator: str, left: exp.Expression, right: exp.Expression) -> Ordering | None:
        lesser, greater = _column_of(left, self.columns), _column_of(right, self.columns)
        if not lesser or not greater or lesser == greater or operator in ("=", "<>"):
            return None
        if operator in (">", ">="):
            lesser, greater = greater, lesser
        return Ordering(lesser, greater, strict=operator in ("<", ">"), source=self.check)

    def _between(self, node: exp.Between) -> ColumnRule | None:
        low, high = _literal_value(node.args["low"]), _literal_value(node.args["high"])
        if node.args.get("symmetric") or low in (_NO_VALUE, None) or high in (_NO_VALUE, None):
            return None
        if column := _column_of(node.this, self.columns):
            return self.rule(column, lower=low, upper=high)
        if (length := _length_of(node.this, self.columns)) and not length[1]:
            low_rule, high_rule = self._length(*length, ">=", low), self._length(*length, "<=", high)
            if low_rule and high_rule:
                return low_rule.merge(high_rule)
        return None

    def _like(self, node: exp.Expression) -> ColumnRule | None:
        escape = None
        if isinstance(node, exp.Escape):
            escape, node = _literal_value(node.expression), node.this
            if not isinstance(node, exp.Like | exp.ILike) or node.args.get("negate"):
                return None
        column, pattern = _column_of(node.this, self.columns), _literal_value(node.expression)
        if not column or not isinstance(pattern, str) or not isinstance(escape, str | None):
            return None
        case_sensitive = isinstance(node, exp.Like) and self.dialect not in _CASE_INSENSITIVE_LIKE
        return self.rule(column, like=(LikePattern(pattern, escape, case_sensitive),))

    def _regex(self, node: exp.Expression) -> ColumnRule | None:
        column, pattern = _column_of(node.this, self.columns), _literal_value(node.expression)
        if not column or not isinstance(pattern, str):
            return None
        return self.rule(column, regex=("(?i)" + pattern if isinstance(node, exp.RegexpILike) else pattern,))


_CASE_INSENSITIVE_LIKE = ("sqlite", "mysql")


def _residual(check: CheckSpec, node: exp.Expression, columns: tuple[str, ...],
              dialect: str | None) -> ResidualCheck:
    names = frozenset(match_column(c.name, columns) or c.name for c in node.find_all(exp.Column))
    return ResidualCheck(check, node.sql(dialect=dialect), names, node)


def _ordering_conflict(ordering: Ordering, rules: Mapping[str, ColumnRule]) -> str | None:
    """Why the bounds of the two columns make ``ordering`` impossible, if they do."""
    lesser, greater = rules.get(ordering.lesser), rules.get(ordering.greater)
    if lesser is None or greater is None or lesser.lower is None or greater.upper is None:
        return None
    try:
        touching = lesser.lower == greater.upper and (
            ordering.strict or not (lesser.lower_inclusive and greater.upper_inclusive))
        if lesser.lower > greater.upper or touching:
            return (f"{ordering.lesser!r} must be at least {lesser.lower!r} but below "
                    f"{ordering.greater!r}, which is at most {greater.upper!r}")
    except TypeError:
        pass
    return None


def compile_checks(checks: Iterable[CheckSpec], columns: Iterable[str],
                   dialect: str | None = None) -> CompiledChecks:
    """Compile a table's CHECK constraints into rules the generators honour.

    ``columns`` are the table's column names (references match them exactly,
    else case-insensitively); ``dialect`` is the database's (SQLAlchemy or
    sqlglot name). Raises ConstraintUnsatisfiableError, naming the constraints
    and the column, when the rules leave no non-NULL value.
    """
    names, sql_dialect = tuple(columns), _sqlglot_dialect(dialect)
    rules: dict[str, ColumnRule] = {}
    orderings: list[Ordering] = []
    residual: list[ResidualCheck] = []
    unparsed: list[CheckSpec] = []
    for check in checks:
        try:
            tree, reader = _parse(check.sqltext.strip(), sql_dialect)
        except UnsupportedCheckError:
            unparsed.append(check)
            continue
        compiler = _Compiler(check, names, sql_dialect)
        for conjunct in _conjuncts(tree):
            try:
                compiled = compiler.compile(conjunct)
                if isinstance(compiled, ColumnRule):
                    current = rules.get(compiled.column)
                    rules[compiled.column] = compiled.checked() if current is None else current.merge(compiled)
                elif isinstance(compiled, Ordering) and compiled not in orderings:
                    orderings.append(compiled)
            except TypeError:  # bounds or values of different types: leave it to the verifier
                compiled = None
            if compiled is None:
                residual.append(_residual(check, conjunct, names, reader))
    for ordering in orderings:
        if problem := _ordering_conflict(ordering, rules):
            sources = [ordering.source, *rules[ordering.lesser].sources, *rules[ordering.greater].sources]
            raise ConstraintUnsatisfiableError(
                f"CHECK {_describe(_unique(s for s in sources if s))} cannot hold together: {problem}. "
                "Fix or drop one of the constraints.")
    return CompiledChecks(rules, tuple(orderings), tuple(residual), tuple(unparsed))


# --------------------------------------------------------------------------- evaluation

_STRING = np.dtypes.StringDType()
_KINDS_OF_INFERRED = {
    "string": "string", "empty": "null", "integer": "number", "floating": "number",
    "mixed-integer-float": "number", "decimal": "number", "boolean": "boolean",
    "date": "datetime", "datetime": "datetime", "datetime64": "datetime",
}


@dataclass(frozen=True)
class _Values:
    """A column or constant under evaluation: data, NULL mask and kind.

    ``kind`` is ``number``, ``string``, ``boolean``, ``datetime`` or ``null``;
    constants are 0-d arrays that broadcast against columns. Data under the
    NULL mask is arbitrary.
    """

    data: np.ndarray
    null: np.ndarray
    kind: str

    @staticmethod
    def constant(value: Any, kind: str) -> _Values:
        dtype = _STRING if kind == "string" else None
        return _Values(np.asarray(value, dtype=dtype), np.asarray(False), kind)

    @property
    def true(self) -> np.ndarray:
        return self.data & ~self.null

    @property
    def false(self) -> np.ndarray:
        return ~self.data & ~self.null


_UNKNOWN = _Values(np.asarray(False), np.asarray(True), "null")
"""NULL of no type: a NULL literal, an all-NULL column, and whatever is computed from them."""


def _column_values(name: str, array: Any, null: np.ndarray) -> _Values:
    """A column array as _Values: NULLs from the mask and from None / NaN / NaT."""
    data = np.asarray(array)
    if isinstance(data.dtype, np.dtypes.StringDType):
        return _Values(data, null, "string")
    kind_code = data.dtype.kind
    if kind_code in "iu":
        return _Values(data.astype(np.int64, copy=False), null, "number")
    if kind_code == "f":
        return _Values(data.astype(np.float64, copy=False), null | np.isnan(data), "number")
    if kind_code == "b":
        return _Values(data, null, "boolean")
    if kind_code == "M":
        return _Values(data, null | np.isnat(data), "datetime")
    if kind_code == "U":
        return _Values(data.astype(_STRING), null, "string")
    if kind_code == "O":
        return _object_values(name, data, null | pd.isna(data))
    raise UnsupportedCheckError(f"column {name!r} has dtype {data.dtype}, which CHECKs cannot be evaluated on")


def _object_values(name: str, data: np.ndarray, null: np.ndarray) -> _Values:
    inferred = pd.api.types.infer_dtype(data, skipna=True)
    kind = _KINDS_OF_INFERRED.get(inferred)
    if kind is None:
        raise UnsupportedCheckError(f"column {name!r} holds {inferred} values, which CHECKs cannot be evaluated on")
    if kind == "null":
        return _Values(np.zeros(len(data), dtype=bool), np.ones(len(data), dtype=bool), "null")
    if kind == "datetime":
        return _Values(_datetimes(data), null, kind)
    filler = {"string": "", "number": 0, "boolean": False}[kind]
    filled = np.where(null, filler, data)
    if kind == "string":
        return _Values(filled.astype(_STRING), null, kind)
    if kind == "boolean":
        return _Values(filled.astype(bool), null, kind)
    try:
        return _Values(filled.astype(np.int64 if inferred == "integer" else np.float64), null, kind)
    except OverflowError:  # Python ints beyond 64 bits
        return _Values(filled.astype(np.float64), null, kind)


def _datetimes(data: np.ndarray) -> np.ndarray:
    """Dates, datetimes or ISO strings as naive datetime64 (aware ones in UTC); bad values NaT."""
    parsed = pd.to_datetime(np.atleast_1d(data).ravel(), errors="coerce", utc=True, format="ISO8601")
    return parsed.tz_localize(None).to_numpy().reshape(np.shape(data))


def _as_datetime(values: _Values) -> _Values:
    if values.kind in ("datetime", "null"):
        return values
    if values.kind != "string":
        raise UnsupportedCheckError(f"cannot use a {values.kind} as a date")
    parsed = _datetimes(np.where(values.null, "", values.data).astype(object))
    return _Values(parsed, values.null | np.isnat(parsed), "datetime")


def _as_number(values: _Values) -> _Values:
    if values.kind in ("number", "null"):
        return values
    if values.kind == "boolean":
        return _Values(values.data.astype(np.int64), values.null, "number")
    if values.kind == "string":
        parsed = pd.to_numeric(np.atleast_1d(values.data.astype(object)).ravel(), errors="coerce")
        parsed = np.asarray(parsed, dtype=np.float64).reshape(np.shape(values.data))
        null = values.null | np.isnan(parsed)
        if np.all(null | ((parsed == np.trunc(parsed)) & (np.abs(parsed) < 2**53))):
            parsed = np.where(null, 0, parsed).astype(np.int64)  # '10' divides as an integer
        return _Values(parsed, null, "number")
    raise UnsupportedCheckError(f"cannot use a {values.kind} as a number")


def _as_text(values: _Values) -> _Values:
    if values.kind in ("string", "null"):
        return values
    if values.kind == "number":
        return _Values(values.data.astype(_STRING), values.null, "string")
    if values.kind == "datetime":
        text = np.datetime_as_string(values.data)
        return _Values(np.strings.replace(text.astype(_STRING), "T", " "), values.null, "string")
    raise UnsupportedCheckError(f"cannot use a {values.kind} as text")


def _comparable(left: _Values, right: _Values) -> tuple[_Values, _Values]:
    """Both sides in one kind, converting as the databases do with literals."""
    kinds = {left.kind, right.kind}
    if len(kinds) == 1 or "null" in kinds:
        return left, right
    if kinds == {"number", "boolean"}:
        return _as_number(left), _as_number(right)
    if kinds == {"datetime", "string"}:
        return _as_datetime(left), _as_datetime(right)
    text = left if left.kind == "string" else right
    if kinds == {"number", "string"} and text.data.ndim == 0:  # price > '10'
        return _as_number(left), _as_number(right)
    raise UnsupportedCheckError(f"comparing a {left.kind} with a {right.kind}")


def _truth(values: _Values) -> _Values:
    if values.kind == "boolean":
        return values
    if values.kind == "null":
        return _Values(values.data.astype(bool), values.null, "boolean")
    if values.kind == "number":
        return _Values(values.data != 0, values.null, "boolean")
    raise UnsupportedCheckError(f"a {values.kind} used as a condition")


def _and(left: _Values, right: _Values) -> _Values:
    left, right = _truth(left), _truth(right)
    true, false = left.true & right.true, left.false | right.false
    return _Values(true, ~(true | false), "boolean")


def _or(left: _Values, right: _Values) -> _Values:
    left, right = _truth(left), _truth(right)
    true, false = left.true | right.true, left.false & right.false
    return _Values(true, ~(true | false), "boolean")


def _not(values: _Values) -> _Values:
    values = _truth(values)
    return _Values(~values.data, values.null, "boolean")


_COMPARISONS: dict[type[exp.Expression], Callable[..., np.ndarray]] = {
    exp.EQ: np.equal, exp.NEQ: np.not_equal, exp.GT: np.greater,
    exp.GTE: np.greater_equal, exp.LT: np.less, exp.LTE: np.less_equal,
}
_INTEGER_DIVISION = ("sqlite", "postgres", "tsql", "oracle")


def _compare(compare: Callable[..., np.ndarray], left: _Values, right: _Values) -> _Values:
    left, right = _comparable(left, right)
    if "null" in (left.kind, right.kind):
        return _Values(np.asarray(False), np.asarray(True), "boolean")
    return _Values(compare(left.data, right.data), left.null | right.null, "boolean")


def _null_safe_equal(left: _Values, right: _Values) -> _Values:
    left, right = _comparable(left, right)
    both_null, one_null = left.null & right.null, left.null ^ right.null
    if "null" in (left.kind, right.kind):
        return _Values(both_null, np.asarray(False), "boolean")
    equal = np.equal(left.data, right.data) & ~one_null
    return _Values(equal | both_null, np.zeros(np.shape(equal), dtype=bool), "boolean")


def _truncating_divide(dividend: np.ndarray, divisor: np.ndarray) -> np.ndarray:
    """Integer division rounding towards zero, as SQL does (numpy floors)."""
    quotient = np.floor_divide(dividend, divisor)
    inexact = (quotient * divisor != dividend) & ((dividend < 0) != (divisor < 0))
    return quotient + inexact


def _regex_matches(values: _Values, source: str, flags: int, *, full: bool) -> _Values:
    series = pd.Series(np.atleast_1d(values.data).astype(object), dtype=object)
    found = series.str.fullmatch(source, flags=flags) if full else series.str.contains(source, flags=flags)
    data = found.to_numpy(dtype=bool, na_value=False).reshape(np.shape(values.data))
    return _Values(data, values.null, "boolean")


class _Evaluator:
    """Evaluates one tree over the columns, node by node, each node over all rows at once."""

    def __init__(self, columns: Mapping[str, Any], nulls: Mapping[str, Any], rows: int,
                 dialect: str | None) -> None:
        self.columns, self.nulls, self.rows, self.dialect = columns, nulls, rows, dialect
        self.loaded: dict[str, _Values] = {}

    def eval(self, node: exp.Expression) -> _Values:
        for cls in type(node).__mro__:
            if handler := _HANDLERS.get(cls):
                result = handler(self, node)
                return _not(result) if node.args.get("negate") else result
        what = f"function {node.name}()" if isinstance(node, exp.Anonymous) else node.key.upper()
        raise UnsupportedCheckError(f"{what} in {node.sql()!r}")

    def operands(self, node: exp.Expression) -> tuple[_Values, _Values]:
        return self.eval(node.this), self.eval(node.expression)

    def text(self, node: exp.Expression) -> _Values:
        values = self.eval(node)
        if values.kind not in ("string", "null"):
            raise UnsupportedCheckError(f"a {values.kind} where text is expected: {node.sql()!r}")
        return values

    def pattern(self, node: exp.Expression) -> str:
        value = _literal_value(node)
        if not isinstance(value, str):
            raise UnsupportedCheckError(f"a pattern that is not a string literal: {node.sql()!r}")
        return value

    def column(self, node: exp.Column) -> _Values:
        name = match_column(node.name, self.columns)
        if name is None:
            raise UnsupportedCheckError(
                f"column {node.name!r} is not among the columns given ({', '.join(self.columns)})")
        if name not in self.loaded:
            array = self.columns[name]
            if len(array) != self.rows:
                raise ValueError(f"column {name!r} has {len(array)} rows, expected {self.rows}")
            null = np.zeros(self.rows, dtype=bool)
            if (mask := self.nulls.get(name)) is not None:
                null |= np.asarray(mask, dtype=bool)
            self.loaded[name] = _column_values(name, array, null)
        return self.loaded[name]

    def literal(self, node: exp.Expression) -> _Values:
        value = _literal_value(node)
        if value is None:
            return _UNKNOWN
        if isinstance(value, str):
            return _Values.constant(value, "string")
        if isinstance(value, bool):
            return _Values.constant(value, "boolean")
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            value = float(value)
        return _Values.constant(value, "number")

    def comparison(self, node: exp.Expression) -> _Values:
        compare = _COMPARISONS[type(node)]
        left = self.eval(node.this)
        if quantified := _quantified(node.expression):
            quantifier, items = quantified
            results = [_compare(compare, left, self.eval(item)) for item in items]
            combine, start = (_or, False) if quantifier == "ANY" else (_and, True)
            return reduce(combine, results, _Values.constant(start, "boolean"))
        return _compare(compare, left, self.eval(node.expression))

    def in_list(self, node: exp.In) -> _Values:
        if node.args.get("query") or node.args.get("unnest") or node.args.get("field"):
            raise UnsupportedCheckError(f"IN over a subquery: {node.sql()!r}")
        left = self.eval(node.this)
        results = [_compare(np.equal, left, self.eval(item)) for item in node.expressions]
        return reduce(_or, results, _Values.constant(False, "boolean"))

    def between(self, node: exp.Between) -> _Values:
        subject, low, high = self.eval(node.this), self.eval(node.args["low"]), self.eval(node.args["high"])
        result = _and(_compare(np.greater_equal, subject, low), _compare(np.less_equal, subject, high))
        if node.args.get("symmetric"):
            swapped = _and(_compare(np.greater_equal, subject, high), _compare(np.less_equal, subject, low))
            result = _or(result, swapped)
        return result

    def is_(self, node: exp.Is) -> _Values:
        subject, target = self.eval(node.this), node.expression
        if isinstance(target, exp.Null):
            return _Values(subject.null, np.zeros(np.shape(subject.null), dtype=bool), "boolean")
        if isinstance(target, exp.Boolean):
            truth = _truth(subject)
            data = truth.true if target.this else truth.false
            return _Values(data, np.zeros(np.shape(data), dtype=bool), "boolean")
        return _null_safe_equal(subject, self.eval(target))

    def like(self, node: exp.Expression, escape: str | None = None) -> _Values:
        subject, pattern = self.text(node.this), self.pattern(node.expression)
        flags = re.DOTALL
        if isinstance(node, exp.ILike):
            flags |= re.IGNORECASE
        elif self.dialect in _CASE_INSENSITIVE_LIKE:
            flags |= re.IGNORECASE | re.ASCII
        if subject.kind == "null":
            return _truth(subject)
        return _regex_matches(subject, _like_source(pattern, escape), flags, full=True)

    def escape(self, node: exp.Escape) -> _Values:
        like = node.this
        if not isinstance(like, exp.Like | exp.ILike):
            raise UnsupportedCheckError(f"ESCAPE outside LIKE: {node.sql()!r}")
        result = self.like(like, self.pattern(node.expression))
        return _not(result) if like.args.get("negate") else result

    def regex(self, node: exp.Expression) -> _Values:
        subject, pattern = self.text(node.this), self.pattern(node.expression)
        flags = re.IGNORECASE if isinstance(node, exp.RegexpILike) else 0
        if subject.kind == "null":
            return _truth(subject)
        return _regex_matches(subject, pattern, flags, full=False)

    def arithmetic(self, node: exp.Expression) -> _Values:
        left, right = (_as_number(v) for v in self.operands(node))
        if "null" in (left.kind, right.kind):
            return _UNKNOWN
        null = left.null | right.null
        if isinstance(node, exp.Div | exp.Mod):
            zero = right.data == 0
            return self._divide(node, left.data, np.where(zero, 1, right.data), null | zero)
        operation = {exp.Add: np.add, exp.Sub: np.subtract, exp.Mul: np.multiply}[type(node)]
        return _Values(operation(left.data, right.data), null, "number")

    def _divide(self, node: exp.Expression, dividend: np.ndarray, divisor: np.ndarray,
                null: np.ndarray) -> _Values:
        integers = dividend.dtype.kind == "i" and divisor.dtype.kind == "i"
        if isinstance(node, exp.Mod):
            if self.dialect == "sqlite" and not integers:  # SQLite takes % of the integer parts
                dividend, divisor = np.trunc(dividend), np.trunc(divisor)
                null = null | (divisor == 0)
                divisor = np.where(divisor == 0, 1, divisor)
            return _Values(np.fmod(dividend, divisor), null, "number")
        if integers and (node.args.get("typed") or self.dialect in _INTEGER_DIVISION):
            return _Values(_truncating_divide(dividend, divisor), null, "number")
        return _Values(np.true_divide(dividend, divisor), null, "number")

    def negative(self, node: exp.Neg) -> _Values:
        values = _as_number(self.eval(node.this))
        return values if values.kind == "null" else _Values(np.negative(values.data), values.null, "number")

    def absolute(self, node: exp.Abs) -> _Values:
        values = _as_number(self.eval(node.this))
        return values if values.kind == "null" else _Values(np.abs(values.data), values.null, "number")

    def concat(self, node: exp.DPipe) -> _Values:
        left, right = (_as_text(v) for v in self.operands(node))
        if "null" in (left.kind, right.kind):
            return _UNKNOWN
        return _Values(np.strings.add(left.data, right.data), left.null | right.null, "string")

    def length(self, node: exp.Length) -> _Values:
        values = self.text(node.this)
        if values.kind == "null":
            return values
        data = np.strings.encode(values.data, "utf-8") if node.args.get("binary") else values.data
        return _Values(np.strings.str_len(data).astype(np.int64), values.null, "number")

    def case(self, node: exp.Expression) -> _Values:
        values = self.text(node.this)
        if values.kind == "null":
            return values
        change = np.strings.lower if isinstance(node, exp.Lower) else np.strings.upper
        return _Values(change(values.data), values.null, "string")

    def trim(self, node: exp.Trim) -> _Values:
        values = self.text(node.this)
        if values.kind == "null":
            return values
        chars = self.pattern(node.expression) if node.expression else " "
        position = str(node.args.get("position") or "BOTH").upper()
        strip = {"LEADING": np.strings.lstrip, "TRAILING": np.strings.rstrip}.get(position, np.strings.strip)
        return _Values(strip(values.data, chars), values.null, "string")

    def coalesce(self, node: exp.Coalesce) -> _Values:
        def first_known(result: _Values, argument: exp.Expression) -> _Values:
            if not result.null.any():
                return result
            result, fallback = _comparable(result, self.eval(argument))
            if fallback.kind == "null" or result.kind == "null":
                return result if fallback.kind == "null" else fallback
            data = np.where(result.null, fallback.data, result.data)
            return _Values(data, result.null & fallback.null, result.kind)

        return reduce(first_known, node.expressions, self.eval(node.this))

    def cast(self, node: exp.Cast) -> _Values:
        values, target = self.eval(node.this), node.to.this
        types = exp.DataType
        if values.kind == "null":
            return values
        if target in types.TEXT_TYPES:
            return _as_text(values)
        if target in types.INTEGER_TYPES:
            return self._as_integer(_as_number(values))
        if target in types.NUMERIC_TYPES:
            number = _as_number(values)
            return _Values(number.data.astype(np.float64), number.null, "number")
        if target in (types.Type.DATE, types.Type.DATE32):
            moment = _as_datetime(values)
            return _Values(moment.data.astype("datetime64[D]"), moment.null, "datetime")
        if target in types.TEMPORAL_TYPES and target not in (types.Type.TIME, types.Type.TIMETZ):
            return _as_datetime(values)
        if target == types.Type.BOOLEAN and values.kind in ("number", "boolean"):
            return _truth(values)
        raise UnsupportedCheckError(f"CAST to {node.to.sql()} in {node.sql()!r}")

    def _as_integer(self, number: _Values) -> _Values:
        data = number.data
        if data.dtype.kind == "f":
            if self.dialect in ("postgres", "mysql"):  # round half away from zero
                data = np.sign(data) * np.floor(np.abs(data) + 0.5)
            data = np.trunc(np.where(number.null, 0, data)).astype(np.int64)
        return _Values(data, number.null, "number")

    def current(self, node: exp.Expression) -> _Values:
        moment = np.datetime64("today", "D") if isinstance(node, exp.CurrentDate) else np.datetime64("now", "us")
        return _Values(np.asarray(moment), np.asarray(False), "datetime")


_HANDLERS: dict[type[exp.Expression], Callable[[_Evaluator, Any], _Values]] = {
    exp.Paren: lambda self, node: self.eval(node.this),
    exp.Column: _Evaluator.column,
    exp.Literal: _Evaluator.literal,
    exp.Boolean: _Evaluator.literal,
    exp.Null: _Evaluator.literal,
    exp.HexString: _Evaluator.literal,
    exp.And: lambda self, node: _and(*self.operands(node)),
    exp.Or: lambda self, node: _or(*self.operands(node)),
    exp.Not: lambda self, node: _not(self.eval(node.this)),
    **{comparison: _Evaluator.comparison for comparison in _COMPARISONS},
    exp.NullSafeEQ: lambda self, node: _null_safe_equal(*self.operands(node)),
    exp.NullSafeNEQ: lambda self, node: _not(_null_safe_equal(*self.operands(node))),
    exp.In: _Evaluator.in_list,
    exp.Between: _Evaluator.between,
    exp.Is: _Evaluator.is_,
    exp.Like: _Evaluator.like,
    exp.ILike: _Evaluator.like,
    exp.Escape: _Evaluator.escape,
    exp.RegexpLike: _Evaluator.regex,
    exp.RegexpILike: _Evaluator.regex,
    exp.Add: _Evaluator.arithmetic,
    exp.Sub: _Evaluator.arithmetic,
    exp.Mul: _Evaluator.arithmetic,
    exp.Div: _Evaluator.arithmetic,
    exp.Mod: _Evaluator.arithmetic,
    exp.Neg: _Evaluator.negative,
    exp.Abs: _Evaluator.absolute,
    exp.DPipe: _Evaluator.concat,
    exp.Length: _Evaluator.length,
    exp.Lower: _Evaluator.case,
    exp.Upper: _Evaluator.case,
    exp.Trim: _Evaluator.trim,
    exp.Coalesce: _Evaluator.coalesce,
    exp.Cast: _Evaluator.cast,
    exp.CurrentDate: _Evaluator.current,
    exp.CurrentTimestamp: _Evaluator.current,
}

CheckLike = CheckSpec | ResidualCheck | exp.Expression | str
"""What :func:`evaluate_check` takes: a spec, a residual conjunct, a parsed tree or SQL text."""


def _tree_and_label(check: CheckLike, dialect: str | None) -> tuple[exp.Expression, str]:
    if isinstance(check, ResidualCheck):
        return check.expression, f"{check.name or ''} ({check.sqltext})".strip()
    if isinstance(check, exp.Expression):
        return check, f"({check.sql()})"
    if isinstance(check, CheckSpec):
        return _parse(check.sqltext.strip(), dialect)[0], f"{check.name or ''} ({check.sqltext})".strip()
    return _parse(check.strip(), dialect)[0], f"({check})"


def evaluate_check(check: CheckLike, columns: Mapping[str, Any],
                   nulls: Mapping[str, Any] | None = None, dialect: str | None = None) -> np.ndarray:
    """A boolean array, True where the row passes the CHECK (the expression is TRUE or NULL).

    ``columns`` maps column names to equally long arrays (the CHECK's
    references match them exactly, else case-insensitively); ``nulls`` maps
    names to boolean masks of NULL rows. Raises UnsupportedCheckError for a
    construct or column type it cannot evaluate.
    """
    sql_dialect = _sqlglot_dialect(dialect)
    tree, label = _tree_and_label(check, sql_dialect)
    rows = len(next(iter(columns.values()))) if columns else 0
    try:
        with np.errstate(all="ignore"):
            result = _truth(_Evaluator(columns, nulls or {}, rows, sql_dialect).eval(tree))
    except UnsupportedCheckError as error:
        raise UnsupportedCheckError(f"cannot evaluate CHECK {label}: {error}") from None
    except TypeError as error:  # a numpy operation on types no rule above foresaw
        raise UnsupportedCheckError(f"cannot evaluate CHECK {label}: {error}") from error
    return np.broadcast_to(result.data | result.null, (rows,)).copy()


def evaluate_predicate(predicate: CheckLike, columns: Mapping[str, Any],
                       nulls: Mapping[str, Any] | None = None, dialect: str | None = None) -> np.ndarray:
    """A boolean array, True only where ``predicate`` is TRUE (WHERE semantics: NULL counts as false).

    For the predicates of partial indexes (``WHERE is_primary``), where NULL leaves a row out.
    """
    sql_dialect = _sqlglot_dialect(dialect)
    tree, label = _tree_and_label(predicate, sql_dialect)
    rows = len(next(iter(columns.values()))) if columns else 0
    try:
        with np.errstate(all="ignore"):
            result = _truth(_Evaluator(columns, nulls or {}, rows, sql_dialect).eval(tree))
    except (UnsupportedCheckError, TypeError) as error:
        raise UnsupportedCheckError(f"cannot evaluate predicate {label}: {error}") from None
    return np.broadcast_to(result.data & ~result.null, (rows,)).copy()
