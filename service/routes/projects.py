"""Projects: ``POST /projects`` (server admin; idempotent with ``Idempotency-Key``), ``GET /projects``."""

from __future__ import annotations

from typing import Annotated, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ..audit import sha256_json
from ..auth import Caller, require
from ..errors import ApiError
from ..models import Project, utcnow

router = APIRouter(tags=["projects"])

NAME = r"^[a-z0-9][a-z0-9_-]{0,62}$"
MAX_SEED = 2**63 - 1


class ProjectDefaults(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seed: int | None = Field(None, ge=0, le=MAX_SEED, description="Seed used when a request gives none.")
    format: Literal["json", "csv", "parquet"] = "json"
    retention_days: int | None = Field(None, ge=1, le=3650, description="How long artifacts are kept.")


class ProjectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=NAME, description="A slug: lower-case letters, digits, '_' and '-'.",
                      examples=["my_project"])
    description: str | None = Field(None, max_length=2000, examples=["My synthetic data project"])
    defaults: ProjectDefaults = Field(default_factory=ProjectDefaults)


def project_body(p: Project) -> dict:
    return {"name": p.name, "description": p.description, "created_at": p.created_at.isoformat() + "Z",
            "defaults": {"seed": p.default_seed, "format": p.default_format, "retention_days": p.retention_days},
            "links": {"self": f"/projects/{p.name}", "transactions": f"/projects/{p.name}/transactions",
                      "keys": f"/projects/{p.name}/keys", "jobs": f"/projects/{p.name}/jobs"}}


@router.post("/projects", status_code=201, summary="Create a project (server admin)")
def create_project(body: ProjectIn, caller: Annotated[Caller, Depends(require("admin", server_admin=True))],
                   idempotency_key: Annotated[str | None, Header(max_length=200, pattern=r"^[\x21-\x7e]+$")] = None) -> JSONResponse:
    request_hash = sha256_json(body.model_dump())
    caller.audit.input_sha256 = request_hash
    caller.audit.resource = f"project:{body.name}"
    with caller.session() as s:
        if idempotency_key:
            earlier = s.scalar(sa.select(Project).where(Project.idempotency_key == idempotency_key))
            if earlier is not None:
                if earlier.request_sha256 != request_hash:
                    raise ApiError(422, "This Idempotency-Key was used for a different request; send a new key "
                                        "for a new project.", error="IdempotencyKeyReused")
                caller.audit.project_id = earlier.id
                s.rollback()  # end the read before the event is written (SQLite has one writer)
                caller.audit.ok(status_code=200, outcome="replayed")
                return JSONResponse(project_body(earlier), 200, headers={"Location": f"/projects/{earlier.name}",
                                                                         "Idempotent-Replayed": "true"})
        if s.scalar(sa.select(Project.id).where(Project.name == body.name)) is not None:
            raise ApiError(409, f"A project named {body.name!r} exists already; pick another name.")
        project = Project(name=body.name, description=body.description, default_seed=body.defaults.seed,
                          default_format=body.defaults.format, retention_days=body.defaults.retention_days,
                          idempotency_key=idempotency_key, request_sha256=request_hash, created_at=utcnow())
        s.add(project)
        try:
            s.commit()
        except sa.exc.IntegrityError:  # a concurrent create of the same name
            s.rollback()
            raise ApiError(409, f"A project named {body.name!r} exists already; pick another name.") from None
        caller.audit.project_id = project.id
        caller.audit.ok(status_code=201)
        return JSONResponse(project_body(project), 201, headers={"Location": f"/projects/{project.name}"})


@router.get("/projects", summary="The projects this key can see")
def list_projects(caller: Annotated[Caller, Depends(require("read"))]) -> dict:
    with caller.session() as s:
        query = sa.select(Project).order_by(Project.name)
        if caller.project_id is not None:
            query = query.where(Project.id == caller.project_id)
        items = [project_body(p) for p in s.scalars(query)]
    caller.audit.ok(rows=len(items))
    return {"items": items}


@router.get("/projects/{project_name}", summary="One project")
def get_project(project_name: str, caller: Annotated[Caller, Depends(require("read"))]) -> dict:
    with caller.session() as s:
        body = project_body(caller.project(project_name, s))
    caller.audit.resource = f"project:{project_name}"
    caller.audit.ok()
    return body
