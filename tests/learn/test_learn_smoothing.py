"""``learn(..., smoothing=)``: the privacy/fidelity dial of small tables, on one table, several and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from learn_data import load_dataset

from sqlalchemy_syda import LearnError, learn
from sqlalchemy_syda.learn.report import holdout_dcr_shares


def _two_clusters() -> pd.DataFrame:
    """60 readings in two tight clusters (around 10 and 20) with nothing between them."""
    rng = np.random.default_rng(3)
    return pd.DataFrame({"reading": np.round(np.r_[rng.normal(10, 0.5, 30), rng.normal(20, 0.5, 30)], 2)})


def _between(profile, n: int = 20_000) -> float:
    values = profile.sample(n, seed=1).reading
    return float(((values > 12) & (values < 18)).mean())


def test_wider_kernels_put_more_values_where_no_row_was():
    """Test 0 (the plain quantiles), 1 (the default) and 2 on two clusters: the share drawn in the empty
    gap between them grows with the width (0 draws there only the sketch interval that spans the gap)."""
    real = _two_clusters()
    plain, default, wide = (_between(learn(real, name="readings", smoothing=s)) for s in (0, 1, 2))
    assert plain < default < wide and wide > 3 * plain, (plain, default, wide)
    assert real.reading.min() <= learn(real, smoothing=2).sample(5_000, seed=2).reading.min()  # still clipped


def test_the_dial_moves_penguins_dcr_share_with_their_overall():
    """Test on penguins, the same 8 splits: a wider kernel gives a lower DCR share than the plain quantiles."""
    real = load_dataset("penguins")
    plain = np.mean(holdout_dcr_shares(real, splits=8, name="penguins", smoothing=0))
    wide = np.mean(holdout_dcr_shares(real, splits=8, name="penguins", smoothing=2))
    assert wide < plain - 0.004, (plain, wide)


def test_several_tables_smooth_the_children_stratified_by_their_parent():
    """Test a dict of frames: the child's numbers, stratified by a parent column, are smoothed there too."""
    rng = np.random.default_rng(5)
    shops = pd.DataFrame({"id": range(1, 41), "kind": np.repeat(["kiosk", "mall"], 20)})
    shop_id = rng.integers(1, 41, 400)
    price = np.round(np.where(shop_id <= 20, 5, 50) * rng.lognormal(0, 0.3, 400), 2)
    sales = pd.DataFrame({"id": range(1, 401), "shop_id": shop_id, "price": price,
                          "qty": rng.integers(1, 9, 400) * np.where(shop_id <= 20, 1, 3)})
    frames = {"shops": shops, "sales": sales}
    fks = [("sales", "shop_id", "shops", "id")]
    plain = learn(frames, foreign_keys=fks, smoothing=0).table("sales")
    wide = learn(frames, foreign_keys=fks, smoothing=2).table("sales")
    assert plain.copula["stratify"] == wide.copula["stratify"] == "shops.kind"
    plain_groups = [g["marginals"]["price"]["quantiles"] for g in plain.copula["groups"] if g["marginals"]]
    wide_groups = [g["marginals"]["price"]["quantiles"] for g in wide.copula["groups"] if g["marginals"]]
    assert plain_groups and len(plain_groups) == len(wide_groups)
    assert all(p != w for p, w in zip(plain_groups, wide_groups))


@pytest.mark.parametrize("bad", [-0.5, 11, "wide", True, None])
def test_a_bad_width_is_a_learn_error(bad):
    with pytest.raises(LearnError, match="smoothing must be a number from 0"):
        learn(_two_clusters(), smoothing=bad)


def test_the_cli_takes_the_dial(tmp_path: Path):
    """Test ``syda learn --smoothing``: 0 and 2 write different sketches; -1 is refused with one line."""
    csv = tmp_path / "readings.csv"
    _two_clusters().to_csv(csv, index=False)
    syda = str(Path(sys.executable).with_name("syda"))
    sketches = []
    for width in ("0", "2"):
        out = tmp_path / f"p{width}.json"
        done = subprocess.run([syda, "learn", str(csv), "-o", str(out), "--smoothing", width],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        column = json.loads(out.read_text())["tables"][0]["columns"][0]
        sketches.append(column["params"]["quantiles"])
    assert sketches[0] != sketches[1]
    refused = subprocess.run([syda, "learn", str(csv), "-o", str(tmp_path / "x.json"), "--smoothing", "-1"],
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "--smoothing" in refused.stderr and "Traceback" not in refused.stderr
