"""``syda report``: how close (and, with ``--holdout``, how private) synthetic data is to the real data.

::

    syda report orders.csv synthetic_orders.csv -o report.html            # writes report.html and report.json
    syda report train.csv synthetic.csv --holdout holdout.csv -o report.html   # + IMS, DCR share, NNDR
    syda report postgresql+psycopg://localhost/shop sqlite:///synthetic.db -o shop.html --tables customers,orders

REAL and SYNTHETIC are each a file (CSV, TSV, Parquet or Excel: one table) or a database URL (every
table, or ``--tables``; the foreign keys the real database declares are scored for Cardinality,
Intertable Trends and FK validity). ``--profile`` names the profile the synthetic data came from: its keys
are left out of the scores and its relationships are the ones scored. The HTML page and a JSON file of the
same name (``.json``) are written; the headline scores are printed::

    >>> json_path_for("out/report.html")
    PosixPath('out/report.json')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..exceptions import LearnError, SydaError

__all__ = ["command", "json_path_for", "read_tables"]


def json_path_for(html: str | Path) -> Path:
    """The machine-readable report written next to the HTML page."""
    return Path(html).with_suffix(".json")


def read_tables(source: str, tables: list[str] | None) -> dict[str, Any]:
    """``{table: DataFrame}`` from a file (one table, named by its stem) or a database URL."""
    from .learn import is_url

    if not is_url(source):
        from ..learn.files import read_table

        frame, info = read_table(source)
        return {info["name"]: frame}
    import pandas as pd
    import sqlalchemy as sa

    from .inputs import make_engine

    engine = make_engine(source)
    try:
        names = sa.inspect(engine).get_table_names()
        wanted = tables or names
        unknown = [t for t in wanted if t not in names]
        if unknown:
            raise LearnError(f"{engine.url.render_as_string(hide_password=True)} has no table "
                             f"{', '.join(map(repr, unknown))}; it has {', '.join(map(repr, names)) or 'none'}.")
        metadata = sa.MetaData()
        with engine.connect() as conn:
            return {t: pd.read_sql(sa.select(sa.Table(t, metadata, autoload_with=conn)), conn) for t in wanted}
    finally:
        engine.dispose()


def _keys_profile(real: str, tables: list[str] | None) -> Any:
    """The real database's keys and relationships, for scoring (a profile learned from it)."""
    from ..learn import learn
    from .inputs import make_engine

    engine = make_engine(real)
    try:
        return learn(engine, tables)
    finally:
        engine.dispose()


@click.command("report")
@click.argument("real")
@click.argument("synthetic")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="the HTML page to write (a .json of the same name is written next to it).")
@click.option("--holdout", help="real rows the profile never saw (a file): adds the privacy measures.")
@click.option("--profile", "profile_path", type=click.Path(dir_okay=False),
              help="the profile the synthetic data came from (its keys and relationships).")
@click.option("--tables", help="for database URLs: the tables to compare, comma-separated (default: all).")
@click.option("--seed", "seed_value", type=int, default=0, show_default=True,
              help="which synthetic rows the privacy measures compare when there are many.")
def command(real, synthetic, output, holdout, profile_path, tables, seed_value) -> None:
    """Score SYNTHETIC against REAL (files or database URLs) and write an HTML and a JSON report."""
    from ..learn import Profile, quality_report
    from .learn import is_url

    if not output.lower().endswith((".html", ".htm")):
        raise click.BadParameter("the report is an HTML page: end the path with .html", param_hint="-o/--output")
    wanted = [t.strip() for t in tables.split(",") if t.strip()] if tables else None
    try:
        reals = read_tables(real, wanted)
        syns = read_tables(synthetic, wanted or (list(reals) if is_url(synthetic) and is_url(real) else None))
        if len(reals) == 1 and len(syns) == 1:
            syns = {next(iter(reals)): next(iter(syns.values()))}
        holdouts = read_tables(holdout, None) if holdout else None
        if holdouts is not None and len(reals) != 1:
            raise LearnError("--holdout scores one table: give one REAL table (a file or --tables with one name).")
        profile = Profile.load(profile_path) if profile_path else \
            _keys_profile(real, wanted) if is_url(real) and len(reals) > 1 else None
        report = quality_report(reals, syns, holdout=holdouts, profile=profile, seed=seed_value,
                                name=next(iter(reals)))
        html = report.save(output)
        data = report.save(json_path_for(output))
    except SydaError as exc:
        raise click.ClickException(str(exc)) from None
    for key, value in report.scores.items():
        if value == value:  # not NaN
            click.echo(f"{key.replace('_', ' ')}: {value:.3f}")
    if report.privacy:
        p = report.privacy
        click.echo(f"privacy: IMS train {p['ims_train']:.3f} / holdout {p['ims_holdout']:.3f}, "
                   f"DCR share {p['dcr_share']:.3f}, NNDR p10 {p['nndr_p10']:.3f}")
    click.echo(f"-> {html} and {data}")
