"""What the commands print: a console that keeps its width in pipes, and the LLM's run report.

``rich`` is imported only when something is printed with it::

    >>> make_console().width >= 80
    True
"""

from __future__ import annotations

import time

__all__ = ["PROGRESS_INTERVAL", "ProgressLines", "make_console", "print_report"]

PROGRESS_INTERVAL = 10.0
"""Seconds between progress lines when the output is a file or a pipe (CI logs)."""


class ProgressLines:
    """Progress as plain lines for a log: a table's first batch, then at most one line per ``interval`` seconds,
    and its last batch (``progress(table, done, total)``, as ``seed()`` calls it)::

        >>> lines = ProgressLines(echo=print)
        >>> lines("customers", 500, 1000); lines("customers", 1000, 1000)
        customers: 500/1,000 rows
        customers: 1,000/1,000 rows
    """

    def __init__(self, interval: float = PROGRESS_INTERVAL, echo=None) -> None:
        self.interval = interval
        self.echo = echo
        self._last: dict[str, float] = {}

    def __call__(self, table: str, done: int, total: int) -> None:
        now = time.monotonic()
        last = self._last.get(table)
        if last is not None and done < total and now - last < self.interval:
            return
        self._last[table] = now
        line = f"{table}: {done:,}/{total:,} rows"
        if self.echo is not None:
            self.echo(line)
        else:
            import click

            click.echo(line, err=True)


def make_console(stderr: bool = False):
    """A rich console that does not squeeze tables to 80 columns when output is piped."""
    from rich.console import Console

    console = Console(stderr=stderr)
    if not console.is_terminal:
        console = Console(stderr=stderr, width=160)
    return console


def print_report(report) -> None:
    from rich.table import Table

    table = Table(title=f"LLM run report (model {report.model})", title_justify="left")
    rows = report.rows()
    for col in rows[0]:
        table.add_column(col, justify="left" if col in ("table", "mode") else "right")
    for row in rows:
        table.add_row(*row.values())
    make_console().print(table)
