"""``SeedOptions``: every option of every entry point, validated once, frozen.

``seed()``, ``generate()``, ``Model.synthesize()``, ``session.seed()``, the CLI, the factories and the
Alembic operations all turn their keyword arguments into one of these at the door; everything below
them reads it instead of passing a dozen parameters on::

    >>> options = SeedOptions.build(seed=42, chunk_size=5_000)
    >>> options.seed, options.existing
    (42, 'append')
    >>> SeedOptions.build(existing="keep")
    Traceback (most recent call last):
    ...
    sqlalchemy_syda.exceptions.SchemaError: existing='keep'; choose one of append, reuse, top-up.

Bad values get a :class:`~.exceptions.SydaError` naming the option and what it accepts.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import PurePath
from typing import Any

from .exceptions import LearnError, PlanError, SchemaError
from .plan_size import MAX_ROWS

__all__ = ["EXISTING_MODES", "FK_CHECK_MODES", "SeedOptions"]

EXISTING_MODES = ("append", "reuse", "top-up")
FK_CHECK_MODES = ("auto", "row", "bulk")


@dataclass(frozen=True)
class SeedOptions:
    """The options of a run (see :func:`~sqlalchemy_syda.seed` for what each one does)."""

    rows: int | None = None
    seed: int | None = 0
    overrides: Mapping[Any, Any] | None = None
    cardinality: Mapping[Any, Any] | None = None
    existing: str = "append"
    dry_run: bool = False
    chunk_size: int = 20_000
    locale: str | None = None
    alter_constraints: bool = False
    workers: int = 1
    writer: Any = None
    add_parents: bool = True
    progress: Callable[[str, int, int], None] | None = None
    return_keys: bool = False
    llm: Any = None
    fk_checks: str = "auto"
    profile: Any = None
    """A learned :class:`~.learn.Profile` (the entry points load a file given to them first): its columns and fan-outs enter as overrides and
    cardinality (the caller's win), its sizes times ``scale`` as the default counts."""
    scale: float = 1.0
    allow_non_transactional: bool = False
    """MariaDB / MySQL: write into tables without transactions (MyISAM) too; refused otherwise."""
    max_rows: int | None = MAX_ROWS
    """Rows per table a run accepts (:data:`.plan_size.MAX_ROWS`); raise it, or None, to confirm a bigger run."""
    relations: Any = None
    """Rules across tables (:mod:`.relations`): None/True infers them, False turns the inferred ones off, a
    mapping ``{"table.column": None | declaration}`` turns one off or declares one."""
    lock_timeout: float | None = 30.0
    """Seconds a seed waits for a lock another session holds (``None``: as long as the database lets it)."""

    @classmethod
    def build(cls, **options: Any) -> SeedOptions:
        """Options from keyword arguments; unknown names and bad values raise a SydaError."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise SchemaError(f"Unknown option{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
                              f"the options are: {', '.join(sorted(known))}.")
        return cls(**options)

    def with_(self, **changes: Any) -> SeedOptions:
        """A copy with ``changes`` (validated again)."""
        return replace(self, **changes)

    def __post_init__(self) -> None:
        _count("rows", self.rows, allow_none=True)
        _count("max_rows", self.max_rows, allow_none=True)
        for name in ("rows", "max_rows"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, int(getattr(self, name)))  # numpy integers too
        for flag in ("dry_run", "alter_constraints", "add_parents", "return_keys", "allow_non_transactional"):
            if not isinstance(getattr(self, flag), bool):
                raise PlanError(f"{flag} must be True or False; got {getattr(self, flag)!r}.")
        if self.seed is not None:
            if not isinstance(self.seed, numbers.Integral) or isinstance(self.seed, bool):
                raise PlanError(f"seed must be an integer (or None); got {self.seed!r}.")
            object.__setattr__(self, "seed", int(self.seed))  # numpy integers too
        if self.existing not in EXISTING_MODES:
            raise SchemaError(f"existing={self.existing!r}; choose one of {', '.join(EXISTING_MODES)}.")
        if self.fk_checks not in FK_CHECK_MODES:
            raise PlanError(f"fk_checks={self.fk_checks!r}; choose one of {', '.join(FK_CHECK_MODES)}.")
        if not isinstance(self.chunk_size, int) or isinstance(self.chunk_size, bool) or self.chunk_size < 1:
            raise PlanError(f"chunk_size must be a positive integer; got {self.chunk_size!r}.")
        if not isinstance(self.workers, int) or isinstance(self.workers, bool) or self.workers < 1:
            raise PlanError(f"workers must be a positive integer; got {self.workers!r}.")
        for name in ("overrides", "cardinality"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Mapping):
                raise SchemaError(f"{name} must be a mapping such as {{Model.column: value}}; got {value!r}.")
        if not (self.relations is None or isinstance(self.relations, (bool, Mapping))):
            raise SchemaError(f"relations must be True, False or a mapping such as {{'orders.order_date': None}}; "
                              f"got {self.relations!r}.")
        if self.progress is not None and not callable(self.progress):
            raise PlanError(f"progress must be a callable progress(table, done, total); got {self.progress!r}.")
        if isinstance(self.scale, bool) or not isinstance(self.scale, (int, float)) or not self.scale > 0:
            raise PlanError(f"scale must be a positive number (learned row counts times scale); got {self.scale!r}.")
        if self.profile is not None and not _is_profile(self.profile):
            got = type(self.profile).__name__
            if isinstance(self.profile, (str, PurePath)):
                raise LearnError(f"SeedOptions(profile=...) takes a loaded Profile; got a {got} path: load it with "
                                 "Profile.load(path) first (seed(), generate() and synthesize() take the path).")
            raise LearnError(f"profile= takes a Profile (from learn()) or the path of a saved one; got {got}.")
        if self.lock_timeout is not None and (isinstance(self.lock_timeout, bool) or not isinstance(
                self.lock_timeout, (int, float)) or not 0 < self.lock_timeout < 86_400):
            raise PlanError(f"lock_timeout must be a number of seconds above 0 and below 86400 (or None to wait as "
                            f"long as the database lets it); got {self.lock_timeout!r}.")
        if self.locale is not None and not isinstance(self.locale, str):
            raise SchemaError(f"locale must be a locale name such as 'en_US'; got {self.locale!r}.")

    @property
    def locale_name(self) -> str:
        from .generators.pools import DEFAULT_LOCALE

        return self.locale or DEFAULT_LOCALE


def _is_profile(value: Any) -> bool:
    """A learned profile, told by what the run reads of it (the learn package stays out of this module)."""
    return hasattr(value, "tables") and hasattr(value, "relationships") and hasattr(value, "digest")


def _count(name: str, value: Any, *, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 0:
        raise PlanError(f"{name} must be a non-negative integer; got {value!r}.")
