"""What the post-migration hook seeds: the ``[syda]`` section of alembic.ini, ``[tool.syda]`` in
pyproject.toml, and the revision's own ``SEED`` / ``SEED_OPTIONS``.

alembic.ini (every key optional; configparser allows comments only on their own lines)::

    [syda]
    # same seed, same data (default 0)
    seed = 0
    # kept topped up to these counts after every upgrade step (default: none)
    tables = users=100, orders=300
    # rows for a table a step creates that nothing else sizes (default 10; 0: none)
    new_tables = 10
    # association-table links per row of the larger parent (default 2; 0: leave them alone)
    association = 2
    # realistic values for new NOT NULL columns on existing rows (default true)
    backfill = true
    # tables the hook never touches (default: none)
    exclude = audit_log
    locale = en_US

pyproject.toml (read first; alembic.ini wins where both say something; other keys of ``[tool.syda]``
belong to other parts of syda and are ignored here)::

    [tool.syda]
    seed = 0
    tables = { users = 100, orders = 300 }
    new_tables = 10

A revision declares its own counts, applied after that step (top-up, so running it twice adds
nothing); ``SEED_OPTIONS`` are passed to :func:`sqlalchemy_syda.seed`::

    SEED = {"plans": 3, "subscriptions": 200}
    SEED_OPTIONS = {"overrides": {"plans.name": ["Free", "Pro", "Team"]}, "cardinality": {...}}

Read back::

    >>> from alembic.config import Config
    >>> _ = (tmp / "alembic.ini").write_text("[alembic]\\nscript_location = migrations\\n\\n"
    ...                                      "[syda]\\nseed = 7\\ntables = users=100, orders=300\\nexclude = audit_log\\n")
    >>> SeedSettings.load(Config(str(tmp / "alembic.ini")))
    SeedSettings(seed=7, tables={'users': 100, 'orders': 300}, new_tables=10, association=2.0, backfill=True,
    exclude=frozenset({'audit_log'}), locale=None)
    >>> _ = (tmp / "alembic.ini").write_text("[syda]\\ntables = users=lots\\n")
    >>> SeedSettings.load(Config(str(tmp / "alembic.ini")))
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.SchemaError: [syda] in ...alembic.ini: bad value for 'tables': 'users=lots'
    (invalid literal for int() with base 10: 'lots').
    >>> import types
    >>> revision = types.ModuleType("rev_1a2b")
    >>> revision.SEED = {"plans": 3}
    >>> revision_declarations(revision)
    ({'plans': 3}, {})
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

__all__ = ["SeedSettings", "revision_declarations"]

_KEYS = ("seed", "tables", "new_tables", "association", "backfill", "exclude", "locale")


@dataclass(frozen=True)
class SeedSettings:
    """The hook's configuration (see the module docstring)."""

    seed: int = 0
    tables: Mapping[str, int] = field(default_factory=dict)
    new_tables: int = 10
    association: float = 2.0
    backfill: bool = True
    exclude: frozenset[str] = frozenset()
    locale: str | None = None

    @classmethod
    def load(cls, config: Any) -> SeedSettings:
        """From ``[tool.syda]`` of pyproject.toml, then ``[syda]`` of the alembic config file."""
        settings = cls()
        toml = _pyproject(config)
        if toml is not None:
            settings = settings.merged({k: v for k, v in toml.items() if k in _KEYS}, "pyproject.toml [tool.syda]")
        section = {}
        if config is not None and getattr(config, "file_config", None) is not None \
                and config.file_config.has_section("syda"):
            section = dict(config.file_config.items("syda", raw=True))
        if section:
            unknown = sorted(set(section) - set(_KEYS) - {"here"})
            if unknown:
                from sqlalchemy_syda.exceptions import SchemaError

                raise SchemaError(f"[syda] in {config.config_file_name}: unknown key(s) {', '.join(unknown)}; "
                                  f"the keys are {', '.join(_KEYS)}.")
            settings = settings.merged(section, f"[syda] in {config.config_file_name}")
        return settings

    def merged(self, values: Mapping[str, Any], where: str) -> SeedSettings:
        from sqlalchemy_syda.exceptions import SchemaError

        changes: dict[str, Any] = {}
        try:
            for key, value in values.items():
                if key == "tables":
                    changes[key] = _counts(value)
                elif key == "exclude":
                    changes[key] = frozenset(_words(value))
                elif key == "backfill":
                    changes[key] = _bool(value)
                elif key in ("seed", "new_tables"):
                    changes[key] = int(value)
                    if changes[key] < 0 and key == "new_tables":
                        raise ValueError("must not be negative")
                elif key == "association":
                    changes[key] = float(value)
                elif key == "locale":
                    changes[key] = str(value).strip() or None
        except (TypeError, ValueError) as exc:
            raise SchemaError(f"{where}: bad value for {key!r}: {value!r} ({exc}).") from None
        return replace(self, **changes)


def revision_declarations(module: Any) -> tuple[dict[str, int], dict[str, Any]]:
    """``SEED`` and ``SEED_OPTIONS`` of a revision module (empty when it declares none)."""
    from sqlalchemy_syda.exceptions import SchemaError

    counts = getattr(module, "SEED", None) or {}
    options = getattr(module, "SEED_OPTIONS", None) or {}
    name = getattr(module, "__name__", "the revision")
    if not isinstance(counts, Mapping) or not all(isinstance(k, str) and isinstance(v, int) and v >= 0
                                                  for k, v in counts.items()):
        raise SchemaError(f"SEED in {name} must map table names to row counts, e.g. {{'users': 100}}; "
                          f"got {counts!r}.")
    if not isinstance(options, Mapping):
        raise SchemaError(f"SEED_OPTIONS in {name} must be a dict of seed() options; got {options!r}.")
    return dict(counts), dict(options)


def _pyproject(config: Any) -> Mapping[str, Any] | None:
    candidates = []
    if config is not None and getattr(config, "toml_file_name", None):
        candidates.append(Path(config.toml_file_name))
    if config is not None and getattr(config, "config_file_name", None):
        candidates.append(Path(config.config_file_name).absolute().parent / "pyproject.toml")
    for path in candidates:
        if path.is_file():
            with path.open("rb") as f:
                section = tomllib.load(f).get("tool", {}).get("syda")
            return section if isinstance(section, Mapping) else None
    return None


def _counts(value: Any) -> dict[str, int]:
    if isinstance(value, Mapping):
        items = list(value.items())
    else:
        items = []
        for part in _words(value):
            if "=" not in part:
                raise ValueError(f"{part!r} is not table=n")
            name, n = part.split("=", 1)
            items.append((name.strip(), n.strip()))
    out = {}
    for name, n in items:
        count = int(n)
        if count < 0:
            raise ValueError(f"negative count for {name!r}")
        out[str(name)] = count
    return out


def _words(value: Any) -> list[str]:
    if isinstance(value, (list, tuple, set, frozenset)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [w.strip() for w in str(value).replace("\n", ",").split(",") if w.strip()]


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError("use true or false")
