"""``POST /upload/generate``: a CSV or Parquet upload → learned profile → synthetic rows like it, as a job.

Multipart fields: ``file``, ``project_name``, ``sample_size`` (default: as many rows as the upload),
``seed``, ``format`` (csv, json, parquet). The job's artifacts are the synthetic table and the quality
report (HTML); the learned profile is kept with the project (``GET /projects/{name}/profiles``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import JSONResponse

from ..auth import Caller, require
from ..uploads import save_upload
from .jobs import accepted

router = APIRouter(tags=["upload"])


@router.post("/upload/generate", status_code=202, summary="Learn from an uploaded CSV/Parquet file and imitate it")
def upload_generate(caller: Annotated[Caller, Depends(require("generate"))],
                    file: Annotated[UploadFile, File(description="A CSV or Parquet file")],
                    project_name: Annotated[str, Form(max_length=63)],
                    sample_size: Annotated[int | None, Form(ge=0, le=10_000_000)] = None,
                    seed: Annotated[int | None, Form(ge=0, le=2**63 - 1)] = None,
                    format: Annotated[Literal["csv", "json", "parquet"], Form()] = "csv") -> JSONResponse:
    settings = caller.request.app.state.settings
    with caller.session() as s:
        project = caller.project(project_name, s, role="generate")
        upload = save_upload(settings, s, project.id, file)
    caller.audit.input_sha256 = upload.sha256
    seed_value = seed if seed is not None else (project.default_seed or 0)
    params = {"upload_id": upload.id, "sample_size": sample_size, "seed": seed_value, "format": format,
              "name": _table_name(file.filename)}
    return accepted(caller, project, "learn_generate", params)


def _table_name(filename: str | None) -> str:
    import re

    stem = (filename or "data").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    name = re.sub(r"[^A-Za-z0-9_]+", "_", stem).strip("_").lower()[:60]
    return name or "data"
