"""Pools mode: the LLM writes a few distinct records per column group once; rows pick from them.

For each table the text-like columns are grouped by what belongs together: a person (first and
last name, e-mail, user name, job title), an address (street, city, state, postcode) and the rest
of the record (a product's name, category and description). The LLM writes ``pool_size`` records
per group, in batches; every value is validated and a record with a bad field is dropped. Rows then
take whole records from the pool, so the columns of a group agree within a row::

    >>> from sqlalchemy_syda import generate
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.llm.config import LLMConfig
    >>> from sqlalchemy_syda.planner import plan_seed
    >>> recipe = plan_seed(table_specs([Customer, Contact]), {"customers": 2, "contacts": 7}).table("contacts").recipe
    >>> pool_groups(recipe)                                     # phone stays with the engine
    {'person': ['first_name', 'last_name', 'email', 'position']}
    >>> pools = TablePools(recipe, LLMConfig(model="local", pool_size=4, batch_size=2, lockfile=None),
    ...                    "Contacts at B2B software customers")
    >>> [(r.group, r.batch, r.n) for r in pools.requests]       # one request per batch and group
    [('person', 0, 2), ('person', 1, 2)]
    >>> answers = {pools.requests[0]: [                          # the records as the LLM returned them
    ...     {"first_name": "Ana", "last_name": "Ruiz", "email": "ana.ruiz@example.com", "position": "CTO"},
    ...     {"first_name": "Li", "last_name": "Wei", "email": "li.wei@example.com", "position": "Buyer"}],
    ...     pools.requests[1]: [
    ...     {"first_name": "Ola", "last_name": "Berg", "email": "not-an-email", "position": "CFO"},
    ...     {"first_name": "Sam", "last_name": "Okafor", "email": "sam.okafor@example.com", "position": "IT Manager"}]}
    >>> generators, dropped, left_to_engine = pools.finish(answers)
    >>> generators["email"], dropped                            # Ola's record had a bad e-mail
    (llm_pool('person', 'email')[3 values].unique(), 1)
    >>> generate([Customer, Contact], {Customer: 2, Contact: 7}, seed=1,
    ...          overrides={"contacts": generators})["contacts"][["first_name", "email", "position"]]
      first_name                     email    position
    0        Ana      ana.ruiz@example.com         CTO
    1        Sam    sam.okafor@example.com  IT Manager
    2         Li        li.wei@example.com       Buyer
    3         Li      li.wei+2@example.com       Buyer
    4        Ana    ana.ruiz+2@example.com         CTO
    5        Sam  sam.okafor+2@example.com  IT Manager
    6        Sam  sam.okafor+3@example.com  IT Manager

The number of LLM calls depends on the pool size, never on the row count: 100 000 rows cost what
1 000 do. A UNIQUE column reads each record once per lap of the pool; later laps get a number
(``ana.ruiz+2@example.com``, ``Acme Cloud 2``). Keys, foreign keys, categorical columns (listed
values, enums) and codes stay with the engine.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..constraints import unique_sets
from ..generators.address import AddressPart
from ..generators.base import GenContext, Generator, SampledFrom, Unique, call_repr
from ..generators.person import PersonPart
from ..streams import KeyedPermutation
from .config import LLMConfig
from .prompts import build_prompt
from .records import FieldRule, field_rules, request_schema, validate_record
from .request import Request, token_budget

if TYPE_CHECKING:
    from ..recipe import TableRecipe

__all__ = ["POOL_MEANINGS", "Pool", "PoolColumn", "TablePools", "UniquePoolColumn", "pool_calls", "pool_groups"]

PERSON_MEANINGS = frozenset({"first_name", "last_name", "full_name", "middle_name", "username", "email",
                             "business_email", "job_title"})
ADDRESS_MEANINGS = frozenset({"street_address", "city", "state", "postcode", "address"})
POOL_MEANINGS = PERSON_MEANINGS | ADDRESS_MEANINGS | frozenset({
    "company_name", "industry", "department", "catch_phrase", "product_name", "product_category",
    "title", "description", "notes", "comment", "bio", "paragraph", "sentence", "word", "tags", "text"})
"""Meanings whose values the LLM writes in pools mode (everything else stays with the engine)."""


def pool_groups(recipe: TableRecipe) -> dict[str, list[str]]:
    """Column groups the LLM fills: ``{"person": [...], "address": [...], "record": [...]}``."""
    composite = {c for u in unique_sets(recipe.spec) if len(u) > 1 for c in u}
    groups: dict[str, list[str]] = {}
    titles = []
    wired = recipe.wired
    for col in recipe.spec.columns:
        plan = recipe.column(col.name)
        gen = plan.inferred
        if col.kind not in ("string", "text") or gen is None or plan.source in ("override", "primary_key") \
                or col.name in wired or col.name in composite or (gen.depends_on and not gen.row_coherence) \
                or isinstance(gen, SampledFrom) or col.primary_key:
            continue
        rule = recipe.checks.rules.get(col.name)
        if rule is not None and (rule.like or rule.regex or rule.allowed is not None):
            continue  # shaped by CHECKs the engine builds in; a pool would only be redrawn
        if isinstance(gen, PersonPart):
            group = gen.group
        elif isinstance(gen, AddressPart):
            if plan.meaning not in ADDRESS_MEANINGS:
                continue
            group = gen.group
        elif plan.meaning in POOL_MEANINGS or (plan.source == "type" and (col.kind == "text" or (col.length or 0) > 20)):
            group = "record"
            if plan.meaning == "job_title":
                titles.append(col.name)
                continue
        else:
            continue
        groups.setdefault(group, []).append(col.name)
    for name in titles:  # a job title belongs to the row's person, when there is one
        groups.setdefault("person" if "person" in groups else "record", []).append(name)
    return groups


class Pool:
    """The validated, distinct records of one column group."""

    def __init__(self, group: str, columns: Sequence[str], records: list[tuple], unique: frozenset[str]) -> None:
        self.group, self.columns, self.records, self.unique = group, tuple(columns), records, unique

    def __len__(self) -> int:
        return len(self.records)

    @classmethod
    def from_answers(cls, group: str, rules: Sequence[FieldRule], answers: Sequence[Any]) -> tuple[Pool, int]:
        """Keep the records whose every field passes; drop repeats. Returns the pool and how many were dropped."""
        columns = [r.name for r in rules]
        unique = frozenset(r.name for r in rules if r.unique)
        seen_rows: set[tuple] = set()
        seen_unique: dict[str, set] = {c: set() for c in unique}
        kept, dropped = [], 0
        for record in answers:
            valid = validate_record(rules, record)
            if len(valid) != len(columns):
                dropped += 1
                continue
            row = tuple(valid[c] for c in columns)
            keys = {c: str(valid[c]).casefold() for c in unique}
            if row in seen_rows or any(keys[c] in seen_unique[c] or _NUMBERED.search(keys[c]) for c in unique):
                continue  # a repeat, or a value shaped like a numbered one (it could meet a later lap's value)
            seen_rows.add(row)
            for c in unique:
                seen_unique[c].add(keys[c])
            kept.append(row)
        return cls(group, columns, kept, unique), dropped

    def slots(self, ctx: GenContext, rows: np.ndarray, redraw: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """(record index, lap) of each row; the same for every column of the group."""
        size = len(self.records)
        stream = ctx.group(f"llm:{self.group}")
        if not self.unique:
            return stream.integers(rows, 0, size), np.zeros(len(rows), dtype=np.int64)
        need = max(ctx.n_total, int(rows.max()) + 1 if rows.size else 0)
        k = rows.astype(np.int64) + redraw * need  # redraws land past every row: new laps, no collisions
        lap, pos = k // size, k % size
        return (KeyedPermutation(size, stream)(pos) + lap) % size, lap


class PoolColumn(Generator):
    """One column of a pool: the value of the row's record (numbered after the first lap if UNIQUE)."""

    def __init__(self, pool: Pool, column: str, length: int | None = None) -> None:
        self.pool, self.column, self.length = pool, column, length
        i = pool.columns.index(column)
        self.values = np.empty(len(pool), dtype=object)
        self.values[:] = [r[i] for r in pool.records]
        self._repr = call_repr("llm_pool", pool.group, column) + f"[{len(pool)} values]"

    def render(self, ctx: GenContext, rows: np.ndarray, redraw: int = 0) -> np.ndarray:
        index, lap = self.pool.slots(ctx, rows, redraw)
        out = self.values[index]
        if self.column in self.pool.unique and lap.any():
            out = out.copy()
            for i in np.flatnonzero(lap):
                out[i] = _numbered(out[i], int(lap[i]) + 1, self.length)
        return out

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return self.render(ctx, rows)


