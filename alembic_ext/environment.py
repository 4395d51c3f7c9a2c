"""``syda alembic init``: a new Alembic environment whose env.py already runs the seeding hook.

It is Alembic's own ``init`` with this package's ``syda`` template: env.py passes
``on_version_apply=alembic_ext.on_version_apply`` (online and offline), new revision scripts have
a ``SEED = {}`` line to fill in, and alembic.ini has a commented ``[syda]`` section::

    $ syda alembic init migrations          # writes ./alembic.ini and ./migrations/
    $ alembic revision -m "create users"
    $ SYDA_ENV=dev alembic upgrade head

From Python, into ``tmp`` (Alembic reports each file it writes)::

    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):
    ...     init_environment(tmp / "migrations", config_file=tmp / "alembic.ini")
    >>> sorted(p.name for p in (tmp / "migrations").iterdir())
    ['README', 'env.py', 'script.py.mako', 'versions']
    >>> [line for line in (tmp / "migrations" / "script.py.mako").read_text().splitlines() if line.startswith("SEED")]
    ['SEED: dict[str, int] = {}']
    >>> "[syda]" in (tmp / "alembic.ini").read_text().splitlines()
    True
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

__all__ = ["TEMPLATE_DIRECTORY", "init_environment"]

TEMPLATE_DIRECTORY = Path(__file__).resolve().parent / "templates"


class _SydaConfig(Config):
    """An Alembic config that finds this package's templates."""

    def get_template_directory(self) -> str:
        return str(TEMPLATE_DIRECTORY)


def init_environment(directory: str | Path, *, config_file: str | Path = "alembic.ini",
                     package: bool = False) -> Path:
    """Create ``directory`` (env.py, script.py.mako, versions/) and ``config_file``; returns the ini path.

    Like ``alembic init``: the directory must be new or empty; an existing ini file is left alone.
    """
    cfg = _SydaConfig(str(config_file))
    command.init(cfg, str(directory), template="syda", package=package)
    return Path(config_file)
