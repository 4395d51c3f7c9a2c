"""The event log: one append-only row per operation and outcome — the "transactions" and audit trail.

An event says who (the key id), what (operation, route template, resource, a SHA-256 of the input,
row counts), when, and how it ended (outcome, status code, error class). Never row data, never a
message that could quote it. Each route's :class:`Audit` (made by the auth dependency) is finished
by the route (``audit.ok(rows=10)``) or by the error handlers (``audit.failed(...)``)::

    caller.audit.resource = f"job:{job.id}"
    caller.audit.ok(status_code=202, rows=10_000)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from .models import Event, utcnow

__all__ = ["Audit", "record_event", "sha256_json"]


def sha256_json(value: Any) -> str:
    """A stable digest of a JSON-like input (sorted keys, no spaces)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def record_event(sessions, **fields: Any) -> None:
    with sessions.begin() as s:
        s.add(Event(at=utcnow(), **fields))


@dataclass
class Audit:
    request: Request = field(repr=False)
    key_id: str | None
    project_id: int | None
    operation: str
    route: str
    resource: str | None = None
    input_sha256: str | None = None
    done: bool = False

    @classmethod
    def start(cls, request: Request, *, key_id: str | None, project_id: int | None) -> Audit:
        route = request.scope.get("route")
        path = getattr(route, "path", request.url.path)
        audit = cls(request, key_id, project_id, getattr(route, "name", "request"), f"{request.method} {path}")
        request.state.audit = audit
        return audit

    def ok(self, *, status_code: int = 200, rows: int | None = None, counts: dict[str, int] | None = None,
           outcome: str = "ok") -> None:
        self._record(outcome, status_code, rows=rows, counts=counts)

    def failed(self, status_code: int, error_type: str) -> None:
        self._record("error", status_code, error_type=error_type)

    def _record(self, outcome: str, status_code: int, **extra: Any) -> None:
        if self.done:
            return
        self.done = True
        record_event(self.request.app.state.sessions, project_id=self.project_id, key_id=self.key_id,
                     operation=self.operation, route=self.route, resource=self.resource,
                     input_sha256=self.input_sha256, outcome=outcome, status_code=status_code, **extra)