class UniquePoolColumn(Unique):
    """A UNIQUE pool column: distinct by construction, and redraws (rows already in the table) stay distinct."""

    def __init__(self, inner: PoolColumn) -> None:
        super().__init__(inner)
        self._repr = f"{inner!r}.unique()"

    def domain(self, ctx: GenContext) -> int | None:
        return None

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return self.inner.render(ctx, rows, ctx.redraw)  # type: ignore[attr-defined]


_NUMBERED = re.compile(r"\+\d+@| \d+$")


def _numbered(value: Any, n: int, length: int | None) -> str:
    """``value`` for lap ``n``: ``ana+2@example.com``, ``Acme Cloud 2`` (cut to fit ``length``)."""
    text = str(value)
    if "@" in text:
        local, domain = text.split("@", 1)
        if length is not None:
            local = local[: max(1, length - len(domain) - len(str(n)) - 2)]
        return f"{local}+{n}@{domain}"
    tail = f" {n}"
    if length is not None:
        text = text[: max(1, length - len(tail))]
    return text + tail


class TablePools:
    """Pools mode for one table: the requests to send, and the generators made from their answers."""

    def __init__(self, recipe: TableRecipe, config: LLMConfig, user_prompt: str | None = None,
                 samples: Sequence[Mapping[str, Any]] | None = None) -> None:
        self.recipe = recipe
        spec = recipe.spec
        self.rules: dict[str, list[FieldRule]] = {
            group: field_rules(recipe, columns, nullable=False) for group, columns in pool_groups(recipe).items()}
        self.requests: list[Request] = []
        for group, rules in self.rules.items():
            if not rules:
                continue
            columns = [r.name for r in rules]
            for batch, start in enumerate(range(0, config.pool_size, config.batch_size)):
                n = min(config.batch_size, config.pool_size - start)
                prompt = build_prompt(spec, n, user_prompt, columns=columns, distinct=True,
                                      samples=[{c: s.get(c) for c in columns} for s in samples] if samples else None)
                self.requests.append(Request(spec.fullname, "pool", batch, n, prompt,
                                             request_schema(f"{spec.name}_{group}", rules, n), group,
                                             token_budget(rules, n), spec))

    def finish(self, answers: Mapping[Request, list[Any]]) -> tuple[dict[str, Generator], int, list[str]]:
        """Column generators from the answers, how many records were dropped, and groups left to the engine."""
        out: dict[str, Generator] = {}
        dropped_total, empty = 0, []
        for group, rules in self.rules.items():
            records = [r for req in self.requests if req.group == group for r in answers.get(req, [])]
            pool, dropped = Pool.from_answers(group, rules, records)
            dropped_total += dropped
            if not len(pool):
                empty.append(group)
                continue
            for rule in rules:
                spec = self.recipe.spec.column(rule.name)
                column = PoolColumn(pool, rule.name, rule.max_length)
                if rule.unique:
                    out[rule.name] = UniquePoolColumn(column)
                    continue
                rate = self.recipe.column(rule.name).null_rate if spec.nullable else 0.0
                out[rule.name] = column.nullable(rate)
        return out, dropped_total, empty


def pool_calls(config: LLMConfig, groups: int) -> int:
    """Requests pools mode sends for a table with ``groups`` column groups (independent of the row count)."""
    return groups * math.ceil(config.pool_size / config.batch_size)
