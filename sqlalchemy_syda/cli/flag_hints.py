"""Error messages in the command line's words: the library's Python spellings become the flags that do the same.

The library's errors say what to pass to ``seed()``; on the command line the same advice names the flag::

    >>> print(as_flags("make it nullable, or pass alter_constraints=True to make it deferrable"))
    make it nullable, or pass --alter-constraints to make it deferrable
    >>> print(as_flags("Use fk_checks='auto' or 'row'; or run without the LLM (llm=None)."))
    Use --fk-checks auto or row; or run without the LLM (without --llm).
"""

from __future__ import annotations

import re

__all__ = ["as_flags"]

_SPELLINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"seed\(\.\.\., allow_non_transactional=True\); CLI: --allow-non-transactional", "--allow-non-transactional"),
    (r"\ballow_non_transactional=True\b", "--allow-non-transactional"),
    (r"\balter_constraints=True\b", "--alter-constraints"),
    (r"\bfk_checks='(\w+)' or '(\w+)'", r"--fk-checks \1 or \2"),
    (r"\bfk_checks='(\w+)'", r"--fk-checks \1"),
    (r"\bexisting='([\w-]+)'", r"--existing \1"),
    (r"\bpass llm=None\b", "run without --llm"),
    (r"\(llm=None\)", "(without --llm)"),
    (r"\bllm=None\b", "no --llm"),
    (r"\bmax_rows=N, or max_rows=None for none", "--max-rows N"),
    (r"\bmax_rows=N\b", "--max-rows N"),
    (r"\bpass rows=N for every table\b", "pass --rows N for every table"),
    (r"\brows=N\b", "--rows N"),
    (r"\bworkers=(\w+)", r"--workers \1"),
))


def as_flags(message: str) -> str:
    """``message`` with each Python keyword spelling replaced by its ``syda`` flag."""
    for pattern, flag in _SPELLINGS:
        message = pattern.sub(flag, message)
    return message
