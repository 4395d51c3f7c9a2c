"""syda.lock.json: answers keyed by metadata + prompt + model, replayed with no network."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pandas as pd
import pytest
from llm_stubs import StubServer, dead_url, fake_llm

from examples.crm_models import Contact
from sqlalchemy_syda import LLM, LLMConfig, LockfileError, generate, table_spec
from sqlalchemy_syda.llm.lockfile import Lockfile, answer_key

SCHEMA = {"id": "number", "name": "full_name", "email": {"type": "email", "unique": True}}


def _config(url: str, lockfile, **options) -> LLMConfig:
    return LLMConfig(**{"base_url": url, "model": "stub", "lockfile": lockfile, "batch_size": 5,
                        "pool_size": 10, "max_retries": 0, **options})


def test_replay_sends_no_request_and_gives_the_same_rows(tmp_path):
    """Test that a second run reads every answer from the lockfile: zero requests, identical output."""
    lock = tmp_path / "syda.lock.json"
    with StubServer(fake_llm) as server:
        first = generate([Contact], {Contact: 5_000}, llm=LLM(_config(server.url, lock, mode="pools")))
        asked = len(server.requests)
    assert asked == 2 and lock.exists()
    replay = LLM(_config(dead_url(), lock, mode="pools"))   # nothing listens there
    again = generate([Contact], {Contact: 5_000}, llm=replay)
    pd.testing.assert_frame_equal(first["contacts"], again["contacts"])
    assert replay.client.requests == 0 and replay.report.calls == 0 and replay.report.replayed == 2


def test_entries_record_model_prompt_hash_and_tokens(tmp_path):
    """Test what an entry holds: table, kind, model, the prompt's sha256, token counts and the records."""
    lock = tmp_path / "syda.lock.json"
    with StubServer(fake_llm) as server:
        llm = LLM(_config(server.url, lock, mode="rows"))
        generate(SCHEMA, 5, llm=llm)
        prompt = server.requests[0][1]["messages"][1]["content"]
    entries = json.loads(lock.read_text())["entries"]
    (entry,) = entries.values()
    assert entry["model"] == "stub" and entry["table"] == "records" and entry["kind"] == "rows"
    assert entry["prompt_sha256"] == hashlib.sha256(prompt.encode()).hexdigest()
    assert (entry["prompt_tokens"], entry["completion_tokens"]) == (11, 22)
    assert len(entry["records"]) == 5 and entry["created"].endswith("Z")


def test_refresh_asks_again_and_offline_never_asks(tmp_path):
    """Test --refresh (new requests, entries overwritten) and offline mode (a miss is a LockfileError)."""
    lock = tmp_path / "syda.lock.json"
    with StubServer(fake_llm) as server:
        generate(SCHEMA, 5, llm=LLM(_config(server.url, lock)))
        generate(SCHEMA, 5, llm=LLM(_config(server.url, lock, refresh=True)))
        assert len(server.requests) == 2
    offline = LLM(_config(dead_url(), lock, offline=True))
    generate(SCHEMA, 5, llm=offline)                           # answered by the lockfile
    with pytest.raises(LockfileError, match="Offline run .* has no answer for 'records'"):
        generate(SCHEMA, 6, llm=offline)                       # a different question


def test_the_key_changes_with_metadata_prompt_schema_and_model():
    """Test that any input of an answer changes its key, and nothing else does."""
    spec = table_spec(Contact)
    base = answer_key(spec, "prompt", {"type": "object"}, "m", batch=0)
    assert base == answer_key(spec, "prompt", {"type": "object"}, "m", batch=0)
    other_col = dataclasses.replace(spec.columns[2], comment="Contact's given name")
    changed = dataclasses.replace(spec, columns=(*spec.columns[:2], other_col, *spec.columns[3:]))
    assert len({base, answer_key(changed, "prompt", {"type": "object"}, "m", batch=0),
                answer_key(spec, "prompt!", {"type": "object"}, "m", batch=0),
                answer_key(spec, "prompt", {"type": "array"}, "m", batch=0),
                answer_key(spec, "prompt", {"type": "object"}, "m2", batch=0),
                answer_key(spec, "prompt", {"type": "object"}, "m", batch=1)}) == 6


def test_a_broken_lockfile_is_a_clear_error(tmp_path):
    """Test that unreadable JSON and a foreign format raise LockfileError saying how to fix it."""
    lock = tmp_path / "syda.lock.json"
    lock.write_text("{not json")
    with pytest.raises(LockfileError, match="Cannot read the lockfile .*--refresh"):
        Lockfile(lock)
    lock.write_text(json.dumps({"version": 99, "entries": {}}))
    with pytest.raises(LockfileError, match="is not a version-1 syda lockfile"):
        Lockfile(lock)


def test_saving_is_atomic_and_only_when_something_changed(tmp_path):
    """Test that save() writes sorted JSON once and a clean lockfile leaves the file untouched."""
    lock = Lockfile(tmp_path / "sub" / "syda.lock.json")
    assert lock.save() == tmp_path / "sub" / "syda.lock.json" and not lock.path.exists()
    lock.put("k", {"records": [{"a": 1}]})
    lock.save()
    assert json.loads(lock.path.read_text())["entries"]["k"]["records"] == [{"a": 1}]
    assert Lockfile(lock.path).get("k")["records"] == [{"a": 1}]
    assert Lockfile(lock.path, refresh=True).get("k") is None
    assert list(tmp_path.glob("sub/.syda-lock-*")) == []
