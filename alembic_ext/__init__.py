"""Alembic integration of sqlalchemy-syda: seed data from migrations, in dev and test databases.

Installed with ``pip install 'sqlalchemy-syda[alembic]'``; Alembic (1.18+) loads it through the
``alembic.plugins`` entry point, so migration scripts can use the operations with no env.py change.

Operations (:mod:`alembic_ext.ops`)
-----------------------------------
::

    def upgrade() -> None:
        op.create_table("users", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("email", sa.String(120), nullable=False, unique=True))
        op.seed("users", 100)                            # at least 100 rows (top-up)
        op.seed({"users": 100, "orders": 300}, seed=7)   # several tables, in FK order
        op.seed_rows("users", [{"email": "admin@example.com"}])   # given values, the rest generated

Online they reflect the tables through ``op.get_bind()`` (the schema at this revision, not today's
models) and write on the migration's connection, inside its transaction. Offline
(``alembic upgrade --sql``) they render INSERT statements from the columns the same run declared
(:mod:`alembic_ext.offline` states the limits).

The post-migration hook (:mod:`alembic_ext.hook`)
-------------------------------------------------
One line in env.py, ``context.configure(..., on_version_apply=alembic_ext.on_version_apply)``
(``syda alembic init`` writes an env.py that has it). After each upgrade step, in that step's
transaction, it backfills new NOT NULL columns on existing rows, tops up the tables the revision
declares (``SEED = {"users": 100}``) or alembic.ini's ``[syda]`` section configures, seeds the
tables the step created and tops up association tables. Idempotent; downgrades and stamps are
skipped.

Production stays untouched
--------------------------
Operations and hook do nothing unless ``SYDA_ENV`` is dev/development/test/testing/local,
``SYDA_SEED=1``, or the command says ``alembic -x syda=on ...`` (:mod:`alembic_ext.switch`).

Recipes
-------
Seed a dev database after ``alembic upgrade head``::

    # alembic.ini
    [syda]
    tables = users=200, orders=1000

    $ SYDA_ENV=dev alembic upgrade head      # every step tops up; running it again adds nothing

Review the SQL a migration would seed (new tables only)::

    $ SYDA_ENV=dev alembic upgrade head --sql > upgrade.sql

Keep production untouched: run migrations there without ``SYDA_ENV``/``SYDA_SEED`` (or with
``SYDA_SEED=0``); the hook and the operations log ``seeding is off`` and write nothing::

    >>> import os
    >>> saved = {name: os.environ.pop(name) for name in ("SYDA_SEED", "SYDA_ENV") if name in os.environ}
    >>> bool(seeding_enabled()), type(on_version_apply).__name__
    (False, 'SeedHook')
    >>> os.environ.update(saved)
"""

from __future__ import annotations

try:
    import alembic  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess without alembic
    from sqlalchemy_syda.exceptions import MissingDependencyError

    raise MissingDependencyError(
        "alembic_ext needs Alembic, which is not installed: pip install 'sqlalchemy-syda[alembic]'") from exc

from .hook import SeedHook, is_association, on_version_apply
from .ops import SeedOp, SeedRowsOp
from .plugin import setup
from .settings import SeedSettings
from .switch import seeding_enabled

__all__ = [
    "SeedHook",
    "SeedOp",
    "SeedRowsOp",
    "SeedSettings",
    "is_association",
    "on_version_apply",
    "seeding_enabled",
    "setup",
]
