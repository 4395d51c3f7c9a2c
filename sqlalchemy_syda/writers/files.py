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

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..exceptions import MissingDependencyError, OutputError

__all__ = ["FORMATS", "write_frame", "write_frames"]

FORMATS = ("csv", "json", "parquet")


def _format_of(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise OutputError(f"Cannot write {str(path)!r}: the extension must be one of "
                          f"{', '.join('.' + f for f in FORMATS)}.")
    return fmt


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
            frame.to_json(path, orient="records", date_format="iso", indent=1)
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
