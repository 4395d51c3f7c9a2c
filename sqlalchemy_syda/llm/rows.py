"""Rows mode (the seed document's behaviour): the LLM writes whole records, in batches.

For small samples with rich free text. The engine first generates the table as usual (keys,
foreign keys, constraints); the LLM then writes the other columns record by record. Every value
is validated on its own (type, length, enum, bounds, nullability, pattern, CHECK); a value that
fails, a record that is missing and a repeat in a UNIQUE column are replaced by the engine's value
for that row, never passed on. The result enters the pipeline as one override per column, so
UNIQUE, CHECK and foreign keys are still enforced by the engine afterwards::

    >>> from sqlalchemy_syda import generate
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.llm.config import LLMConfig
    >>> from sqlalchemy_syda.planner import plan_seed
    >>> from sqlalchemy_syda.run import column_values
    >>> def engine_values(recipe, columns):                  # the engine's own values, for the replacements
    ...     return dict(zip(columns, column_values(recipe, columns, np.arange(recipe.count))))
    >>> recipe = plan_seed(table_specs([Customer, Order]), {"customers": 2, "orders": 3}).table("orders").recipe
    >>> rows_columns(recipe)
    ['status', 'total_amount']
    >>> rows = TableRows(recipe, LLMConfig(model="local", lockfile=None), "Orders of a kitchen store",
    ...                  values_of=engine_values)
    >>> answers = {rows.requests[0]: [                       # as the LLM returned them: one record short
    ...     {"status": "Shipped", "total_amount": 129.5},
    ...     {"status": "Lost in space", "total_amount": 54.0}]}
    >>> generators, replaced = rows.finish(answers)
    >>> generators["status"], replaced                        # the unlisted status and the missing record
    (llm_rows('status')[3 values], 3)
    >>> generate([Customer, Order], {Customer: 2, Order: 3}, seed=1, overrides={"orders": generators})["orders"]
       id  customer_id order_date     status  total_amount
    0   1            1 2025-08-23    Shipped        129.50
    1   2            1 2025-10-24    Shipped         54.00
    2   3            2 2025-08-26  Cancelled        345.85

Columns whose values the engine makes better (identifiers with check digits, hashes, network
addresses) or derives from other columns (``updated_at`` after ``created_at``) or from the parent row (an order's
date after its customer's creation, a price carried from the product: :mod:`~sqlalchemy_syda.relations`) stay
with the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..constraints import unique_sets
from ..generators.base import GenContext, Generator, call_repr
from .config import LLMConfig
from .prompts import build_prompt
from .records import FieldRule, field_rules, request_schema, validate_record
from .request import Request, token_budget

if TYPE_CHECKING:
    from ..recipe import TableRecipe

ValuesOf = Callable[["TableRecipe", Sequence[str]], Mapping[str, np.ndarray]]

__all__ = ["ENGINE_ONLY", "RowValues", "TableRows", "rows_columns"]

ENGINE_ONLY = frozenset({
    "uuid", "hash", "password_hash", "iban", "account_number", "credit_card_number", "swift_bic", "ean13", "isbn",
    "ssn", "mrn", "sku", "code", "license_plate", "version", "ipv4", "ipv6", "mac_address", "user_agent", "slug",
    "latitude", "longitude", "timezone", "country_code", "country_code3", "state_code", "constant"})
"""Meanings the LLM does not write in rows mode: the engine's values are valid by construction."""


def rows_columns(recipe: TableRecipe) -> list[str]:
    """The columns the LLM writes for ``recipe``'s table, in table order."""
    composite = {c for u in unique_sets(recipe.spec) if len(u) > 1 for c in u}
    out = []
    for col in recipe.spec.columns:
        plan = recipe.column(col.name)
        gen = plan.generator if plan.role in ("value", "joint") else None
        if gen is None or col.name in recipe.wired or col.primary_key or col.name in composite \
                or plan.source in ("override", "primary_key", "database") or gen.depends_on \
                or plan.meaning in ENGINE_ONLY:
            continue
        if col.kind in ("string", "text", "enum", "integer", "float", "decimal", "boolean", "date", "datetime"):
            out.append(col.name)
    return out


