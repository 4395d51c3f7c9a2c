"""How big a planned run is: rows, a rough size and duration, and the bound that refuses absurd sizes.

A count such as ``{Order: 10**12}`` is almost always a typo, and left alone it runs for weeks (or, for
``generate()``, asks numpy for terabytes). A plan with a table over ``max_rows`` (default
:data:`MAX_ROWS`, 100 million) is refused with a :class:`~.exceptions.PlanError` unless the caller
confirms by raising the bound (``max_rows=10**10``) or lifting it (``max_rows=None``); no run goes
beyond :data:`HARD_LIMIT` rows per table (row numbers are 63-bit)::

    >>> from examples.crm_models import Customer
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.plan import order_tables, PlanRequest
    >>> from sqlalchemy_syda.options import SeedOptions
    >>> plan = order_tables(PlanRequest(tuple(table_specs([Customer])), {"customers": 10**12}), SeedOptions())
    >>> check_row_limit(plan, MAX_ROWS)
    Traceback (most recent call last):
    ...
    sqlalchemy_syda.exceptions.PlanError: 'Customer' asks for 1,000,000,000,000 rows, over the limit of ...
    >>> print(estimate(plan.tables[0].spec, 1_000_000, "postgresql"))
    ~132 MB, ~7 s

The estimate is deliberately rough (bytes per value by column kind, a typical rate per sink on a small
machine); it is there to tell minutes from weeks before anything runs, not to promise a figure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .exceptions import PlanError

if TYPE_CHECKING:
    from .plan import SeedPlan
    from .specs import ColumnSpec, TableSpec

__all__ = ["HARD_LIMIT", "MAX_ROWS", "SizeEstimate", "check_memory", "check_row_limit", "estimate", "plan_estimate"]

MAX_ROWS = 100_000_000
"""Rows per table a run accepts without ``max_rows`` raised or lifted."""
HARD_LIMIT = 2**62
"""Rows per table no run can hold (row numbers and their permutations are 63-bit)."""

_BYTES = {"integer": 8, "float": 8, "decimal": 12, "boolean": 1, "date": 4, "datetime": 8, "time": 8,
          "interval": 16, "uuid": 16, "inet": 16, "macaddr": 8, "json": 80, "binary": 32, "enum": 8,
          "array": 48, "text": 120, "other": 16}
_ROW_OVERHEAD = 24  # a row header in the database, a slot in memory
_ROWS_PER_SECOND = {"postgresql": 150_000, "sqlite": 60_000, "mysql": 30_000, "mariadb": 30_000,
                    "frames": 400_000}
_DEFAULT_RATE = 30_000


@dataclass(frozen=True)
class SizeEstimate:
    """A rough size (bytes) and duration (seconds) of writing some rows."""

    bytes: int
    seconds: float

    def __add__(self, other: SizeEstimate) -> SizeEstimate:
        return SizeEstimate(self.bytes + other.bytes, self.seconds + other.seconds)

    def __str__(self) -> str:
        duration = _duration(self.seconds)
        return f"~{_size(self.bytes)}, {duration if duration.startswith('<') else '~' + duration}"


def _column_bytes(column: ColumnSpec) -> int:
    if column.kind == "string":
        return min(column.length or 24, 24) + 1
    return _BYTES.get(column.kind, 16)


def estimate(spec: TableSpec, rows: int, target: str | None) -> SizeEstimate:
    """Rough size and duration of ``rows`` rows of ``spec`` into ``target`` (a dialect name or ``frames``)."""
    per_row = _ROW_OVERHEAD + sum(_column_bytes(c) for c in spec.columns if not c.filled_by_database)
    rate = _ROWS_PER_SECOND.get(target or "", _DEFAULT_RATE)
    return SizeEstimate(per_row * rows, rows / rate)


def plan_estimate(plan: SeedPlan) -> SizeEstimate:
    """The whole plan's estimate (its ``target``: the database dialect, or ``frames``)."""
    total = SizeEstimate(0, 0.0)
    for tp in plan.tables:
        total = total + estimate(tp.spec, tp.count, plan.target)
    return total


def check_row_limit(plan: SeedPlan, max_rows: int | None) -> None:
    """Refuse tables over ``max_rows`` (None: only :data:`HARD_LIMIT`), naming them and the way to confirm."""
    for tp in plan.tables:
        if tp.count > HARD_LIMIT:
            raise PlanError(f"{tp.spec.display_name!r} asks for {tp.count:,} rows; no run can hold more than "
                            f"{HARD_LIMIT:,} rows per table. Lower the count.")
        if max_rows is not None and tp.count > max_rows:
            raise PlanError(f"{tp.spec.display_name!r} asks for {tp.count:,} rows, over the limit of {max_rows:,} "
                            f"rows per table ({estimate(tp.spec, tp.count, plan.target)} estimated). If that "
                            "is a typo, lower the count; to run it anyway, raise the limit (max_rows=N, "
                            "or max_rows=None for none).")


def check_memory(plan: SeedPlan) -> None:
    """``generate()`` holds every row in memory: refuse a plan whose estimate exceeds this machine's memory."""
    total = plan_estimate(plan).bytes
    memory = _physical_memory()
    if memory is not None and total > memory:
        raise PlanError(f"generate() would hold every row in memory: {_size(total)} estimated for "
                        f"{sum(plan.counts.values()):,} rows, more than this machine's {_size(memory)}. Lower the "
                        "counts, or seed() them into a database, which writes in chunks.")


def _physical_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, OSError, ValueError):  # pragma: no cover - not a POSIX system
        return None


def _size(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:,.0f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


def _duration(seconds: float) -> str:
    if seconds < 1:
        return "<1 s"
    for unit, length, upto in (("s", 1, 120), ("min", 60, 7200), ("h", 3600, 172800), ("days", 86400, 86400 * 730)):
        if seconds < upto:
            return f"{seconds / length:,.0f} {unit}"
    return f"{seconds / (86400 * 365):,.0f} years"
