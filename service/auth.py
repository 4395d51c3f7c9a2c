"""Who is calling: the ``Authorization: Bearer <key>`` header, checked against the stored hashes.

Routes declare the role they need and get a :class:`Caller`; a key of one project sees only that
project (another project's resources answer 404, as if they did not exist)::

    @router.get("/projects/{name}/transactions")
    def transactions(name: str, caller: Caller = Depends(require("read"))):
        project = caller.project(name)      # 404 unless the key may see it
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .audit import Audit
from .errors import ApiError
from .keys import bootstrap_key_id, parse_token, role_allows, verify
from .models import ApiKey, Project

__all__ = ["Caller", "require"]

_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
_ID = re.compile(r"[0-9a-f]{16,32}")
_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer syda_...`")


@dataclass
class Caller:
    key_id: str
    role: str
    project_id: int | None
    """None: a server administrator (every project)."""
    request: Request
    audit: Audit = field(repr=False)

    @property
    def is_server_admin(self) -> bool:
        return self.project_id is None and self.role == "admin"

    def session(self):
        return self.request.app.state.sessions()

    def project(self, name: str, session=None, role: str | None = None) -> Project:
        """The project ``name`` if this key may use it (with ``role`` or better), else 404 / 403."""
        if not _SLUG.fullmatch(name or ""):
            raise ApiError(404, f"No project named {name[:80]!r}: project names are lower-case slugs "
                                "(letters, digits, '_', '-'). List the projects you can see with GET /projects.")
        own = session or self.session()
        try:
            project = own.scalar(sa.select(Project).where(Project.name == name))
            if project is None or (self.project_id is not None and project.id != self.project_id):
                raise ApiError(404, f"No project named {name!r} (or this API key cannot see it). "
                                    "List the projects you can see with GET /projects.")
            self.audit.project_id = project.id
            if role is not None and not role_allows(self.role, role):
                raise ApiError(403, f"This API key has the role {self.role!r}; this operation needs {role!r}. "
                                    f"Ask an admin of project {name!r} for a key with that role.")
            return project
        finally:
            if session is None:
                own.close()

    @staticmethod
    def plausible_id(value: str) -> bool:
        """Job, artifact and key ids are hex; anything else cannot name one (and is not sent to the database)."""
        return bool(_ID.fullmatch(value or ""))

    def sees(self, project_id: int) -> bool:
        return self.project_id is None or self.project_id == project_id


def require(role: str, *, server_admin: bool = False):
    """A dependency: the caller, whose key must hold ``role`` (or a higher one); ``server_admin``: and no project."""

    def dependency(request: Request,
                   credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Caller:
        if credentials is None or not credentials.credentials:
            raise ApiError(401, "This route needs an API key: send 'Authorization: Bearer <key>'. An admin creates "
                                "keys with POST /projects/{name}/keys.", headers={"WWW-Authenticate": "Bearer"})
        token = credentials.credentials
        parsed = parse_token(token)
        key_id, secret = parsed if parsed else (bootstrap_key_id(token), token)
        with request.app.state.sessions() as s:
            row = s.get(ApiKey, key_id)
            why = verify(row, secret)
        if why is not None:
            raise ApiError(401, f"{why[0].upper()}{why[1:]}: send a valid key as 'Authorization: Bearer <key>'.",
                           headers={"WWW-Authenticate": "Bearer"})
        audit = Audit.start(request, key_id=row.id, project_id=row.project_id)
        caller = Caller(row.id, row.role, row.project_id, request, audit)
        if server_admin and not caller.is_server_admin:
            raise ApiError(403, "Only a server administrator's key may do this (the key from "
                                "SYDA_SERVICE_ADMIN_KEY or `syda serve --create-admin-key`).")
        if not role_allows(row.role, role):
            raise ApiError(403, f"This API key has the role {row.role!r}; this operation needs {role!r}.")
        return caller

    return dependency
