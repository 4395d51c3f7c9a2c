"""``--dry-run`` / ``syda plan`` with ``--create-tables``: plan against the tables, create nothing that stays.

A dry run writes nothing, and that includes the tables ``--create-tables`` would create. The plan still needs
them (a seed plans against what the database holds), so they exist only where nothing is kept: inside a
transaction that is rolled back (PostgreSQL, whose DDL is transactional), or in a copy of the SQLite file
(an empty in-memory database when the file does not exist yet, which is then not created either)::

    >>> from examples.crm_models import Base
    >>> with planning_bind("sqlite:///never-created.db", Base.metadata) as bind:
    ...     sorted(sa.inspect(bind).get_table_names())[:2]
    ['contacts', 'customers']
    >>> import os; os.path.exists("never-created.db")
    False

Other databases commit DDL at once: a dry run there needs the tables to exist already (a usage error says so).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import click
import sqlalchemy as sa

__all__ = ["planning_bind"]


@contextmanager
def planning_bind(url: str, metadata: sa.MetaData) -> Iterator[sa.Engine | sa.Connection]:
    """A bind on which ``metadata``'s tables exist for planning, leaving the database at ``url`` as it was."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        with _sqlite_copy(parsed.database) as copy_url:
            engine = sa.create_engine(copy_url)
            try:
                metadata.create_all(engine)
                yield engine
            finally:
                engine.dispose()
        return
    engine = sa.create_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                trans = conn.begin()
                try:
                    metadata.create_all(conn)
                    yield conn
                finally:
                    trans.rollback()  # the tables go with it
            return
        inspector = sa.inspect(engine)
        missing = [t.fullname for t in metadata.sorted_tables if not inspector.has_table(t.name, schema=t.schema)]
        if missing:
            raise click.UsageError(f"--dry-run with --create-tables cannot plan the missing tables "
                                   f"{', '.join(missing)} on {engine.dialect.name}, whose DDL commits at once (the "
                                   "dry run would leave them behind): create them first, then plan")
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _sqlite_copy(database: str | None) -> Iterator[str]:
    """The URL of a throwaway copy of the SQLite file (in memory when there is no file)."""
    if not database or database == ":memory:" or database.startswith("file:") or not os.path.exists(database):
        yield "sqlite://"
        return
    folder = tempfile.mkdtemp(prefix="syda-plan-")
    try:
        copy = os.path.join(folder, "plan.db")
        with sqlite3.connect(database) as source, sqlite3.connect(copy) as target:
            source.backup(target)  # a consistent copy, also of a database in WAL mode
        source.close()
        target.close()
        yield f"sqlite:///{copy}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
