"""Errors as answers: a :class:`~sqlalchemy_syda.exceptions.SydaError` becomes a 4xx with its message.

Every error body is ``{"detail": "<what was wrong and what to do>", "error": "<class>"}``; request
validation keeps FastAPI's list of field errors. Bad input never answers 500: an unexpected
exception answers 500 with a reference to the server log, and the event log records the failure::

    SchemaError, PlanError, ConstraintUnsatisfiableError, ...   -> 422
    FileLimitError (an upload over a reading cap)               -> 413
    WriteError (the target refused the rows)                    -> 409
    MissingDependencyError (an extra the server lacks)          -> 501
    LLMError (the LLM server failed)                            -> 502
"""

from __future__ import annotations

import logging
import uuid

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from sqlalchemy_syda.exceptions import FileLimitError, LLMError, MissingDependencyError, SydaError, WriteError

__all__ = ["ApiError", "install_handlers", "status_for"]

log = logging.getLogger("service")


class ApiError(Exception):
    """An answer other than 2xx, with the message the client sees."""

    def __init__(self, status_code: int, detail: str, *, headers: dict[str, str] | None = None,
                 error: str | None = None) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail
        self.headers = headers
        self.error = error or {401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict",
                               410: "Gone", 413: "ContentTooLarge", 415: "UnsupportedMediaType",
                               406: "NotAcceptable"}.get(status_code, "ApiError")


def status_for(exc: SydaError) -> int:
    if isinstance(exc, FileLimitError):
        return 413
    if isinstance(exc, WriteError):
        return 409
    if isinstance(exc, MissingDependencyError):
        return 501
    if isinstance(exc, LLMError):
        return 502
    return 422


async def _audit_failure(request: Request, status_code: int, error_type: str) -> None:
    audit = getattr(request.state, "audit", None)
    if audit is not None:
        await run_in_threadpool(audit.failed, status_code, error_type)


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        await _audit_failure(request, exc.status_code, exc.error)
        return JSONResponse({"detail": exc.detail, "error": exc.error}, exc.status_code, headers=exc.headers)

    @app.exception_handler(SydaError)
    async def syda_error(request: Request, exc: SydaError) -> JSONResponse:
        status = status_for(exc)
        await _audit_failure(request, status, type(exc).__name__)
        return JSONResponse({"detail": str(exc), "error": type(exc).__name__}, status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        await _audit_failure(request, 422, "RequestValidationError")
        return await request_validation_exception_handler(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        error = getattr(exc, "error", None) or {404: "NotFound", 405: "MethodNotAllowed"}.get(exc.status_code,
                                                                                             "HTTPException")
        await _audit_failure(request, exc.status_code, error)
        return JSONResponse({"detail": exc.detail, "error": error}, exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(sa.exc.DataError)
    async def unstorable(request: Request, exc: sa.exc.DataError) -> JSONResponse:
        await _audit_failure(request, 422, "DataError")
        return JSONResponse({"detail": "The request holds a value the database cannot store (for example a NUL "
                                       "character in a text); remove it and send the request again.",
                             "error": "DataError"}, 422)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        ref = uuid.uuid4().hex[:12]
        log.exception("unexpected error %s on %s %s", ref, request.method, request.url.path)
        await _audit_failure(request, 500, type(exc).__name__)
        return JSONResponse({"detail": f"Internal error (reference {ref} in the server log).",
                             "error": "InternalError"}, 500)
