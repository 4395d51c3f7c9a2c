"""``POST /generate/test-data``: rows from a schema — a dict schema, YAML/JSON schema text or SQL DDL.

``edge_cases: true`` puts boundary values (NULLs where allowed, every listed value, shortest and
longest strings, unicode, type and CHECK bounds) into the first rows, within the constraints.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from ..audit import sha256_json
from ..auth import Caller, require
from ..datasets import test_data_frames, test_data_plan
from ..formats import choose_format, csv_response, records
from .jobs import accepted

router = APIRouter(tags=["generate"])


class TestDataIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    project_name: str = Field(max_length=63, examples=["my_project"])
    schema_: dict[str, Any] | None = Field(
        None, alias="schema", examples=[{"id": "number", "email": "email", "score": {"type": "number", "max": 100}}],
        description="A dict schema: column -> type for one table, table -> columns, or a schema file's layout.")
    schema_text: str | None = Field(None, max_length=1_000_000, description="YAML, JSON or CREATE TABLE text.")
    schema_format: Literal["auto", "yaml", "json", "sql"] = "auto"
    table_name: str | None = Field(None, max_length=63, description="Name of a one-table schema's table.")
    sample_size: int = Field(10, ge=0, le=10_000_000, description="Rows per table (unless counts says).")
    counts: dict[str, Annotated[int, Field(ge=0, le=10_000_000)]] | None = None
    seed: int | None = Field(None, ge=0, le=2**63 - 1)
    edge_cases: bool = False
    format: Literal["json", "csv", "parquet"] | None = None


@router.post("/generate/test-data", summary="Generate test data from a schema",
             responses={202: {"description": "A job (large requests)"}})
def generate_test_data(body: TestDataIn, request: Request, caller: Annotated[Caller, Depends(require("generate"))],
                       table: Annotated[str | None, Query(max_length=63, description="The table of a CSV answer")]
                       = None,
                       format: Annotated[Literal["json", "csv", "parquet"] | None,
                                         Query(description="Overrides the body's")] = None) -> Response:
    if format is not None:
        body = body.model_copy(update={"format": format})
    caller.audit.input_sha256 = sha256_json(body.model_dump(by_alias=True))
    with caller.session() as s:
        project = caller.project(body.project_name, s, role="generate")
    seed = body.seed if body.seed is not None else (project.default_seed or 0)
    params = {"schema": body.schema_, "schema_text": body.schema_text, "schema_format": body.schema_format,
              "table_name": body.table_name, "sample_size": body.sample_size, "counts": body.counts, "seed": seed,
              "edge_cases": body.edge_cases}
    _, counts = test_data_plan(params)  # bad schemas answer 422 now, not in a job
    settings = request.app.state.settings
    if sum(counts.values()) > settings.inline_rows or body.format == "parquet":
        params["format"] = body.format or (project.default_format if project.default_format != "json" else "csv")
        return accepted(caller, project, "test_data", params)
    fmt = choose_format(request, body.format)
    frames, counts = test_data_frames(params)
    caller.audit.ok(rows=sum(counts.values()), counts=counts)
    if fmt == "csv":
        return csv_response(frames, table)
    return JSONResponse({"project_name": project.name, "seed": seed, "counts": counts, "edge_cases": body.edge_cases,
                         "tables": {name: records(frame) for name, frame in frames.items()}})
