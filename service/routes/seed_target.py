"""``POST /projects/{name}/seed``: seed a *named* target database (from the server's configuration) as a job.

``dry_run: true`` answers the plan and a SQL preview at once and writes nothing; otherwise the seed
runs in a worker process, all or nothing: a failure, a cancel or a killed worker leave the target as
it was. ``GET /projects/{name}/targets`` lists the names this project may use.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ..audit import sha256_json
from ..auth import Caller, require
from ..errors import ApiError
from ..targets import target_engine, visible_target
from .jobs import accepted

router = APIRouter(tags=["seed"])


class SeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    target: str = Field(max_length=100, description="A target database named in the server's configuration.",
                        examples=["crm"])
    counts: dict[str, Annotated[int, Field(ge=0, le=100_000_000)]] = Field(
        min_length=1, max_length=1000, examples=[{"customers": 100, "orders": 300}],
        description="Rows per table of the target (parents that are not listed are added as needed).")
    seed: int | None = Field(None, ge=0, le=2**63 - 1)
    existing: Literal["append", "reuse", "top-up"] = "append"
    profile: str | None = Field(None, max_length=32, description="A learned profile of this project (its id): "
                                "the columns and fan-outs it learned shape the rows.")
    dry_run: bool = False


@router.get("/projects/{project_name}/targets", summary="Target databases this project may seed")
def list_targets(project_name: str, request: Request, caller: Annotated[Caller, Depends(require("read"))]) -> dict:
    with caller.session() as s:
        project = caller.project(project_name, s)
    names = sorted(n for n, t in request.app.state.settings.targets.items() if t.allows(project.name))
    caller.audit.ok(rows=len(names))
    return {"items": [{"name": n} for n in names]}


@router.post("/projects/{project_name}/seed", summary="Seed a named target database (a job; dry_run: the plan)",
             responses={202: {"description": "A job"}})
def seed_target(project_name: str, body: SeedIn, request: Request,
                caller: Annotated[Caller, Depends(require("generate"))]) -> JSONResponse:
    caller.audit.input_sha256 = sha256_json(body.model_dump())
    with caller.session() as s:
        project = caller.project(project_name, s, role="generate")
    settings = request.app.state.settings
    visible_target(settings, body.target, project.name)
    seed_value = body.seed if body.seed is not None else (project.default_seed or 0)
    params = {"target": body.target, "counts": body.counts, "seed": seed_value, "existing": body.existing,
              "profile": body.profile}
    profile = None
    if body.profile is not None:
        from sqlalchemy_syda import Profile

        from ..models import Profile as ProfileRow

        with caller.session() as s:
            row = s.get(ProfileRow, body.profile) if caller.plausible_id(body.profile) else None
            if row is None or row.project_id != project.id:
                raise ApiError(404, f"Project {project.name!r} has no profile {body.profile!r}; list them with "
                                    f"GET /projects/{project.name}/profiles.")
            profile = Profile.from_dict(row.content)
    if body.dry_run:
        from sqlalchemy_syda import seed

        engine = target_engine(settings, body.target)
        try:
            result = seed(engine, body.counts, seed=seed_value, existing=body.existing, dry_run=True, profile=profile)
        finally:
            engine.dispose()
        caller.audit.ok(rows=result.rows, counts=result.counts, outcome="planned")
        return JSONResponse({"target": body.target, "dry_run": True, "counts": result.counts,
                             "plan": result.plan.describe(), "sql": result.sql})
    return accepted(caller, project, "seed_target", params)
