"""``syda plan``: the seed plan (order, counts, cycle handling) and the SQL a seed would run; nothing written.

::

    syda plan --url sqlite:///crm.db --models examples.crm_models:Base --rows 1000

From Python::

    >>> from click.testing import CliRunner
    >>> result = CliRunner().invoke(command, ["--url", f"sqlite:///{tmp / 'crm.db'}", "--create-tables",
    ...                                       "--models", "examples.crm_models:Base", "--rows", "10"])
    >>> print("\\n".join(result.output.splitlines()[:5]))
     1. customers          10 rows
     2. products           10 rows
     3. contacts           10 rows   customer_id -> customers
     4. orders             10 rows   customer_id -> customers
     5. order_items        10 rows   order_id -> orders (between(1, 5)); product_id -> products
    >>> "company_website('name').nullable(0.1)" in result.output      # each table's recipe follows
    True
"""

from __future__ import annotations

import click

from ..exceptions import SydaError
from .flag_hints import as_flags
from .seed import run_seed, seed_options

__all__ = ["command"]


@click.command("plan")
@seed_options
def command(url, models, rows, counts, seed_value, existing, workers, locale, create_tables,
            alter_constraints, fk_checks, no_relations, profile_path, scale, max_rows, allow_non_transactional) -> None:
    """Print the seed plan (order, counts, cycle handling) and the SQL it would run."""
    try:
        run_seed(url, models, rows, counts, seed_value, existing, workers, locale, create_tables,
                  alter_constraints, fk_checks, True, no_relations=no_relations, profile_path=profile_path,
                  scale=scale, max_rows=max_rows, allow_non_transactional=allow_non_transactional)
    except SydaError as exc:
        raise click.ClickException(as_flags(str(exc))) from None
