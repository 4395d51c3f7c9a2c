"""Profile files: versioned JSON, content-addressed, loadable later; clear errors for what cannot be read."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sqlalchemy_syda import Profile, ProfileFormatError, learn
from sqlalchemy_syda.learn import FORMAT_VERSION


def test_save_load_round_trip_gives_the_same_profile_and_rows(orders, tmp_path):
    profile = learn(orders, name="orders")
    path = profile.save(tmp_path / "orders.profile.json")
    data = json.loads(path.read_text())
    assert data["format_version"] == FORMAT_VERSION
    assert data["kind"] == "sqlalchemy-syda profile"
    loaded = Profile.load(path)
    assert loaded.digest == profile.digest
    assert loaded == profile or loaded.to_dict() == profile.to_dict()
    pd.testing.assert_frame_equal(loaded.sample(500, seed=9), profile.sample(500, seed=9))
    assert len(path.read_bytes()) < 60_000  # small: sketches and shares, no rows


def test_digest_is_content_not_formatting(orders, tmp_path):
    profile = learn(orders, name="orders")
    compact = tmp_path / "compact.json"
    compact.write_text(json.dumps(json.loads(profile.to_json()), separators=(",", ":"), sort_keys=True))
    assert Profile.load(compact).digest == profile.digest
    assert learn(orders.head(300), name="orders").digest != profile.digest
    assert learn(orders, name="orders").digest == profile.digest  # learning is deterministic


def test_a_newer_format_names_the_version_that_wrote_it(orders, tmp_path):
    data = learn(orders, name="orders").to_dict()
    data["format_version"] = FORMAT_VERSION + 1
    data["written_by"] = "sqlalchemy-syda 9.0.0"
    path = tmp_path / "future.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ProfileFormatError, match=r"format_version 2, written by sqlalchemy-syda 9\.0\.0.*Upgrade"):
        Profile.load(path)


@pytest.mark.parametrize("text, message", [
    ("{not json", "not valid JSON"),
    ('{"tables": []}', "not a sqlalchemy-syda profile"),
    ('{"kind": "sqlalchemy-syda profile", "format_version": 1, "tables": [{"name": "t"}]}', "damaged"),
    ('{"kind": "sqlalchemy-syda profile", "format_version": "one", "tables": []}', "not a positive integer"),
])
def test_broken_files_fail_clearly(tmp_path, text, message):
    path = tmp_path / "broken.json"
    path.write_text(text)
    with pytest.raises(ProfileFormatError, match=message):
        Profile.load(path)
    with pytest.raises(ProfileFormatError, match="no profile file"):
        Profile.load(tmp_path / "missing.json")


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_learn_from_files(orders, tmp_path, suffix):
    frame = orders[["status", "amount", "quantity", "gift"]]
    path = tmp_path / f"orders{suffix}"
    {".csv": lambda: frame.to_csv(path, index=False), ".parquet": lambda: frame.to_parquet(path),
     ".xlsx": lambda: frame.to_excel(path, index=False)}[suffix]()
    profile = learn(path)
    assert profile.table_names == ("orders",)
    assert profile.source["kind"] == "file" and profile.source["rows_read"] == len(frame)
    synthetic = profile.sample(200, seed=1)
    assert set(synthetic.status) <= {"paid", "new", "void"}
    assert synthetic.quantity.between(1, 59).all()


def test_unreadable_files_fail_clearly(tmp_path):
    from sqlalchemy_syda import LearnError

    with pytest.raises(LearnError, match=r"use a \.csv"):
        learn(tmp_path / "data.docx")
    with pytest.raises(LearnError, match="no file at"):
        learn(tmp_path / "missing.csv")
