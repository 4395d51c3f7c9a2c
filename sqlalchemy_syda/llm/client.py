"""One structured request to an OpenAI-compatible server, with the care a batch job needs.

:class:`LLMClient` sends a chat completion with ``response_format={"type": "json_schema", ...}``
(structured outputs; no tool calls, so llama.cpp-class servers work too), and

* retries what can succeed on a second try (connection errors, timeouts, HTTP 408/409/429/5xx,
  output that is not JSON, output cut off at ``max_tokens``) a bounded number of times, waiting
  ``backoff * 2**attempt`` seconds (at most 8) in between;
* gives every request a total deadline of ``timeout`` seconds, however slowly the server sends
  (:mod:`.deadline`), and keeps at most ``concurrency`` requests in flight;
* counts requests and answers and records the token usage of each answer::

    client = LLMClient(LLMConfig(base_url="http://127.0.0.1:8080/v1", model="local"))
    answer = client.ask("Generate 3 records ...", schema, "employees")
    answer.records, answer.prompt_tokens, answer.retries     # ([{...}, {...}, {...}], 212, 0)

Errors it cannot get past become :class:`~..exceptions.LLMConnectionError` (unreachable, refused,
retries used up, an answer that is not an OpenAI API response, such as an HTML page) or
:class:`~..exceptions.LLMOutputError` (never valid JSON). Nothing listens on the port here::

    >>> import socket
    >>> from sqlalchemy_syda.llm.config import LLMConfig
    >>> with socket.socket() as probe:                  # a free local port
    ...     _ = probe.bind(("127.0.0.1", 0))
    ...     port = probe.getsockname()[1]
    >>> client = LLMClient(LLMConfig(base_url=f"http://127.0.0.1:{port}/v1", model="local", max_retries=0))
    >>> client.ask("Generate 3 records", {"type": "object"}, "customers")
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.LLMConnectionError: The LLM request for 'customers' failed 1 time; last
    problem: APIConnectionError talking to http://127.0.0.1:.../v1: Connection error.. Is the server up
    (OPENAI_BASE_URL)? Retry later, raise SYDA_LLM_MAX_RETRIES / SYDA_LLM_TIMEOUT, or run without the LLM
    (llm=None).
    >>> client.requests, client.calls
    (1, 0)
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from ..exceptions import LLMConnectionError, LLMOutputError, MissingDependencyError
from .config import LLMConfig
from .deadline import bound_http_client, request_deadline

__all__ = ["Answer", "LLMClient", "SYSTEM_PROMPT"]

SYSTEM_PROMPT = ("You write realistic synthetic data for database tables. Answer with one JSON object that "
                 "matches the given schema exactly, and nothing else.")
_RETRY_STATUS = (408, 409, 429)


@dataclass
class Answer:
    """The records of one successful request and what it cost."""

    records: list[Any]
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0
    seconds: float = 0.0


class LLMClient:
    """Structured requests with retries, timeouts, a concurrency limit and usage counters."""

    def __init__(self, config: LLMConfig, client: Any = None) -> None:
        self.config = config
        self._given = client
        self._client: Any = None
        self._slots = threading.BoundedSemaphore(config.concurrency)
        self._lock = threading.Lock()
        self.requests = 0
        """HTTP requests sent (answers and failed attempts)."""
        self.calls = 0
        """Requests that returned usable JSON."""

    @property
    def openai(self) -> Any:
        """The openai SDK client (created on first use; the SDK's own retries are off, ours count)."""
        with self._lock:
            if self._client is None:
                self._client = self._make_client()
        return self._client

    def _make_client(self) -> Any:
        try:
            import openai
        except ImportError as exc:
            raise MissingDependencyError("The LLM needs the openai SDK: pip install 'sqlalchemy-syda[llm]'") from exc
        if self._given is not None:
            client = self._given.with_options(max_retries=0, timeout=self.config.timeout)
            bound_http_client(getattr(client, "_client", None))  # the deadline applies only inside ask()
            return client
        key = self.config.api_key
        if key is None and self.config.base_url:
            key = os.environ.get("OPENAI_API_KEY") or "unused"  # local servers need no key
        try:
            return openai.OpenAI(api_key=key, base_url=self.config.base_url, timeout=self.config.timeout,
                                 max_retries=0, http_client=bound_http_client(openai.DefaultHttpxClient()))
        except openai.OpenAIError as exc:
            raise LLMConnectionError(f"Cannot set up the LLM client: {exc}. Set OPENAI_API_KEY (and OPENAI_BASE_URL "
                                     "for another server), or pass llm=None.") from None

    def ask(self, prompt: str, schema: dict[str, Any], name: str, *, max_tokens: int = 2000,
            seed_offset: int = 0) -> Answer:
        """Send ``prompt`` with ``schema`` as the response format; the records of the answer."""
        import openai

        client = self.openai
        cfg = self.config
        started = time.perf_counter()
        problem, last_output, output_failed = "", "", False
        for attempt in range(cfg.max_retries + 1):
            if attempt:
                time.sleep(min(8.0, cfg.backoff * 2 ** (attempt - 1)))
            with self._lock:
                self.requests += 1
            try:
                with self._slots, request_deadline(cfg.timeout):
                    response = client.chat.completions.create(
                        model=cfg.model, temperature=cfg.temperature, max_tokens=max_tokens,
                        seed=None if cfg.seed is None else cfg.seed + seed_offset,
                        messages=[{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": prompt}],
                        response_format={"type": "json_schema",
                                         "json_schema": {"name": _schema_name(name), "strict": True, "schema": schema}})
            except openai.APIStatusError as exc:
                if exc.status_code in _RETRY_STATUS or exc.status_code >= 500:
                    problem, output_failed = f"HTTP {exc.status_code} from {self._where()}", False
                    continue
                raise LLMConnectionError(
                    f"The LLM at {self._where()} refused the request for {name!r} (HTTP {exc.status_code}: "
                    f"{_short(exc.message)}). Check the API key, the model name ({cfg.model!r}) and that the server "
                    "supports response_format json_schema.") from None
            except openai.APITimeoutError:
                problem, output_failed = (f"no complete answer from {self._where()} within {cfg.timeout:g} s "
                                          "(SYDA_LLM_TIMEOUT)"), False
                continue
            except openai.APIConnectionError as exc:
                problem, output_failed = f"{type(exc).__name__} talking to {self._where()}: {_short(str(exc))}", False
                continue
            except ValueError:  # a JSON content type over a body that is not JSON
                raise LLMConnectionError(_not_the_api(self._where(), name, "a body that is not JSON")) from None
            choices = getattr(response, "choices", None)
            if not isinstance(choices, list):  # an HTML page, or JSON that is no chat completion
                raise LLMConnectionError(_not_the_api(self._where(), name, response)) from None
            choice = choices[0] if choices else None
            content = getattr(getattr(choice, "message", None), "content", None) or ""
            records = _records(content)
            if records is None:
                output_failed, last_output = True, content
                if getattr(choice, "finish_reason", None) == "length":
                    max_tokens *= 2  # the JSON was cut off: give the next try room
                    problem = "the answer was cut off at max_tokens"
                else:
                    problem = "the answer was not the requested JSON"
                continue
            usage = getattr(response, "usage", None)
            with self._lock:
                self.calls += 1
            return Answer(records, int(getattr(usage, "prompt_tokens", 0) or 0),
                          int(getattr(usage, "completion_tokens", 0) or 0), attempt,
                          time.perf_counter() - started)
        tries = cfg.max_retries + 1
        if output_failed:
            raise LLMOutputError(
                f"The LLM ({cfg.model!r} at {self._where()}) gave no usable JSON for {name!r} in {tries} tries "
                f"({problem}); last answer: {_short(last_output)!r}. Use a model that supports structured outputs "
                "(response_format json_schema), or run without the LLM (llm=None).")
        raise LLMConnectionError(f"The LLM request for {name!r} failed {tries} time{'s' * (tries != 1)}; last problem: {problem}. "
                                 "Is the server up (OPENAI_BASE_URL)? Retry later, raise SYDA_LLM_MAX_RETRIES / "
                                 "SYDA_LLM_TIMEOUT, or run without the LLM (llm=None).")

    def _where(self) -> str:
        base = self.config.base_url or getattr(self._client, "base_url", None) or "the OpenAI API"
        return str(base)


def _not_the_api(where: str, name: str, answer: Any) -> str:
    """The message for an HTTP 200 whose body is not an OpenAI chat completion."""
    if isinstance(answer, str):
        what = f"a non-JSON body ({_short(answer, 120)!r})"
    elif hasattr(answer, "model_dump"):
        what = f"JSON that is not a chat completion ({_short(json.dumps(answer.model_dump(), default=str), 120)})"
    else:
        what = str(answer)
    return (f"The server at {where} answered the request for {name!r} with HTTP 200 and {what}, not an OpenAI "
            "chat completion. Check OPENAI_BASE_URL: it must be the API's base URL (usually ending in /v1), "
            "not a web page, login page or proxy.")


def _records(content: str) -> list[Any] | None:
    """The records of an answer: ``{"records": [...]}`` (or a bare list); None when it is not JSON."""
    try:
        data = json.loads(content)
    except (TypeError, ValueError):
        return None
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        records = data.get("records")
        if isinstance(records, list):
            return records
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) == 1:
            return lists[0]
    return None


def _schema_name(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in name)
    return (cleaned or "records")[:64]


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "..."
