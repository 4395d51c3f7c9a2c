"""``syda alembic``: Alembic environments whose migrations seed dev and test databases.

::

    syda alembic init migrations            # like `alembic init`, with the seeding hook in env.py

From Python, into ``tmp``::

    >>> from click.testing import CliRunner
    >>> result = CliRunner().invoke(command, ["init", str(tmp / "migrations"), "-c", str(tmp / "alembic.ini")])
    >>> result.exit_code, sorted(p.name for p in (tmp / "migrations").iterdir()), (tmp / "alembic.ini").exists()
    (0, ['README', 'env.py', 'script.py.mako', 'versions'], True)
    >>> env = (tmp / "migrations" / "env.py").read_text()
    >>> "import alembic_ext" in env, env.count("on_version_apply=alembic_ext.on_version_apply")   # offline and online
    (True, 2)
"""

from __future__ import annotations

import click

__all__ = ["command"]


@click.group("alembic")
def command() -> None:
    """Alembic integration: environments whose migrations seed dev and test databases."""


@command.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("-c", "--config", "config_file", default="alembic.ini", show_default=True,
              type=click.Path(dir_okay=False), help="the alembic.ini to write (left alone if it exists).")
@click.option("--package", is_flag=True, help="write __init__.py files into the environment and versions/.")
def alembic_init_cmd(directory: str, config_file: str, package: bool) -> None:
    """Like `alembic init`, with env.py already passing on_version_apply=alembic_ext.on_version_apply."""
    try:
        from alembic.util import CommandError

        from alembic_ext.environment import init_environment
    except ImportError as exc:
        raise click.ClickException(f"{exc}. Install the extra: pip install 'sqlalchemy-syda[alembic]'") from None
    try:
        init_environment(directory, config_file=config_file, package=package)
    except CommandError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # an unwritable or impossible folder: say which, in one line
        where = exc.filename or directory
        raise click.ClickException(f"cannot write the Alembic environment at {where!r}: {exc.strerror or exc}; "
                                   "choose a folder you can write to.") from None
    click.echo(f"Seeding hook in {directory}/env.py; it runs when SYDA_ENV is dev or test (see [syda] in "
               f"{config_file}).")
