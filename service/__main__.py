"""``python -m service``: the same command as ``syda serve`` (see :mod:`sqlalchemy_syda.cli.serve`)."""

from __future__ import annotations

from sqlalchemy_syda.cli.serve import command

if __name__ == "__main__":
    command()
