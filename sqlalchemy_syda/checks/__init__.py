"""CHECK constraints as rules the generators honour and as vectorised tests.

A CHECK constraint is SQL text, read once and used in two ways. The stages,
one module each:

* :mod:`.parse` — sqlglot parsing (:func:`parse_check`), the columns a CHECK
  names (:func:`check_columns`, :func:`match_column`), LIKE as a regex;
* :mod:`.rules` — the rule model: :class:`ColumnRule`, :class:`Ordering`,
  :class:`ResidualCheck`, :class:`LikePattern`, :class:`CompiledChecks`;
* :mod:`.compiler` — :func:`compile_checks`: a table's CHECKs into those rules
  (what it cannot compile stays residual, to be verified);
* :mod:`.values` and :mod:`.evaluate` — the vectorised three-valued
  evaluator: :func:`evaluate_check` (NULL passes, as in a CHECK) and
  :func:`evaluate_predicate` (NULL fails, as in a WHERE).

For example::

    >>> import numpy as np
    >>> from sqlalchemy_syda.specs import CheckSpec
    >>> compiled = compile_checks([CheckSpec("qty > 0 AND qty <= total")], ["qty", "total"])
    >>> compiled.rules["qty"].lower, compiled.orderings[0].greater
    (0, 'total')
    >>> evaluate_check("qty > 0", {"qty": np.array([1, 0])})
    array([ True, False])

A construct that cannot be read or evaluated raises
:class:`~sqlalchemy_syda.exceptions.UnsupportedCheckError`.
"""

from ..exceptions import UnsupportedCheckError
from .compiler import compile_checks
from .evaluate import CheckLike, evaluate_check, evaluate_predicate
from .parse import check_columns, like_regex, match_column, parse_check
from .rules import ColumnRule, CompiledChecks, LikePattern, Ordering, ResidualCheck, sql_remainder

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
