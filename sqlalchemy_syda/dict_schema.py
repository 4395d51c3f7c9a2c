"""The seed document's dict schemas, read into the same specs as models give.

A dict schema maps column names to a type name, or to a dict of options around
one. A type name is either a base type (``number``, ``text``, ``date``, ...) or a
*meaning* that :mod:`sqlalchemy_syda.semantics` knows (``email``, ``phone``,
``icd10_code``, ``address``, ...); the name is kept as the column's ``hint``::

    >>> spec = dict_table_spec({
    ...     "patient_id": "number",
    ...     "diagnosis_code": "icd10_code",
    ...     "email": {"type": "email", "unique": True, "nullable": False},
    ...     "visit_date": "date",
    ...     "severity": {"type": "number", "min": 1, "max": 5},
    ...     "notes": "text",
    ... }, name="visits")
    >>> spec.column("email").unique, spec.column("severity").hint
    (True, {'type': 'number', 'min': 1, 'max': 5})

Several tables, with references between them::

    >>> specs = dict_schema_specs({
    ...     "patients": {"id": "number", "name": "full_name"},
    ...     "visits": {"id": "number", "patient_id": {"type": "foreign_key", "references": "patients.id"}},
    ... })

A column named ``id`` (or any column with ``"primary_key": True``) is the primary
key; a ``<something>_id`` column is not, and is a foreign key only with ``references``.
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any

from .exceptions import SchemaError
from .specs import ColumnSpec, ForeignKeySpec, TableSpec, UniqueSpec

__all__ = ["BASE_TYPES", "OPTIONS", "dict_schema_specs", "dict_table_spec"]

BASE_TYPES: dict[str, str] = {
    "number": "integer",
    "integer": "integer",
    "int": "integer",
    "float": "float",
    "decimal": "decimal",
    "numeric": "decimal",
    "text": "text",
    "string": "string",
    "str": "string",
    "boolean": "boolean",
    "bool": "boolean",
    "date": "date",
    "datetime": "datetime",
    "timestamp": "datetime",
    "time": "time",
    "uuid": "uuid",
    "json": "json",
    "foreign_key": "integer",
}
"""Type names that are SQL type families, and their kind; every other name is a meaning."""

OPTIONS = (
    "type",
    "min",
    "max",
    "values",
    "length",
    "nullable",
    "unique",
    "primary_key",
    "references",
    "comment",
    "relation",
)
"""Keys a column's option dict may hold (``relation``: a rule across tables, see :mod:`.relations`)."""

_HINT_OPTIONS = ("min", "max", "values", "relation")  # travel to the generators (and the relations) in the hint
_EXAMPLE = "{'id': 'number', 'email': 'email', 'score': {'type': 'number', 'min': 0, 'max': 100}}"


def dict_table_spec(schema: dict[str, Any], *, name: str = "records", doc: str | None = None) -> TableSpec:
    """Read one dict schema into a :class:`~sqlalchemy_syda.specs.TableSpec`.

    :param schema: column name -> type name, or -> a dict of options with a
        ``type`` key (see :data:`OPTIONS`): ``min``/``max``/``values`` bound the
        generated values, ``length`` caps strings, ``nullable`` (default True, False
        for the primary key), ``unique``, ``primary_key``, ``references``
        (``"table.column"``) and ``comment``.
    :param name: the table name.
    :param doc: the table's description, as a model docstring would give it.
    :raises SchemaError: for a malformed schema, an unknown option or type name.
    """
    if not isinstance(name, str) or not name:
        raise SchemaError(f"A dict schema's table name must be a non-empty string; got {name!r}.")
    if not isinstance(schema, dict):
        raise SchemaError(
            f"The schema of table {name!r} must be a dict mapping column names to type names, "
            f"e.g. {_EXAMPLE}; got {_describe(schema)}."
        )
    if not schema:
        raise SchemaError(f"The schema of table {name!r} has no columns; add at least one, e.g. {_EXAMPLE}.")
    options = {col: _options(name, col, value) for col, value in schema.items()}
    explicit_pk = [col for col, opts in options.items() if opts.get("primary_key")]
    if explicit_pk:
        pk = tuple(explicit_pk)
    elif "id" in options and options["id"].get("primary_key", True):
        pk = ("id",)
    else:
        pk = ()
    columns = tuple(
        _column(name, col, opts, in_pk=col in pk, single_pk=len(pk) == 1) for col, opts in options.items()
    )
    return TableSpec(
        name=name,
        columns=columns,
        doc=doc,
        primary_key=pk,
        foreign_keys=tuple(
            ForeignKeySpec(
                columns=(c.name,),
                ref_table=c.references[0],
                ref_columns=(c.references[1],),
                nullable=c.nullable,
            )
            for c in columns
            if c.references
        ),
        uniques=tuple(
            UniqueSpec(columns=(c.name,), origin="column") for c in columns if c.unique and not c.primary_key
        ),
    )


def dict_schema_specs(schemas: dict[str, dict[str, Any]]) -> list[TableSpec]:
    """Read several named dict schemas, checking that every ``references`` target exists.

    A ``foreign_key`` column takes the kind of the column it references (an
    integer ``id``, a ``uuid``, ...).

    :param schemas: table name -> dict schema, e.g. ``{"patients": {...}, "visits": {...}}``.
    :raises SchemaError: for a malformed schema or a reference to a missing table or column.
    """
    if not isinstance(schemas, dict) or not schemas:
        raise SchemaError(
            "dict_schema_specs() needs a non-empty dict mapping table names to dict schemas, "
            f"e.g. {{'patients': {{'id': 'number'}}, 'visits': {{'id': 'number'}}}}; got {_describe(schemas)}."
        )
    specs = {name: dict_table_spec(schema, name=name) for name, schema in schemas.items()}
    resolved = []
    for spec in specs.values():
        columns = tuple(_resolve_reference(spec, col, specs) for col in spec.columns)
        resolved.append(dataclasses.replace(spec, columns=columns))
    return resolved


