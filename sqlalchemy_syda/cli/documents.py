"""``syda documents``: one document per generated row, from a template (Jinja2 text/HTML, HTML as PDF, .docx).

::

    syda documents invoice.html --models app.models:Base --counts customers=5,invoices=20,invoice_lines=80 \\
        --table invoices --to pdf -o invoices/
    syda documents letter.docx schema.yaml --rows 10 --table patients -o letters.zip --name "letter-{{ id }}"

From Python, a text card per customer with the number of its contacts::

    >>> from click.testing import CliRunner
    >>> _ = (tmp / "card.txt").write_text("{{ name }}: {{ contacts|length }} contacts")
    >>> result = CliRunner().invoke(command, [str(tmp / "card.txt"), "--models", "examples.crm_models:Base",
    ...                                       "--rows", "2", "--table", "customers", "-o", str(tmp / "cards")])
    >>> result.output.splitlines()[-1], [p.read_text() for p in sorted((tmp / "cards").iterdir())]
    ('2 documents', ['Brightpath Health Ltd: 2 contacts', 'Lakeside Health and Sons: 0 contacts'])
"""

from __future__ import annotations

import click

from ..exceptions import SydaError
from .flag_hints import as_flags
from .inputs import schema_or_models, wanted_counts

__all__ = ["command"]


@click.command("documents")
@click.argument("template", type=click.Path(dir_okay=False, exists=True))
@click.argument("schema_file", required=False, type=click.Path(dir_okay=False))
@click.option("--models", help="module:attribute with the models (instead of a schema file).")
@click.option("--table", required=True, help="the table that gives one document per row.")
@click.option("--rows", type=click.IntRange(min=0), help="rows for every table.")
@click.option("--counts", help="rows per table: customers=5,invoices=20,invoice_lines=80.")
@click.option("--seed", "seed_value", type=int, default=0, show_default=True)
@click.option("--to", "fmt", help="output format: pdf from an HTML or text template (default: the template's kind).")
@click.option("--name", help='file name per document, a Jinja expression: "invoice-{{ number }}".')
@click.option("--limit", type=click.IntRange(min=0), help="render only the first N rows.")
@click.option("-o", "--output", "output", required=True, type=click.Path(),
              help="a folder, or a path ending in .zip for one archive.")
def command(template, schema_file, models, table, rows, counts, seed_value, fmt, name, limit, output) -> None:
    """Render TEMPLATE once per generated row of --table, with its child rows.

    The tables come from SCHEMA_FILE (YAML or JSON dict schemas) or from --models; the same seed gives
    byte-identical files.
    """
    from ..files.documents import render_documents

    try:
        specs, file_counts, _ = schema_or_models(schema_file, models)
        wanted = {s: file_counts[s.name] for s in specs if s.name in file_counts}
        if rows is not None or counts or not wanted:
            wanted.update(wanted_counts(specs, rows, counts))
        paths = render_documents(template, specs, {s.fullname: n for s, n in wanted.items()}, table=table,
                                 out=output, to=fmt, seed=seed_value, name=name, limit=limit)
    except SydaError as exc:
        raise click.ClickException(as_flags(str(exc))) from None
    if len(paths) == 1 and str(paths[0]).endswith(".zip"):
        click.echo(f"{paths[0]}: documents of {table} in one archive")
    else:
        for path in paths:
            click.echo(str(path))
        click.echo(f"{len(paths)} documents")
