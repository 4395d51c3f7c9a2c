"""Real data sets for the learning tests, shipped by PyPI packages and read offline."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
import sqlalchemy as sa


def load_dataset(name: str) -> pd.DataFrame:
    """penguins (palmerpenguins) or one of scikit-learn's wine / diabetes / breast_cancer, as a DataFrame."""
    if name == "penguins":
        palmerpenguins = pytest.importorskip("palmerpenguins")
        return palmerpenguins.load_penguins()
    datasets = pytest.importorskip("sklearn.datasets")
    return getattr(datasets, f"load_{name}")(as_frame=True).frame


def insert_real_rows(engine: sa.Engine, metadata: sa.MetaData, frames: dict[str, pd.DataFrame],
                     arrange: Callable[[str, list[dict]], list[dict]] | None = None) -> sa.MetaData:
    """Create ``metadata``'s tables in ``engine``'s database and insert each frame's rows, parents first and NaN
    as NULL (``arrange(table, records)``: a table's records as they must go in, e.g. managers first)."""
    metadata.create_all(engine)
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            frame = frames[table.name]
            records = frame.astype(object).where(frame.notna(), None).to_dict("records")
            conn.execute(table.insert(), arrange(table.name, records) if arrange else records)
    return metadata
