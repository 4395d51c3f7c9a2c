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
    with pytest.raises(ProfileFormatError,
                       match=rf"format_version {FORMAT_VERSION + 1}, written by sqlalchemy-syda 9\.0\.0.*Upgrade"):
        Profile.load(path)


def test_a_version_1_profile_still_loads_and_samples_the_same_rows(orders, tmp_path):
    """Test that a profile written in format 1 (before parent conditioning) loads and samples as it did."""
    profile = learn(orders, name="orders")
    data = profile.to_dict()
    data["format_version"] = 1
    data["written_by"] = "sqlalchemy-syda 0.1.0"
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(data))
    old = Profile.load(path)
    assert old.table().column_names == profile.table().column_names
    pd.testing.assert_frame_equal(old.sample(50, seed=3), profile.sample(50, seed=3))


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


def test_every_entry_point_takes_a_profile_or_its_path_and_refuses_anything_else(orders, tmp_path):
    """Test that generate(), seed() and synthesize() load a profile path as they load a Profile (same rows), that
    anything else is one LearnError, and that SeedOptions itself takes only a loaded Profile."""
    import sqlalchemy as sa

    from examples.crm_models import Base, Customer
    from sqlalchemy_syda import LearnError, generate, seed
    from sqlalchemy_syda.options import SeedOptions
    from sqlalchemy_syda.orm import synthesize

    profile = learn(generate(Customer, 200, seed=1))
    path = profile.save(tmp_path / "customers.profile.json")
    pd.testing.assert_frame_equal(generate(Customer, 30, seed=2, profile=str(path)),
                                  generate(Customer, 30, seed=2, profile=profile))
    names = [c.name for c in synthesize(Customer, 5, seed=3, profile=path)]
    assert names == [c.name for c in synthesize(Customer, 5, seed=3, profile=profile)]
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'crm.db'}")
    Base.metadata.create_all(engine)
    assert seed(engine, {Customer: 7}, profile=path).counts == {"customers": 7}
    for call in (lambda: generate(Customer, 3, profile=42), lambda: seed(engine, {Customer: 3}, profile=[profile]),
                 lambda: synthesize(Customer, 2, profile=3.5)):
        with pytest.raises(LearnError, match=r"profile= takes a Profile \(from learn\(\)\) or the path of a saved one"):
            call()
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM customers")).scalar_one() == 7
    with pytest.raises(LearnError, match=r"takes a loaded Profile; got a str path: load it with Profile.load"):
        SeedOptions(profile=str(path))
    assert SeedOptions(profile=profile).profile is profile
    engine.dispose()


def test_a_key_shape_needs_one_length_and_room_for_the_rows():
    """Test :func:`key_shape` on keys of one shape, of mixed lengths and of mixed classes, and that a shape with
    fewer than four codes per row falls back to the engine's keys (a one-letter code for 30 rows)."""
    from sqlalchemy_syda.learn.key_shapes import key_generator, key_shape

    assert key_shape(pd.Series([f"INV-{i:05d}" for i in range(40)])) == "INV-000##"
    assert key_shape(pd.Series(["ab12", "cd345", "ef6", "gh78", "ij9", "kl10"])) is None
    assert key_shape(pd.Series(["a1", "B2", "c3", "D4", "e5", "F6"])) is None  # upper and lower at one place
    assert key_generator({"shape": "?"}, 30) is None and key_generator({"shape": "??"}, 30) is not None
    assert key_generator({}, 30) is None
