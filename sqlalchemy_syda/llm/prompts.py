"""Prompts built from the schema's own words, in the seed document's format.

The model docstring, then one line per field with its type name, flags (``primary_key``, ``unique``,
``not_null``), length or allowed values and comment, then the user's prompt::

    >>> from sqlalchemy_syda.introspect import table_spec
    >>> print(build_prompt(table_spec(Contact), 10, "Contacts at B2B software customers.",
    ...                    omit=("id", "customer_id")))
    Model Description: Individual person associated with a customer organization.
    Contacts are the individuals we communicate with at the customer.
    <BLANKLINE>
    Generate 10 records JSON objects with these fields:
    - id: number (primary_key)
    - customer_id: foreign_key (not_null) - Customer this contact belongs to
    - first_name: text (not_null, max_length=50) - Contact's first name
    - last_name: text (not_null, max_length=50) - Contact's last name
    - email: text (unique, not_null, max_length=100) - Contact's email address
    - phone: text (max_length=20) - Contact's phone number
    - position: text (max_length=100) - Job title or position
    - is_primary: boolean - Whether this is the primary contact
    <BLANKLINE>
    Contacts at B2B software customers.
    <BLANKLINE>
    Leave out id, customer_id: they are filled in separately.

Only metadata goes into a prompt; sample rows are added only when given explicitly (and the
configuration allows sharing them). ``syda prompt`` prints these prompts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..specs import ColumnSpec, TableSpec

__all__ = ["build_prompt", "field_line", "type_name"]

_KIND_NAMES = {"integer": "number", "float": "number", "decimal": "number", "string": "text", "text": "text",
               "enum": "text", "boolean": "boolean", "date": "date", "datetime": "datetime", "time": "time",
               "uuid": "uuid", "json": "json", "interval": "duration", "binary": "binary", "array": "list"}


def type_name(spec: TableSpec, col: ColumnSpec) -> str:
    """The seed document's type name of a column: the dict schema's own, ``foreign_key``, or by kind."""
    hint = col.hint.get("type") if isinstance(col.hint, Mapping) else col.hint
    if isinstance(hint, str) and col.type_repr == hint:  # a dict schema column keeps its type name
        return hint
    if any(col.name in fk.columns for fk in spec.foreign_keys):
        return "foreign_key"
    return _KIND_NAMES.get(col.kind, col.kind)


def field_line(spec: TableSpec, col: ColumnSpec) -> str:
    """``- name: type (flags) - comment``."""
    flags = []
    if col.primary_key:
        flags.append("primary_key")
    elif col.unique:
        flags.append("unique")
    if not col.nullable and not col.primary_key:
        flags.append("not_null")
    if col.length and col.kind in ("string", "text", "enum"):
        flags.append(f"max_length={col.length}")
    values = col.enum_values or (col.hint.get("values") if isinstance(col.hint, Mapping) else None)
    if values:
        flags.append("one of: " + " | ".join(map(str, values)))
    if isinstance(col.hint, Mapping):
        flags += [f"{k}={col.hint[k]}" for k in ("min", "max") if k in col.hint]
    line = f"- {col.name}: {type_name(spec, col)}"
    if flags:
        line += f" ({', '.join(flags)})"
    if col.description:
        line += f" - {' '.join(col.description.split())}"
    return line


def build_prompt(spec: TableSpec, n: int, user_prompt: str | None = None, *,
                 columns: Iterable[str] | None = None, omit: Sequence[str] = (), distinct: bool = False,
                 samples: Sequence[Mapping[str, Any]] | None = None) -> str:
    """The prompt asking for ``n`` records of ``spec``.

    :param columns: the fields to list (default: every column, in table order).
    :param omit: listed fields the LLM must leave out (keys and foreign keys the engine fills).
    :param distinct: ask for records that all differ (pools).
    :param samples: example records to show; only pass them when sharing data is allowed.
    """
    wanted = None if columns is None else set(columns)
    parts = []
    if spec.description:
        parts.append(f"Model Description: {spec.description.strip()}")
    lines = [field_line(spec, c) for c in spec.columns if wanted is None or c.name in wanted]
    parts.append(f"Generate {n} records JSON objects with these fields:\n" + "\n".join(lines))
    if user_prompt and user_prompt.strip():
        parts.append(" ".join(user_prompt.split()))
    if distinct:
        parts.append("Every record must be different from the others: vary every field.")
    if samples:
        rows = "\n".join(json.dumps(dict(r), default=str, ensure_ascii=False) for r in samples)
        parts.append(f"Example records:\n{rows}")
    if omit:
        parts.append(f"Leave out {', '.join(omit)}: they are filled in separately.")
    return "\n\n".join(parts)
