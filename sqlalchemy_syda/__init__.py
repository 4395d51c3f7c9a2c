"""sqlalchemy-syda: realistic, valid synthetic data for SQLAlchemy models, written at bulk-load speed.

Re-exports only; the code lives in the modules named after each pipeline stage. The names are loaded on
first use (PEP 562), so ``import sqlalchemy_syda`` (and ``syda --help``) imports neither numpy, pandas nor
SQLAlchemy; ``from sqlalchemy_syda import seed`` imports what ``seed`` needs, then::

    >>> import sqlalchemy_syda
    >>> sqlalchemy_syda.SydaError.__name__, sqlalchemy_syda.seed.__module__
    ('SydaError', 'sqlalchemy_syda.seed')

A new public name goes into ``_LAZY`` (under its module) and ``__all__`` (sorted), and into the
``TYPE_CHECKING`` imports for type checkers; ``tests/test_public_api.py`` checks that the three agree.
The exceptions are imported at once (their module imports nothing).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from .exceptions import (
    ClusterError,
    ConstraintUnsatisfiableError,
    FileError,
    FileLimitError,
    IntrospectionError,
    LearnError,
    LLMConnectionError,
    LLMError,
    LLMOutputError,
    LockfileError,
    LockTimeoutError,
    MissingDependencyError,
    NonTransactionalTableError,
    OutputError,
    OverrideError,
    PlanError,
    ProfileFormatError,
    SchemaError,
    SydaError,
    SydaWarning,
    TemplateError,
    UnknownGeneratorError,
    UnresolvableCycleError,
    UnsafeFileError,
    UnstorableValueError,
    UnsupportedCheckError,
    UnsupportedTypeError,
    WriteError,
)
from .version import __version__ as __version__

if TYPE_CHECKING:
    from .cardinality import Cardinality, between, fixed, histogram, poisson, zipf
    from .files import FileContent, FileLimits, read_file, render_documents, synthesize_workbook
    from .generate import generate
    from .generators.base import Generator
    from .generators.registry import MEANINGS, generator_for, register_generator, register_type
    from .introspect import reflect_specs, table_spec, table_specs
    from .learn import Profile, Report, holdout_report, learn, quality_report
    from .llm import LLM, LLMConfig, RunReport
    from .options import SeedOptions
    from .orm import AsyncSeedSession, SeedSession, SeedSessionMixin, SydaMixin
    from .plan import SeedPlan
    from .planner import plan_seed
    from .recipe import TableRecipe
    from .schema_files import load_schema_file
    from .seed import SeedResult, seed
    from .semantics import explain
    from .specs import CheckSpec, ColumnSpec, ForeignKeySpec, TableSpec, UniqueSpec
    from .structured import SyntheticDataGenerator
    from .writers.files import write_frame, write_frames

_LAZY: dict[str, tuple[str, ...]] = {
    # module (relative to this package): the public names it defines
    ".cardinality": ("Cardinality", "between", "fixed", "histogram", "poisson", "zipf"),
    ".files": ("FileContent", "FileLimits", "read_file", "render_documents", "synthesize_workbook"),
    ".generate": ("generate",),
    ".generators.base": ("Generator",),
    ".generators.registry": ("MEANINGS", "generator_for", "register_generator", "register_type"),
    ".introspect": ("reflect_specs", "table_spec", "table_specs"),
    ".learn": ("Profile", "Report", "holdout_report", "learn", "quality_report"),
    ".llm": ("LLM", "LLMConfig", "RunReport"),
    ".options": ("SeedOptions",),
    ".orm": ("AsyncSeedSession", "SeedSession", "SeedSessionMixin", "SydaMixin"),
    ".plan": ("SeedPlan",),
    ".planner": ("plan_seed",),
    ".recipe": ("TableRecipe",),
    ".schema_files": ("load_schema_file",),
    ".seed": ("SeedResult", "seed"),
    ".semantics": ("explain",),
    ".specs": ("CheckSpec", "ColumnSpec", "ForeignKeySpec", "TableSpec", "UniqueSpec"),
    ".structured": ("SyntheticDataGenerator",),
    ".writers.files": ("write_frame", "write_frames"),
}
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}

__all__ = [
    "AsyncSeedSession",
    "Cardinality",
    "CheckSpec",
    "ClusterError",
    "ColumnSpec",
    "ConstraintUnsatisfiableError",
    "FileContent",
    "FileError",
    "FileLimitError",
    "FileLimits",
    "ForeignKeySpec",
    "Generator",
    "IntrospectionError",
    "LLM",
    "LLMConfig",
    "LLMConnectionError",
    "LLMError",
    "LLMOutputError",
    "LearnError",
    "LockTimeoutError",
    "LockfileError",
    "MEANINGS",
    "MissingDependencyError",
    "NonTransactionalTableError",
    "OutputError",
    "OverrideError",
    "PlanError",
    "Profile",
    "ProfileFormatError",
    "Report",
    "RunReport",
    "SchemaError",
    "SeedOptions",
    "SeedPlan",
    "SeedResult",
    "SeedSession",
    "SeedSessionMixin",
    "SydaError",
    "SydaMixin",
    "SydaWarning",
    "SyntheticDataGenerator",
    "TableRecipe",
    "TableSpec",
    "TemplateError",
    "UniqueSpec",
    "UnknownGeneratorError",
    "UnresolvableCycleError",
    "UnsafeFileError",
    "UnstorableValueError",
    "UnsupportedCheckError",
    "UnsupportedTypeError",
    "WriteError",
    "between",
    "explain",
    "fixed",
    "generate",
    "generator_for",
    "histogram",
    "holdout_report",
    "learn",
    "load_schema_file",
    "plan_seed",
    "poisson",
    "quality_report",
    "read_file",
    "reflect_specs",
    "register_generator",
    "register_type",
    "render_documents",
    "seed",
    "synthesize_workbook",
    "table_spec",
    "table_specs",
    "write_frame",
    "write_frames",
    "zipf",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use and keep the name (PEP 562)."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """Keeps a public function whose module has its name (``seed``, ``generate``, ``learn``): importing the
    submodule ``sqlalchemy_syda.seed`` sets the package's attribute ``seed``, which must stay the function."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and name in _MODULE_OF and value.__name__ == f"{__name__}.{name}":
            self.__dict__.pop(name, None)  # looked up through __getattr__ again: the function
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
