"""Request bodies have a ceiling, enforced while they stream in (413), not after they are stored.

An ASGI middleware counts the bytes of each request body as they arrive; a declared
``Content-Length`` above the cap is refused before a byte is read, and a body that grows past it
(chunked uploads) is cut off there. The cap is ``Settings.max_upload_bytes`` (100 MB by default)::

    app.add_middleware(BodyLimit, max_bytes=100 * 1024 * 1024)
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BodyLimit", "too_large_message"]


def too_large_message(max_bytes: int) -> str:
    return (f"The request body is larger than this server accepts ({max_bytes / (1024 * 1024):g} MB). Send a "
            "smaller file, or raise the limit with SYDA_SERVICE_MAX_UPLOAD_MB.")


class _TooLarge(HTTPException):
    """An HTTPException, so that body parsing passes it on as it is (413) instead of as a parse error."""

    error = "ContentTooLarge"

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, too_large_message(max_bytes))


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)
        except BaseExceptionGroup as group:  # raised inside a task group (streaming responses)
            if group.subgroup(_TooLarge) is None:
                raise
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": too_large_message(self.max_bytes), "error": "ContentTooLarge"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
