"""``syda serve``: start the service under uvicorn (loopback only unless told otherwise).

Keys travel in the ``Authorization`` header, so a non-loopback address is refused unless
``--allow-remote`` says a TLS proxy is in front::

    $ SYDA_SERVICE_ADMIN_KEY=... syda serve --port 8000
    $ syda serve --create-admin-key          # prints a new admin key once, then serves
"""

from __future__ import annotations

import ipaddress

from .settings import ConfigError, Settings

__all__ = ["check_bind", "serve"]


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, allow_remote: bool) -> None:
    if not _loopback(host) and not allow_remote:
        raise ConfigError(f"Refusing to listen on {host!r}: API keys would cross the network in clear text. Put "
                          "a TLS proxy in front and pass --allow-remote, or listen on 127.0.0.1.")


def serve(host: str = "127.0.0.1", port: int = 8000, database: str | None = None, *, create_admin_key: bool = False,
          allow_remote: bool = False, echo=print) -> None:
    import uvicorn

    from .app import admin_keys_exist, create_app
    from .app import create_admin_key as make_key

    check_bind(host, allow_remote)
    settings = Settings.from_env(database=database)
    if create_admin_key:
        token = make_key(settings)
        echo(f"New administrator key (shown once; the service stores only its hash):\n{token}")
    elif not settings.admin_key and not admin_keys_exist(settings):
        echo("No administrator key yet: set SYDA_SERVICE_ADMIN_KEY or start with --create-admin-key "
             "(only /health and the docs answer without a key).")
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level="info")