# ------------------------------------------------------------------------ helpers


def _describe(value: Any) -> str:
    text = repr(value)
    return f"<{type(value).__name__} {text[:60] + '...' if len(text) > 60 else text}>"


def _options(table: str, col: Any, value: Any) -> dict[str, Any]:
    where = f"Column {col!r} of table {table!r}"
    if not isinstance(col, str) or not col:
        raise SchemaError(f"{where}: column names must be non-empty strings.")
    if isinstance(value, str):
        return {"type": value}
    if not isinstance(value, dict):
        raise SchemaError(
            f"{where}: expected a type name like 'email' or an option dict like "
            f"{{'type': 'number', 'min': 0}}; got {_describe(value)}."
        )
    unknown = [k for k in value if k not in OPTIONS]
    if unknown:
        raise SchemaError(f"{where}: unknown option {unknown[0]!r}; allowed options: {', '.join(OPTIONS)}.")
    if not isinstance(value.get("type"), str):
        raise SchemaError(
            f"{where}: the option dict needs a 'type' key with a type name, e.g. {{'type': 'number'}}."
        )
    _check_options(where, value)
    return value


def _check_options(where: str, opts: dict[str, Any]) -> None:
    for flag in ("nullable", "unique", "primary_key"):
        if flag in opts and not isinstance(opts[flag], bool):
            raise SchemaError(f"{where}: {flag!r} must be True or False; got {opts[flag]!r}.")
    length = opts.get("length")
    if length is not None and (isinstance(length, bool) or not isinstance(length, int) or length <= 0):
        raise SchemaError(f"{where}: 'length' must be a positive integer; got {length!r}.")
    values = opts.get("values")
    if values is not None and (not isinstance(values, (list, tuple)) or not values):
        raise SchemaError(f"{where}: 'values' must be a non-empty list of allowed values; got {values!r}.")
    low, high = opts.get("min"), opts.get("max")
    try:
        inverted = low is not None and high is not None and low > high
    except TypeError:
        raise SchemaError(f"{where}: 'min' {low!r} and 'max' {high!r} cannot be compared.") from None
    if inverted:
        raise SchemaError(f"{where}: 'min' {low!r} is greater than 'max' {high!r}; swap them.")
    ref = opts.get("references")
    if ref is not None and (not isinstance(ref, str) or not _split_reference(ref)):
        raise SchemaError(
            f"{where}: 'references' must name a column as 'table.column', e.g. 'patients.id'; got {ref!r}."
        )
    if opts.get("primary_key") and opts.get("nullable"):
        raise SchemaError(f"{where}: a primary key column cannot be nullable.")


def _split_reference(ref: str) -> tuple[str, str] | None:
    table, _, column = ref.rpartition(".")
    return (table, column) if table and column else None


def _column(table: str, col: str, opts: dict[str, Any], *, in_pk: bool, single_pk: bool) -> ColumnSpec:
    type_name = opts["type"].strip().lower()
    kind = _kind(type_name, col, table)
    rich = {k: opts[k] for k in _HINT_OPTIONS if k in opts}
    return ColumnSpec(
        name=col,
        kind=kind,
        key=col,
        type_repr=type_name,
        length=opts.get("length"),
        nullable=False if in_pk else opts.get("nullable", True),
        primary_key=in_pk,
        autoincrement=in_pk and single_pk and kind == "integer",
        unique=bool(opts.get("unique")),
        comment=opts.get("comment"),
        hint={"type": type_name, **rich} if rich else type_name,
        references=_split_reference(opts["references"]) if "references" in opts else None,
    )


def _kind(type_name: str, col: str, table: str) -> str:
    if type_name in BASE_TYPES:
        return BASE_TYPES[type_name]
    try:
        from .semantics import MEANINGS
    except ImportError:
        meanings: dict[str, Any] = {}
    else:
        meanings = MEANINGS
    meaning = meanings.get(type_name)
    if meaning is not None:
        return meaning.kind
    close = difflib.get_close_matches(type_name, list(dict.fromkeys([*BASE_TYPES, *meanings])), n=3)
    some_meanings = sorted(meanings)[:12]
    known = ", ".join(BASE_TYPES)
    if meanings:
        known += f"; meanings such as {', '.join(some_meanings)}" + (" ..." if len(meanings) > 12 else "")
    raise SchemaError(
        f"Unknown type name {type_name!r} for column {col!r} of table {table!r}. Known names: {known}; "
        f"close matches: {', '.join(close) if close else 'none'}."
    )


def _resolve_reference(spec: TableSpec, col: ColumnSpec, specs: dict[str, TableSpec]) -> ColumnSpec:
    if col.references is None:
        return col
    ref_table, ref_column = col.references
    where = f"Column {spec.name}.{col.name} references {ref_table}.{ref_column!s}"
    target = specs.get(ref_table)
    if target is None:
        close = difflib.get_close_matches(ref_table, list(specs), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise SchemaError(f"{where}, but there is no table {ref_table!r}{hint}; tables: {', '.join(specs)}.")
    if not target.has_column(ref_column):
        raise SchemaError(
            f"{where}, but table {ref_table!r} has no column {ref_column!r}; "
            f"its columns: {', '.join(target.column_names)}."
        )
    if col.type_repr == "foreign_key":
        return dataclasses.replace(col, kind=target.column(ref_column).kind)
    return col
