"""The ``syda`` command: parse options, call the pipeline, print what happened.

::

    syda inspect --models examples.crm_models:Base            # which generator each column gets, and why
    syda plan    --url sqlite:///crm.db --models examples.crm_models:Base --rows 1000
    syda seed    --url postgresql+psycopg://... --models app.models:Base --counts customers=100,orders=300
    syda seed    --url sqlite:///crm.db --create-tables --models examples.crm_models:Base --rows 1000
    syda generate --models examples.crm_models:Base --rows 50 -o out/ --format csv
    syda generate schema.yaml -o out/ --llm                    # dict schemas from YAML/JSON; the LLM from env
    syda learn orders.csv -o orders.profile.json                # a profile learned from a file or a --url's tables
    syda seed    --url sqlite:///dev.db --profile orders.profile.json   # learned columns, fan-outs and sizes
    syda report orders.csv synthetic.csv -o report.html        # fidelity (+ privacy with --holdout): HTML + JSON
    syda prompt schema.yaml --table patients                    # the exact prompt the LLM would get
    syda serve --port 8000                                      # the REST service (extra [service])

``--models`` is ``module:attribute`` (a declarative Base, MetaData, model, or list of models); without it
the tables are reflected from ``--url``. Errors print one line and exit with status 1 (2 for bad usage, 130 after Ctrl-C).

Each subcommand is a module of this package holding a click command named ``command``, imported only
when that subcommand runs (or its own ``--help`` is asked for): ``syda --help`` lists them from
:data:`COMMANDS` without importing any. Adding a subcommand is a module plus one line there::

    >>> from click.testing import CliRunner
    >>> lines = CliRunner().invoke(main, ["--help"]).output.split("Commands:")[1].splitlines()
    >>> print(next(line for line in lines if "inspect" in line).strip())
    inspect    Show which generator each column gets, and why.
"""

from __future__ import annotations

import importlib
import logging
import signal
from collections.abc import Mapping

import click

__all__ = ["COMMANDS", "INTERRUPTED", "LazyGroup", "main"]

INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT)."""

COMMANDS: Mapping[str, tuple[str, str]] = {
    # subcommand: (its module in sqlalchemy_syda.cli, the one line `syda --help` shows for it)
    "alembic": ("alembic", "Alembic integration: environments whose migrations seed dev and test databases."),
    "documents": ("documents", "Render TEMPLATE once per generated row of --table, with its child rows."),
    "generate": ("generate", "Write synthetic tables to files (CSV, JSON or Parquet) without a database."),
    "inspect": ("inspect", "Show which generator each column gets, and why."),
    "learn": ("learn", "Learn a profile (JSON) from a CSV / Parquet / Excel file or a database URL."),
    "plan": ("plan", "Print the seed plan (order, counts, cycle handling) and the SQL it would run."),
    "prompt": ("prompt", "Print the exact prompts the LLM gets for each table (first batch; one per column "
                         "group in pools mode)."),
    "seed": ("seed", "Fill a database with synthetic rows, in FK order, in one transaction."),
    "report": ("report", "Score SYNTHETIC against REAL (files or database URLs) and write an HTML and a JSON "
                         "report."),
    "serve": ("serve", "Start the REST service (projects, keys, jobs, artifacts, transactions)."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on demand, from a table of ``name: (module, help)``."""

    def __init__(self, *args, lazy_commands: Mapping[str, tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy_commands or cmd_name in self.commands:
            return super().get_command(ctx, cmd_name)
        module = importlib.import_module(f"{__name__}.{self.lazy_commands[cmd_name][0]}")
        command = module.command
        self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, from the table's one-liners (no subcommand module is imported for it)."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            if name in self.lazy_commands and name not in self.commands:
                placeholder = click.Command(name, help=self.lazy_commands[name][1])  # its help, shortened as click does
                rows.append((name, placeholder.get_short_help_str(limit)))
            elif not (command := self.get_command(ctx, name)).hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        """Run the subcommand; Ctrl-C ends it with one line and exit status 130 (128 + SIGINT), as shells expect."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not break the cleanup that follows
            click.echo("Interrupted (Ctrl-C); a seed in progress was rolled back.", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None


class _NoInterruptTracebacks(logging.Filter):
    """Drops the pool's "Exception during reset" report when the exception is the Ctrl-C itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], KeyboardInterrupt))


@click.group(cls=LazyGroup, lazy_commands=COMMANDS)
@click.version_option(package_name="sqlalchemy-syda")
def main() -> None:
    """sqlalchemy-syda: realistic, valid synthetic data for SQLAlchemy databases."""
    logging.getLogger("sqlalchemy.pool").addFilter(_NoInterruptTracebacks())
