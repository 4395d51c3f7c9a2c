"""``GET /projects/{project_name}/transactions``: the project's event log, filtered and paged (newest first)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query

from ..auth import Caller, require
from ..models import Event

router = APIRouter(tags=["transactions"])


def event_body(e: Event) -> dict:
    return {"id": e.id, "at": e.at.isoformat() + "Z", "key_id": e.key_id, "operation": e.operation, "route": e.route,
            "resource": e.resource, "input_sha256": e.input_sha256, "rows": e.rows, "counts": e.counts,
            "outcome": e.outcome, "status_code": e.status_code, "error_type": e.error_type}


@router.get("/projects/{project_name}/transactions", summary="The project's transactions (event log)")
def transactions(project_name: str, caller: Annotated[Caller, Depends(require("read"))],
                 operation: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z_.]+$")] = None,
                 outcome: Annotated[str | None, Query(max_length=16, pattern=r"^[a-z]+$")] = None,
                 key_id: Annotated[str | None, Query(max_length=32, pattern=r"^[0-9a-f]+$")] = None,
                 since: dt.datetime | None = None, until: dt.datetime | None = None,
                 limit: Annotated[int, Query(ge=1, le=500)] = 100,
                 before: Annotated[int | None, Query(ge=1, le=2**62, description="Page cursor: events older than this id")
                                   ] = None) -> dict:
    with caller.session() as s:
        project = caller.project(project_name, s)
        query = sa.select(Event).where(Event.project_id == project.id)
        for column, value in ((Event.operation, operation), (Event.outcome, outcome), (Event.key_id, key_id)):
            if value is not None:
                query = query.where(column == value)
        if since is not None:
            query = query.where(Event.at >= _naive_utc(since))
        if until is not None:
            query = query.where(Event.at < _naive_utc(until))
        if before is not None:
            query = query.where(Event.id < before)
        rows = s.scalars(query.order_by(Event.id.desc()).limit(limit + 1)).all()
    items = [event_body(e) for e in rows[:limit]]
    next_link = None
    if len(rows) > limit:
        params = {k: v for k, v in (("operation", operation), ("outcome", outcome), ("key_id", key_id),
                                    ("since", since and since.isoformat()), ("until", until and until.isoformat()),
                                    ("limit", limit), ("before", items[-1]["id"])) if v is not None}
        next_link = f"/projects/{project_name}/transactions?{urlencode(params)}"
    caller.audit.ok(rows=len(items))
    return {"project": project_name, "items": items, "next": next_link}


def _naive_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
