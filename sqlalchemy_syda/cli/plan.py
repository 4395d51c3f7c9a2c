"""``syda plan``: the seed plan (order, counts, cycle handling) and the SQL a seed would run; nothing written.

::

    syda plan --url sqlite:///crm.db --models examples.crm_models:Base --rows 1000
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
