"""``python -m service [--host] [--port] [--database URL] [--create-admin-key]`` (also ``syda serve``)."""

from __future__ import annotations

import click

from sqlalchemy_syda.exceptions import SydaError


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--database", help="state database URL (default: SYDA_SERVICE_DATABASE, else sqlite:///syda-service.db).")
@click.option("--create-admin-key", is_flag=True, help="print a new administrator key once, then serve.")
@click.option("--allow-remote", is_flag=True, help="listen on a non-loopback address (behind a TLS proxy).")
def main(host: str, port: int, database: str | None, create_admin_key: bool, allow_remote: bool) -> None:
    """Start the REST service."""
    from .serve import serve

    try:
        serve(host, port, database, create_admin_key=create_admin_key, allow_remote=allow_remote, echo=click.echo)
    except SydaError as exc:
        raise click.ClickException(str(exc)) from None


if __name__ == "__main__":
    main()
