"""``syda generate``: synthetic tables written to files (CSV, JSON or Parquet), no database.

::

    syda generate --models examples.crm_models:Base --rows 50 -o out/ --format csv
    syda generate schema.yaml -o out/ --llm                    # dict schemas from YAML/JSON; the LLM from env

From Python::

    >>> from click.testing import CliRunner
    >>> result = CliRunner().invoke(command, ["--models", "examples.crm_models:Base", "--rows", "5",
    ...                                       "-o", str(tmp / "out"), "--format", "csv"])
    >>> print("\\n".join(result.output.replace(str(tmp), "<tmp>").splitlines()[:5]))
    customers: 5 rows -> <tmp>/out/customers.csv
    contacts: 5 rows -> <tmp>/out/contacts.csv
    products: 5 rows -> <tmp>/out/products.csv
    orders: 5 rows -> <tmp>/out/orders.csv
    order_items: 5 rows -> <tmp>/out/order_items.csv
"""

from __future__ import annotations

import time

import click

from ..exceptions import SydaError
from .flag_hints import as_flags
from .inputs import schema_or_models, wanted_counts
from .llm_options import llm_options, llm_source
from .output import print_report

__all__ = ["command"]


@click.command("generate")
@click.argument("schema_file", required=False, type=click.Path(dir_okay=False))
@click.option("--models", help="module:attribute with the models (instead of a schema file).")
@click.option("--rows", type=click.IntRange(min=0), help="rows for every table.")
@click.option("--counts", help="rows per table: customers=100,orders=300.")
@click.option("--seed", "seed_value", type=int, default=0, show_default=True)
@click.option("--locale", default="en_US", show_default=True)
@click.option("-o", "--output", "output", required=True, type=click.Path(file_okay=False),
              help="folder for one file per table.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "parquet"]), default="csv", show_default=True)
@llm_options
def command(schema_file, models, rows, counts, seed_value, locale, output, fmt, use_llm, mode, lockfile,
            refresh, offline) -> None:
    """Write synthetic tables to files (CSV, JSON or Parquet) without a database.

    The tables come from SCHEMA_FILE (YAML or JSON dict schemas) or from --models.
    """
    from ..generate import generate
    from ..writers.files import write_frames

    try:
        specs, file_counts, prompts = schema_or_models(schema_file, models)
        wanted = {s: file_counts[s.name] for s in specs if s.name in file_counts}
        if rows is not None or counts or not wanted:
            wanted.update(wanted_counts(specs, rows, counts))
        llm = llm_source(use_llm, mode, lockfile, refresh, offline, prompts)
        started = time.perf_counter()
        frames = generate(specs, {s.fullname: n for s, n in wanted.items()}, seed=seed_value, locale=locale,
                          llm=llm)
        paths = write_frames(frames, output, fmt)
    except SydaError as exc:
        raise click.ClickException(as_flags(str(exc))) from None
    for name, path in paths.items():
        click.echo(f"{name}: {len(frames[name])} rows -> {path}")
    if llm is not None:
        print_report(llm.report)
    click.echo(f"done in {time.perf_counter() - started:.2f}s")
