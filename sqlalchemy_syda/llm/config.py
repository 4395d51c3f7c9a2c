"""How to reach the LLM and how to use it: one frozen value, from the environment or explicit.

Any OpenAI-compatible server works (OpenAI, vLLM, Ollama, llama.cpp)::

    >>> print(LLMConfig.from_env({}))              # None when nothing is configured (default: os.environ)
    None
    >>> config = LLMConfig.from_env({"OPENAI_BASE_URL": "http://127.0.0.1:8080/v1", "SYDA_LLM_MODEL": "local",
    ...                              "SYDA_LLM_MODE": "pools", "SYDA_LLM_PRICE": "0.15,0.60"})
    >>> config.base_url, config.model, config.mode, config.pool_size, config.price_per_million
    ('http://127.0.0.1:8080/v1', 'local', 'pools', 50, (0.15, 0.6))
    >>> config.replace(pool_size=40).pool_size
    40
    >>> LLMConfig(model="local", mode="sometimes")
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.SchemaError: LLM mode 'sometimes' is not one of auto, pools, rows.

The environment the SDK already knows (``OPENAI_API_KEY``, ``OPENAI_BASE_URL``) plus ``SYDA_LLM_*``:

=========================  =========================================================================
``SYDA_LLM_MODEL``         model name (default ``gpt-4o-mini``)
``SYDA_LLM_MODE``          ``auto`` (rows up to ``SYDA_LLM_ROWS_LIMIT`` rows per table, pools above), ``pools``, ``rows``
``SYDA_LLM_BATCH_SIZE``    records per request (default 10)
``SYDA_LLM_POOL_SIZE``     records per column group in pools mode (default 50)
``SYDA_LLM_LOCKFILE``      lockfile path (default ``syda.lock.json``; empty: no lockfile)
``SYDA_LLM_REFRESH``       ``1``: ask the LLM again and overwrite the lockfile entries
``SYDA_LLM_OFFLINE``       ``1``: never send a request; answers must come from the lockfile
``SYDA_LLM_TIMEOUT``       seconds per request (default 60)
``SYDA_LLM_MAX_RETRIES``   retries per request (default 3)
``SYDA_LLM_CONCURRENCY``   requests in flight at once (default 4)
``SYDA_LLM_PRICE``         USD per million input and output tokens, ``"0.15,0.60"`` (cost estimates)
=========================  =========================================================================

The LLM counts as configured when ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` or ``SYDA_LLM_MODEL`` is set.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..exceptions import SchemaError

__all__ = ["MODES", "LLMConfig"]

MODES = ("auto", "pools", "rows")


@dataclass(frozen=True)
class LLMConfig:
    """Connection and usage settings of the optional LLM."""

    model: str = "gpt-4o-mini"
    base_url: str | None = None
    """``None``: the SDK's default (``OPENAI_BASE_URL`` or api.openai.com)."""
    api_key: str | None = None
    """``None``: ``OPENAI_API_KEY``; a local server without auth gets a placeholder."""
    mode: str = "auto"
    rows_limit: int = 200
    """``mode="auto"``: tables with at most this many rows use rows mode, larger ones pools."""
    batch_size: int = 10
    pool_size: int = 50
    temperature: float = 0.7
    seed: int | None = 0
    timeout: float = 60.0
    max_retries: int = 3
    backoff: float = 0.5
    """Seconds before the first retry; doubled each time, at most 8 s."""
    concurrency: int = 4
    lockfile: str | Path | None = "syda.lock.json"
    refresh: bool = False
    offline: bool = False
    price_per_million: tuple[float, float] = (0.0, 0.0)
    """USD per million (input, output) tokens, for the run report's cost estimate."""
    share_samples: bool = False
    """Governance: sample rows are sent to the LLM only when this is True."""

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise SchemaError(f"LLM mode {self.mode!r} is not one of {', '.join(MODES)}.")
        for name in ("batch_size", "pool_size", "concurrency"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise SchemaError(f"LLMConfig.{name} must be a positive integer; got {value!r}.")
        if not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise SchemaError(f"LLMConfig.max_retries must be 0 or more; got {self.max_retries!r}.")
        if not self.timeout or self.timeout <= 0:
            raise SchemaError(f"LLMConfig.timeout must be a positive number of seconds; got {self.timeout!r}.")

    def replace(self, **changes: Any) -> LLMConfig:
        """A copy with some settings changed."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> LLMConfig | None:
        """The configuration the environment describes, or None when it describes none."""
        env = dict(os.environ if env is None else env)
        if not any(env.get(k) for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SYDA_LLM_MODEL")):
            return None
        values: dict[str, Any] = {"base_url": env.get("OPENAI_BASE_URL") or None,
                                  "api_key": env.get("OPENAI_API_KEY") or None}
        readers = {"SYDA_LLM_MODEL": ("model", str), "SYDA_LLM_MODE": ("mode", str),
                   "SYDA_LLM_BATCH_SIZE": ("batch_size", int), "SYDA_LLM_POOL_SIZE": ("pool_size", int),
                   "SYDA_LLM_ROWS_LIMIT": ("rows_limit", int), "SYDA_LLM_TIMEOUT": ("timeout", float),
                   "SYDA_LLM_MAX_RETRIES": ("max_retries", int), "SYDA_LLM_CONCURRENCY": ("concurrency", int),
                   "SYDA_LLM_REFRESH": ("refresh", _flag), "SYDA_LLM_OFFLINE": ("offline", _flag),
                   "SYDA_LLM_PRICE": ("price_per_million", _prices)}
        for var, (name, parse) in readers.items():
            raw = env.get(var)
            if raw is None or raw == "":
                continue
            try:
                values[name] = parse(raw)
            except ValueError:
                raise SchemaError(f"{var}={raw!r} is not a valid {name.replace('_', ' ')}.") from None
        if "SYDA_LLM_LOCKFILE" in env:
            values["lockfile"] = env["SYDA_LLM_LOCKFILE"] or None
        values.update(overrides)
        return cls(**values)


def _flag(raw: str) -> bool:
    if raw.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if raw.strip().lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(raw)


def _prices(raw: str) -> tuple[float, float]:
    parts = [float(p) for p in raw.split(",")]
    if len(parts) != 2:
        raise ValueError(raw)
    return parts[0], parts[1]
