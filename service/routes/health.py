"""``GET /health``: the only route without a key; says whether the state database answers."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

import sqlalchemy_syda

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness and the state database")
def health(request: Request) -> JSONResponse:
    try:
        with request.app.state.sessions() as s:
            s.execute(sa.text("SELECT 1"))
        database = "ok"
    except sa.exc.SQLAlchemyError:
        database = "unreachable"
    body = {"status": "ok" if database == "ok" else "degraded", "version": sqlalchemy_syda.__version__,
            "database": database}
    return JSONResponse(body, 200 if database == "ok" else 503)
