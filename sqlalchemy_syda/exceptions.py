"""The one exception tree of sqlalchemy-syda.

Every error the package raises on bad input or an impossible request is a
:class:`SydaError`, so ``except SydaError`` catches them all; a few also
subclass the builtin that fits (``TypeError``, ``ImportError``, ``ValueError``)
so existing handlers keep working::

    SydaError
    ├── SchemaError(SydaError, ValueError)        bad schema input: unknown type name, bad dict schema
    │   ├── IntrospectionError                     a model / table / database that cannot be read
    │   └── OverrideError                          an override that does not fit its column (arity, values, raised)
    ├── UnsupportedTypeError(SydaError, TypeError) no generator for a column type
    ├── UnknownGeneratorError(SydaError, KeyError) a generator name nobody registered
    ├── PlanError                                  counts, order or cardinality that cannot be planned
    │   ├── UnresolvableCycleError                 an FK cycle with no nullable or deferrable edge
    │   └── NonTransactionalTableError             tables that cannot roll back (MyISAM), not allowed
    ├── ConstraintUnsatisfiableError               UNIQUE / CHECK / length rules that n rows cannot meet
    ├── UnsupportedCheckError                      a CHECK or predicate that cannot be parsed or evaluated
    ├── WriteError                                 the database refused a batch (table, constraint, sample row)
    │   ├── UnstorableValueError                   a supplied value no column of its type stores (table, column, row)
    │   └── LockTimeoutError                       a table another session holds, past lock_timeout (table, session)
    ├── ClusterError                               a partition failed or a worker died on a Dask cluster
    ├── OutputError(SydaError, ValueError)         a bad output path or format
    ├── FileError(SydaError, ValueError)           an uploaded / given file that cannot be read: type, corrupt
    │   ├── FileLimitError                         over a cap: size, pages, sheets, cells, pixels, zip entries
    │   └── UnsafeFileError                        refused content: XML DTDs / external entities, zip bombs
    ├── TemplateError(SydaError, ValueError)       a document template that cannot be rendered
    ├── MissingDependencyError(SydaError, ImportError)  an optional extra is not installed
    ├── LearnError(SydaError, ValueError)          data that cannot be learned from (empty, unknown source)
    │   └── ProfileFormatError                     a profile file that cannot be read (broken, newer format)
    └── LLMError                                   the optional LLM could not deliver
        ├── LLMConnectionError                     unreachable server, refused request, retries used up
        ├── LLMOutputError                         output that stays unusable after every retry
        └── LockfileError                          a broken syda.lock.json, or an offline run it cannot answer

One warning class stands beside the tree: ``SydaWarning(UserWarning)``, for what a seed does on its own
and the user may want to change (a nullable column of an unknown type left NULL).

Messages name the object, show the offending value and say what to do, e.g.::

    >>> raise ConstraintUnsatisfiableError(
    ...     "UNIQUE on 'users.role' cannot hold 10 rows: the column has only 3 possible values "
    ...     "('admin', 'staff', 'guest'). Lower the row count or drop the unique constraint.")
    Traceback (most recent call last):
    ...
    sqlalchemy_syda.exceptions.ConstraintUnsatisfiableError: UNIQUE on 'users.role' cannot hold 10 rows: ...
"""

from __future__ import annotations

__all__ = [
    "ClusterError",
    "ConstraintUnsatisfiableError",
    "FileError",
    "FileLimitError",
    "IntrospectionError",
    "LLMConnectionError",
    "LLMError",
    "LLMOutputError",
    "LearnError",
    "LockTimeoutError",
    "LockfileError",
    "MissingDependencyError",
    "NonTransactionalTableError",
    "OutputError",
    "OverrideError",
    "PlanError",
    "ProfileFormatError",
    "SchemaError",
    "SydaError",
    "SydaWarning",
    "TemplateError",
    "UnknownGeneratorError",
    "UnresolvableCycleError",
    "UnsafeFileError",
    "UnstorableValueError",
    "UnsupportedCheckError",
    "UnsupportedTypeError",
    "WriteError",
]


class SydaError(Exception):
    """Base class of every error raised by sqlalchemy-syda."""


class SydaWarning(UserWarning):
    """Something a seed decided on its own that the user may want to change (the message says how)."""


class SchemaError(SydaError, ValueError):
    """The schema given (dict schema, model, table list) is malformed."""


class IntrospectionError(SchemaError):
    """A model, table or database could not be read into specs."""


class OverrideError(SchemaError):
    """An override that does not fit its column: a callable with the wrong parameters, that returns the wrong
    number of values (or None, or a scalar) or raises, or a value the column's type cannot hold (text for a
    number, ``object()``); the message names the table, the column and, for a value, its row."""


class UnsupportedTypeError(SydaError, TypeError):
    """No generator is known for a column's SQL type."""


class UnknownGeneratorError(SydaError, KeyError):
    """A generator name was asked for that is not registered."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0]) if self.args else ""


class PlanError(SydaError):
    """Counts, table order or cardinality cannot be planned."""


class UnresolvableCycleError(PlanError):
    """A foreign-key cycle has no nullable or deferrable edge to break it at."""


class NonTransactionalTableError(PlanError):
    """Tables whose storage engine has no transactions (MyISAM, MEMORY, ...): a failed seed could not undo its
    rows there, so it refuses unless allowed."""


class ConstraintUnsatisfiableError(SydaError):
    """A UNIQUE, CHECK, length or nullability rule cannot be met by the requested rows."""


class UnsupportedCheckError(SydaError):
    """A CHECK or partial-index predicate that cannot be parsed, or holds a construct the evaluator
    does not know; the caller generates without it and says so."""


class WriteError(SydaError):
    """The database refused rows; the message names table, constraint and a sample row."""


class LockTimeoutError(WriteError):
    """A lock another session holds kept the seed waiting past ``lock_timeout``; names the table and the session."""


class UnstorableValueError(WriteError):
    """A value from an override or custom generator that the column cannot store (a lone surrogate, bytes
    that are not UTF-8 for text, NUL in PostgreSQL text); the message names table, column and row."""


class ClusterError(SydaError):
    """A seed or generate on a Dask cluster failed: a partition raised, a worker died, the cluster is gone.
    The message names the table, the partition and its rows; nothing was published."""


class OutputError(SydaError, ValueError):
    """An output path or format that cannot be written."""


class FileError(SydaError, ValueError):
    """A file that cannot be read: unknown or unsupported type, corrupt, encrypted."""


class FileLimitError(FileError):
    """A file over one of the reading caps (size, pages, sheets, cells, pixels, zip entries or size)."""


class UnsafeFileError(FileError):
    """A file refused for what it contains: an XML DTD or external entity, a compression bomb."""


class TemplateError(SydaError, ValueError):
    """A document template that cannot be rendered (syntax, an undefined name, an unknown kind)."""


class MissingDependencyError(SydaError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""


class LearnError(SydaError, ValueError):
    """A source that cannot be learned from: empty data, an unknown source type, a bad option."""


class ProfileFormatError(LearnError):
    """A profile file that cannot be read: not a profile, damaged, or written by a newer format version."""


class LLMError(SydaError):
    """The optional LLM could not deliver values (the built-in generators never need it)."""


class LLMConnectionError(LLMError):
    """The LLM server could not be reached or refused the request, after the allowed retries."""


class LLMOutputError(LLMError):
    """The LLM answered, but with output that could not be used even after regenerating it."""


class LockfileError(LLMError):
    """``syda.lock.json`` is unreadable, or an offline run needs an answer it does not hold."""
