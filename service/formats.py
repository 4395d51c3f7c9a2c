"""JSON or CSV for every data answer: ``format=`` wins, then the ``Accept`` header, then JSON.

JSON answers carry the rows per table (``{"tables": {"users": [{...}, ...]}}``) or per column for
the examples route; CSV answers carry one table (pick it with ``table=`` when there are several)::

    >>> fmt = choose_format(request, None)        # Accept: text/csv -> "csv"
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd
from fastapi import Request
from fastapi.responses import JSONResponse, Response

from .errors import ApiError

__all__ = ["FILE_FORMATS", "INLINE_FORMATS", "choose_format", "columns", "csv_response", "json_response", "records"]

INLINE_FORMATS = ("json", "csv")
FILE_FORMATS = ("csv", "json", "parquet")


def choose_format(request: Request, explicit: str | None, *, allowed: tuple[str, ...] = INLINE_FORMATS) -> str:
    if explicit:
        fmt = explicit.strip().lower()
        if fmt not in allowed:
            raise ApiError(422, f"Unknown format {explicit!r}; choose one of {', '.join(allowed)}.",
                           error="SchemaError")
        return fmt
    accept = request.headers.get("accept", "")
    wants = [part.split(";")[0].strip().lower() for part in accept.split(",") if part.strip()]
    for media in wants:
        if media in ("text/csv", "application/csv") and "csv" in allowed:
            return "csv"
        if media in ("application/json", "*/*", "application/*", "text/*"):
            return "json" if media != "text/*" or "csv" not in allowed else "csv"
    if wants and not any(m in ("application/json", "text/csv", "application/csv") for m in wants):
        raise ApiError(406, f"Cannot answer with {accept!r}: ask for application/json or text/csv "
                            "(or pass format=json|csv).")
    return "json"


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (NaN/NaT -> null, times as ISO strings)."""
    return json.loads(frame.to_json(orient="records", date_format="iso", date_unit="s"))


def columns(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """Values per column, JSON-ready (the shape of the examples route's ``data``)."""
    rows = records(frame)
    return {name: [row[name] for row in rows] for name in frame.columns}


def csv_response(frames: Mapping[str, pd.DataFrame], table: str | None) -> Response:
    if table is None:
        if len(frames) != 1:
            raise ApiError(422, f"A CSV answer holds one table; pick one with table= ({', '.join(frames)}), "
                                "or ask for JSON.", error="SchemaError")
        table = next(iter(frames))
    if table not in frames:
        raise ApiError(422, f"No table {table!r} in this answer; tables: {', '.join(frames)}.", error="SchemaError")
    body = frames[table].to_csv(index=False)
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'inline; filename="{table}.csv"'})


def json_response(body: dict[str, Any], status_code: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code)
