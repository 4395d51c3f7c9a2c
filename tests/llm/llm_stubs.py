"""Real HTTP servers in a thread for the LLM tests: canned answers, a well-behaved fake LLM, a flaky proxy.

Nothing here is a mock object: the openai SDK talks HTTP to these servers on 127.0.0.1 exactly as it
would to OpenAI or llama.cpp::

    with StubServer(fake_llm) as server:               # answers every request with valid records
        llm = LLM(LLMConfig(base_url=server.url, model="fake", lockfile=None))
    with StubServer(flaky_proxy(upstream, failures=2)) as proxy:   # 503, 503, then forwards
        ...
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handler = Callable[[str, dict], tuple[int, Any]]


class StubServer:
    """An OpenAI-compatible endpoint on 127.0.0.1 whose answers come from ``handler(path, body)``."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[tuple[str, dict]] = []
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                outer.requests.append((self.path, body))
                status, payload = outer.handler(self.path, body)
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> StubServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def completion(content: str, finish_reason: str = "stop", prompt_tokens: int = 11,
               completion_tokens: int = 22) -> dict:
    """A chat completion body as OpenAI sends it."""
    return {"id": "chatcmpl-stub", "object": "chat.completion", "created": int(time.time()), "model": "stub",
            "choices": [{"index": 0, "finish_reason": finish_reason,
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens}}


def requested_n(body: dict) -> int:
    return body["response_format"]["json_schema"]["schema"]["properties"]["records"]["minItems"]


def item_schema(body: dict) -> dict:
    return body["response_format"]["json_schema"]["schema"]["properties"]["records"]["items"]


def _value(prop: dict, i: int, salt: int) -> Any:
    if "anyOf" in prop:
        prop = next(p for p in prop["anyOf"] if p.get("type") != "null")
    if "enum" in prop:
        return prop["enum"][(i + salt) % len(prop["enum"])]
    kind = prop.get("type")
    if kind == "integer":
        lo, hi = prop.get("minimum", 0), prop.get("maximum", 10_000)
        return int(min(hi, lo + i + salt))
    if kind == "number":
        lo, hi = prop.get("minimum", 0), prop.get("maximum", 10_000.0)
        return float(min(hi, lo + i + salt + 0.5))
    if kind == "boolean":
        return i % 2 == 0
    if prop.get("format") == "date":
        return f"2024-02-{i % 28 + 1:02d}"
    if prop.get("format") == "date-time":
        return f"2024-02-{i % 28 + 1:02d}T10:{i % 60:02d}:00"
    pattern = prop.get("pattern", "")
    if "@" in pattern:
        text = f"user{salt}.{i}@example.com"
    elif "https?" in pattern:
        text = f"https://site{salt}-{i}.example.com"
    elif "A-TV-Z" in pattern:
        text = f"J{i % 10}{salt % 10}.{i % 10}"
    elif pattern:
        text = f"+1 555 01{salt % 10}{i:04d}"
    else:
        text = f"Value {salt}-{i}"
    return text[: prop.get("maxLength", 1000)]


def fake_records(body: dict, salt: int = 0) -> list[dict]:
    """Valid, distinct records for the request's schema (a well-behaved LLM)."""
    props = item_schema(body)["properties"]
    return [{name: _value(prop, i, salt) for name, prop in props.items()} for i in range(requested_n(body))]


def fake_llm(path: str, body: dict) -> tuple[int, Any]:
    """Answer every request with valid records (the seed varies them between batches)."""
    salt = int(body.get("seed") or 0)
    return 200, completion(json.dumps({"records": fake_records(body, salt)}))


def flaky_proxy(upstream: str, failures: int, status: int = 503) -> Handler:
    """``status`` for the first ``failures`` requests, then every request forwarded to ``upstream``."""
    seen = [0]

    def handle(path: str, body: dict) -> tuple[int, Any]:
        seen[0] += 1
        if seen[0] <= failures:
            return status, {"error": {"message": "temporarily overloaded", "type": "server_error"}}
        base = upstream.rsplit("/v1", 1)[0]
        request = urllib.request.Request(base + path, data=json.dumps(body).encode(),
                                         headers={"content-type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    return handle


def dead_url() -> str:
    """The URL of a port nothing listens on (any request there fails to connect)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
