"""Files: generated tables as CSV, JSON (records) or Parquet.

The format follows the file extension; anything else is an :class:`~..exceptions.OutputError`::

    >>> from sqlalchemy_syda import generate
    >>> frames = generate([Customer, Order], {Customer: 3, Order: 5}, seed=1)
    >>> path = write_frame(frames["customers"], tmp / "out" / "customers.csv")
    >>> path.read_text().splitlines()[:2]
    ['id,name,industry,website,status,created_at', '1,Miller-Humphrey,Legal Services,https://www.miller-humphrey.com,Prospect,2025-03-22']
    >>> paths = write_frames(frames, tmp / "out", fmt="parquet")
    >>> {name: p.name for name, p in paths.items()}, len(pd.read_parquet(paths["orders"]))
    ({'customers': 'customers.parquet', 'orders': 'orders.parquet'}, 5)
    >>> write_frame(frames["orders"], tmp / "orders.xlsx")
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.OutputError: Cannot write '...orders.xlsx': the extension must be one of .csv, .json, .parquet.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import MissingDependencyError, OutputError

__all__ = ["FORMATS", "frame_json", "write_frame", "write_frames"]

FORMATS = ("csv", "json", "parquet")


def _format_of(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise OutputError(f"Cannot write {str(path)!r}: the extension must be one of "
                          f"{', '.join('.' + f for f in FORMATS)}.")
    return fmt


def frame_json(frame: pd.DataFrame) -> str:
    """The rows as a JSON array of records: dates as ``YYYY-MM-DD`` (a datetime column whose values are all
    midnight, as CSV writes them), timestamps in ISO 8601, NULL as null, text as is (no ``\\/`` escapes)."""
    out = frame.astype(object).where(frame.notna(), None)
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            present = column.dropna()
            dates = bool((present == present.dt.normalize()).all())
            out[name] = [None if pd.isna(v) else (v.strftime("%Y-%m-%d") if dates else v.isoformat()) for v in column]
    return json.dumps(out.to_dict(orient="records"), ensure_ascii=False, indent=1, default=_json_value)


def _json_value(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return str(value)


def write_frame(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write one DataFrame; the extension (.csv, .json, .parquet) picks the format. Returns the path."""
    path = Path(path)
    fmt = _format_of(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"Cannot create the folder {str(path.parent)!r}: {exc.strerror}.") from None
    try:
        if fmt == "csv":
            frame.to_csv(path, index=False)
        elif fmt == "json":
            path.write_text(frame_json(frame), encoding="utf-8")
        else:
            try:
                frame.to_parquet(path, index=False)
            except ImportError as exc:
                raise MissingDependencyError(
                    "Writing Parquet needs pyarrow: pip install 'sqlalchemy-syda[parquet]'") from exc
    except OSError as exc:
        raise OutputError(f"Cannot write {str(path)!r}: {exc.strerror or exc}.") from None
    return path


def write_frames(frames: Mapping[str, pd.DataFrame], directory: str | Path, fmt: str = "csv") -> dict[str, Path]:
    """One file per table in ``directory`` (``<table>.<fmt>``)."""
    if fmt not in FORMATS:
        raise OutputError(f"Unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    return {name: write_frame(frame, Path(directory) / f"{name}.{fmt}") for name, frame in frames.items()}
