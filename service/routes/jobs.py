"""Jobs: ``GET /jobs/{id}``, ``GET /jobs/{id}/events`` (server-sent events), ``POST /jobs/{id}/cancel``.

Routes that start long work answer with :func:`accepted`: ``202``, ``Location: /jobs/<id>`` and the
job as it is (queued). Poll the job, or follow its events until the stream ends with ``status``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from ..auth import Caller, require
from ..errors import ApiError
from ..models import TERMINAL, Job, Project, utcnow

router = APIRouter(tags=["jobs"])


def _iso(t):
    return t.isoformat() + "Z" if t else None


def artifact_body(a) -> dict:
    available = a.deleted_at is None and (a.expires_at is None or a.expires_at > utcnow())
    return {"id": a.id, "name": a.name, "media_type": a.media_type, "size": a.size, "sha256": a.sha256,
            "created_at": _iso(a.created_at), "expires_at": _iso(a.expires_at), "available": available,
            "links": {"download": f"/artifacts/{a.id}", "regenerate": f"/artifacts/{a.id}/regenerate"}}


def job_body(job: Job, project_name: str) -> dict:
    return {"id": job.id, "project": project_name, "kind": job.kind, "status": job.status,
            "created_at": _iso(job.created_at), "started_at": _iso(job.started_at),
            "finished_at": _iso(job.finished_at), "cancel_requested": job.cancel_requested,
            "progress": [{"table": p.table_name, "rows_done": p.rows_done, "rows_total": p.rows_total}
                         for p in job.progress],
            "error": job.error, "error_type": job.error_type, "result": job.result,
            "artifacts": [artifact_body(a) for a in job.artifacts],
            "links": {"self": f"/jobs/{job.id}", "events": f"/jobs/{job.id}/events",
                      "cancel": f"/jobs/{job.id}/cancel"}}


def accepted(caller: Caller, project: Project, kind: str, params: dict) -> JSONResponse:
    """Queue a job and answer 202 with its Location."""
    runner = caller.request.app.state.jobs
    with caller.session() as s:
        job = runner.submit(s, project_id=project.id, kind=kind, params=params, key_id=caller.key_id,
                            input_sha256=caller.audit.input_sha256)
        body = job_body(s.get(Job, job.id), project.name)
    caller.audit.resource = f"job:{job.id}"
    caller.audit.ok(status_code=202, outcome="accepted", counts=params.get("counts"))
    return JSONResponse(body, 202, headers={"Location": f"/jobs/{job.id}"})


def _visible_job(caller: Caller, s, job_id: str) -> tuple[Job, str]:
    job = s.get(Job, job_id) if caller.plausible_id(job_id) else None
    if job is None or not caller.sees(job.project_id):
        raise ApiError(404, f"No job {job_id!r} (or this API key cannot see it).")
    caller.audit.project_id = job.project_id
    caller.audit.resource = f"job:{job_id}"
    return job, s.get(Project, job.project_id).name


@router.get("/jobs/{job_id}", summary="A job: status, per-table progress, artifacts")
def get_job(job_id: str, caller: Annotated[Caller, Depends(require("read"))]) -> dict:
    with caller.session() as s:
        job, project = _visible_job(caller, s, job_id)
        body = job_body(job, project)
    caller.audit.ok()
    return body


@router.get("/projects/{project_name}/jobs", summary="The project's jobs, newest first")
def list_jobs(project_name: str, caller: Annotated[Caller, Depends(require("read"))],
              status: Annotated[str | None, Query(max_length=16, pattern=r"^[a-z]+$")] = None,
              limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict:
    with caller.session() as s:
        project = caller.project(project_name, s)
        query = sa.select(Job).where(Job.project_id == project.id)
        if status is not None:
            query = query.where(Job.status == status)
        items = [job_body(j, project.name) for j in s.scalars(query.order_by(Job.created_at.desc()).limit(limit))]
    caller.audit.ok(rows=len(items))
    return {"items": items}


@router.post("/jobs/{job_id}/cancel", status_code=202, summary="Cancel a queued or running job")
def cancel_job(job_id: str, caller: Annotated[Caller, Depends(require("generate"))]) -> JSONResponse:
    with caller.session() as s:
        job, project = _visible_job(caller, s, job_id)
        if job.status in TERMINAL:
            raise ApiError(409, f"Job {job_id} has ended already ({job.status}); nothing to cancel.")
        caller.request.app.state.jobs.cancel(s, job)
        s.expire_all()
        body = job_body(s.get(Job, job_id), project)
    caller.audit.ok(status_code=202)
    return JSONResponse(body, 202, headers={"Location": f"/jobs/{job_id}"})


@router.get("/jobs/{job_id}/events", summary="Server-sent events: progress and status until the job ends",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}, "description": "An event stream"}})
async def job_events(job_id: str, request: Request, caller: Annotated[Caller, Depends(require("read"))]):
    def snapshot() -> dict:
        with caller.session() as s:
            job, project = _visible_job(caller, s, job_id)
            return job_body(job, project)

    first = await run_in_threadpool(snapshot)
    await run_in_threadpool(caller.audit.ok)

    async def stream():
        body, last_progress, last_status, idle = first, None, None, 0.0
        while True:
            if body["progress"] != last_progress:
                last_progress = body["progress"]
                yield _sse("progress", {"id": job_id, "status": body["status"], "progress": body["progress"]})
            if body["status"] != last_status:
                last_status = body["status"]
                yield _sse("status", body)
            if body["status"] in TERMINAL or await request.is_disconnected():
                return
            await asyncio.sleep(0.25)
            idle += 0.25
            if idle >= 15:
                idle = 0.0
                yield ": keep-alive\n\n"
            body = await run_in_threadpool(snapshot)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"
