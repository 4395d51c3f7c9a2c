"""A raw HTTP/1.1 server on 127.0.0.1 for servers that break the rules: trickled bytes, HTML pages.

``http.server`` always answers with a well-formed response; these tests need a server that sends its
status line one byte at a time, or announces a long body and then dribbles it. Each connection runs
``behaviour(connection)`` in a thread after the request has been read::

    def html(conn):
        conn.sendall(response(200, b"<html>Login</html>", "text/html"))

    with RawServer(html) as server:
        LLMConfig(base_url=server.url, ...)
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from typing import Any


def response(status: int, body: bytes, content_type: str = "application/json") -> bytes:
    """A complete HTTP/1.1 response (closes the connection)."""
    head = (f"HTTP/1.1 {status} OK\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}\r\n"
            "connection: close\r\n\r\n")
    return head.encode() + body


def trickle(conn: socket.socket, data: bytes, every: float) -> None:
    """Send ``data`` one byte per ``every`` seconds (stops when the client hangs up)."""
    for i in range(len(data)):
        conn.sendall(data[i:i + 1])
        time.sleep(every)


class RawServer:
    """Accepts connections on 127.0.0.1 and hands each to ``behaviour`` once its request is read."""

    def __init__(self, behaviour: Callable[[socket.socket], None]) -> None:
        self.behaviour = behaviour
        self.requests = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                _read_request(conn)
                self.requests += 1
                self.behaviour(conn)
            except OSError:
                pass  # the client gave up: what the tests want

    def close(self) -> None:
        self._stop.set()
        self.thread.join(5)
        self.sock.close()

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("client closed")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        body += conn.recv(65536)
    return body
