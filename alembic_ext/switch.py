"""The environment switch: seeding in migrations runs in dev and test only, unless asked for.

Production is untouched by default: ``op.seed``, ``op.seed_rows`` and the post-migration hook do
nothing unless one of these says otherwise (first match wins)::

    alembic -x syda=on upgrade head        # per command: on / off
    SYDA_SEED=1 alembic upgrade head       # per process: 1/true/yes/on or 0/false/no/off
    SYDA_ENV=dev alembic upgrade head      # the environment's name: dev, development, test, testing, local

With none of them set, seeding is off::

    >>> import os
    >>> saved = {name: os.environ.pop(name) for name in ("SYDA_SEED", "SYDA_ENV") if name in os.environ}
    >>> seeding_enabled()
    Switch(on=False, reason='neither SYDA_ENV (dev/test) nor SYDA_SEED=1 nor -x syda=on is set')
    >>> os.environ["SYDA_ENV"] = "dev"
    >>> seeding_enabled(), bool(seeding_enabled())
    (Switch(on=True, reason='SYDA_ENV=dev'), True)
    >>> os.environ["SYDA_SEED"] = "0"                  # SYDA_SEED wins over SYDA_ENV
    >>> seeding_enabled()
    Switch(on=False, reason='SYDA_SEED=0')
    >>> for name in ("SYDA_SEED", "SYDA_ENV"):
    ...     del os.environ[name]
    >>> os.environ.update(saved)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

__all__ = ["DEV_ENVIRONMENTS", "Switch", "seeding_enabled"]

DEV_ENVIRONMENTS = frozenset({"dev", "development", "test", "testing", "local"})
_ON = frozenset({"1", "true", "yes", "on"})
_OFF = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True)
class Switch:
    """Whether seeding runs, and what decided it (for the log line)."""

    on: bool
    reason: str

    def __bool__(self) -> bool:
        return self.on


def seeding_enabled(ctx: Any = None) -> Switch:
    """Read the switch: ``-x syda=...`` of the running command, then ``SYDA_SEED``, then ``SYDA_ENV``.

    :param ctx: the running ``MigrationContext`` (for its ``-x`` arguments); optional.
    """
    x_value = _x_argument(ctx)
    if x_value is not None:
        if x_value in _ON:
            return Switch(True, "-x syda=" + x_value)
        if x_value in _OFF:
            return Switch(False, "-x syda=" + x_value)
    flag = os.environ.get("SYDA_SEED", "").strip().lower()
    if flag in _ON:
        return Switch(True, f"SYDA_SEED={flag}")
    if flag in _OFF:
        return Switch(False, f"SYDA_SEED={flag}")
    env = os.environ.get("SYDA_ENV", "").strip().lower()
    if env in DEV_ENVIRONMENTS:
        return Switch(True, f"SYDA_ENV={env}")
    if env:
        return Switch(False, f"SYDA_ENV={env} is not one of {', '.join(sorted(DEV_ENVIRONMENTS))}")
    return Switch(False, "neither SYDA_ENV (dev/test) nor SYDA_SEED=1 nor -x syda=on is set")


def _x_argument(ctx: Any) -> str | None:
    env = getattr(ctx, "environment_context", None)
    if env is None:
        return None
    try:
        args = env.get_x_argument(as_dictionary=True)
    except Exception:  # noqa: BLE001 - a context built by hand, without a command line
        return None
    value = args.get("syda")
    return value.strip().lower() if isinstance(value, str) else None
