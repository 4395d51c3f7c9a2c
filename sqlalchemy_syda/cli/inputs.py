"""What a command line names, read: ``--models module:attr``, ``--url``, ``--table``, ``--counts``, schema files.

Bad values are click errors naming the option (exit status 2), so the commands stay parse -> call -> print::

    >>> load_models("sqlalchemy_syda.specs:TableSpec").__name__
    'TableSpec'
    >>> load_models("no-colon")
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: use module:attribute, e.g. myapp.models:Base
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

__all__ = ["load_models", "make_engine", "read_specs", "require_database", "schema_or_models", "wanted_counts"]


def load_models(ref: str | None) -> Any:
    if not ref:
        return None
    if ":" not in ref:
        raise click.BadParameter("use module:attribute, e.g. myapp.models:Base", param_hint="--models")
    module_name, attr = ref.split(":", 1)
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise click.BadParameter(f"cannot import {module_name!r}: {exc}", param_hint="--models") from None
    try:
        obj = module
        for part in attr.split("."):
            obj = getattr(obj, part)
    except AttributeError:
        raise click.BadParameter(f"{module_name!r} has no attribute {attr!r}", param_hint="--models") from None
    return obj


def read_specs(models_ref: str | None, url: str | None, tables: tuple[str, ...] = (),
               lock_timeout: float | None = 30.0) -> list:
    from ..introspect import reflect_specs, table_specs

    models = load_models(models_ref)
    if models is not None:
        specs = table_specs(models)
    elif url:
        specs = reflect_specs(make_engine(url), lock_timeout=lock_timeout)
    else:
        raise click.UsageError("give --models module:Base, or --url to read the tables from a database")
    if not specs:
        where = f"the database at {_shown(url)}" if models is None else repr(models_ref)
        raise click.UsageError(f"{where} has no tables; create them first (--create-tables with --models "
                               "module:Base, or alembic upgrade), or point --url at the database that has them")
    if tables:
        wanted = set(tables)
        specs = [s for s in specs if wanted & {s.name, s.fullname, s.model_name}]
        missing = wanted - {n for s in specs for n in (s.name, s.fullname, s.model_name)}
        if missing:
            raise click.BadParameter(f"unknown table(s): {', '.join(sorted(missing))}", param_hint="--table")
    return specs


def require_database(url: str) -> None:
    """A SQLite file that does not exist is refused before connecting (connecting would leave an empty file)."""
    import sqlalchemy as sa

    try:
        parsed = sa.engine.make_url(url)
    except Exception as exc:
        raise click.BadParameter(f"{exc}", param_hint="--url") from None
    database = parsed.database
    if parsed.get_backend_name() == "sqlite" and database and database != ":memory:" and \
            not database.startswith("file:") and not os.path.exists(database):
        raise click.BadParameter(f"no SQLite database at {database!r}; create it first (--create-tables with "
                                 "--models module:Base, or alembic upgrade), or fix the path", param_hint="--url")


def make_engine(url: str):
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(url)
    except Exception as exc:
        raise click.BadParameter(f"{exc}", param_hint="--url") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", lambda dbapi_conn, _: dbapi_conn.execute("PRAGMA foreign_keys=ON"))
    return engine


def wanted_counts(specs: list, rows: int | None, counts: str | None) -> dict:
    out: dict = {}
    if counts:
        for item in counts.split(","):
            if "=" not in item:
                raise click.BadParameter(f"{item!r} is not table=n", param_hint="--counts")
            name, value = item.split("=", 1)
            try:
                n = int(value)
            except ValueError:
                raise click.BadParameter(f"{value!r} is not a number (in {item!r})", param_hint="--counts") from None
            if n < 0:
                raise click.BadParameter(f"negative count in {item!r}", param_hint="--counts")
            spec = next((s for s in specs if name.strip() in (s.name, s.fullname, s.model_name)), None)
            if spec is None:
                raise click.BadParameter(f"unknown table {name!r}; tables: {', '.join(s.name for s in specs)}",
                                         param_hint="--counts")
            out[spec] = n
    if rows is not None:
        for spec in specs:
            out.setdefault(spec, rows)
    if not out:
        raise click.UsageError("say how many rows: --rows N and/or --counts table=n,...")
    return out


def schema_or_models(schema_file: str | None, models: str | None) -> tuple[list, dict[str, int], dict[str, str]]:
    if bool(schema_file) == bool(models):
        raise click.UsageError("give a schema file (YAML or JSON) or --models module:Base, not both")
    if models:
        return read_specs(models, None), {}, {}
    from ..schema_files import load_schema_file

    schema = load_schema_file(schema_file)
    return schema.specs, schema.counts, schema.prompts


def _shown(url: str) -> str:
    import sqlalchemy as sa

    return sa.engine.make_url(url).render_as_string(hide_password=True)
