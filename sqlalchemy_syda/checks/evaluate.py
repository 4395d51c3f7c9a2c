"""Evaluating CHECKs and predicates over whole columns with numpy, as the database would.

:func:`evaluate_check` runs a constraint over whole columns with SQL's
three-valued logic. A row passes unless the expression is FALSE, so a NULL
(unknown) result passes, as in the database; :func:`evaluate_predicate` gives
WHERE semantics instead (NULL leaves the row out), for partial indexes::

    >>> import numpy as np
    >>> evaluate_check("price > 0 AND qty BETWEEN 1 AND 10",
    ...                {"price": np.array([1.5, -1.0, np.nan]), "qty": np.array([3, 3, 30])})
    array([ True, False, False])
    >>> evaluate_predicate("is_primary", {"is_primary": np.array([True, False])},
    ...                    nulls={"is_primary": np.array([True, False])})
    array([False, False])

Columns may be int/float/bool/``datetime64`` arrays or object arrays of str,
``Decimal``, ``date`` or ``datetime``; ``None``/NaN/NaT and the ``nulls`` masks
mark NULLs. Date columns compare with string literals (``'2020-01-01'``).
Anything the evaluator does not know raises
:class:`~sqlalchemy_syda.exceptions.UnsupportedCheckError` naming the
construct, so the caller can skip the verification.

Known limits, where databases differ and the evaluator picks one behaviour:
division or modulo by zero gives NULL (SQLite; PostgreSQL rejects the row);
``lower``/``upper`` fold all of Unicode (SQLite folds ASCII only); LIKE ignores
ASCII case on SQLite and MySQL, and ``=`` is always case-sensitive; an integer
column holding NULLs must come as an int array with a ``nulls`` mask, not as
floats with NaN, for ``/`` to divide as integers; unparseable strings cast to
numbers or dates become NULL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import reduce
from typing import Any

import numpy as np
import pandas as pd
from sqlglot import exp

from ..exceptions import UnsupportedCheckError
from ..specs import CheckSpec
from .parse import (
    CASE_INSENSITIVE_LIKE,
    like_source,
    literal_value,
    match_column,
    parse_tree,
    quantified_list,
    sqlglot_dialect,
)
from .rules import ResidualCheck
from .values import (
    UNKNOWN,
    Values,
    as_datetime,
    as_number,
    as_text,
    as_truth,
    column_values,
    comparable,
    compare_values,
    null_safe_equal,
    sql_and,
    sql_not,
    sql_or,
)

__all__ = ["CheckLike", "evaluate_check", "evaluate_predicate"]


_COMPARISONS: dict[type[exp.Expression], Callable[..., np.ndarray]] = {
    exp.EQ: np.equal, exp.NEQ: np.not_equal, exp.GT: np.greater,
    exp.GTE: np.greater_equal, exp.LT: np.less, exp.LTE: np.less_equal,
}
_INTEGER_DIVISION = ("sqlite", "postgres", "tsql", "oracle")


def _truncating_divide(dividend: np.ndarray, divisor: np.ndarray) -> np.ndarray:
    """Integer division rounding towards zero, as SQL does (numpy floors)."""
    quotient = np.floor_divide(dividend, divisor)
    inexact = (quotient * divisor != dividend) & ((dividend < 0) != (divisor < 0))
    return quotient + inexact


def _regex_matches(values: Values, source: str, flags: int, *, full: bool) -> Values:
    series = pd.Series(np.atleast_1d(values.data).astype(object), dtype=object)
    found = series.str.fullmatch(source, flags=flags) if full else series.str.contains(source, flags=flags)
    data = found.to_numpy(dtype=bool, na_value=False).reshape(np.shape(values.data))
    return Values(data, values.null, "boolean")


class _Evaluator:
    """Evaluates one tree over the columns, node by node, each node over all rows at once."""

    def __init__(self, columns: Mapping[str, Any], nulls: Mapping[str, Any], rows: int,
                 dialect: str | None) -> None:
        self.columns, self.nulls, self.rows, self.dialect = columns, nulls, rows, dialect
        self.loaded: dict[str, Values] = {}

    def eval(self, node: exp.Expression) -> Values:
        for cls in type(node).__mro__:
            if handler := _HANDLERS.get(cls):
                result = handler(self, node)
                return sql_not(result) if node.args.get("negate") else result
        what = f"function {node.name}()" if isinstance(node, exp.Anonymous) else node.key.upper()
        raise UnsupportedCheckError(f"{what} in {node.sql()!r}")

    def operands(self, node: exp.Expression) -> tuple[Values, Values]:
        return self.eval(node.this), self.eval(node.expression)

    def text(self, node: exp.Expression) -> Values:
        values = self.eval(node)
        if values.kind not in ("string", "null"):
            raise UnsupportedCheckError(f"a {values.kind} where text is expected: {node.sql()!r}")
        return values

    def pattern(self, node: exp.Expression) -> str:
        value = literal_value(node)
        if not isinstance(value, str):
            raise UnsupportedCheckError(f"a pattern that is not a string literal: {node.sql()!r}")
        return value

    def column(self, node: exp.Column) -> Values:
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
            self.loaded[name] = column_values(name, array, null)
        return self.loaded[name]

    def literal(self, node: exp.Expression) -> Values:
        value = literal_value(node)
        if value is None:
            return UNKNOWN
        if isinstance(value, str):
            return Values.constant(value, "string")
        if isinstance(value, bool):
            return Values.constant(value, "boolean")
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            value = float(value)
        return Values.constant(value, "number")

    def comparison(self, node: exp.Expression) -> Values:
        compare = _COMPARISONS[type(node)]
        left = self.eval(node.this)
        if quantified := quantified_list(node.expression):
            quantifier, items = quantified
            results = [compare_values(compare, left, self.eval(item)) for item in items]
            combine, start = (sql_or, False) if quantifier == "ANY" else (sql_and, True)
            return reduce(combine, results, Values.constant(start, "boolean"))
        return compare_values(compare, left, self.eval(node.expression))

    def in_list(self, node: exp.In) -> Values:
        if node.args.get("query") or node.args.get("unnest") or node.args.get("field"):
            raise UnsupportedCheckError(f"IN over a subquery: {node.sql()!r}")
        left = self.eval(node.this)
        results = [compare_values(np.equal, left, self.eval(item)) for item in node.expressions]
        return reduce(sql_or, results, Values.constant(False, "boolean"))

    def between(self, node: exp.Between) -> Values:
        subject, low, high = self.eval(node.this), self.eval(node.args["low"]), self.eval(node.args["high"])
        result = sql_and(compare_values(np.greater_equal, subject, low), compare_values(np.less_equal, subject, high))
        if node.args.get("symmetric"):
            swapped = sql_and(compare_values(np.greater_equal, subject, high), compare_values(np.less_equal, subject, low))
            result = sql_or(result, swapped)
        return result

    def is_(self, node: exp.Is) -> Values:
        subject, target = self.eval(node.this), node.expression
        if isinstance(target, exp.Null):
            return Values(subject.null, np.zeros(np.shape(subject.null), dtype=bool), "boolean")
        if isinstance(target, exp.Boolean):
            truth = as_truth(subject)
            data = truth.true if target.this else truth.false
            return Values(data, np.zeros(np.shape(data), dtype=bool), "boolean")
        return null_safe_equal(subject, self.eval(target))

    def like(self, node: exp.Expression, escape: str | None = None) -> Values:
        subject, pattern = self.text(node.this), self.pattern(node.expression)
        flags = re.DOTALL
        if isinstance(node, exp.ILike):
            flags |= re.IGNORECASE
        elif self.dialect in CASE_INSENSITIVE_LIKE:
            flags |= re.IGNORECASE | re.ASCII
        if subject.kind == "null":
            return as_truth(subject)
        return _regex_matches(subject, like_source(pattern, escape), flags, full=True)

    def escape(self, node: exp.Escape) -> Values:
        like = node.this
        if not isinstance(like, exp.Like | exp.ILike):
            raise UnsupportedCheckError(f"ESCAPE outside LIKE: {node.sql()!r}")
        result = self.like(like, self.pattern(node.expression))
        return sql_not(result) if like.args.get("negate") else result

    def regex(self, node: exp.Expression) -> Values:
        subject, pattern = self.text(node.this), self.pattern(node.expression)
        flags = re.IGNORECASE if isinstance(node, exp.RegexpILike) else 0
        if subject.kind == "null":
            return as_truth(subject)
        return _regex_matches(subject, pattern, flags, full=False)

    def arithmetic(self, node: exp.Expression) -> Values:
        left, right = (as_number(v) for v in self.operands(node))
        if "null" in (left.kind, right.kind):
            return UNKNOWN
        null = left.null | right.null
        if isinstance(node, exp.Div | exp.Mod):
            zero = right.data == 0
            return self._divide(node, left.data, np.where(zero, 1, right.data), null | zero)
        operation = {exp.Add: np.add, exp.Sub: np.subtract, exp.Mul: np.multiply}[type(node)]
        return Values(operation(left.data, right.data), null, "number")

    def _divide(self, node: exp.Expression, dividend: np.ndarray, divisor: np.ndarray,
                null: np.ndarray) -> Values:
        integers = dividend.dtype.kind == "i" and divisor.dtype.kind == "i"
        if isinstance(node, exp.Mod):
            if self.dialect == "sqlite" and not integers:  # SQLite takes % of the integer parts
                dividend, divisor = np.trunc(dividend), np.trunc(divisor)
                null = null | (divisor == 0)
                divisor = np.where(divisor == 0, 1, divisor)
            return Values(np.fmod(dividend, divisor), null, "number")
        if integers and (node.args.get("typed") or self.dialect in _INTEGER_DIVISION):
            return Values(_truncating_divide(dividend, divisor), null, "number")
        return Values(np.true_divide(dividend, divisor), null, "number")

    def negative(self, node: exp.Neg) -> Values:
        values = as_number(self.eval(node.this))
        return values if values.kind == "null" else Values(np.negative(values.data), values.null, "number")

    def absolute(self, node: exp.Abs) -> Values:
        values = as_number(self.eval(node.this))
        return values if values.kind == "null" else Values(np.abs(values.data), values.null, "number")

    def concat(self, node: exp.DPipe) -> Values:
        left, right = (as_text(v) for v in self.operands(node))
        if "null" in (left.kind, right.kind):
            return UNKNOWN
        return Values(np.strings.add(left.data, right.data), left.null | right.null, "string")

    def length(self, node: exp.Length) -> Values:
        values = self.text(node.this)
        if values.kind == "null":
            return values
        data = np.strings.encode(values.data, "utf-8") if node.args.get("binary") else values.data
        return Values(np.strings.str_len(data).astype(np.int64), values.null, "number")

    def case(self, node: exp.Expression) -> Values:
        values = self.text(node.this)
        if values.kind == "null":
            return values
        change = np.strings.lower if isinstance(node, exp.Lower) else np.strings.upper
        return Values(change(values.data), values.null, "string")

    def trim(self, node: exp.Trim) -> Values:
        values = self.text(node.this)
        if values.kind == "null":
            return values
        chars = self.pattern(node.expression) if node.expression else " "
        position = str(node.args.get("position") or "BOTH").upper()
        strip = {"LEADING": np.strings.lstrip, "TRAILING": np.strings.rstrip}.get(position, np.strings.strip)
        return Values(strip(values.data, chars), values.null, "string")

    def coalesce(self, node: exp.Coalesce) -> Values:
        def first_known(result: Values, argument: exp.Expression) -> Values:
            if not result.null.any():
                return result
            result, fallback = comparable(result, self.eval(argument))
            if fallback.kind == "null" or result.kind == "null":
                return result if fallback.kind == "null" else fallback
            data = np.where(result.null, fallback.data, result.data)
            return Values(data, result.null & fallback.null, result.kind)

        return reduce(first_known, node.expressions, self.eval(node.this))

    def cast(self, node: exp.Cast) -> Values:
        values, target = self.eval(node.this), node.to.this
        types = exp.DataType
        if values.kind == "null":
            return values
        if target in types.TEXT_TYPES:
            return as_text(values)
        if target in types.INTEGER_TYPES:
            return self._as_integer(as_number(values))
        if target in types.NUMERIC_TYPES:
            number = as_number(values)
            return Values(number.data.astype(np.float64), number.null, "number")
        if target in (types.Type.DATE, types.Type.DATE32):
            moment = as_datetime(values)
            return Values(moment.data.astype("datetime64[D]"), moment.null, "datetime")
        if target in types.TEMPORAL_TYPES and target not in (types.Type.TIME, types.Type.TIMETZ):
            return as_datetime(values)
        if target == types.Type.BOOLEAN and values.kind in ("number", "boolean"):
            return as_truth(values)
        raise UnsupportedCheckError(f"CAST to {node.to.sql()} in {node.sql()!r}")

    def _as_integer(self, number: Values) -> Values:
        data = number.data
        if data.dtype.kind == "f":
            if self.dialect in ("postgres", "mysql"):  # round half away from zero
                data = np.sign(data) * np.floor(np.abs(data) + 0.5)
            data = np.trunc(np.where(number.null, 0, data)).astype(np.int64)
        return Values(data, number.null, "number")

    def current(self, node: exp.Expression) -> Values:
        moment = np.datetime64("today", "D") if isinstance(node, exp.CurrentDate) else np.datetime64("now", "us")
        return Values(np.asarray(moment), np.asarray(False), "datetime")


_HANDLERS: dict[type[exp.Expression], Callable[[_Evaluator, Any], Values]] = {
    exp.Paren: lambda self, node: self.eval(node.this),
    exp.Column: _Evaluator.column,
    exp.Literal: _Evaluator.literal,
    exp.Boolean: _Evaluator.literal,
    exp.Null: _Evaluator.literal,
    exp.HexString: _Evaluator.literal,
    exp.And: lambda self, node: sql_and(*self.operands(node)),
    exp.Or: lambda self, node: sql_or(*self.operands(node)),
    exp.Not: lambda self, node: sql_not(self.eval(node.this)),
    **{comparison: _Evaluator.comparison for comparison in _COMPARISONS},
    exp.NullSafeEQ: lambda self, node: null_safe_equal(*self.operands(node)),
    exp.NullSafeNEQ: lambda self, node: sql_not(null_safe_equal(*self.operands(node))),
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
        return parse_tree(check.sqltext.strip(), dialect)[0], f"{check.name or ''} ({check.sqltext})".strip()
    return parse_tree(check.strip(), dialect)[0], f"({check})"


def evaluate_check(check: CheckLike, columns: Mapping[str, Any],
                   nulls: Mapping[str, Any] | None = None, dialect: str | None = None) -> np.ndarray:
    """A boolean array, True where the row passes the CHECK (the expression is TRUE or NULL).

    ``columns`` maps column names to equally long arrays (the CHECK's
    references match them exactly, else case-insensitively); ``nulls`` maps
    names to boolean masks of NULL rows. Raises UnsupportedCheckError for a
    construct or column type it cannot evaluate.
    """
    sql_dialect = sqlglot_dialect(dialect)
    tree, label = _tree_and_label(check, sql_dialect)
    rows = len(next(iter(columns.values()))) if columns else 0
    try:
        with np.errstate(all="ignore"):
            result = as_truth(_Evaluator(columns, nulls or {}, rows, sql_dialect).eval(tree))
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
    sql_dialect = sqlglot_dialect(dialect)
    tree, label = _tree_and_label(predicate, sql_dialect)
    rows = len(next(iter(columns.values()))) if columns else 0
    try:
        with np.errstate(all="ignore"):
            result = as_truth(_Evaluator(columns, nulls or {}, rows, sql_dialect).eval(tree))
    except (UnsupportedCheckError, TypeError) as error:
        raise UnsupportedCheckError(f"cannot evaluate predicate {label}: {error}") from None
    return np.broadcast_to(result.data & ~result.null, (rows,)).copy()