class RowValues(Generator):
    """Values fixed in advance for rows ``first_row`` .. ``first_row + len(values) - 1``.

    Any other row, and every redraw the engine asks for (a CHECK that failed, a UNIQUE value
    already in the table), gets the engine's own generator.
    """

    def __init__(self, column: str, values: np.ndarray, first_row: int, fallback: Generator, unique: bool) -> None:
        self.column, self.values, self.first_row, self.fallback = column, values, int(first_row), fallback
        self.distinct_rows = unique
        self._repr = call_repr("llm_rows", column) + f"[{len(values)} values]"

    def domain(self, ctx: GenContext) -> int | None:
        return self.fallback.domain(ctx)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self.fallback.at(ctx, index)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        redrawing = ctx.redraw or ctx.stream.key != ctx.table_stream.child("column", ctx.spec.name).key
        if redrawing:
            return self.fallback.generate(ctx, rows)
        index = rows.astype(np.int64) - self.first_row
        inside = (index >= 0) & (index < len(self.values))
        if inside.all():
            return self.values[index]
        out = np.asarray(self.fallback.generate(ctx, rows), dtype=object).copy()
        out[inside] = self.values[index[inside]]
        return out


class TableRows:
    """Rows mode for one table: the requests to send, and the per-column overrides from their answers."""

    def __init__(self, recipe: TableRecipe, config: LLMConfig, user_prompt: str | None = None,
                 samples: Sequence[Mapping[str, Any]] | None = None, values_of: ValuesOf | None = None) -> None:
        self.recipe = recipe
        self.values_of = values_of
        spec = recipe.spec
        columns = rows_columns(recipe)
        self.rules: list[FieldRule] = field_rules(recipe, columns) if columns else []
        written = [r.name for r in self.rules]
        omit = [c.name for c in spec.columns if c.name not in written]
        self.requests: list[Request] = []
        if not self.rules:
            return
        for batch, start in enumerate(range(0, recipe.count, config.batch_size)):
            n = min(config.batch_size, recipe.count - start)
            prompt = build_prompt(spec, n, user_prompt, omit=omit,
                                  samples=[{c: s.get(c) for c in written} for s in samples] if samples else None)
            self.requests.append(Request(spec.fullname, "rows", batch, n, prompt,
                                         request_schema(spec.name, self.rules, n), None, token_budget(self.rules, n),
                                         spec))

    def finish(self, answers: Mapping[Request, list[Any]]) -> tuple[dict[str, Generator], int]:
        """One :class:`RowValues` per LLM column, and how many values the engine had to supply instead."""
        if not self.requests:
            return {}, 0
        records: list[dict[str, Any]] = []
        for req in self.requests:
            got = list(answers.get(req, []))[: req.n]
            records += [validate_record(self.rules, r) for r in got] + [{}] * (req.n - len(got))
        if self.values_of is None:
            raise TypeError("TableRows.finish needs values_of (the engine's values for the fallback)")
        engine_values = self.values_of(self.recipe, [r.name for r in self.rules])
        out: dict[str, Generator] = {}
        replaced = 0
        for rule in self.rules:
            fallback_values = engine_values[rule.name]
            values: list[Any] = []
            seen: set = set()
            for i, record in enumerate(records):
                value = record.get(rule.name, _MISSING)
                key = str(value).casefold() if rule.unique and value is not None else None
                if value is _MISSING or (key is not None and key in seen):
                    value = _python(fallback_values[i])
                    replaced += 1
                    if rule.unique and value is not None and str(value).casefold() in seen:
                        value = f"{value}-{i + 1}"  # the engine's value was taken by an LLM value
                if rule.unique and value is not None:
                    seen.add(str(value).casefold())
                values.append(value)
            out[rule.name] = RowValues(rule.name, _array(values, fallback_values), self.recipe.offset,
                                       self.recipe.column(rule.name).generator, rule.unique)
        return out, replaced


_MISSING = object()


def _python(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) and value.dtype.kind not in "Mm" else value


def _array(values: list[Any], like: np.ndarray) -> np.ndarray:
    """``values`` in the dtype the engine uses for the column (NULLs kept)."""
    kind = like.dtype.kind
    has_null = any(v is None for v in values)
    if kind in "Mm":
        return np.array([np.datetime64("NaT") if v is None else np.datetime64(v) for v in values],
                        dtype=like.dtype)
    if kind == "f":
        return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
    if kind in "iu" and not has_null:
        return np.array(values, dtype=np.int64)
    if kind == "b" and not has_null:
        return np.array(values, dtype=bool)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out
