"""Named target databases: the server's configuration maps a name to a URL; clients send only the name.

No request carries a URL, a path or a credential, so a key cannot point the service at a database
(or a file) the operator did not list::

    engine = target_engine(settings, "crm")      # from [targets.crm] in the configuration
"""

from __future__ import annotations

import sqlalchemy as sa

from .errors import ApiError
from .settings import Settings, Target

__all__ = ["target_engine", "visible_target"]


def visible_target(settings: Settings, name: str, project: str) -> Target:
    target = settings.targets.get(name)
    if target is None or not target.allows(project):
        names = sorted(n for n, t in settings.targets.items() if t.allows(project))
        raise ApiError(404, f"No target database named {name!r} for project {project!r}; the server's "
                            f"configuration names: {', '.join(names) if names else 'none'}.")
    return target


def target_engine(settings: Settings, name: str) -> sa.Engine:
    target = settings.targets[name]
    engine = sa.create_engine(target.url, poolclass=sa.pool.NullPool)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", lambda dbapi_conn, _: dbapi_conn.execute("PRAGMA foreign_keys=ON"))
    return engine
