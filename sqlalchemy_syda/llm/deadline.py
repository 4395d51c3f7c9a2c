"""A total deadline per LLM request: no socket operation waits longer than the time the request has left.

HTTP clients time out per operation: a read that gets one byte resets the clock, so a server (or a
proxy) that trickles one byte a second keeps a request alive for ever. The openai SDK's HTTP client
(httpx, or httpx2 in newer SDKs) has no total timeout, but its connection pool talks to the network
through a replaceable *network backend*. :func:`bound_http_client` wraps that backend so that every
connect, TLS handshake, read and write inside :func:`request_deadline` waits at most for what is left
of the request's time, and fails with the HTTP library's own timeout error once nothing is left (the
SDK reports it as ``APITimeoutError``, the client retries or gives up as for any timeout)::

    sdk = openai.OpenAI(base_url=url, http_client=bound_http_client(openai.DefaultHttpxClient()))
    with request_deadline(60.0):
        sdk.chat.completions.create(...)      # at most ~60 s in all, however the server sends

A server that takes the connection and never answers, and a client whose reads may each wait 30 s::

    >>> import socket, httpx
    >>> silent = socket.create_server(("127.0.0.1", 0))
    >>> client = bound_http_client(httpx.Client(timeout=30.0))
    >>> is_bound(client), is_bound(httpx.Client())
    (True, False)
    >>> with request_deadline(0.2):                 # the whole request: 0.2 s, not 30
    ...     client.get(f"http://127.0.0.1:{silent.getsockname()[1]}/v1/models")
    Traceback (most recent call last):
    httpx.ReadTimeout: timed out
    >>> silent.close(); client.close()

Outside :func:`request_deadline` the wrapped client behaves exactly as before, so wrapping a client
the caller gave is harmless to the caller's other requests.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["bound_http_client", "is_bound", "request_deadline"]

_DEADLINE: ContextVar[float | None] = ContextVar("syda_llm_deadline", default=None)


@contextmanager
def request_deadline(seconds: float) -> Iterator[None]:
    """Network operations in this block (this thread / task) end ``seconds`` from now at the latest."""
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _left(timeout: float | None, error: type[Exception]) -> float | None:
    """The timeout for one operation: ``timeout``, or less when the request's deadline is nearer."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the request's total deadline has passed")
    return left if timeout is None else min(timeout, left)


class _BoundStream:
    """A network stream whose operations respect the request deadline."""

    def __init__(self, inner: Any, errors: Any) -> None:
        self._inner, self._errors = inner, errors

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, self._errors.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, self._errors.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        inner = self._inner.start_tls(ssl_context, server_hostname, _left(timeout, self._errors.ConnectTimeout))
        return _BoundStream(inner, self._errors)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _BoundBackend:
    """A network backend whose connections respect the request deadline."""

    def __init__(self, inner: Any, errors: Any) -> None:
        self._inner, self._errors = inner, errors

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> _BoundStream:
        stream = self._inner.connect_tcp(host, port, _left(timeout, self._errors.ConnectTimeout), local_address,
                                         socket_options)
        return _BoundStream(stream, self._errors)

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> _BoundStream:
        stream = self._inner.connect_unix_socket(path, _left(timeout, self._errors.ConnectTimeout), socket_options)
        return _BoundStream(stream, self._errors)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _bind_pool(pool: Any) -> bool:
    """Wrap the network backend of one httpcore(2) connection pool (or proxy pool); True when it worked."""
    backend = getattr(pool, "_network_backend", None)
    if backend is None:
        return False
    if not isinstance(backend, _BoundBackend):
        errors = sys.modules[type(pool).__module__.partition(".")[0]]  # httpcore or httpcore2: its timeouts
        pool._network_backend = _BoundBackend(backend, errors)
    return True


def bound_http_client(client: Any) -> Any:
    """``client`` (an httpx / httpx2 ``Client``) with every transport's network backend bound to the deadline.

    Returns the same client. A transport that is not a standard connection pool (a custom transport)
    keeps its own timeouts.
    """
    transports = [getattr(client, "_transport", None), *getattr(client, "_mounts", {}).values()]
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        if pool is not None:
            _bind_pool(pool)
    return client


def is_bound(client: Any) -> bool:
    """True when ``client``'s main transport honours :func:`request_deadline`."""
    pool = getattr(getattr(client, "_transport", None), "_pool", None)
    return isinstance(getattr(pool, "_network_backend", None), _BoundBackend)
