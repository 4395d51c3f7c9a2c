"""API keys of a project: create (shown once), list (never the secret), revoke."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ..auth import Caller, require
from ..errors import ApiError
from ..keys import new_key
from ..models import ApiKey, utcnow

router = APIRouter(tags=["keys"])


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["read", "generate", "admin"] = "generate"
    name: str | None = Field(None, max_length=100, examples=["ci"])
    expires_in_days: int | None = Field(None, ge=1, le=3650, description="None: the key does not expire.")


def key_body(row: ApiKey, project: str) -> dict:
    iso = lambda t: t.isoformat() + "Z" if t else None  # noqa: E731
    return {"id": row.id, "project": project, "role": row.role, "name": row.name, "created_at": iso(row.created_at),
            "expires_at": iso(row.expires_at), "revoked_at": iso(row.revoked_at)}


@router.post("/projects/{project_name}/keys", status_code=201, summary="Create a key (shown once)")
def create_key(project_name: str, body: KeyIn, caller: Annotated[Caller, Depends(require("admin"))]) -> JSONResponse:
    with caller.session() as s:
        project = caller.project(project_name, s, role="admin")
        expires = utcnow() + dt.timedelta(days=body.expires_in_days) if body.expires_in_days else None
        token, row = new_key(project_id=project.id, role=body.role, name=body.name, expires_at=expires,
                             created_by=caller.key_id)
        s.add(row)
        s.commit()
        out = {**key_body(row, project.name), "key": token,
               "note": "Store this key now: the service keeps only its hash and cannot show it again."}
    caller.audit.resource = f"key:{row.id}"
    caller.audit.ok(status_code=201)
    return JSONResponse(out, 201, headers={"Location": f"/projects/{project_name}/keys/{row.id}"})


@router.get("/projects/{project_name}/keys", summary="The project's keys (without secrets)")
def list_keys(project_name: str, caller: Annotated[Caller, Depends(require("admin"))]) -> dict:
    with caller.session() as s:
        project = caller.project(project_name, s, role="admin")
        rows = s.scalars(sa.select(ApiKey).where(ApiKey.project_id == project.id).order_by(ApiKey.created_at)).all()
        items = [key_body(r, project.name) for r in rows]
    caller.audit.ok(rows=len(items))
    return {"items": items}


@router.delete("/projects/{project_name}/keys/{key_id}", summary="Revoke a key")
def revoke_key(project_name: str, key_id: str, caller: Annotated[Caller, Depends(require("admin"))]) -> dict:
    with caller.session() as s:
        project = caller.project(project_name, s, role="admin")
        row = s.get(ApiKey, key_id) if caller.plausible_id(key_id) else None
        if row is None or row.project_id != project.id:
            raise ApiError(404, f"Project {project_name!r} has no key {key_id!r}.")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            s.commit()
        body = key_body(row, project.name)
    caller.audit.resource = f"key:{key_id}"
    caller.audit.ok()
    return body
