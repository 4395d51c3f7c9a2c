"""``POST /generate``: new values like a few examples (the seed document's request shape).

``{"project_name": "my_project", "data": {"email": ["test@example.com"], "phone": ["123-456-7890"]}}``
answers ``sample_size`` (default 10) new rows inline, as JSON (``data``: values per column, like the
request) or CSV; more rows than the server answers inline, or ``format=parquet``, become a job.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ..audit import sha256_json
from ..auth import Caller, require
from ..datasets import examples_frame
from ..formats import choose_format, columns, csv_response
from .jobs import accepted

router = APIRouter(tags=["generate"])

Example = bool | int | float | str | None


class GenerateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    project_name: str = Field(max_length=63, examples=["my_project"])
    data: dict[str, list[Example]] = Field(
        max_length=500, examples=[{"email": ["test@example.com"], "phone": ["123-456-7890"]}],
        description="Column name -> a few example values.")
    sample_size: int = Field(10, ge=0, le=10_000_000, description="How many new rows.")
    seed: int | None = Field(None, ge=0, le=2**63 - 1)
    format: Literal["json", "csv", "parquet"] | None = None


@router.post("/generate", summary="Generate new values like the examples",
             responses={202: {"description": "A job (large requests)"}})
def generate(body: GenerateIn, request: Request, caller: Annotated[Caller, Depends(require("generate"))],
             format: Annotated[Literal["json", "csv", "parquet"] | None, Query(description="Overrides the body's")]
             = None) -> Response:
    if format is not None:
        body = body.model_copy(update={"format": format})
    caller.audit.input_sha256 = sha256_json(body.model_dump())
    with caller.session() as s:
        project = caller.project(body.project_name, s, role="generate")
    seed = body.seed if body.seed is not None else (project.default_seed or 0)
    params = {"data": body.data, "sample_size": body.sample_size, "seed": seed}
    settings = request.app.state.settings
    if body.sample_size > settings.inline_rows or body.format == "parquet":
        params["format"] = body.format or (project.default_format if project.default_format != "json" else "csv")
        return accepted(caller, project, "generate", params)
    fmt = choose_format(request, body.format)
    frame, schema = examples_frame(params)
    caller.audit.ok(rows=len(frame), counts={"examples": len(frame)})
    if fmt == "csv":
        return csv_response({"examples": frame}, None)
    from fastapi.responses import JSONResponse

    return JSONResponse({"project_name": project.name, "sample_size": len(frame), "seed": seed,
                         "columns": {k: c.to_dict() for k, c in schema.columns.items()}, "data": columns(frame)})
