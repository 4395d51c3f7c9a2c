"""``syda serve``: the optional REST service under uvicorn (``pip install 'sqlalchemy-syda[service]'``).

::

    SYDA_SERVICE_ADMIN_KEY=... syda serve --port 8000
    syda serve --create-admin-key --database postgresql+psycopg://syda@db/syda_service

It listens on 127.0.0.1 unless ``--allow-remote`` is given (behind a TLS proxy: keys travel in a header)::

    >>> from click.testing import CliRunner
    >>> print("\\n".join(CliRunner().invoke(command, ["--help"]).output.splitlines()[5:7]))
      --host TEXT           address to listen on.  [default: 127.0.0.1]
      --port INTEGER RANGE  [default: 8000; 1<=x<=65535]
"""

from __future__ import annotations

import click

from ..exceptions import MissingDependencyError, SydaError

__all__ = ["command"]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--database", help="state database URL (default: SYDA_SERVICE_DATABASE, else sqlite:///syda-service.db).")
@click.option("--create-admin-key", is_flag=True, help="print a new administrator key once, then serve.")
@click.option("--allow-remote", is_flag=True, help="listen on a non-loopback address (behind a TLS proxy).")
def command(host: str, port: int, database: str | None, create_admin_key: bool, allow_remote: bool) -> None:
    """Start the REST service (projects, keys, jobs, artifacts, transactions)."""
    try:
        try:
            from service.serve import serve
        except ImportError as exc:
            raise MissingDependencyError(f"`syda serve` needs the service extra ({exc.name} is missing): "
                                         "pip install 'sqlalchemy-syda[service]'") from None
        serve(host, port, database, create_admin_key=create_admin_key, allow_remote=allow_remote, echo=click.echo)
    except SydaError as exc:
        raise click.ClickException(str(exc)) from None
