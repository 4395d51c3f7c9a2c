"""Alembic environment of the service's state database.

The URL comes from ``-x url=...``, then the Config's ``sqlalchemy.url`` (set by
:func:`service.state.upgrade`), then ``SYDA_SERVICE_DATABASE``, then the SQLite default.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import context

from service.models import Base
from service.settings import DEFAULT_DATABASE

config = context.config
url = (context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
       or os.environ.get("SYDA_SERVICE_DATABASE") or DEFAULT_DATABASE)


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
