"""Artifacts: a job's output files, stored under the data directory, known by SHA-256.

Each artifact records its *recipe* (the job kind, its parameters with the seed, and which output
it is). Generation is deterministic, so once an artifact expired and its file was removed, the
recipe makes the same bytes again (``POST /artifacts/{id}/regenerate``), and the stored SHA-256
proves it::

    artifact = store(settings, session, job, "users.csv", tmp_path, "text/csv", recipe)
    expire(settings, session, artifact)      # file removed, deleted_at set; the row stays
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

from .models import Artifact, Job, utcnow
from .settings import Settings

__all__ = ["MEDIA_TYPES", "expire", "file_of", "sha256_file", "store"]

MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "parquet": "application/vnd.apache.parquet",
               "html": "text/html", "zip": "application/zip", "pdf": "application/pdf",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_of(settings: Settings, artifact: Artifact) -> Path:
    return settings.artifacts_dir / artifact.id / artifact.name


def store(settings: Settings, session, job: Job, name: str, source: Path, recipe: dict, *,
          retention_days: int | None = None, artifact_id: str | None = None) -> Artifact:
    """Move ``source`` into the artifact store and record it (``artifact_id``: refill an expired one)."""
    from .jobs.queue import new_id

    artifact_id = artifact_id or new_id()
    target = settings.artifacts_dir / artifact_id / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(source), target)
    days = retention_days or settings.retention_days
    now = utcnow()
    artifact = session.get(Artifact, artifact_id) or Artifact(id=artifact_id, job_id=job.id, project_id=job.project_id,
                                                             name=name, recipe=recipe, created_at=now)
    artifact.media_type = MEDIA_TYPES.get(Path(name).suffix.lstrip("."), "application/octet-stream")
    artifact.size = target.stat().st_size
    artifact.sha256 = sha256_file(target)
    artifact.expires_at = now + dt.timedelta(days=days)
    artifact.deleted_at = None
    session.add(artifact)
    return artifact


def expire(settings: Settings, session, artifact: Artifact) -> None:
    """Remove the file of an artifact past its retention; the row (and its recipe) stays."""
    folder = settings.artifacts_dir / artifact.id
    shutil.rmtree(folder, ignore_errors=True)
    artifact.deleted_at = utcnow()
