"""Learned profiles of a project: ``GET /projects/{name}/profiles``, ``GET /profiles/{id}`` (the profile's JSON).

A profile holds what was learned (distributions, patterns, dependence), never rows; it can seed a
named target (``"profile": "<id>"`` in ``POST /projects/{name}/seed``).
"""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends

from ..auth import Caller, require
from ..errors import ApiError
from ..models import Profile, Project

router = APIRouter(tags=["profiles"])


def profile_body(p: Profile, project: str) -> dict:
    return {"id": p.id, "project": project, "name": p.name, "sha256": p.sha256, "job_id": p.job_id,
            "created_at": p.created_at.isoformat() + "Z", "links": {"self": f"/profiles/{p.id}"}}


@router.get("/projects/{project_name}/profiles", summary="The project's learned profiles")
def list_profiles(project_name: str, caller: Annotated[Caller, Depends(require("read"))]) -> dict:
    with caller.session() as s:
        project = caller.project(project_name, s)
        rows = s.scalars(sa.select(Profile).where(Profile.project_id == project.id).order_by(Profile.created_at))
        items = [profile_body(p, project.name) for p in rows]
    caller.audit.ok(rows=len(items))
    return {"items": items}


@router.get("/profiles/{profile_id}", summary="A learned profile (its JSON)")
def get_profile(profile_id: str, caller: Annotated[Caller, Depends(require("read"))]) -> dict:
    with caller.session() as s:
        row = s.get(Profile, profile_id) if caller.plausible_id(profile_id) else None
        if row is None or not caller.sees(row.project_id):
            raise ApiError(404, f"No profile {profile_id!r} (or this API key cannot see it).")
        caller.audit.project_id, caller.audit.resource = row.project_id, f"profile:{profile_id}"
        body = {**profile_body(row, s.get(Project, row.project_id).name), "profile": row.content}
    caller.audit.ok()
    return body
