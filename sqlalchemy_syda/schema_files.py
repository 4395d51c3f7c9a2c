"""Dict schemas from YAML or JSON files, for ``syda generate schema.yaml -o out/`` and the API.

A file holds one table (its columns at the top level; the table is named after the file), several
tables (table name -> columns), or both with extras under ``tables:``::

    >>> _ = (tmp / "shop.yaml").write_text('''
    ... tables:
    ...   customers:
    ...     id: number
    ...     name: company_name
    ...     email: {type: email, unique: true}
    ...   orders:
    ...     id: number
    ...     customer_id: {type: foreign_key, references: customers.id}
    ...     total: {type: price, min: 5, max: 500}
    ... counts: {customers: 100, orders: 300}          # optional: rows per table
    ... prompts: {customers: "B2B software buyers"}      # optional: the LLM's prompt per table
    ... descriptions: {orders: "Orders placed online"}   # optional: what a model docstring would say
    ... ''')
    >>> schema = load_schema_file(tmp / "shop.yaml")
    >>> [s.name for s in schema.specs], schema.counts, schema.prompts
    (['customers', 'orders'], {'customers': 100, 'orders': 300}, {'customers': 'B2B software buyers'})
    >>> schema.specs[1].foreign_keys[0].ref_table, schema.specs[1].doc
    ('customers', 'Orders placed online')

A one-table file may name and describe itself with ``__table_name__`` and ``__description__``.
Column types and options are those of :mod:`.dict_schema`::

    >>> one = parse_schema_text("__table_name__: people\\nid: number\\nname: full_name\\n")
    >>> [(s.name, s.column_names) for s in one.specs]
    [('people', ('id', 'name'))]
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dict_schema import dict_schema_specs, dict_table_spec
from .exceptions import MissingDependencyError, SchemaError
from .specs import TableSpec

__all__ = ["SchemaFile", "load_schema_file", "parse_schema", "parse_schema_text"]

_EXTRAS = ("counts", "prompts", "descriptions")


@dataclass
class SchemaFile:
    """The tables of a schema file, with the optional row counts, prompts and descriptions."""

    specs: list[TableSpec]
    counts: dict[str, int] = field(default_factory=dict)
    prompts: dict[str, str] = field(default_factory=dict)


def load_schema_file(path: str | Path) -> SchemaFile:
    """Read a ``.yaml`` / ``.yml`` / ``.json`` schema file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise SchemaError(f"Schema file {str(path)!r}: use a .yaml, .yml or .json file.")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaError(f"Cannot read the schema file {str(path)!r}: {exc.strerror or exc}.") from None
    data = _parse_text(text, "json" if suffix == ".json" else "yaml", f"Schema file {str(path)!r}")
    return parse_schema(data, default_name=path.stem)


def parse_schema_text(text: str, *, fmt: str = "auto", default_name: str = "records") -> SchemaFile:
    """A schema sent as text: YAML, JSON or SQL DDL (``CREATE TABLE ...``); ``fmt="auto"`` tells them apart.

    DDL goes through :func:`~.ddl_schema.ddl_specs` (types, keys, UNIQUE, CHECK and foreign keys kept).
    """
    if not isinstance(text, str) or not text.strip():
        raise SchemaError("The schema text is empty; send YAML, JSON or CREATE TABLE statements.")
    if fmt not in ("auto", "yaml", "json", "sql"):
        raise SchemaError(f"Unknown schema format {fmt!r}; choose auto, yaml, json or sql.")
    if fmt == "auto":
        head = text.lstrip()
        fmt = "json" if head[:1] in "{[" else "sql" if re.match(r"(?is)(--[^\n]*\n\s*)*create\b", head) else "yaml"
    if fmt == "sql":
        from .ddl_schema import ddl_specs

        return SchemaFile(ddl_specs(text))
    return parse_schema(_parse_text(text, fmt, "The schema text"), default_name=default_name)


def _parse_text(text: str, fmt: str, where: str) -> Any:
    if fmt == "json":
        try:
            return json.loads(text)
        except ValueError as exc:
            raise SchemaError(f"{where} is not valid JSON: {exc}.") from None
    try:
        import yaml
    except ImportError as exc:
        raise MissingDependencyError("YAML schema files need PyYAML: pip install 'sqlalchemy-syda[llm]' "
                                     "(or pip install pyyaml)") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SchemaError(f"{where} is not valid YAML: {exc}.") from None


def parse_schema(data: Any, *, default_name: str = "records") -> SchemaFile:
    """A schema file's content (already parsed) -> specs, counts and prompts."""
    if not isinstance(data, Mapping) or not data:
        raise SchemaError("A schema file must hold a mapping: column -> type for one table, or table -> columns "
                          "(optionally under 'tables:').")
    data = dict(data)
    extras = {k: data.pop(k) for k in _EXTRAS if k in data and "tables" in data}
    if "tables" in data:
        tables = data.pop("tables")
        if data:
            raise SchemaError(f"Unknown top-level key(s) in the schema file: {', '.join(map(str, data))}; "
                              f"allowed next to 'tables': {', '.join(_EXTRAS)}.")
    else:
        tables = data
    if not isinstance(tables, Mapping) or not tables:
        raise SchemaError("'tables' must map table names to their columns.")
    if _is_one_table(tables):
        one = dict(tables)
        name = str(one.pop("__table_name__", default_name))
        doc = one.pop("__description__", None)
        specs = [dict_table_spec(one, name=name, doc=doc)]
    else:
        specs = dict_schema_specs({str(k): v for k, v in tables.items()})
    descriptions = _names_to(extras.get("descriptions"), "descriptions", str)
    specs = [dataclasses.replace(s, doc=descriptions[s.name]) if s.name in descriptions else s for s in specs]
    known = {s.name for s in specs}
    counts = _names_to(extras.get("counts"), "counts", int)
    prompts = _names_to(extras.get("prompts"), "prompts", str)
    for what, mapping in (("counts", counts), ("prompts", prompts), ("descriptions", descriptions)):
        unknown = set(mapping) - known
        if unknown:
            raise SchemaError(f"'{what}' names unknown table(s) {', '.join(sorted(unknown))}; tables: "
                              f"{', '.join(sorted(known))}.")
    if any(isinstance(v, bool) or v < 0 for v in counts.values()):
        raise SchemaError(f"'counts' must be non-negative integers; got {counts}.")
    return SchemaFile(specs, counts, prompts)


def _is_one_table(tables: Mapping[str, Any]) -> bool:
    """Columns at the top level (type names or option dicts with 'type'), not tables of columns."""
    return all(isinstance(v, str) or (isinstance(v, Mapping) and "type" in v) or str(k).startswith("__")
               for k, v in tables.items())


def _names_to(value: Any, what: str, kind: type) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(v, kind) for v in value.values()):
        raise SchemaError(f"'{what}' must map table names to {kind.__name__} values; got {value!r}.")
    return {str(k): v for k, v in value.items()}
