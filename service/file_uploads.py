"""Uploaded files kept as sources: stored once under ``<data dir>/uploads/<sha256>``, recorded as an
:class:`~.models.Upload` of the project, read back by the worker of a job.

The upload is read while it streams, up to the file cap of :class:`~sqlalchemy_syda.files.FileLimits`
(the request body cap of the service applies before that); a job gets the upload's id, never a path
from the client::

    upload, data = save_upload(caller, project, file)      # in a route
    data = upload_bytes(settings, sessions, params["upload"])    # in a job
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from fastapi import UploadFile

from sqlalchemy_syda.files import DEFAULT_LIMITS, FileLimits

from .errors import ApiError
from .jobs.queue import new_id
from .models import Upload, utcnow

__all__ = ["save_upload", "upload_bytes"]


def save_upload(caller, project, file: UploadFile, limits: FileLimits = DEFAULT_LIMITS) -> tuple[Upload, bytes]:
    data = file.file.read(limits.max_bytes + 1)
    name = PurePath(file.filename or "upload").name[:255] or "upload"
    if len(data) > limits.max_bytes:
        raise ApiError(413, f"{name!r} is larger than {limits.max_bytes / (1024 * 1024):g} MB, the largest file "
                            "the file readers accept.")
    if not data:
        raise ApiError(422, f"{name!r} is empty.", error="FileError")
    digest = hashlib.sha256(data).hexdigest()
    settings = caller.request.app.state.settings
    path = settings.uploads_dir / digest
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    upload = Upload(id=new_id(), project_id=project.id, filename=name,
                    media_type=file.content_type or "application/octet-stream", size=len(data), sha256=digest,
                    path=digest, created_at=utcnow())
    with caller.session() as s:
        s.add(upload)
        s.commit()
        s.refresh(upload)
        s.expunge(upload)
    return upload, data


def upload_bytes(settings, sessions, upload_id: str) -> tuple[str, bytes]:
    """(file name, bytes) of a stored upload."""
    with sessions() as s:
        upload = s.get(Upload, upload_id)
        name, path = upload.filename, settings.uploads_dir / upload.path
    return name, path.read_bytes()
