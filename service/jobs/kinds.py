"""What each kind of job does, in the worker process, over the library's public API.

A kind is a function ``(params, ctx) -> result`` that writes its output files with
``ctx.output(name)`` and reports rows with ``ctx.progress(table, done, total)``. Outputs become
artifacts; the result (counts, a summary) is stored on the job. The same parameters and seed make
the same files, which is what lets an expired artifact be made again::

    KINDS["test_data"]({"schema": {...}, "sample_size": 10_000, "format": "parquet"}, ctx)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy_syda import write_frame

from ..datasets import examples_frame, test_data_frames
from .file_kinds import FILE_KINDS

__all__ = ["KINDS"]


def generate_examples(params: dict[str, Any], ctx) -> dict[str, Any]:
    n = params["sample_size"]
    ctx.progress("examples", 0, n)
    frame, schema = examples_frame(params)
    write_frame(frame, ctx.output(f"examples.{params['format']}"))
    ctx.progress("examples", len(frame), n)
    return {"counts": {"examples": len(frame)}, "columns": {k: c.to_dict() for k, c in schema.columns.items()}}


def test_data(params: dict[str, Any], ctx) -> dict[str, Any]:
    from ..datasets import test_data_plan

    _, counts = test_data_plan(params)
    for table, n in counts.items():
        ctx.progress(table, 0, n)
    frames, counts = test_data_frames(params)
    for table, frame in frames.items():
        write_frame(frame, ctx.output(f"{table}.{params['format']}"))
        ctx.progress(table, len(frame), counts[table])
    return {"counts": {t: len(f) for t, f in frames.items()}}


def seed_target(params: dict[str, Any], ctx) -> dict[str, Any]:
    from sqlalchemy_syda import seed

    from ..targets import target_engine

    profile = None
    if params.get("profile"):
        from sqlalchemy_syda import Profile

        from ..models import Profile as ProfileRow

        with ctx.sessions() as s:
            profile = Profile.from_dict(s.get(ProfileRow, params["profile"]).content)
    engine = target_engine(ctx.settings, params["target"])
    try:
        result = seed(engine, params["counts"], seed=params.get("seed") or 0, existing=params.get("existing", "append"),
                      progress=ctx.progress, profile=profile)
    finally:
        engine.dispose()
    return {"counts": result.counts, "seconds": round(result.seconds, 3), "target": params["target"]}


def learn_generate(params: dict[str, Any], ctx) -> dict[str, Any]:
    """An upload -> a learned profile (kept with the project) -> synthetic rows and the quality report."""
    from sqlalchemy_syda import learn, quality_report
    from sqlalchemy_syda.learn.files import read_table

    from ..models import Profile as ProfileRow
    from ..models import Upload, utcnow
    from .queue import new_id

    with ctx.sessions() as s:
        upload = s.get(Upload, params["upload_id"])
        path, project_id = upload.path, upload.project_id
    name = params.get("name") or "data"
    real, _ = read_table(path)
    n = params.get("sample_size")
    n = len(real) if n is None else n
    ctx.progress(name, 0, n)
    profile = learn(real, name=name)
    synthetic = profile.sample(n, seed=params.get("seed") or 0)
    write_frame(synthetic, ctx.output(f"{name}.{params['format']}"))
    ctx.progress(name, len(synthetic), n)
    report = quality_report(real, synthetic, name=name)
    ctx.output("report.html").write_text(report.to_html(f"Synthetic {name}: quality report"), encoding="utf-8")
    content = profile.to_dict()
    profile_id = new_id()
    with ctx.sessions.begin() as s:
        s.add(ProfileRow(id=profile_id, project_id=project_id, name=name, sha256=profile.digest, content=content,
                         job_id=ctx.job_id, created_at=utcnow()))
    return {"counts": {name: len(synthetic)}, "rows_learned": len(real), "profile_id": profile_id,
            "profile_sha256": profile.digest, "quality": _headline(report.to_dict())}


def _headline(report: dict[str, Any]) -> dict[str, Any]:
    """The report's scores without its per-column details (which could quote categories)."""
    return {k: v for k, v in report.items() if isinstance(v, (int, float, str)) or v is None}


KINDS: dict[str, Callable[[dict[str, Any], Any], dict[str, Any]]] = {
    "generate": generate_examples,
    "test_data": test_data,
    "seed_target": seed_target,
    "learn_generate": learn_generate,
}
KINDS.update(FILE_KINDS)  # reading uploads, synthetic workbooks, documents (service/jobs/file_kinds.py)
