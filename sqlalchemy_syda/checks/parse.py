"""Reading CHECK constraints: SQL text to sqlglot trees, column references, LIKE as regex.

A CHECK is SQL text. :func:`parse_check` reads it with sqlglot, trying the
database's dialect first, then generic SQL, then PostgreSQL (for its ``~``
operator), and accepts only one boolean expression (no query, no second
statement). Trees are cached and shared, so callers must not mutate them::

    >>> parse_check("age >= 18", "postgresql+psycopg").sql()
    'age >= 18'
    >>> sorted(check_columns('t.age > 0 AND "Name" IS NOT NULL'))
    ['Name', 'age']
    >>> like_regex("A_%").fullmatch("AB-1") is not None
    True

The helpers below read constants out of trees for the compiler and the
evaluator: :func:`literal_value` (through casts, parentheses and a unary
minus; :data:`NO_VALUE` when the node is not a constant) and
:func:`quantified_list` (PostgreSQL's ``= ANY (ARRAY[...])``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from ..exceptions import UnsupportedCheckError

__all__ = [
    "CASE_INSENSITIVE_LIKE",
    "NO_VALUE",
    "check_columns",
    "like_regex",
    "like_source",
    "literal_value",
    "match_column",
    "parse_check",
    "parse_tree",
    "quantified_list",
    "sqlglot_dialect",
]


_DIALECT_NAMES = {"postgresql": "postgres", "mariadb": "mysql", "mssql": "tsql"}


def sqlglot_dialect(dialect: str | None) -> str | None:
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
def parse_tree(text: str, dialect: str | None) -> tuple[exp.Expression, str | None]:
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
    return parse_tree(text.strip(), sqlglot_dialect(dialect))[0]


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
def like_source(pattern: str, escape: str | None) -> str:
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
    return re.compile(like_source(pattern, escape), flags)


CASE_INSENSITIVE_LIKE = ("sqlite", "mysql")
"""Dialects whose LIKE ignores ASCII case."""


NO_VALUE = object()


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def literal_value(node: exp.Expression) -> Any:
    """The Python value of a constant (through parentheses, casts, unary minus), else NO_VALUE."""
    if isinstance(node, exp.Paren | exp.Cast):
        return literal_value(node.this)
    if isinstance(node, exp.Neg):
        value = literal_value(node.this)
        return -value if isinstance(value, int | float) and not isinstance(value, bool) else NO_VALUE
    if isinstance(node, exp.Literal):
        return node.this if node.is_string else _number(node.this)
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    if isinstance(node, exp.Null):
        return None
    if isinstance(node, exp.HexString):
        return int(node.this, 16)
    return NO_VALUE


def quantified_list(node: exp.Expression) -> tuple[str, list[exp.Expression]] | None:
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
