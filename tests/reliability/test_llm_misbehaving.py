"""The LLM client against HTTP servers on loopback that misbehave the way real ones do.

A server (or a proxy in front of it) that trickles bytes, a base URL that serves a web page, and values
no database can store: each ends in a clear ``SydaError`` in bounded time, or in the engine's value.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
import sqlalchemy as sa

from sqlalchemy_syda import LLM, LLMConfig, LLMConnectionError, generate, seed
from tests.llm.llm_stubs import StubServer, completion, fake_records
from tests.reliability.misbehaving_http import RawServer, response, trickle

SCHEMA = {"id": "number", "name": "full_name", "city": "city"}


def _llm(url: str, **options) -> LLM:
    return LLM(LLMConfig(**{"base_url": url, "model": "stub", "lockfile": None, "mode": "rows", "max_retries": 0,
                            "backoff": 0.01, "timeout": 1.0, **options}))


def _outcome(call, limit: float) -> tuple[BaseException | None, float]:
    """Run ``call`` in a thread; its exception and duration, or a failure when it is still running at ``limit``."""
    box: dict = {}

    def run():
        started = time.perf_counter()
        try:
            call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc
        box["seconds"] = time.perf_counter() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), f"the request was still running after {limit} s"
    return box.get("error"), box["seconds"]


def _trickled_body(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n")
    trickle(conn, b" " * 100000, 0.05)


def _trickled_status_line(conn):
    trickle(conn, b"HTTP/1.1 200 OK\r\n" + b"x-padding: " + b"." * 10000, 0.05)


@pytest.mark.parametrize("behaviour", [_trickled_body, _trickled_status_line], ids=["body", "headers"])
def test_a_server_that_trickles_bytes_ends_at_the_total_deadline(behaviour):
    """Test that one byte every 50 ms (each read well inside the timeout) still ends the request at timeout."""
    with RawServer(behaviour) as server:
        error, seconds = _outcome(lambda: generate(SCHEMA, 3, llm=_llm(server.url, timeout=1.0, max_retries=1)), 20)
        assert server.requests == 2                                        # the timeout is retried once
    assert isinstance(error, LLMConnectionError), error
    assert "no complete answer from http://127.0.0.1" in str(error) and "within 1 s" in str(error)
    assert seconds < 6                                                     # 2 tries of 1 s, not for ever


def test_an_html_page_with_http_200_is_a_clear_error():
    """Test that a base URL serving a web page (HTTP 200, text/html) says to check OPENAI_BASE_URL, at once."""
    page = b"<!doctype html><html><body><h1>Sign in</h1></body></html>"
    with RawServer(lambda conn: conn.sendall(response(200, page, "text/html"))) as server:
        error, _ = _outcome(lambda: generate(SCHEMA, 3, llm=_llm(server.url, max_retries=2)), 20)
        assert server.requests == 1                                        # not retried: a setup problem
    assert isinstance(error, LLMConnectionError), error
    assert "HTTP 200" in str(error) and "Sign in" in str(error) and "OPENAI_BASE_URL" in str(error)


@pytest.mark.parametrize("body", [b"<html><body>Bad gateway</body></html>", b'{"status": "ok"}'],
                         ids=["html-labelled-json", "json-not-a-completion"])
def test_a_json_answer_that_is_no_chat_completion_is_a_clear_error(body):
    """Test that a JSON content type over HTML, or JSON of another API, is an LLMConnectionError, not a raw one."""
    with RawServer(lambda conn: conn.sendall(response(200, body))) as server:
        error, _ = _outcome(lambda: generate(SCHEMA, 3, llm=_llm(server.url)), 20)
    assert isinstance(error, LLMConnectionError), error
    assert "not an OpenAI chat completion" in str(error) and "OPENAI_BASE_URL" in str(error)


@pytest.mark.postgres
def test_values_no_database_stores_are_replaced_by_the_engines(pg_engine):
    """Test that a NUL or a lone surrogate in an LLM value costs that value only: the seed writes the rest."""
    metadata = sa.MetaData()
    people = sa.Table("people", metadata, sa.Column("id", sa.Integer, primary_key=True),
                      sa.Column("name", sa.String(80), nullable=False), sa.Column("city", sa.String(80)))
    metadata.create_all(pg_engine)
    bad = ["Ana\x00Ruiz", "Bo \ud800Li", "Cy Tan"]

    def handler(path, body):
        records = fake_records(body)
        for record, name in zip(records, bad):
            record["name"] = name
        return 200, completion(json.dumps({"records": records}))

    with StubServer(handler) as server:
        llm = _llm(server.url, batch_size=3)
        seed(pg_engine, {people: 3}, llm=llm)
    engine_values = generate(people, 3)["name"].tolist()
    with pg_engine.connect() as conn:
        names = conn.execute(sa.select(people.c.name).order_by(people.c.id)).scalars().all()
    assert names == [engine_values[0], engine_values[1], "Cy Tan"]
    assert llm.report.table("people").replaced == 2
