"""The FastAPI application: settings → state database (migrated) → routers, error handlers, job dispatcher.

    >>> app = create_app(Settings.from_env())      # what `syda serve` runs under uvicorn

OpenAPI at ``/docs`` and ``/redoc``; every route but ``/health`` and the docs needs an API key.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

import sqlalchemy as sa
from fastapi import FastAPI

import sqlalchemy_syda

from .errors import install_handlers
from .jobs.queue import JobRunner
from .keys import bootstrap_key_id, hash_secret, new_key, parse_token
from .limits import BodyLimit
from .models import ApiKey, utcnow
from .routes import ROUTERS
from .settings import Settings
from .state import session_factory, state_engine, upgrade

__all__ = ["create_admin_key", "create_app"]

DESCRIPTION = """Synthetic data over HTTP: projects, API keys, jobs, artifacts and a transaction log, over the
sqlalchemy-syda library. Send keys as `Authorization: Bearer <key>`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = state_engine(settings.database)
    if settings.migrate:
        upgrade(engine)
    sessions = session_factory(engine)
    if settings.admin_key:
        install_admin_key(sessions, settings.admin_key)
    runner = JobRunner(settings, sessions)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        runner.start()
        try:
            yield
        finally:
            runner.stop()
            engine.dispose()

    app = FastAPI(title="sqlalchemy-syda service", version=sqlalchemy_syda.__version__, description=DESCRIPTION,
                  lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessions
    app.state.jobs = runner
    install_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes)
    for router in ROUTERS:
        app.include_router(router)
    return app


def install_admin_key(sessions, token: str) -> str:
    """Store the hash of the administrator key given in ``SYDA_SERVICE_ADMIN_KEY`` (any string of 16+ characters)."""
    from .settings import ConfigError

    if len(token) < 16:
        raise ConfigError("SYDA_SERVICE_ADMIN_KEY must be at least 16 characters long; generate one with "
                          "`syda serve --create-admin-key` or `python -c 'import secrets; print(secrets.token_urlsafe(32))'`.")
    parsed = parse_token(token)
    key_id, secret = parsed if parsed else (bootstrap_key_id(token), token)
    with sessions.begin() as s:
        row = s.get(ApiKey, key_id)
        if row is None:
            s.add(ApiKey(id=key_id, project_id=None, role="admin", name="SYDA_SERVICE_ADMIN_KEY",
                         secret_sha256=hash_secret(secret), created_at=utcnow()))
        else:
            row.secret_sha256, row.revoked_at, row.role, row.project_id = hash_secret(secret), None, "admin", None
    return key_id


def create_admin_key(settings: Settings) -> str:
    """A new server administrator key (stored hashed); the token is returned once."""
    engine = state_engine(settings.database)
    upgrade(engine)
    token, row = new_key(project_id=None, role="admin", name="created by syda serve --create-admin-key")
    with session_factory(engine).begin() as s:
        s.add(row)
    engine.dispose()
    return token


def admin_keys_exist(settings: Settings) -> bool:
    engine = state_engine(settings.database)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(ApiKey.__table__)
                                .where(ApiKey.project_id.is_(None), ApiKey.revoked_at.is_(None))).scalar() > 0
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()
