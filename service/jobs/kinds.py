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

    engine = target_engine(ctx.settings, params["target"])
    try:
        result = seed(engine, params["counts"], seed=params.get("seed") or 0, existing=params.get("existing", "append"),
                      progress=ctx.progress)
    finally:
        engine.dispose()
    return {"counts": result.counts, "seconds": round(result.seconds, 3), "target": params["target"]}


KINDS: dict[str, Callable[[dict[str, Any], Any], dict[str, Any]]] = {
    "generate": generate_examples,
    "test_data": test_data,
    "seed_target": seed_target,
}
KINDS.update(FILE_KINDS)  # reading uploads, synthetic workbooks, documents (service/jobs/file_kinds.py)
