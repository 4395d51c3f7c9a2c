"""Tables from files: CSV, Parquet and Excel, read with pandas (Parquet needs pyarrow, Excel openpyxl).

::

    >>> penguins.to_parquet(tmp / "penguins.parquet", index=False)
    >>> frame, info = read_table(tmp / "penguins.parquet")
    >>> info, frame.shape
    ({'name': 'penguins', 'format': 'parquet'}, (344, 8))
    >>> read_table(tmp / "penguins.json")
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.LearnError: cannot learn from 'penguins.json': use a .csv, .tsv, .parquet or .xlsx file (or read it into a DataFrame yourself).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..exceptions import LearnError, MissingDependencyError

__all__ = ["read_table"]

_FORMATS = {".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet",
            ".xlsx": "excel", ".xlsm": "excel"}


def read_table(path: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The file's table and ``{"name": stem, "format": ...}``; a clear error for what cannot be read."""
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LearnError(f"cannot learn from {path.name!r}: use a .csv, .tsv, .parquet or .xlsx file "
                         f"(or read it into a DataFrame yourself).")
    if not path.is_file():
        raise LearnError(f"no file at {str(path)!r}.")
    try:
        if fmt == "csv":
            frame = pd.read_csv(path)
        elif fmt == "tsv":
            frame = pd.read_csv(path, sep="\t")
        elif fmt == "parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_excel(path)
    except ImportError as exc:
        extra = "parquet" if fmt == "parquet" else "learn"
        raise MissingDependencyError(f"reading {path.name!r} needs {exc.name or 'an optional package'}: "
                                     f"pip install 'sqlalchemy-syda[{extra}]'.") from None
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise LearnError(f"cannot read {path.name!r} as {fmt}: {exc}") from None
    if frame.empty and not len(frame.columns):
        raise LearnError(f"{path.name!r} holds no columns.")
    return frame, {"name": path.stem, "format": fmt}
