"""What a run asked of the LLM: rows, calls, tokens, estimated cost and time, per table.

The API returns it (``SyntheticDataGenerator.report``, ``LLM.report``) and ``syda generate`` prints it::

    >>> report = RunReport("local")                 # what the rows and pools stages fill in during a run
    >>> report.table("contacts").mode = "rows"
    >>> report.add("contacts", rows=10, calls=1, prompt_tokens=310, completion_tokens=620, seconds=5.21, replaced=2)
    >>> report.table("products").mode = "pools"
    >>> report.add("products", rows=5000, calls=3, replayed=2, prompt_tokens=900, completion_tokens=2400,
    ...            seconds=11.5, cost=0.0016)
    >>> print(report)
    LLM run report (model local)
    table     mode    rows  calls  from lock  retries  tokens in  tokens out  est. cost  seconds  replaced
    contacts  rows      10      1          0        0        310         620    $0.0000     5.21         2
    products  pools  5,000      3          2        0        900       2,400    $0.0016    11.50         0
    total            5,010      4          2        0      1,210       3,020    $0.0016    16.71         2
    >>> report.calls, report.tokens
    (4, 4230)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

__all__ = ["RunReport", "TableReport"]


@dataclass
class TableReport:
    """One table's share of a run."""

    table: str
    mode: str = "-"
    rows: int = 0
    calls: int = 0
    """Requests answered by the LLM (one per batch of records)."""
    replayed: int = 0
    """Batches answered by the lockfile, with no request."""
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    replaced: int = 0
    """LLM values that failed validation and were replaced by the engine's."""
    cost: float = 0.0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass
class RunReport:
    """Per-table figures of the LLM's work in a run, with totals."""

    model: str = ""
    tables: dict[str, TableReport] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def table(self, name: str) -> TableReport:
        with self._lock:
            return self.tables.setdefault(name, TableReport(name))

    def add(self, name: str, **amounts: float) -> None:
        """Add ``amounts`` (calls=1, prompt_tokens=..., ...) to a table's figures (thread-safe)."""
        entry = self.table(name)
        with self._lock:
            for key, value in amounts.items():
                setattr(entry, key, getattr(entry, key) + value)

    @property
    def calls(self) -> int:
        return sum(t.calls for t in self.tables.values())

    @property
    def replayed(self) -> int:
        return sum(t.replayed for t in self.tables.values())

    @property
    def retries(self) -> int:
        return sum(t.retries for t in self.tables.values())

    @property
    def tokens(self) -> int:
        return sum(t.tokens for t in self.tables.values())

    @property
    def cost(self) -> float:
        return sum(t.cost for t in self.tables.values())

    @property
    def seconds(self) -> float:
        return sum(t.seconds for t in self.tables.values())

    def rows(self) -> list[dict[str, str]]:
        """The report as text cells, one dict per table plus a total row (what the CLI prints)."""
        out = [self._cells(t) for t in self.tables.values()]
        total = TableReport("total", "", sum(t.rows for t in self.tables.values()), self.calls, self.replayed,
                            self.retries, sum(t.prompt_tokens for t in self.tables.values()),
                            sum(t.completion_tokens for t in self.tables.values()), self.seconds,
                            sum(t.replaced for t in self.tables.values()), self.cost)
        out.append(self._cells(total))
        return out

    @staticmethod
    def _cells(t: TableReport) -> dict[str, str]:
        return {"table": t.table, "mode": t.mode, "rows": f"{t.rows:,}", "calls": str(t.calls),
                "from lock": str(t.replayed), "retries": str(t.retries), "tokens in": f"{t.prompt_tokens:,}",
                "tokens out": f"{t.completion_tokens:,}", "est. cost": f"${t.cost:.4f}",
                "seconds": f"{t.seconds:.2f}", "replaced": str(t.replaced)}

    def __str__(self) -> str:
        rows = self.rows()
        heads = list(rows[0])
        widths = {h: max(len(h), *(len(r[h]) for r in rows)) for h in heads}
        lines = ["  ".join(h.ljust(widths[h]) if h in ("table", "mode") else h.rjust(widths[h]) for h in heads)]
        for r in rows:
            lines.append("  ".join(r[h].ljust(widths[h]) if h in ("table", "mode") else r[h].rjust(widths[h])
                                   for h in heads))
        return f"LLM run report (model {self.model or '-'})\n" + "\n".join(lines)
