"""``syda.lock.json``: what the LLM answered, replayed later with no network.

Every answer is stored under a key that hashes what produced it: the table's metadata, the exact
prompt, the request schema and the model. A later run asking the same question reads the answer
back instead of sending a request, so CI is deterministic and needs no API key; a change to the
model, prompt or columns changes the key and asks again. ``refresh=True`` (``--refresh``) asks
again anyway and overwrites. Each entry records the model, the prompt's hash and the token counts::

    {"version": 1, "entries": {"3f2a...": {"table": "employees", "kind": "pool", "group": "person",
       "model": "gpt-4o-mini", "prompt_sha256": "9c1e...", "prompt_tokens": 310, "completion_tokens": 612,
       "created": "2026-11-24T10:02:11Z", "records": [{"first_name": "Ana", ...}, ...]}}}

Commit the file next to the schema it belongs to. The key, and an answer stored and read back::

    >>> from sqlalchemy_syda.introspect import table_spec
    >>> spec = table_spec(Contact)
    >>> schema = {"type": "object"}
    >>> key = answer_key(spec, "Generate 2 records ...", schema, "local", kind="pool", group="person")
    >>> key == answer_key(spec, "Generate 2 records ...", schema, "local", kind="pool", group="person")
    True
    >>> key == answer_key(spec, "Generate 2 records ...", schema, "gpt-4o-mini", kind="pool", group="person")
    False
    >>> lock = Lockfile(tmp / "syda.lock.json")
    >>> lock.put(key, {"table": "contacts", "model": "local", "records": [{"first_name": "Ana"}]})
    >>> path = lock.save()
    >>> Lockfile(path).get(key)["records"], Lockfile(path, refresh=True).get(key)
    ([{'first_name': 'Ana'}], None)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from ..exceptions import LockfileError
from ..specs import TableSpec

__all__ = ["VERSION", "Lockfile", "answer_key", "table_fingerprint"]

VERSION = 1


def table_fingerprint(spec: TableSpec) -> dict[str, Any]:
    """The metadata of ``spec`` that shapes a prompt or a schema, as plain JSON values."""
    return {
        "table": spec.fullname, "doc": spec.description,
        "columns": [[c.name, c.kind, c.length, c.precision, c.scale, c.nullable, c.primary_key, c.unique,
                     c.description, list(c.enum_values or ()), _plain(c.hint), list(c.references or ())]
                    for c in spec.columns],
        "foreign_keys": [[list(fk.columns), fk.ref_table] for fk in spec.foreign_keys],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return repr(value)


def answer_key(spec: TableSpec, prompt: str, schema: dict[str, Any], model: str, **extra: Any) -> str:
    """The lockfile key of one request: sha256 over metadata, prompt, schema, model and ``extra``."""
    text = json.dumps({"meta": table_fingerprint(spec), "prompt": prompt, "schema": schema, "model": model,
                       **{k: _plain(v) for k, v in extra.items()}}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class Lockfile:
    """The answers of earlier runs, read from and written back to one JSON file."""

    def __init__(self, path: str | Path | None, *, refresh: bool = False) -> None:
        self.path = None if path is None else Path(path)
        self.refresh = refresh
        self._lock = threading.Lock()
        self._dirty = False
        self.entries: dict[str, dict[str, Any]] = self._load()

    def _load(self) -> dict[str, dict[str, Any]]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LockfileError(f"Cannot read the lockfile {str(self.path)!r}: {exc}. Fix or delete it "
                                "(or regenerate it with --refresh).") from None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("entries"), dict):
            raise LockfileError(f"{str(self.path)!r} is not a version-{VERSION} syda lockfile; delete it or "
                                "regenerate it with --refresh.")
        return data["entries"]

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored answer for ``key`` (None when missing, or when refreshing)."""
        if self.refresh:
            return None
        with self._lock:
            return self.entries.get(key)

    def put(self, key: str, entry: dict[str, Any]) -> None:
        stamp = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        with self._lock:
            self.entries[key] = {**entry, "created": stamp}
            self._dirty = True

    def save(self) -> Path | None:
        """Write the file (atomically) if anything changed; returns its path."""
        if self.path is None or not self._dirty:
            return self.path
        with self._lock:
            text = json.dumps({"version": VERSION, "entries": self.entries}, indent=1, sort_keys=True,
                              ensure_ascii=False, default=str)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".syda-lock-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
            os.replace(tmp, self.path)
            self._dirty = False
        return self.path

    @staticmethod
    def prompt_hash(prompt: str) -> str:
        return hashlib.sha256(prompt.encode()).hexdigest()
