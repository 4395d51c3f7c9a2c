"""A realistic orders frame for the learning tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


@pytest.fixture(scope="session")
def orders() -> pd.DataFrame:
    """An orders table with the things real exports have: keys, e-mails, codes, phones, a rare status,
    NULLs, and a datetime that always follows another."""
    rng = np.random.default_rng(5)
    n = 600
    ordered = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365 * 24 * 3600, n), unit="s")
    frame = pd.DataFrame({
        "id": np.arange(1, n + 1),
        "email": [f"{rng.choice(['ann', 'bob', 'eve', 'max'])}.{i}@example{rng.integers(0, 9)}.com" for i in range(n)],
        "invoice": [f"INV-{rng.choice([2023, 2024])}-{rng.integers(0, 999_999):06d}" for _ in range(n)],
        "phone": [f"+1 ({rng.integers(200, 999)}) {rng.integers(100, 999)}-{rng.integers(0, 9999):04d}"
                  for _ in range(n)],
        "status": rng.choice(["paid", "new", "void"], n, p=[0.6, 0.3, 0.1]),
        "amount": np.round(rng.lognormal(4, 1, n), 2),
        "quantity": rng.integers(1, 60, n),
        "ordered_at": ordered,
        "shipped_at": ordered + pd.to_timedelta(rng.integers(3600, 5 * 86400, n), unit="s"),
        "gift": rng.random(n) < 0.3,
    })
    frame.loc[[10, 200, 400], "status"] = "refunded"  # a rare value: seen 3 times
    frame.loc[rng.random(n) < 0.1, "shipped_at"] = pd.NaT
    frame.loc[rng.random(n) < 0.05, "amount"] = np.nan
    return frame
