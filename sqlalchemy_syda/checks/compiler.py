"""Compiling CHECK constraints into the rules of :mod:`.rules`.

Each constraint is split at its top-level ``AND``; a conjunct that compares
one column with literals becomes part of that column's
:class:`~.rules.ColumnRule`, a comparison of two columns an
:class:`~.rules.Ordering`, and anything else (``OR``, arithmetic,
``lower(code) = code``) is kept *residual*, to be verified with
:func:`~.evaluate.evaluate_check`::

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
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from sqlglot import exp

from ..exceptions import ConstraintUnsatisfiableError, UnsupportedCheckError
from ..specs import CheckSpec
from .parse import (
    CASE_INSENSITIVE_LIKE,
    NO_VALUE,
    literal_value,
    match_column,
    parse_tree,
    quantified_list,
    sqlglot_dialect,
)
from .rules import (
    ColumnRule,
    CompiledChecks,
    LikePattern,
    Ordering,
    ResidualCheck,
    describe_checks,
    unique_values,
)

__all__ = ["compile_checks"]


_FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "=", "<>": "<>"}
_NEGATED = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "=": "<>", "<>": "="}
_OPERATORS: dict[type[exp.Expression], str] = {
    exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<=", exp.EQ: "=", exp.NEQ: "<>"}


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
    column, divisor = _column_of(node.this, columns), literal_value(node.expression)
    if column and type(divisor) is int and divisor:
        return column, abs(divisor)
    return None



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
        values = [literal_value(item) for item in node.expressions]
        if not column or node.args.get("query") or not values or NO_VALUE in values:
            return None
        return self._value_set(column, values, allowed=not negated)

    def _value_set(self, column: str, values: list[Any], *, allowed: bool) -> ColumnRule | None:
        if not allowed:  # x NOT IN (1, NULL) still rules out 1
            return self.rule(column, forbidden=unique_values(v for v in values if v is not None))
        if None in values:  # x IN (1, NULL) is NULL, so passes, for every other x
            return None
        return self.rule(column, allowed=unique_values(values))

    def _comparison(self, operator: str, left: exp.Expression, right: exp.Expression):
        quantified = quantified_list(right)
        if quantified:
            return self._quantified_comparison(operator, left, *quantified)
        if literal_value(left) is not NO_VALUE and literal_value(right) is NO_VALUE:
            operator, left, right = _FLIPPED[operator], right, left
        value = literal_value(right)
        if value is NO_VALUE:
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
        values = [literal_value(item) for item in items]
        if not column or NO_VALUE in values:
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
        low, high = literal_value(node.args["low"]), literal_value(node.args["high"])
        if node.args.get("symmetric") or low in (NO_VALUE, None) or high in (NO_VALUE, None):
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
            escape, node = literal_value(node.expression), node.this
            if not isinstance(node, exp.Like | exp.ILike) or node.args.get("negate"):
                return None
        column, pattern = _column_of(node.this, self.columns), literal_value(node.expression)
        if not column or not isinstance(pattern, str) or not isinstance(escape, str | None):
            return None
        case_sensitive = isinstance(node, exp.Like) and self.dialect not in CASE_INSENSITIVE_LIKE
        return self.rule(column, like=(LikePattern(pattern, escape, case_sensitive),))

    def _regex(self, node: exp.Expression) -> ColumnRule | None:
        column, pattern = _column_of(node.this, self.columns), literal_value(node.expression)
        if not column or not isinstance(pattern, str):
            return None
        return self.rule(column, regex=("(?i)" + pattern if isinstance(node, exp.RegexpILike) else pattern,))


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
    names, sql_dialect = tuple(columns), sqlglot_dialect(dialect)
    rules: dict[str, ColumnRule] = {}
    orderings: list[Ordering] = []
    residual: list[ResidualCheck] = []
    unparsed: list[CheckSpec] = []
    for check in checks:
        try:
            tree, reader = parse_tree(check.sqltext.strip(), sql_dialect)
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
                f"CHECK {describe_checks(unique_values(s for s in sources if s))} cannot hold together: {problem}. "
                "Fix or drop one of the constraints.")
    return CompiledChecks(rules, tuple(orderings), tuple(residual), tuple(unparsed))
