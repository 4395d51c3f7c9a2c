"""Parquet output of partitions: a directory per table, one file per partition, the schema from the spec.

Every file of a table has the same Arrow schema, taken from the table's columns (not inferred from the
values, so a partition whose column happens to be all NULL still says ``int64``). Files are named by
partition number, so reading a table's directory in name order gives its rows in row order; a file is
written under a temporary name and renamed, so a retried partition replaces its file whole::

    >>> import tempfile, pyarrow.parquet as pq
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> from sqlalchemy_syda.planner import plan_seed
    >>> from sqlalchemy_syda.scale.partitions import Partition
    >>> plan = plan_seed(table_specs([Customer]), {"customers": 40})
    >>> out = Path(tempfile.mkdtemp())
    >>> for part in (Partition("customers", 0, 2, 0, 25), Partition("customers", 1, 2, 25, 40)):
    ...     _ = write_parquet_partition(plan, part, out)
    >>> sorted(p.name for p in (out / "customers").iterdir())
    ['part-00000.parquet', 'part-00001.parquet']
    >>> pq.read_table(out / "customers").num_rows, str(arrow_schema(plan.table("customers").spec).field("id").type)
    (40, 'int64')
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from ..exceptions import MissingDependencyError, OutputError
from ..plan import SeedPlan
from ..run import RunData, to_frame
from ..specs import ColumnSpec, TableSpec
from .partitions import Partition, partition_batches

__all__ = ["arrow_schema", "prepare_output", "table_directory", "write_parquet_partition"]


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise MissingDependencyError("Writing Parquet needs pyarrow: pip install 'sqlalchemy-syda[parquet]'") from exc
    return pa, pq


def table_directory(output_dir: str | Path, table: str) -> Path:
    """The directory of ``table``'s files under ``output_dir``."""
    return Path(output_dir) / table


def prepare_output(output_dir: str | Path, tables: list[str]) -> dict[str, Path]:
    """Create the table directories and remove partition files an earlier run left there."""
    root = Path(output_dir)
    if root.exists() and not root.is_dir():
        raise OutputError(f"output_dir {str(root)!r} is a file; give a directory (it is created if missing).")
    out = {}
    for table in tables:
        folder = table_directory(root, table)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"Cannot create {str(folder)!r}: {exc.strerror}. Give a writable output_dir.") from None
        for old in folder.glob("part-*.parquet"):
            old.unlink()
        out[table] = folder
    return out


def _arrow_type(pa, col: ColumnSpec):
    kind = col.kind
    if kind == "integer":
        return pa.int64()
    if kind == "float":
        return pa.float64()
    if kind == "boolean":
        return pa.bool_()
    if kind == "date":
        return pa.date32()
    if kind == "datetime":
        return pa.timestamp("us", tz="UTC" if col.timezone else None)
    if kind == "time":
        return pa.time64("us")
    if kind == "interval":
        return pa.duration("us")
    if kind == "binary":
        return pa.binary()
    if kind == "decimal" and col.precision and col.precision <= 38:
        return pa.decimal128(col.precision, col.scale or 0)
    return pa.string()


def arrow_schema(spec: TableSpec, columns: list[str] | None = None) -> Any:
    """The Arrow schema of ``spec``'s ``columns`` (default: every column), nullability from the spec."""
    pa, _ = _pyarrow()
    names = columns if columns is not None else [c.name for c in spec.columns]
    return pa.schema([pa.field(n, _arrow_type(pa, spec.column(n)), nullable=spec.column(n).nullable) for n in names])


def _arrow_array(pa, field, col: ColumnSpec, values):
    kind = col.kind
    if pa.types.is_string(field.type):
        items = list(values)
        if kind in ("json", "array"):
            items = [None if _null(v) else json.dumps(_plain(v), default=str) for v in items]
        else:
            items = [None if _null(v) else v if type(v) is str else str(v) for v in items]
        return pa.array(items, type=field.type)
    if pa.types.is_decimal(field.type):
        from decimal import Decimal

        items = [None if _null(v) else v if isinstance(v, Decimal) else Decimal(str(v)) for v in list(values)]
        return pa.array(items, type=field.type)
    return pa.array(values, type=field.type, from_pandas=True)


def _null(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _plain(value):
    return value.tolist() if isinstance(value, np.ndarray) else value


def write_parquet_partition(plan: SeedPlan, part: Partition, output_dir: str | Path,
                            data: RunData | None = None) -> Path:
    """Generate ``part`` and write it as ``output_dir/<table>/part-NNNNN.parquet`` (a row group per chunk of
    :data:`~.partitions.BLOCK_ROWS` rows, so memory stays bounded); the file's path."""
    pa, pq = _pyarrow()
    tp = plan.table(part.table)
    spec = tp.spec
    columns = list(tp.recipe.output_columns)
    schema = arrow_schema(spec, columns)
    folder = table_directory(output_dir, part.table)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"part-{part.index:05d}.parquet"
    temporary = folder / f".part-{part.index:05d}.{os.getpid()}.tmp"
    try:
        with pq.ParquetWriter(temporary, schema) as writer:
            for batch in partition_batches(plan, part.table, part.start, part.stop, data):
                frame = to_frame(spec, batch)
                arrays = [_arrow_array(pa, schema.field(c), spec.column(c), frame[c].array) for c in columns]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path
