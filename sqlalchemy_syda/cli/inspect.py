"""``syda inspect``: which generator each column gets, where the choice came from, and why.

::

    syda inspect --models examples.crm_models:Base
    syda inspect --url postgresql+psycopg://.../shop --table orders

From Python (the table is drawn for the terminal's width)::

    >>> from click.testing import CliRunner
    >>> result = CliRunner().invoke(command, ["--models", "examples.crm_models:Base"])
    >>> result.exit_code, result.output.splitlines()[0].strip()
    (0, 'Customer (customers)')
    >>> "company_website('name').nullable(0.1)" in result.output
    True
"""

from __future__ import annotations

import click

from ..exceptions import SydaError
from .flag_hints import as_flags
from .inputs import read_specs
from .output import make_console

__all__ = ["command"]


@click.command("inspect")
@click.option("--models", help="module:attribute holding a declarative Base, MetaData or models.")
@click.option("--url", help="database URL to reflect tables from (when --models is not given).")
@click.option("--table", "tables", multiple=True, help="only these tables (repeatable).")
@click.option("--seed", "seed_value", type=int, default=0, show_default=True)
def command(models: str | None, url: str | None, tables: tuple[str, ...], seed_value: int) -> None:
    """Show which generator each column gets, and why."""
    from rich.table import Table

    from ..options import SeedOptions
    from ..plan import PlanRequest
    from ..planner import plan_run

    console = make_console()
    try:
        specs = read_specs(models, url, tables)
        request = PlanRequest(tuple(specs), {s.fullname: 10 for s in specs}, target="frames")
        plan = plan_run(request, SeedOptions(seed=seed_value))
        for spec in specs:
            recipe = plan.table(spec.fullname).recipe
            table = Table(title=f"{spec.display_name} ({spec.fullname})", title_justify="left")
            for col in ("column", "type", "generator", "source", "reason"):
                table.add_column(col, overflow="fold")
            for row in recipe.describe():
                table.add_row(*row.values())
            console.print(table)
            for note in recipe.notes():
                console.print(f"  {note}")
    except SydaError as exc:
        raise click.ClickException(as_flags(str(exc))) from None
