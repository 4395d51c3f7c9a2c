"""What the data routes compute, shared by the inline answer and the job: plain functions over the library.

``examples_frame`` is the seed document's ``POST /generate`` (new values like a few examples);
``test_data_frames`` its ``POST /generate/test-data`` (rows from a dict schema, a YAML/JSON schema
file's text or SQL DDL, optionally with edge cases). Both take the request's parameters as a
dict (what a job stores) and return DataFrames::

    >>> frames, counts = test_data_frames({"schema": {"id": "number", "email": "email"}, "sample_size": 5})
    >>> counts
    {'records': 5}
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from sqlalchemy_syda import generate
from sqlalchemy_syda.exceptions import SchemaError
from sqlalchemy_syda.from_examples import ExampleSchema, generate_like, infer_examples
from sqlalchemy_syda.schema_files import parse_schema, parse_schema_text

__all__ = ["examples_frame", "test_data_frames", "test_data_plan"]


def examples_frame(params: dict[str, Any]) -> tuple[pd.DataFrame, ExampleSchema]:
    schema = infer_examples(params["data"])
    return generate_like(schema, params["sample_size"], seed=params.get("seed") or 0), schema


def test_data_plan(params: dict[str, Any]) -> tuple[list, dict[str, int]]:
    """The tables of a test-data request and the rows of each (counts of the schema, then of the request)."""
    name = params.get("table_name") or "records"
    if params.get("schema") is not None and params.get("schema_text") is not None:
        raise SchemaError("Send the schema either as JSON (schema) or as text (schema_text), not both.")
    if params.get("schema") is not None:
        parsed = parse_schema(params["schema"], default_name=name)
    elif params.get("schema_text") is not None:
        parsed = parse_schema_text(params["schema_text"], fmt=params.get("schema_format") or "auto",
                                   default_name=name)
    else:
        raise SchemaError("Send a schema: a dict schema as 'schema' (e.g. {\"id\": \"number\", \"email\": "
                          "\"email\"}), or YAML, JSON or SQL DDL text as 'schema_text'.")
    # rows go to files, not to a database: a column with a server default gets values too
    specs = [dataclasses.replace(s, columns=tuple(dataclasses.replace(c, server_default=None) for c in s.columns))
             for s in parsed.specs]
    counts = {s.name: parsed.counts.get(s.name, params.get("sample_size", 10)) for s in specs}
    for table, n in (params.get("counts") or {}).items():
        if table not in counts:
            raise SchemaError(f"counts names table {table!r}, which the schema does not have; "
                              f"tables: {', '.join(counts)}.")
        counts[table] = n
    return specs, counts


def test_data_frames(params: dict[str, Any]) -> tuple[dict[str, pd.DataFrame], dict[str, int]]:
    specs, counts = test_data_plan(params)
    frames = generate(list(specs), counts, seed=params.get("seed") or 0)
    if params.get("edge_cases"):
        from sqlalchemy_syda.edge_cases import with_edge_cases

        frames = with_edge_cases(list(specs), frames)
    return frames, counts
