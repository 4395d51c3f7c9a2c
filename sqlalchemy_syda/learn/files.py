"""Tables from files: CSV, Parquet and Excel, read with pandas (Parquet needs pyarrow, Excel openpyxl).

Text files hold timestamps as text: a text column whose every value reads as an ISO date
(``2024-03-01``) or timestamp (``2024-03-01 20:07:15``, ``2024-03-01T20:07:15Z``) becomes a date or
datetime column (:func:`parse_text_dates`), so it is learned as one (a quantile sketch, orderings) and
seeds a ``Date`` / ``DateTime`` column::

    >>> penguins.to_parquet(tmp / "penguins.parquet", index=False)
    >>> frame, info = read_table(tmp / "penguins.parquet")
    >>> info, frame.shape
    ({'name': 'penguins', 'format': 'parquet'}, (344, 8))
    >>> read_table(tmp / "penguins.json")
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.LearnError: cannot learn from 'penguins.json': use a .csv, .tsv, .parquet or .xlsx file (or read it into a DataFrame yourself).

    >>> import pandas as pd
    >>> frame = parse_text_dates(pd.DataFrame({"at": ["2024-01-02 03:04:05", None], "day": ["2024-01-02", "2024-02-29"],
    ...                                        "code": ["2024-01", "AB-12"]}))
    >>> str(frame["at"].dtype), type(frame["day"][0]).__name__, frame["code"].tolist()
    ('datetime64[us]', 'date', ['2024-01', 'AB-12'])
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..exceptions import LearnError, MissingDependencyError

__all__ = ["parse_text_dates", "read_table"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?")

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
    if fmt in ("csv", "tsv"):
        frame = parse_text_dates(frame)
    return frame, {"name": path.stem, "format": fmt}


def parse_text_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns whose every value is an ISO date -> ``datetime.date`` objects, or an ISO timestamp ->
    ``datetime64`` (UTC offsets are converted to UTC and dropped); other columns are left as they are."""
    out = frame.copy()
    for name in frame.columns:
        values = frame[name]
        if values.dtype != object and not pd.api.types.is_string_dtype(values.dtype):
            continue
        present = values.dropna()
        if not len(present) or not all(isinstance(v, str) for v in present.head(1000).tolist()):
            continue
        text = present.astype(str).str.strip()
        if text.str.fullmatch(_ISO_DATE.pattern).all():
            parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
            if parsed.notna().all():
                out[name] = pd.Series([None] * len(values), index=values.index, dtype=object)
                out.loc[present.index, name] = pd.Series(parsed.dt.date, index=present.index, dtype=object)
        elif text.str.fullmatch(_ISO_TIMESTAMP.pattern).all():
            aware = text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True)
            parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=bool(aware.any()))
            if parsed.notna().all():
                if getattr(parsed.dt, "tz", None) is not None:
                    parsed = parsed.dt.tz_localize(None)
                out[name] = parsed.reindex(values.index)
    return out
