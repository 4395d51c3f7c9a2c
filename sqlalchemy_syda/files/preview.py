"""What an upload would generate, before anything is generated: tables, columns, meanings, samples.

The web page shows this after an upload, so a person can check what was understood and choose row
counts. Sample values are *synthetic* (drawn from what was learned), never rows of the file::

    >>> preview = preview_upload(shop_xlsx, "shop.xlsx")
    >>> [(t["name"], t["sheet"], t["rows"]) for t in preview["tables"]]
    [('CustomerTable', 'Customers', 6), ('Orders', 'Orders', 12)]
    >>> preview["tables"][1]["columns"][1]
    {'name': 'customer_id', 'meaning': 'reference to CustomerTable.customer_id', 'type': 'text',
     'number_format': 'General', 'validation': None, 'samples': ['C104', 'C103', 'C101', 'C103', 'C105']}
    >>> [(c["name"], c["meaning"]) for c in preview["tables"][1]["columns"][2:]]
    [('qty', 'category'), ('price', 'number'), ('total', 'formula =C2*D2')]
    >>> schema = preview_upload(b"tables:\\n  customers:\\n    id: number\\n    email: {type: email, unique: true}\\n", "shop.yaml")
    >>> schema["kind"], [(c["name"], c["meaning"], c["reason"]) for c in schema["tables"][0]["columns"]]
    ('schema', [('id', 'sequence(1)', 'integer primary key: explicit ids 1, 2, 3...'), ('email', 'email()',
    "hint 'email'")])

Kinds: ``csv`` (a profile is learned from the rows), ``xlsx`` (per sheet or named table, as
:func:`~.workbook.synthesize.synthesize_workbook` will do it) and ``schema`` (YAML / JSON dict
schemas, or ``CREATE TABLE`` text: the generator each column gets and why).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from ..exceptions import FileError
from .limits import DEFAULT_LIMITS, FileLimits
from .sniff import decode_text, sniff

__all__ = ["SCHEMA_EXTENSIONS", "preview_upload"]

SCHEMA_EXTENSIONS = (".yaml", ".yml", ".json", ".sql")


def preview_upload(data: bytes, filename: str, *, samples: int = 5, seed: int = 0,
                   limits: FileLimits = DEFAULT_LIMITS) -> dict[str, Any]:
    """``{"kind": ..., "tables": [{"name", "rows", "default_rows", "columns": [...]}]}`` for an upload."""
    limits.check(filename, "bytes", len(data), "max_bytes")
    found = sniff(data, filename)
    if found.kind == "xlsx":
        return {"kind": "xlsx", "tables": _workbook(data, filename, samples, seed, limits)}
    if found.kind in ("csv", "text") and PurePath(filename).suffix.lower() in SCHEMA_EXTENSIONS:
        return {"kind": "schema", "tables": _schema(decode_text(data, filename), filename, samples, seed)}
    if found.kind == "csv":
        return {"kind": "csv", "tables": [_csv(data, filename, samples, seed, limits)]}
    raise FileError(f"{filename!r} is {found.kind}: upload a CSV or Excel file with rows, or a schema file "
                    f"({', '.join(SCHEMA_EXTENSIONS)}). Other files can be read with POST /upload/unstructured.")


def _values(series: Any) -> list[Any]:
    from .content import _jsonable

    return [_jsonable(None if v != v else v) if not isinstance(v, (list, dict)) else v
            for v in series.tolist()]


def _learned_columns(frame: Any, name: str, samples: int, seed: int) -> tuple[list[dict[str, Any]], Any]:
    from ..learn import learn

    profile = learn(frame, name=name)
    sample = profile.sample(samples, seed=seed)
    columns = [{"name": col.name, "meaning": col.meaning or col.model, "type": col.dtype, "reason": col.reason,
                "samples": _values(sample[col.name]) if col.name in sample else []}
               for col in profile.table().columns]
    return columns, profile


def _csv(data: bytes, filename: str, samples: int, seed: int, limits: FileLimits) -> dict[str, Any]:
    from .read import read_bytes

    table = read_bytes(data, filename, limits=limits).tables
    if not table:
        raise FileError(f"{filename!r} has no rows to learn from.")
    frame = table[0].to_frame()
    columns, _ = _learned_columns(frame, table[0].name, samples, seed)
    return {"name": table[0].name, "rows": len(frame), "default_rows": len(frame), "columns": columns}


def _workbook(data: bytes, filename: str, samples: int, seed: int, limits: FileLimits) -> list[dict[str, Any]]:
    from .containers import check_container
    from .workbook.layout import open_workbook, read_layout
    from .workbook.synthesize import _generate, _lookup_regions, _parents_first, _role

    check_container(data, filename, limits)
    layout = read_layout(open_workbook(data, filename, limits))
    lookups = _lookup_regions(layout)
    frames: dict[str, dict[str, list[Any]]] = {}
    for region in _parents_first(layout, lookups):
        frames[region.name] = _generate(region, samples, seed, frames, layout)
    tables = []
    for region in layout.regions:
        columns = []
        for col in region.columns:
            role = _role(region, col, layout)
            meaning = {"formula": f"formula {col.formula}", "key": "key (new values in the same style)",
                       "reference": f"reference to {'.'.join(col.reference or ())}", "empty": "empty"}.get(role)
            columns.append({"name": col.header, "meaning": meaning or "learned", "type": col.kind,
                            "number_format": col.number_format, "validation": list(col.validation or []) or None,
                            "samples": [_jsonable(v) for v in frames.get(region.name, {}).get(col.header, [])]})
        if region.name in frames:
            _learned_meanings(region, columns, layout)
        tables.append({"name": region.name, "sheet": region.sheet, "rows": region.rows, "default_rows": region.rows,
                       "generated": region.name not in lookups, "columns": columns})
    return tables


def _learned_meanings(region, columns: list[dict[str, Any]], layout) -> None:
    import pandas as pd

    from ..learn import learn
    from .workbook.synthesize import _column_values, _role

    learned = [c for c in region.columns if _role(region, c, layout) == "learned"]
    if not learned:
        return
    frame = pd.DataFrame({c.header: _column_values(region.values[c.header], c) for c in learned})
    profile = learn(frame, name=region.name).table()
    for entry in columns:
        if entry["meaning"] == "learned":
            col = profile.column(entry["name"])
            entry["meaning"] = col.meaning or col.model


def _schema(text: str, filename: str, samples: int, seed: int) -> list[dict[str, Any]]:
    from .. import schema_files
    from ..generate import generate
    from ..semantics import explain

    parse = getattr(schema_files, "parse_schema_text", None)
    if parse is not None:
        schema = parse(text, default_name=PurePath(filename).stem)
    else:  # YAML / JSON only
        import yaml

        schema = schema_files.parse_schema(yaml.safe_load(text), default_name=PurePath(filename).stem)
    specs = list(schema.specs)
    frames = generate(specs, {s.fullname: samples for s in specs}, seed=seed)
    frames = frames if isinstance(frames, dict) else {specs[0].fullname: frames}
    tables = []
    for spec in specs:
        plans = {p["column"]: p for p in explain(spec)}
        columns = [{"name": c.name, "meaning": plans.get(c.name, {}).get("generator"), "type": c.type_repr or c.kind,
                    "reason": plans.get(c.name, {}).get("reason"), "samples": _values(frames[spec.fullname][c.name])}
                   for c in spec.columns]
        count = schema.counts.get(spec.name, 100)
        tables.append({"name": spec.fullname, "rows": None, "default_rows": count, "columns": columns})
    return tables


def _jsonable(value: Any) -> Any:
    from .content import _jsonable as plain

    return plain(value)
