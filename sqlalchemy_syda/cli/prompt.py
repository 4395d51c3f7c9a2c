"""``syda prompt``: the exact prompts the LLM would get for each table, without calling it.

::

    syda prompt schema.yaml --table patients
    syda prompt --models examples.crm_models:Base --mode pools

From Python::

    >>> from click.testing import CliRunner
    >>> result = CliRunner().invoke(command, ["--models", "examples.crm_models:Base", "--table", "customers"])
    >>> print("\\n".join(result.output.splitlines()[:10]))
    # Customer (rows: 10 records per request)
    <BLANKLINE>
    Model Description: Organization or individual client in the CRM system.
    Represents a business entity that can place orders and have contacts.
    <BLANKLINE>
    Generate 10 records JSON objects with these fields:
    - id: number (primary_key)
    - name: text (unique, not_null, max_length=100) - Customer organization name
    - industry: text (max_length=50) - Customer's primary industry
    - website: text (max_length=100) - Customer's website URL
"""

from __future__ import annotations

import click

from ..exceptions import SydaError
from .flag_hints import as_flags
from .inputs import schema_or_models

__all__ = ["command"]


@click.command("prompt")
@click.argument("schema_file", required=False, type=click.Path(dir_okay=False))
@click.option("--models", help="module:attribute with the models (instead of a schema file).")
@click.option("--table", "tables", multiple=True, help="only these tables (repeatable).")
@click.option("--rows", type=click.IntRange(min=1), default=10, show_default=True, help="rows of the table.")
@click.option("--prompt", "user_prompt", help="your own words for the LLM (default: the schema file's prompts).")
@click.option("--mode", type=click.Choice(["rows", "pools"]), default="rows", show_default=True)
def command(schema_file, models, tables, rows, user_prompt, mode) -> None:
    """Print the exact prompts the LLM gets for each table (first batch; one per column group in pools mode)."""
    from ..llm.config import LLMConfig
    from ..llm.source import LLM

    try:
        specs, _, prompts = schema_or_models(schema_file, models)
        if tables:
            specs = [s for s in specs if set(tables) & {s.name, s.fullname, s.model_name}]
            if not specs:
                raise click.BadParameter(f"unknown table(s): {', '.join(tables)}", param_hint="--table")
        config = (LLMConfig.from_env() or LLMConfig()).replace(lockfile=None)
        for spec in specs:
            words = user_prompt if user_prompt is not None else prompts.get(spec.name)
            plan = LLM(config, prompts={spec.fullname: words}).plan(spec, rows, mode=mode)
            shown = [r for r in plan.requests if r.batch == 0]
            for request in shown:
                group = f", {request.group}" if request.group else ""
                click.echo(f"# {spec.display_name} ({mode}{group}: {request.n} records per request)\n")
                click.echo(request.prompt + "\n")
            if not shown:
                click.echo(f"# {spec.display_name}: no column for the LLM to write in {mode} mode\n")
    except SydaError as exc:
        raise click.ClickException(as_flags(str(exc))) from None
