"""Files in: ``POST /upload/unstructured``, ``POST /upload/unstructured/generate``, ``POST /upload/preview``.

* ``/upload/unstructured`` (multipart ``file`` + ``project_name``): a PDF, Word, Excel, image, text or
  CSV file read into one JSON document (text, tables as rows, metadata), stored as an artifact. The
  reading runs as a job; the answer waits up to ``wait`` seconds (default 10) for it and then carries
  the document (200), or answers 202 with the job to follow.
* ``/upload/unstructured/generate`` (Excel only; ``file``, ``project_name``, ``sample_size`` or ``counts``,
  ``seed``): a synthetic copy of the workbook (same sheets, formats, validations, live formulas, valid
  cross-sheet keys) and a quality report, as a job (202).
* ``/upload/preview`` (``file``, ``project_name``): what an upload of rows (CSV, Excel) or a schema file
  would generate: tables, columns, meanings, synthetic sample values, and which route runs it.

Hostile files answer 413 (over a cap) or 422 (a zip bomb, an XML entity, a damaged file) with the
reader's message, before any job starts where the check is cheap.
"""

from __future__ import annotations

import json
import time
from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from sqlalchemy_syda.exceptions import PlanError

from ..auth import Caller, require
from ..errors import ApiError
from ..file_uploads import save_upload
from ..models import TERMINAL, Job
from .jobs import accepted, job_body

router = APIRouter(tags=["files"])

ProjectName = Annotated[str, Form(max_length=63, examples=["my_project"])]


def _project(caller: Caller, name: str):
    with caller.session() as s:
        return caller.project(name, s, role="generate")


@router.post("/upload/unstructured", summary="Read a PDF, Word, Excel, image, text or CSV file into JSON",
             responses={202: {"description": "Still reading: a job"}, 413: {"description": "Over a cap"}})
def upload_unstructured(file: Annotated[UploadFile, File()], project_name: ProjectName,
                        caller: Annotated[Caller, Depends(require("generate"))],
                        wait: Annotated[float, Query(ge=0, le=30, description="Seconds to wait for the result")]
                        = 10) -> JSONResponse:
    from sqlalchemy_syda.files.sniff import sniff

    project = _project(caller, project_name)
    upload, data = save_upload(caller, project, file)
    caller.audit.input_sha256 = upload.sha256
    sniff(data, upload.filename)  # an unsupported type answers 422 now, not from a job
    response = accepted(caller, project, "read_file", {"upload": upload.id})
    job_id = json.loads(response.body)["id"]
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        with caller.session() as s:
            job = s.get(Job, job_id)
            if job.status in TERMINAL:
                body = job_body(job, project.name)
                break
        time.sleep(0.1)
    else:
        return response
    if body["status"] != "succeeded":
        status = 413 if body["error_type"] == "FileLimitError" else 422
        raise ApiError(status, body["error"] or f"Reading the file ended {body['status']}.",
                       error=body["error_type"] or "FileError")
    artifact = body["artifacts"][0]
    from ..artifacts import file_of
    from ..models import Artifact

    with caller.session() as s:
        document = json.loads(file_of(caller.request.app.state.settings, s.get(Artifact, artifact["id"])).read_text())
    return JSONResponse({"project_name": project.name, "job": body["links"]["self"], "artifact": artifact,
                         "document": document})


@router.post("/upload/unstructured/generate", status_code=202,
             summary="A synthetic copy of an Excel workbook (a job)",
             responses={202: {"description": "A job"}, 413: {"description": "Over a cap"}})
def upload_unstructured_generate(
        file: Annotated[UploadFile, File()], project_name: ProjectName,
        caller: Annotated[Caller, Depends(require("generate"))],
        sample_size: Annotated[int | None, Form(ge=0, le=1_000_000, description="Rows per sheet or table")] = None,
        counts: Annotated[str | None, Form(max_length=20_000, description='JSON: {"Orders": 500, ...}')] = None,
        seed: Annotated[int | None, Form(ge=0, le=2**63 - 1)] = None) -> JSONResponse:
    project = _project(caller, project_name)
    per_region = _counts(counts)
    upload, data = save_upload(caller, project, file)
    caller.audit.input_sha256 = upload.sha256
    expected = _check_workbook(data, upload.filename, per_region, sample_size)
    params = {"upload": upload.id, "rows": sample_size, "counts": per_region, "expected": expected,
              "seed": seed if seed is not None else (project.default_seed or 0)}
    return accepted(caller, project, "workbook", params)


@router.post("/upload/preview", summary="What an upload of rows or a schema would generate")
async def upload_preview(file: Annotated[UploadFile, File()], project_name: ProjectName,
                         caller: Annotated[Caller, Depends(require("generate"))]) -> dict:
    from sqlalchemy_syda.files.preview import preview_upload

    project = await run_in_threadpool(_project, caller, project_name)
    data = await file.read()
    name = PurePath(file.filename or "upload").name
    caller.audit.resource = f"preview:{name}"
    body = await run_in_threadpool(preview_upload, data, name)
    body["run"] = _runner(body["kind"])
    body["project_name"] = project.name
    await run_in_threadpool(caller.audit.ok, rows=sum(t["rows"] or 0 for t in body["tables"]))
    return body


def _runner(kind: str) -> dict:
    if kind == "xlsx":
        return {"endpoint": "/upload/unstructured/generate", "body": "multipart", "formats": []}
    if kind == "csv":
        return {"endpoint": "/upload/generate", "body": "multipart", "formats": ["csv", "json"]}
    return {"endpoint": "/generate/test-data", "body": "json", "formats": ["csv", "json"]}


def _counts(text: str | None) -> dict[str, int] | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ApiError(422, f"counts must be JSON like {{\"Orders\": 500}}: {exc.msg}.", error="SchemaError") from None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
                                              and 0 <= v <= 1_000_000 for k, v in value.items()):
        raise ApiError(422, "counts must map sheet or table names to row counts from 0 to 1,000,000.",
                       error="SchemaError")
    return value


def _check_workbook(data: bytes, name: str, counts: dict[str, int] | None, sample_size: int | None) -> dict[str, int]:
    """The checks that are cheap (type, caps, structure, names) before the job; the rows expected per region."""
    from sqlalchemy_syda.files.containers import check_container
    from sqlalchemy_syda.files.limits import DEFAULT_LIMITS
    from sqlalchemy_syda.files.sniff import sniff
    from sqlalchemy_syda.files.workbook.layout import open_workbook, read_layout

    kind = sniff(data, name).kind
    if kind != "xlsx":
        raise ApiError(415, f"{name!r} is {kind}, not an Excel .xlsx workbook: synthetic data from an unstructured "
                            "file is made from Excel files. Read other files with POST /upload/unstructured.",
                       error="UnsupportedMediaType")
    check_container(data, name, DEFAULT_LIMITS)
    layout = read_layout(open_workbook(data, name, DEFAULT_LIMITS))
    names = {r.name: r.rows for r in layout.regions}
    if not names:
        raise ApiError(422, f"{name!r} has no table of data (a header row of text with rows under it, or a named "
                            "table).", error="FileError")
    unknown = set(counts or {}) - set(names)
    if unknown:
        raise PlanError(f"Unknown sheets or tables {sorted(unknown)}; the workbook has {sorted(names)}.")
    return {n: (counts or {}).get(n, sample_size if sample_size is not None else rows) for n, rows in names.items()}
