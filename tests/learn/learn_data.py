"""Real data sets for the learning tests, shipped by PyPI packages and read offline."""

from __future__ import annotations

import pandas as pd
import pytest


def load_dataset(name: str) -> pd.DataFrame:
    """penguins (palmerpenguins) or one of scikit-learn's wine / diabetes / breast_cancer, as a DataFrame."""
    if name == "penguins":
        palmerpenguins = pytest.importorskip("palmerpenguins")
        return palmerpenguins.load_penguins()
    datasets = pytest.importorskip("sklearn.datasets")
    return getattr(datasets, f"load_{name}")(as_frame=True).frame
