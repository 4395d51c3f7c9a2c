"""The web page: ``GET /`` (no key needed: the page asks for one and keeps it in the tab's session
storage) and its two static files under ``/ui/``. Plain HTML, CSS and JavaScript from
``service/web/`` over the JSON API; nothing to build or download at install time.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from ..errors import ApiError

router = APIRouter(include_in_schema=False)

WEB = Path(__file__).resolve().parents[1] / "web"
_FILES = {"app.js": "text/javascript", "style.css": "text/css"}
_HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; frame-src blob: data:; "
                                       "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'"}


@router.get("/")
def page() -> FileResponse:
    return FileResponse(WEB / "index.html", media_type="text/html", headers=_HEADERS)


@router.get("/ui/{name}")
def static(name: str) -> FileResponse:
    if name not in _FILES:
        raise ApiError(404, f"No file {name!r} here.")
    return FileResponse(WEB / name, media_type=_FILES[name], headers=_HEADERS)
