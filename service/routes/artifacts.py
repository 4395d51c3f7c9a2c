"""Artifacts: ``GET /artifacts/{id}`` streams the file (with its SHA-256); expired ones answer 410 and
can be made again, byte for byte, with ``POST /artifacts/{id}/regenerate`` (a job)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse, JSONResponse

from ..artifacts import expire, file_of
from ..auth import Caller, require
from ..errors import ApiError
from ..models import Artifact, Job, Project, utcnow
from .jobs import job_body

router = APIRouter(tags=["artifacts"])


def _visible(caller: Caller, s, artifact_id: str) -> Artifact:
    artifact = s.get(Artifact, artifact_id) if caller.plausible_id(artifact_id) else None
    if artifact is None or not caller.sees(artifact.project_id):
        raise ApiError(404, f"No artifact {artifact_id!r} (or this API key cannot see it).")
    caller.audit.project_id = artifact.project_id
    caller.audit.resource = f"artifact:{artifact_id}"
    return artifact


@router.get("/artifacts/{artifact_id}", summary="Download an artifact",
            response_class=FileResponse, responses={200: {"content": {"application/octet-stream": {}}},
                                                    410: {"description": "Expired: regenerate it"}})
def download(artifact_id: str, caller: Annotated[Caller, Depends(require("read"))]):
    settings = caller.request.app.state.settings
    with caller.session() as s:
        artifact = _visible(caller, s, artifact_id)
        if artifact.deleted_at is None and artifact.expires_at is not None and artifact.expires_at <= utcnow():
            expire(settings, s, artifact)
            s.commit()
        if artifact.deleted_at is not None:
            raise ApiError(410, f"Artifact {artifact_id} expired on {artifact.expires_at.isoformat()}Z and its file "
                                f"was removed; make it again, byte for byte, with POST /artifacts/{artifact_id}/"
                                "regenerate.")
        path, name, media, digest, size = file_of(settings, artifact), artifact.name, artifact.media_type, \
            artifact.sha256, artifact.size
    caller.audit.ok(rows=None)
    return FileResponse(path, media_type=media, filename=name,
                        headers={"ETag": f'"{digest}"', "X-Checksum-SHA256": digest, "Content-Length": str(size)})


@router.post("/artifacts/{artifact_id}/regenerate", status_code=202, summary="Make an expired artifact again")
def regenerate(artifact_id: str, caller: Annotated[Caller, Depends(require("generate"))]) -> JSONResponse:
    with caller.session() as s:
        artifact = _visible(caller, s, artifact_id)
        project = s.get(Project, artifact.project_id)
        if artifact.deleted_at is None:
            raise ApiError(409, f"Artifact {artifact_id} is still available; download it with GET "
                                f"/artifacts/{artifact_id}.")
        runner = caller.request.app.state.jobs
        job = runner.submit(s, project_id=project.id, kind="regenerate", params={"artifact_id": artifact_id},
                            key_id=caller.key_id, input_sha256=artifact.sha256)
        body = job_body(s.get(Job, job.id), project.name)
    caller.audit.ok(status_code=202, outcome="accepted")
    return JSONResponse(body, 202, headers={"Location": f"/jobs/{job.id}"})
