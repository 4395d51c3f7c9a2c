"""Job kinds of the files area: reading an upload, a synthetic workbook, documents from a template.

Each reads its upload(s) by id (:func:`~..file_uploads.upload_bytes`) and writes its outputs with
``ctx.output``; same parameters, same bytes (the workbook and the documents pin their dates)::

    FILE_KINDS["workbook"]({"upload": "<id>", "rows": 100, "seed": 1}, ctx)   # -> <name>-synthetic.xlsx, report.html
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

__all__ = ["FILE_KINDS"]


def read_upload(params: dict[str, Any], ctx) -> dict[str, Any]:
    from sqlalchemy_syda.files import read_bytes

    from ..file_uploads import upload_bytes

    name, data = upload_bytes(ctx.settings, ctx.sessions, params["upload"])
    ctx.progress("file", 0, 1)
    content = read_bytes(data, name)
    out = ctx.output(f"{PurePath(name).stem}.json")
    out.write_text(json.dumps(content.to_dict(), ensure_ascii=False, sort_keys=True, indent=1))
    ctx.progress("file", 1, 1)
    return {"kind": content.kind, "tables": [t.name for t in content.tables], "warnings": list(content.warnings),
            "counts": {t.name: len(t.rows) for t in content.tables}}


def workbook(params: dict[str, Any], ctx) -> dict[str, Any]:
    from sqlalchemy_syda.files import synthesize_workbook

    from ..file_uploads import upload_bytes

    name, data = upload_bytes(ctx.settings, ctx.sessions, params["upload"])
    rows = params.get("counts") or params.get("rows")
    for region, n in (params.get("expected") or {}).items():
        ctx.progress(region, 0, n)
    book = synthesize_workbook(data, rows, seed=params.get("seed") or 0, filename=name)
    book.save(ctx.output(f"{PurePath(name).stem}-synthetic.xlsx"))
    for region, n in book.counts.items():
        ctx.progress(region, n, n)
    html = _report(data, name, book)
    if html is not None:
        ctx.output("report.html").write_text(html)
    return {"counts": book.counts, "kept": list(book.kept)}


def _report(original: bytes, name: str, book) -> str | None:
    """The quality report of the largest generated region: its learned columns, real rows against synthetic
    ones (keys, references and formulas are made by rule, not learned, so they are not scored)."""
    import io

    import pandas as pd

    from sqlalchemy_syda.files.workbook.synthesize import _role
    from sqlalchemy_syda.learn import quality_report

    regions = [r for r in book.layout.regions if book.counts.get(r.name)]
    if not regions:
        return None
    region = max(regions, key=lambda r: r.rows)
    learned = [c for c in region.columns if _role(region, c, book.layout) == "learned"]
    if not learned or not region.rows:
        return None
    real = pd.DataFrame({c.header: region.values[c.header] for c in learned})
    synthetic = pd.read_excel(io.BytesIO(book.data), sheet_name=region.sheet, header=region.header_row - 1,
                              usecols=[c.index - 1 for c in learned], nrows=book.counts[region.name])
    synthetic.columns = [c.header for c in learned]
    for col in learned:
        if col.kind in ("date", "datetime"):
            real[col.header] = pd.to_datetime(real[col.header])
            synthetic[col.header] = pd.to_datetime(synthetic[col.header])
    return quality_report(real, synthetic, name=f"{region.sheet} / {region.name}").to_html()


def documents(params: dict[str, Any], ctx) -> dict[str, Any]:
    from sqlalchemy_syda.files.documents import DocumentTemplate, render_documents
    from sqlalchemy_syda.files.documents.templates import kind_of
    from sqlalchemy_syda.schema_files import parse_schema_text

    from ..file_uploads import upload_bytes

    template_name, template_bytes = upload_bytes(ctx.settings, ctx.sessions, params["template"])
    schema = parse_schema_text(params["schema_text"], default_name=params.get("table") or "records")
    counts = {**schema.counts, **(params.get("counts") or {})}
    specs = list(schema.specs)
    for spec in specs:
        ctx.progress(spec.name, 0, counts.get(spec.name, 10))
    template = DocumentTemplate(kind_of(template_name), template_bytes, template_name)
    paths = render_documents(template, specs, {s.fullname: counts.get(s.name, 10) for s in specs},
                             table=params["table"], to=params.get("to"), seed=params.get("seed") or 0,
                             name=params.get("name"), out=ctx.output("documents.zip"))
    for spec in specs:
        ctx.progress(spec.name, counts.get(spec.name, 10), counts.get(spec.name, 10))
    import zipfile

    documents_made = len(zipfile.ZipFile(paths[0]).namelist())
    return {"counts": {s.name: counts.get(s.name, 10) for s in specs}, "documents": documents_made}


FILE_KINDS: dict[str, Callable[[dict[str, Any], Any], dict[str, Any]]] = {
    "read_file": read_upload,
    "workbook": workbook,
    "documents": documents,
}
