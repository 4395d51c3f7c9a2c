"""The worker process of one job: ``python -m service.jobs.worker <job id>``.

It reads the server's settings from ``SYDA_SERVICE_SETTINGS``, runs the job's kind, stores the
outputs as artifacts and finishes the job (succeeded, or failed with the library's message) in
one transaction, then appends the outcome to the event log. If it dies before that — killed,
crashed — the dispatcher marks the job ``lost``; a seed it was running never committed, so the
target database is as it was.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from sqlalchemy_syda.exceptions import SydaError

from ..artifacts import sha256_file, store
from ..audit import record_event
from ..models import Artifact, Job, JobProgress, Project, utcnow
from ..settings import Settings
from ..state import session_factory, state_engine
from .kinds import KINDS

__all__ = ["JobContext", "main"]


class RegenerationError(SydaError):
    """Regenerating an artifact gave other bytes than the recorded SHA-256 (the environment changed)."""


class JobContext:
    """What a job kind may use: the settings, a scratch folder for outputs, and progress reports."""

    def __init__(self, settings: Settings, sessions, job_id: str) -> None:
        self.settings = settings
        self.sessions = sessions
        self.job_id = job_id
        self.workdir = Path(settings.data_dir) / "tmp" / job_id
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir.mkdir(parents=True)
        self.outputs: list[str] = []
        self._tables: dict[str, int] = {}
        self._last = 0.0

    def output(self, name: str) -> Path:
        self.outputs.append(name)
        return self.workdir / name

    def progress(self, table: str, done: int, total: int) -> None:
        now = time.monotonic()
        if table in self._tables and done < total and now - self._last < 0.3:
            return
        self._last = now
        position = self._tables.setdefault(table, len(self._tables))
        with self.sessions.begin() as s:
            row = s.get(JobProgress, (self.job_id, table))
            if row is None:
                s.add(JobProgress(job_id=self.job_id, table_name=table, position=position, rows_done=done,
                                  rows_total=total))
            else:
                row.rows_done, row.rows_total = done, total


def _run(kind: str, params: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    if kind == "regenerate":
        return _regenerate(params["artifact_id"], ctx)
    return KINDS[kind](params, ctx)


def _regenerate(artifact_id: str, ctx: JobContext) -> dict[str, Any]:
    with ctx.sessions() as s:
        artifact = s.get(Artifact, artifact_id)
        recipe, expected, name = artifact.recipe, artifact.sha256, artifact.name
    KINDS[recipe["kind"]](recipe["params"], ctx)
    made = ctx.workdir / recipe["output"]
    actual = sha256_file(made)
    if actual != expected:
        raise RegenerationError(f"Regenerating artifact {artifact_id} ({name}) gave other bytes (sha256 {actual}, "
                                f"recorded {expected}): the library or its dependencies changed since it was made.")
    ctx.outputs = [recipe["output"]]
    return {"regenerated": artifact_id, "sha256": actual}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    job_id = argv[0]
    settings = Settings.from_json(os.environ["SYDA_SERVICE_SETTINGS"])
    engine = state_engine(settings.database)
    sessions = session_factory(engine)
    with sessions.begin() as s:
        job = s.get(Job, job_id)
        if job is None or job.status != "running":
            return 0
        job.worker_pid = os.getpid()
        kind, params, project_id, key_id = job.kind, dict(job.params), job.project_id, job.created_by
        retention = s.get(Project, project_id).retention_days
    ctx = JobContext(settings, sessions, job_id)
    status, error, error_type, result = "succeeded", None, None, None
    try:
        result = _run(kind, params, ctx)
    except SydaError as exc:
        status, error, error_type = "failed", str(exc), type(exc).__name__
    except Exception as exc:  # a bug, not bad input: the message and the traceback go to the server log
        traceback.print_exc()
        status, error, error_type = "failed", f"Internal error in the worker ({type(exc).__name__}).", "InternalError"
    counts = (result or {}).get("counts") or {}
    with sessions.begin() as s:
        job = s.get(Job, job_id, with_for_update=True)
        if job.status != "running":  # canceled meanwhile
            return 0
        if status == "succeeded":
            for name in ctx.outputs:
                if kind == "regenerate":
                    artifact = s.get(Artifact, params["artifact_id"])
                    store(settings, s, job, artifact.name, ctx.workdir / name, artifact.recipe,
                          retention_days=retention, artifact_id=artifact.id)
                else:
                    store(settings, s, job, name, ctx.workdir / name, {"kind": kind, "params": params, "output": name},
                          retention_days=retention)
        job.status, job.error, job.error_type, job.result, job.finished_at = status, error, error_type, result, utcnow()
    shutil.rmtree(ctx.workdir, ignore_errors=True)
    record_event(sessions, project_id=project_id, key_id=key_id, operation=f"job.{status}", resource=f"job:{job_id}",
                 rows=sum(counts.values()) if counts else None, counts=counts or None, outcome=status,
                 error_type=error_type, input_sha256=None)
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
