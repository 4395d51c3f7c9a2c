"""The client against real HTTP servers that misbehave: garbage, refusals, outages, timeouts, cut-off answers."""

from __future__ import annotations

import json
import time

import pytest
from llm_stubs import StubServer, completion, dead_url, fake_llm, fake_records

from sqlalchemy_syda import LLM, LLMConfig, LLMConnectionError, LLMOutputError, generate
from sqlalchemy_syda.llm.client import LLMClient

SCHEMA = {"id": "number", "name": "full_name", "city": "city"}


def _config(url: str, **options) -> LLMConfig:
    return LLMConfig(**{"base_url": url, "model": "stub", "lockfile": None, "mode": "rows", "max_retries": 2,
                        "backoff": 0.01, "timeout": 5.0, **options})


def test_garbage_that_is_never_json_is_a_clear_error():
    """Test that output that is never the requested JSON raises LLMOutputError after every retry."""
    with StubServer(lambda path, body: (200, completion("Sure! Here are your records: name=Ana"))) as server:
        with pytest.raises(LLMOutputError, match="gave no usable JSON for 'records' in 3 tries") as info:
            generate(SCHEMA, 3, llm=LLM(_config(server.url)))
        assert len(server.requests) == 3
    assert "Sure! Here are your records" in str(info.value) and "llm=None" in str(info.value)


def test_garbage_once_is_regenerated():
    """Test that one unparseable answer is asked again and the second answer used."""
    answers = iter([completion("{not json"), None])

    def handler(path, body):
        canned = next(answers)
        return fake_llm(path, body) if canned is None else (200, canned)

    with StubServer(handler) as server:
        llm = LLM(_config(server.url))
        frame = generate(SCHEMA, 3, llm=llm)
    assert frame["name"].str.startswith("Value").all()
    assert llm.report.table("records").retries == 1 and llm.client.requests == 2


def test_a_refused_request_is_not_retried():
    """Test that HTTP 401 fails at once with a message naming the status and what to check."""
    with StubServer(lambda path, body: (401, {"error": {"message": "Invalid API key"}})) as server:
        with pytest.raises(LLMConnectionError, match=r"refused the request for 'records' \(HTTP 401") as info:
            generate(SCHEMA, 3, llm=LLM(_config(server.url)))
        assert len(server.requests) == 1
    assert "API key" in str(info.value)


def test_server_errors_are_retried_with_backoff_then_reported():
    """Test that 503s are retried max_retries times, then LLMConnectionError names the last problem."""
    with StubServer(lambda path, body: (503, {"error": {"message": "busy"}})) as server:
        started = time.perf_counter()
        with pytest.raises(LLMConnectionError, match="failed 3 times; last problem: HTTP 503"):
            generate(SCHEMA, 3, llm=LLM(_config(server.url, backoff=0.2)))
        assert len(server.requests) == 3
    assert time.perf_counter() - started >= 0.2 + 0.4  # backoff doubles


def test_an_unreachable_server_is_a_clear_error():
    """Test that nothing listening at the URL raises LLMConnectionError after the retries."""
    with pytest.raises(LLMConnectionError, match="APIConnectionError talking to http://127.0.0.1"):
        generate(SCHEMA, 3, llm=LLM(_config(dead_url(), max_retries=1)))


def test_requests_time_out():
    """Test that a server slower than the timeout counts as a failed attempt."""
    def slow(path, body):
        time.sleep(1.5)
        return fake_llm(path, body)

    with StubServer(slow) as server:
        with pytest.raises(LLMConnectionError, match=r"no complete answer from .* within 0.3 s"):
            generate(SCHEMA, 3, llm=LLM(_config(server.url, timeout=0.3, max_retries=1)))


def test_an_answer_cut_off_at_max_tokens_is_asked_again_with_more_room():
    """Test that finish_reason=length doubles max_tokens for the next try."""
    def handler(path, body):
        if len(server.requests) == 1:
            return 200, completion('{"records": [{"name": "An', finish_reason="length")
        return fake_llm(path, body)

    with StubServer(handler) as server:
        frame = generate(SCHEMA, 3, llm=LLM(_config(server.url)))
        first, second = (body["max_tokens"] for _, body in server.requests)
    assert second == 2 * first and len(frame) == 3


def test_structured_output_is_requested_as_a_strict_json_schema():
    """Test the request: response_format json_schema (no tools), the model, the seed and a system message."""
    with StubServer(fake_llm) as server:
        generate(SCHEMA, 3, llm=LLM(_config(server.url, seed=7)))
        body = server.requests[0][1]
    assert "tools" not in body and body["model"] == "stub" and body["seed"] == 7
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert [m["role"] for m in body["messages"]] == ["system", "user"]


def test_concurrency_is_limited():
    """Test that no more than `concurrency` requests are in flight at once."""
    active, peak = [0], [0]

    def handler(path, body):
        active[0] += 1
        peak[0] = max(peak[0], active[0])
        time.sleep(0.2)
        active[0] -= 1
        return fake_llm(path, body)

    with StubServer(handler) as server:
        generate(SCHEMA, 12, llm=LLM(_config(server.url, batch_size=2, concurrency=2)))
    assert peak[0] == 2


def test_the_client_accepts_a_given_openai_client(tmp_path, monkeypatch):
    """Test that llm= may be an openai.OpenAI client: its base URL and key are used."""
    import openai

    monkeypatch.chdir(tmp_path)  # the default lockfile, syda.lock.json, goes to the working directory
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SYDA_LLM_MODEL"):
        monkeypatch.delenv(var, raising=False)
    with StubServer(fake_llm) as server:
        client = openai.OpenAI(base_url=server.url, api_key="sk-test")
        frame = generate(SCHEMA, 2, llm=client)
        assert len(server.requests) == 1
    assert len(frame) == 2 and (tmp_path / "syda.lock.json").exists()


def test_answers_in_a_bare_list_are_read_too():
    """Test that a server answering with a top-level list instead of {"records": [...]} still works."""
    def handler(path, body):
        return 200, completion(json.dumps(fake_records(body)))

    with StubServer(handler) as server:
        answer = LLMClient(_config(server.url)).ask("Generate 2 records", {
            "type": "object", "properties": {"records": {"type": "array", "minItems": 2, "maxItems": 2, "items": {
                "type": "object", "properties": {"a": {"type": "string"}}}}}}, "t")
    assert answer.records == [{"a": "Value 0-0"}, {"a": "Value 0-1"}]


def test_a_missing_api_key_is_a_clear_error(monkeypatch):
    """Test that asking OpenAI itself without OPENAI_API_KEY says what to set."""
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(LLMConnectionError, match="Cannot set up the LLM client: .*Set OPENAI_API_KEY"):
        generate(SCHEMA, 2, llm=LLM(LLMConfig(model="gpt-4o-mini", lockfile=None, mode="rows")))
