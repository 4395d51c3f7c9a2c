"""sqlalchemy-syda: realistic, valid synthetic data for SQLAlchemy models, written at bulk-load speed.

Re-exports only; the code lives in the modules named after each pipeline stage.
"""

from .cardinality import Cardinality, between, fixed, histogram, poisson, zipf
from .exceptions import (
    ConstraintUnsatisfiableError,
    FileError,
    FileLimitError,
    IntrospectionError,
    LearnError,
    LLMConnectionError,
    LLMError,
    LLMOutputError,
    LockfileError,
    MissingDependencyError,
    NonTransactionalTableError,
    OutputError,
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
from .version import __version__ as __version__
from .writers.files import write_frame, write_frames

__all__ = [
    "AsyncSeedSession",
    "Cardinality",
    "CheckSpec",
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
    "LockfileError",
    "MEANINGS",
    "MissingDependencyError",
    "NonTransactionalTableError",
    "OutputError",
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
