"""What the commands print: a console that keeps its width in pipes, and the LLM's run report.

``rich`` is imported only when something is printed with it::

    >>> make_console().width >= 80
    True
"""

from __future__ import annotations

__all__ = ["make_console", "print_report"]


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
