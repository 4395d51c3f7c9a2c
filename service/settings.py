"""The service's configuration: where its state lives, its limits, and the named target databases.

Everything comes from the server side (environment variables or a TOML file), never from a
request. A client names a target database (``"crm"``); only the server knows its URL::

    # syda-service.toml  (SYDA_SERVICE_CONFIG=syda-service.toml)
    database = "postgresql+psycopg://syda@db/syda_service"   # the service's own state
    max_upload_mb = 100
    [targets.crm]
    url = "postgresql+psycopg://app@db/crm_staging"
    projects = ["shop"]            # optional: only these projects may seed it

Environment variables win over the file: ``SYDA_SERVICE_DATABASE``, ``SYDA_SERVICE_DATA_DIR``,
``SYDA_SERVICE_MAX_UPLOAD_MB``, ``SYDA_SERVICE_ADMIN_KEY``, ``SYDA_SERVICE_TARGETS`` (JSON:
``{"crm": "postgresql://..."}`` or ``{"crm": {"url": ..., "projects": [...]}}``)::

    >>> settings = Settings.from_env({"SYDA_SERVICE_TARGETS": '{"crm": "sqlite:///crm.db"}'})
    >>> settings.targets["crm"].url
    'sqlite:///crm.db'
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy_syda.exceptions import SydaError

__all__ = ["ConfigError", "Settings", "Target"]

DEFAULT_DATABASE = "sqlite:///syda-service.db"


class ConfigError(SydaError):
    """The server's own configuration is wrong (a bad TOML file, a target without a URL, ...)."""


@dataclass(frozen=True)
class Target:
    """A database the service may seed, known by name; ``projects`` limits who may (empty: every project)."""

    name: str
    url: str
    projects: tuple[str, ...] = ()

    def allows(self, project: str) -> bool:
        return not self.projects or project in self.projects


@dataclass(frozen=True)
class Settings:
    database: str = DEFAULT_DATABASE
    """SQLAlchemy URL of the service's state (projects, keys, jobs, artifacts, events)."""
    data_dir: str = "syda-service-data"
    """Where uploads and artifacts are stored (relative to the working directory)."""
    max_upload_bytes: int = 100 * 1024 * 1024
    admin_key: str | None = field(default=None, repr=False)
    targets: dict[str, Target] = field(default_factory=dict)
    inline_rows: int = 1000
    """Requests for at most this many rows are answered inline; larger ones become jobs."""
    max_jobs: int = 2
    """Worker processes running at once; further jobs wait in the queue."""
    retention_days: int = 7
    """How long artifacts are kept unless the project says otherwise."""
    migrate: bool = True
    """Upgrade the state database to the newest migration at start-up."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        path = env.get("SYDA_SERVICE_CONFIG")
        if path:
            values.update(_read_toml(Path(path)))
        if env.get("SYDA_SERVICE_DATABASE"):
            values["database"] = env["SYDA_SERVICE_DATABASE"]
        if env.get("SYDA_SERVICE_DATA_DIR"):
            values["data_dir"] = env["SYDA_SERVICE_DATA_DIR"]
        if env.get("SYDA_SERVICE_MAX_UPLOAD_MB"):
            values["max_upload_bytes"] = _megabytes(env["SYDA_SERVICE_MAX_UPLOAD_MB"], "SYDA_SERVICE_MAX_UPLOAD_MB")
        if env.get("SYDA_SERVICE_ADMIN_KEY"):
            values["admin_key"] = env["SYDA_SERVICE_ADMIN_KEY"]
        if env.get("SYDA_SERVICE_TARGETS"):
            try:
                raw = json.loads(env["SYDA_SERVICE_TARGETS"])
            except json.JSONDecodeError as exc:
                raise ConfigError(f"SYDA_SERVICE_TARGETS is not JSON ({exc}); write it as "
                                  '{"crm": "postgresql://user@host/db"}.') from None
            values["targets"] = _targets(raw, "SYDA_SERVICE_TARGETS")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def to_json(self) -> str:
        """The settings for a worker process (it reads them back with :meth:`from_json`)."""
        data = asdict(self)
        data["targets"] = {name: {"url": t.url, "projects": list(t.projects)} for name, t in self.targets.items()}
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> Settings:
        data = json.loads(text)
        data["targets"] = _targets(data.get("targets") or {}, "settings")
        return cls(**data)

    @property
    def artifacts_dir(self) -> Path:
        return Path(self.data_dir) / "artifacts"

    @property
    def uploads_dir(self) -> Path:
        return Path(self.data_dir) / "uploads"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"Configuration file {str(path)!r} does not exist (SYDA_SERVICE_CONFIG).") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Configuration file {str(path)!r} is not valid TOML: {exc}.") from None
    known = {"database", "data_dir", "max_upload_mb", "targets", "inline_rows", "max_jobs", "retention_days"}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"Configuration file {str(path)!r}: unknown keys {sorted(unknown)}; "
                          f"known: {sorted(known)}.")
    values = {k: v for k, v in data.items() if k not in ("max_upload_mb", "targets")}
    if "max_upload_mb" in data:
        values["max_upload_bytes"] = _megabytes(data["max_upload_mb"], "max_upload_mb")
    if "targets" in data:
        values["targets"] = _targets(data["targets"], str(path))
    return values


def _megabytes(value: Any, where: str) -> int:
    try:
        mb = float(value)
    except (TypeError, ValueError):
        mb = -1.0
    if mb <= 0:
        raise ConfigError(f"{where} must be a positive number of megabytes; got {value!r}.")
    return int(mb * 1024 * 1024)


def _targets(raw: Any, where: str) -> dict[str, Target]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"Targets in {where} must map names to URLs, e.g. {{\"crm\": \"sqlite:///crm.db\"}}.")
    out = {}
    for name, value in raw.items():
        if isinstance(value, str):
            value = {"url": value}
        if not isinstance(value, Mapping) or not isinstance(value.get("url"), str) or not value["url"]:
            raise ConfigError(f"Target {name!r} in {where} needs a url (\"{name}\": \"postgresql://...\").")
        projects = value.get("projects") or ()
        if isinstance(projects, str) or not all(isinstance(p, str) for p in projects):
            raise ConfigError(f"Target {name!r} in {where}: projects must be a list of project names.")
        out[name] = Target(name, value["url"], tuple(projects))
    return out
