"""The job queue and its dispatcher thread: jobs live in the state database, workers are processes.

``submit`` stores a queued job; the dispatcher (one thread in the server process) claims queued
jobs up to ``Settings.max_jobs`` at a time, starts ``python -m service.jobs.worker <id>`` for each,
terminates the workers of jobs asked to cancel, and marks ``lost`` every job whose worker exited
without finishing it (killed, crashed, out of memory), or that was running when the server died::

    job = runner.submit(session, project, "seed_target", {"target": "crm", ...}, caller)
    # 202 Accepted, Location: /jobs/<job.id>
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from ..audit import record_event
from ..models import Artifact, Job, utcnow
from ..settings import Settings

__all__ = ["JobRunner", "new_id"]

log = logging.getLogger("service.jobs")
HOST = socket.gethostname()


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass
class _Running:
    job_id: str
    process: subprocess.Popen
    terminating: bool = False


class JobRunner:
    def __init__(self, settings: Settings, sessions, poll_seconds: float = 0.2) -> None:
        self.settings = settings
        self.sessions = sessions
        self.poll_seconds = poll_seconds
        self._running: dict[str, _Running] = {}
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_sweep = 0.0

    # -------------------------------------------------------------- API for routes

    def submit(self, session, *, project_id: int, kind: str, params: dict, key_id: str | None,
               input_sha256: str | None) -> Job:
        job = Job(id=new_id(), project_id=project_id, kind=kind, status="queued", params=params,
                  input_sha256=input_sha256, created_by=key_id, created_at=utcnow(), cancel_requested=False)
        session.add(job)
        session.commit()
        self._wake.set()
        return job

    def cancel(self, session, job: Job) -> None:
        if job.status == "queued":
            claimed = session.execute(sa.update(Job).where(Job.id == job.id, Job.status == "queued")
                                      .values(status="canceled", finished_at=utcnow(), cancel_requested=True))
            session.commit()
            if claimed.rowcount:
                record_event(self.sessions, project_id=job.project_id, key_id=None, operation="job.canceled",
                             resource=f"job:{job.id}", outcome="canceled", input_sha256=job.input_sha256)
                return
        session.execute(sa.update(Job).where(Job.id == job.id).values(cancel_requested=True))
        session.commit()
        self._wake.set()

    # -------------------------------------------------------------- the dispatcher

    def start(self) -> None:
        self._mark_orphans_lost()
        self._thread = threading.Thread(target=self._loop, name="syda-jobs", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        for run in list(self._running.values()):  # a stopping server leaves no worker behind
            run.process.terminate()
        for run in list(self._running.values()):
            try:
                run.process.wait(timeout)
            except subprocess.TimeoutExpired:
                run.process.kill()
            self._finish_unfinished(run.job_id, "lost", run.process.returncode)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._reap()
                self._cancel_requested()
                self._start_queued()
                self._sweep_expired()
            except Exception:  # the dispatcher must outlive a database hiccup
                log.exception("job dispatcher step failed")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def _reap(self) -> None:
        for job_id, run in list(self._running.items()):
            code = run.process.poll()
            if code is None:
                continue
            del self._running[job_id]
            self._finish_unfinished(job_id, "canceled" if run.terminating else "lost", code)

    def _finish_unfinished(self, job_id: str, status: str, code: int | None = None) -> None:
        """The worker is gone: a job it did not finish ends ``status`` (lost, or canceled when asked)."""
        with self.sessions() as s:
            job = s.get(Job, job_id)
            if job is None or job.status not in ("queued", "running"):
                return
            why = ("canceled on request" if status == "canceled" else
                   "the worker process " + ("is gone" if code is None else f"exited (code {code})")
                   + " before finishing the job; nothing it did was committed to a target database")
            done = s.execute(sa.update(Job).where(Job.id == job.id, Job.status.in_(("queued", "running")))
                             .values(status=status, finished_at=utcnow(), error=why,
                                     error_type=None if status == "canceled" else "WorkerLost"))
            s.commit()
            if done.rowcount:
                record_event(self.sessions, project_id=job.project_id, key_id=job.created_by,
                             operation=f"job.{status}", resource=f"job:{job.id}", input_sha256=job.input_sha256,
                             outcome=status)

    def _cancel_requested(self) -> None:
        if not self._running:
            return
        with self.sessions() as s:
            ids = s.scalars(sa.select(Job.id).where(Job.id.in_(list(self._running)), Job.cancel_requested)).all()
        for job_id in ids:
            run = self._running.get(job_id)
            if run is not None and not run.terminating:
                run.terminating = True
                run.process.terminate()

    def _start_queued(self) -> None:
        while len(self._running) < self.settings.max_jobs:
            with self.sessions() as s:
                job_id = s.scalar(sa.select(Job.id).where(Job.status == "queued").order_by(Job.created_at).limit(1))
                if job_id is None:
                    return
                claimed = s.execute(sa.update(Job).where(Job.id == job_id, Job.status == "queued")
                                    .values(status="running", started_at=utcnow(), worker_host=HOST))
                s.commit()
            if not claimed.rowcount:
                continue  # another dispatcher took it
            env = {**os.environ, "SYDA_SERVICE_SETTINGS": self.settings.to_json()}
            process = subprocess.Popen([sys.executable, "-m", "service.jobs.worker", job_id], env=env,
                                       stdin=subprocess.DEVNULL)
            self._running[job_id] = _Running(job_id, process)
            with self.sessions() as s:
                s.execute(sa.update(Job).where(Job.id == job_id).values(worker_pid=process.pid))
                s.commit()

    def _mark_orphans_lost(self) -> None:
        """Jobs this host was running when the server stopped: their workers are gone with it."""
        with self.sessions() as s:
            jobs = s.scalars(sa.select(Job).where(Job.status == "running", Job.worker_host == HOST)).all()
        for job in jobs:
            if job.worker_pid is None or not _alive(job.worker_pid):
                self._finish_unfinished(job.id, "lost")

    def _sweep_expired(self) -> None:
        import time

        now = time.monotonic()
        if now - self._last_sweep < 60:
            return
        self._last_sweep = now
        from ..artifacts import expire

        with self.sessions() as s:
            for artifact in s.scalars(sa.select(Artifact).where(Artifact.deleted_at.is_(None),
                                                                Artifact.expires_at < utcnow())):
                expire(self.settings, s, artifact)
            s.commit()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
