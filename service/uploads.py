"""Uploaded files (*sources*): copied into the data directory with their SHA-256, type sniffed from content.

The extension a client sends is not trusted: Parquet starts with ``PAR1``; CSV (or TSV) is UTF-8
text without NUL bytes whose first line has a delimiter. Anything else answers 415. The size cap is
enforced earlier, while the body streams in (:mod:`.limits`)::

    upload = save_upload(settings, session, project_id, request_file)     # -> Upload row, file on disk
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from fastapi import UploadFile

from .errors import ApiError
from .models import Upload, utcnow
from .settings import Settings

__all__ = ["save_upload", "sniff"]

_MEDIA = {"csv": "text/csv", "tsv": "text/tab-separated-values", "parquet": "application/vnd.apache.parquet"}


def sniff(head: bytes) -> str | None:
    """``"parquet"``, ``"csv"``, ``"tsv"`` or None, from the first bytes of a file."""
    if head.startswith(b"PAR1"):
        return "parquet"
    if not head or b"\x00" in head:
        return None
    text = head.decode("utf-8", errors="ignore" if len(head) >= 65536 else "strict") if head else ""
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    if "\t" in first:
        return "tsv"
    if "," in first or ";" in first:
        return "csv"
    return None


def save_upload(settings: Settings, session, project_id: int, file: UploadFile) -> Upload:
    from .jobs.queue import new_id

    file.file.seek(0)
    head = file.file.read(65536)
    try:
        fmt = sniff(head)
    except UnicodeDecodeError:
        fmt = None
    if fmt is None:
        raise ApiError(415, f"Cannot tell what {file.filename or 'the upload'!r} holds: send a CSV (UTF-8 text with a "
                            "header line) or a Parquet file. The type is read from the content, not the name.")
    upload_id = new_id()
    target = settings.uploads_dir / upload_id / f"upload.{fmt}"
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    file.file.seek(0)
    with open(target, "wb") as out:
        for block in iter(lambda: file.file.read(1 << 20), b""):
            digest.update(block)
            out.write(block)
    row = Upload(id=upload_id, project_id=project_id, filename=(file.filename or "upload")[:255], media_type=_MEDIA[fmt],
                 size=target.stat().st_size, sha256=digest.hexdigest(), path=str(target), created_at=utcnow())
    session.add(row)
    session.commit()
    return row


def remove_upload(path: str) -> None:
    shutil.rmtree(Path(path).parent, ignore_errors=True)
