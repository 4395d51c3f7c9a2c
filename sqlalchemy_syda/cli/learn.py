"""``syda learn``: a profile (versioned JSON) learned from a file or from the tables of a live database.

::

    syda learn orders.csv -o orders.profile.json                      # CSV, TSV, Parquet or Excel
    syda learn postgresql+psycopg://localhost/shop --tables customers,orders -o shop.profile.json
    syda seed --url sqlite:///dev.db --profile shop.profile.json      # the learned sizes, or --counts / --scale

A SOURCE with ``://`` is a database URL (every table, or ``--tables``, with the foreign keys the schema
declares; big tables are profiled with SQL, see :mod:`..learn.sql`); anything else is a file. The command
prints one line per table and what was read::

    >>> from click.testing import CliRunner
    >>> "--tables" in CliRunner().invoke(command, ["--help"]).output
    True
"""

from __future__ import annotations

import click

from ..exceptions import SydaError

__all__ = ["command", "is_url"]


def is_url(source: str) -> bool:
    """A SOURCE naming a database (``dialect[+driver]://...``) rather than a file."""
    return "://" in source


@click.command("learn")
@click.argument("source")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="where to write the profile (JSON).")
@click.option("--tables", help="for a database URL: the tables to learn, comma-separated (default: all).")
@click.option("--name", help="for a file: the table's name in the profile (default: the file's stem).")
@click.option("--rare", type=click.IntRange(min=1), default=5, show_default=True,
              help="categories seen fewer times are never stored (privacy).")
@click.option("--stratify", default="auto", show_default=True,
              help="a categorical column to stratify the copula by, 'auto', or 'none'.")
@click.option("--sample-rows", type=click.IntRange(min=1), default=50_000, show_default=True,
              help="for a database: bigger tables are profiled with SQL aggregates and a sample of this size.")
@click.option("--smoothing", type=click.FloatRange(0, 10), default=1.0, show_default=True,
              help="small tables' number sketches: kernel width x Silverman's rule (0: plain quantiles; "
                   "wider: synthetic rows farther from the real ones, marginals less close).")
def command(source, output, tables, name, rare, stratify, sample_rows, smoothing) -> None:
    """Learn a profile (JSON) from a CSV / Parquet / Excel file or a database URL."""
    from ..learn import learn

    stratify_option: str | bool = False if stratify.lower() in ("none", "false", "no") else stratify
    try:
        if is_url(source):
            if name:
                raise click.UsageError("--name is for a file; a database's tables keep their names")
            from .inputs import make_engine

            engine = make_engine(source)
            wanted = [t.strip() for t in tables.split(",") if t.strip()] if tables else None
            try:
                profile = learn(engine, wanted, rare=rare, stratify=stratify_option, sample_rows=sample_rows,
                                smoothing=smoothing)
            finally:
                engine.dispose()
        else:
            if tables:
                raise click.UsageError("--tables is for a database URL; a file holds one table")
            profile = learn(source, name=name, rare=rare, stratify=stratify_option, smoothing=smoothing)
        path = profile.save(output)
    except SydaError as exc:
        raise click.ClickException(str(exc)) from None
    for table in profile.tables:
        learned = sum(c.model != "key" for c in table.columns)
        click.echo(f"{table.name}: {table.rows:,} rows, {learned} columns learned"
                   f" ({len(table.columns) - learned} keys left to the engine)")
    for rel in profile.relationships:
        click.echo(f"{rel.child}.{','.join(rel.columns)} -> {rel.parent}: children per parent learned"
                   f" (NULL {rel.null_share:.1%}, orphans {rel.orphan_share:.1%})")
    read = profile.source.get("rows_read")
    method = profile.source.get("method")
    click.echo(f"read {read:,} rows" + (f" ({method})" if method else "") + f" -> {path}"
               f" (digest {profile.digest[:12]})")
