"""One question for the LLM: the prompt, the schema of the answer and where the answer belongs.

Pools and rows mode both turn a table into a list of :class:`Request` objects; the source answers
them (from the lockfile, or by asking the LLM, several at once) and hands the records back::

    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.llm.config import LLMConfig
    >>> from sqlalchemy_syda.llm.pools import TablePools
    >>> from sqlalchemy_syda.planner import plan_seed
    >>> recipe = plan_seed(table_specs([Customer, Contact]), {"customers": 2, "contacts": 500}).table("contacts").recipe
    >>> request = TablePools(recipe, LLMConfig(model="local", lockfile=None)).requests[0]
    >>> request.table, request.kind, request.group, request.batch, request.n, request.max_tokens
    ('contacts', 'pool', 'person', 0, 10, 1610)
    >>> sorted(request.schema["properties"]["records"]["items"]["properties"])
    ['email', 'first_name', 'last_name', 'position']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..specs import TableSpec
from .records import FieldRule

__all__ = ["Request", "token_budget"]


@dataclass(frozen=True)
class Request:
    """A batch of ``n`` records to ask for."""

    table: str
    kind: str
    """``pool`` or ``rows``."""
    batch: int
    n: int
    prompt: str
    schema: dict[str, Any] = field(hash=False)
    group: str | None = None
    max_tokens: int = 2000
    spec: TableSpec | None = field(default=None, hash=False, compare=False, repr=False)
    """The table asked about: its metadata is part of the lockfile key."""


def token_budget(rules: Sequence[FieldRule], n: int) -> int:
    """``max_tokens`` for ``n`` records: room for every field at its longest, plus JSON punctuation."""
    per_record = 10
    for rule in rules:
        per_record += 12 + len(rule.name) // 3
        if rule.kind == "string" and rule.enum is None:
            per_record += min(rule.max_length or 100, 400) // 4
    return per_record * n + 200
