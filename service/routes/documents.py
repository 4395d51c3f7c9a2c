"""Documents from a template: ``POST /documents`` (a job) -> one byte-stable zip of one document per row.

Multipart: ``template`` (a Jinja2 .html / .txt / .md file or a .docx with template tags),
``schema_text`` (YAML / JSON dict schemas or CREATE TABLE text), ``table`` (one document per row of it,
with its child rows and the parent rows it points at), ``counts`` (JSON), ``to`` (``pdf`` from an HTML
or text template), ``name`` (a Jinja expression for file names), ``seed``. The template and the schema
are checked before the job starts (422 with what is wrong).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import JSONResponse

from ..auth import Caller, require
from ..file_uploads import save_upload
from .jobs import accepted
from .unstructured import ProjectName, _counts, _project

router = APIRouter(tags=["files"])


@router.post("/documents", status_code=202, summary="One document per generated row, from a template (a job)",
             responses={202: {"description": "A job"}})
def documents(template: Annotated[UploadFile, File()], project_name: ProjectName,
              schema_text: Annotated[str, Form(max_length=1_000_000)],
              table: Annotated[str, Form(max_length=63)],
              caller: Annotated[Caller, Depends(require("generate"))],
              counts: Annotated[str | None, Form(max_length=20_000)] = None,
              to: Annotated[str | None, Form(max_length=8)] = None,
              name: Annotated[str | None, Form(max_length=200)] = None,
              seed: Annotated[int | None, Form(ge=0, le=2**63 - 1)] = None) -> JSONResponse:
    from sqlalchemy_syda.exceptions import SchemaError
    from sqlalchemy_syda.files.documents import DocumentTemplate
    from sqlalchemy_syda.files.documents.templates import _jinja, kind_of
    from sqlalchemy_syda.schema_files import parse_schema_text

    project = _project(caller, project_name)
    per_table = _counts(counts)
    upload, data = save_upload(caller, project, template)
    caller.audit.input_sha256 = upload.sha256
    kind = kind_of(upload.filename)
    doc = DocumentTemplate(kind, data, upload.filename)
    if to is not None and to not in doc.outputs():
        raise SchemaError(f"A {kind} template cannot produce {to!r}; it can produce {', '.join(doc.outputs())}.")
    if kind != "docx":
        _jinja(data.decode("utf-8", errors="replace"), upload.filename, html=kind == "html")
    if name:
        _jinja(name, "name", html=False)
    schema = parse_schema_text(schema_text, default_name=table)
    if table not in {s.name for s in schema.specs}:
        raise SchemaError(f"The schema has no table {table!r}; it has {sorted(s.name for s in schema.specs)}.")
    params = {"template": upload.id, "schema_text": schema_text, "table": table, "counts": per_table, "to": to,
              "name": name, "seed": seed if seed is not None else (project.default_seed or 0)}
    return accepted(caller, project, "documents", params)
