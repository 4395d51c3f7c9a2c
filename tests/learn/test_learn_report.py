"""The quality and privacy report: numbers that move the right way, a page a person can read, chunked privacy."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from learn_data import load_dataset

from sqlalchemy_syda import LearnError, learn
from sqlalchemy_syda.learn.report import holdout_report, privacy, quality_report
from sqlalchemy_syda.learn.report.privacy import closest_distances, encode


@pytest.fixture(scope="module")
def penguins() -> pd.DataFrame:
    return load_dataset("penguins")


def test_holdout_report_privacy_numbers(penguins):
    report = holdout_report(penguins, seed=0, name="penguins")
    priv = report.privacy
    assert priv["ims_train"] == 0.0 and priv["ims_holdout"] == 0.0  # no synthetic row copies a real one
    assert 0.3 < priv["dcr_share"] < 0.8
    assert 0.0 < priv["nndr_p10"] <= 1.0
    assert priv["train_rows"] == priv["holdout_rows"] == len(penguins) // 2
    data = report.to_dict()
    json.dumps(data)  # JSON-ready
    assert set(data["tables"]["penguins"]["columns"]) == set(penguins.columns)
    assert data["overall"] == pytest.approx(np.mean([data["column_shapes"], data["column_pair_trends"]]))


def test_copies_are_caught_by_ims_and_dcr(penguins):
    """Row bootstrap of the train half is the worst case: the measures must say so."""
    train, holdout = penguins.iloc[::2].reset_index(drop=True), penguins.iloc[1::2].reset_index(drop=True)
    copies = train.sample(len(train), replace=True, random_state=1).reset_index(drop=True)
    priv = privacy(train, holdout, copies)
    assert priv["ims_train"] == 1.0 and priv["ims_holdout"] < 0.05
    assert priv["dcr_share"] > 0.95
    assert priv["nndr_p10"] == 0.0
    fresh = learn(train, name="penguins").sample(len(train), seed=3)
    assert privacy(train, holdout, fresh)["dcr_share"] < priv["dcr_share"] - 0.1


def test_distances_are_chunked_and_exact(monkeypatch):
    rng = np.random.default_rng(0)
    a = pd.DataFrame({"x": rng.normal(size=300), "c": rng.choice(list("abc"), 300)})
    b = pd.DataFrame({"x": rng.normal(size=200), "c": rng.choice(list("abc"), 200)})
    ea, eb = encode([a, b], pd.concat([a, b]))
    whole = closest_distances(ea, eb, 2)
    import importlib

    module = importlib.import_module("sqlalchemy_syda.learn.report.privacy")  # `learn` is also the function

    monkeypatch.setattr(module, "_CHUNK_BYTES", 4 * 200 * 7)  # 7 rows per chunk
    np.testing.assert_array_equal(closest_distances(ea, eb, 2), whole)
    # brute force for one row: Gower = (|dx| / range capped at 1 + [c differs]) / 2
    span = pd.concat([a.x, b.x]).max() - pd.concat([a.x, b.x]).min()
    d = (np.minimum(np.abs(a.x[0] - b.x) / span, 1) + (a.c[0] != b.c)) / 2
    assert whole[0, 0] == pytest.approx(np.sort(d)[0], abs=1e-5)


def test_html_page_has_plots_and_explains_privacy(penguins, tmp_path):
    report = holdout_report(penguins, seed=1, name="penguins")
    path = report.save(tmp_path / "report.html")
    html = path.read_text()
    assert html.count("data:image/png;base64,") >= 3  # distributions, correlations, DCR histogram
    assert "http://" not in html and "https://" not in html  # nothing fetched at view time
    for text in ("Column Shapes", "Column Pair Trends", "DCR share", "IMS", "NNDR", "bill_length_mm"):
        assert text in html
    assert json.loads(report.save(tmp_path / "report.json").read_text())["kind"] == "sqlalchemy-syda report"


def test_fidelity_only_report_and_errors(penguins):
    synthetic = learn(penguins).sample(len(penguins), seed=2)
    report = quality_report(penguins, synthetic)
    assert report.privacy is None and 0.9 < report.overall <= 1.0
    assert "Privacy" not in report.to_html()
    with pytest.raises(LearnError, match="lacks the columns species"):
        quality_report(penguins, synthetic.drop(columns="species"))
    with pytest.raises(LearnError, match="must be a DataFrame"):
        quality_report(penguins, [1, 2])
