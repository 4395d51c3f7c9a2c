"""Multi-table with natural keys: the Lahman baseball database (2010-2019) learned live, seeded into PostgreSQL and SQLite.

Six tables whose keys are the data's own: string keys (``playerID``, ``franchID``), a composite parent key
(``teams (yearID, teamID)``) that three children reference, and children whose primary keys are made of their
foreign keys (``salaries (yearID, teamID, playerID)``, ``batting (playerID, yearID, stint)``).
"""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa
from lahman_data import FOREIGN_KEYS, PRIMARY_KEYS, lahman_frames, lahman_metadata, load_into

from sqlalchemy_syda import learn, quality_report, seed
from sqlalchemy_syda.learn.report.relational import children_per_parent


@pytest.fixture(scope="module")
def lahman(tmp_path_factory):
    """The real rows in a SQLite database (foreign keys enforced), and the profile learned from it."""
    frames = lahman_frames()
    engine = sa.create_engine(f"sqlite:///{tmp_path_factory.mktemp('lahman') / 'real.db'}")
    sa.event.listen(engine, "connect", lambda c, _: c.execute("PRAGMA foreign_keys=ON"))
    load_into(engine, frames)
    profile = learn(engine)
    yield frames, profile
    engine.dispose()


def _read(engine: sa.Engine, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    metadata = sa.MetaData()
    out = {}
    with engine.connect() as conn:
        for name, real in frames.items():
            frame = pd.read_sql(sa.Table(name, metadata, autoload_with=conn).select(), conn)
            for col in real.columns:
                if pd.api.types.is_datetime64_any_dtype(real[col]):
                    frame[col] = pd.to_datetime(frame[col])
            out[name] = frame[list(real.columns)]
    return out


def _orphans(conn: sa.Connection) -> dict[str, int]:
    """Child rows whose (composite) foreign key matches no parent row, counted in SQL."""
    out = {}
    for child, cols, parent, refs in FOREIGN_KEYS:
        on = " AND ".join(f'p."{r}" = c."{c}"' for c, r in zip(cols, refs))
        out[f"{child}.{'+'.join(cols)}"] = conn.execute(sa.text(
            f'SELECT COUNT(*) FROM "{child}" c LEFT JOIN "{parent}" p ON {on} WHERE p."{refs[0]}" IS NULL'
        )).scalar_one()
    return out


def _copies(real: pd.DataFrame, synthetic: pd.DataFrame, columns: list[str]) -> int:
    """Synthetic rows equal to a real row in ``columns``."""
    def key(frame: pd.DataFrame) -> pd.Series:
        return pd.util.hash_pandas_object(frame[columns].astype(str), index=False)

    return int(key(synthetic).isin(set(key(real))).sum())


def test_the_profile_has_the_natural_and_composite_keys(lahman):
    """Test that learning the live database finds every table, the six tables' natural primary keys and the seven
    foreign keys (three of them composite), with every fan-out counted as the data has it (zeros included)."""
    frames, profile = lahman
    assert set(profile.table_names) == set(PRIMARY_KEYS)
    assert profile.source["kind"] == "database" and profile.source["rows_read"] == sum(map(len, frames.values()))
    assert {t: list(profile.table(t).primary_key) for t in PRIMARY_KEYS} == PRIMARY_KEYS
    learned = {(r.child, tuple(r.columns), r.parent, tuple(r.ref_columns)) for r in profile.relationships}
    assert learned == {(c, tuple(cols), p, tuple(refs)) for c, cols, p, refs in FOREIGN_KEYS}
    rel = next(r for r in profile.relationships if r.child == "salaries" and r.parent == "teams")
    real = children_per_parent(frames["salaries"], ["yearID", "teamID"], frames["teams"], ["yearID", "teamID"])
    assert dict(zip(rel.histogram["counts"], rel.histogram["parents"])) == pd.Series(real).value_counts().to_dict()
    assert rel.histogram["parents"][0] == 90  # 2017-2019: no salaries in the data


def _check_seeded(engine: sa.Engine, frames: dict[str, pd.DataFrame], profile) -> None:
    lahman_metadata(frames).create_all(engine)
    result = seed(engine, None, profile=profile, seed=1)
    assert result.counts == {t: len(f) for t, f in frames.items()}
    with engine.connect() as conn:
        assert _orphans(conn) == {f"{c}.{'+'.join(cols)}": 0 for c, cols, _, _ in FOREIGN_KEYS}
        for child in ("batting", "pitching", "salaries"):  # a row's league is its team's (read from the parent)
            assert conn.execute(sa.text(
                f'SELECT COUNT(*) FROM "{child}" c JOIN teams t ON t."yearID" = c."yearID" AND t."teamID" = c."teamID" '
                'WHERE c."lgID" <> t."lgID"')).scalar_one() == 0, child
    synthetic = _read(engine, frames)
    report = quality_report(frames, synthetic, profile=profile)
    for rel in report.relationships:
        assert rel["fk_validity"] == 1.0 and rel["cardinality"] >= 0.90, rel
    scores = report.scores
    assert scores["cardinality"] >= 0.95 and scores["column_shapes"] >= 0.90, scores
    assert scores["overall"] >= 0.80, scores
    trends = {(r["child"], "+".join(r["columns"])): r["intertable_trends"] for r in report.relationships}
    assert set(trends) == {(c, "+".join(cols)) for c, cols, _, _ in FOREIGN_KEYS}
    assert all(trends[(child, "yearID+teamID")] >= 0.7 for child in ("batting", "pitching", "salaries")), trends
    person = ["nameFirst", "nameLast", "birthYear", "birthMonth", "birthDay", "birthCity"]
    assert _copies(frames["people"], synthetic["people"], person) == 0
    season = [c for c in frames["teams"].columns if c not in PRIMARY_KEYS["teams"] + ["franchID"]]
    assert _copies(frames["teams"], synthetic["teams"], season) == 0
    assert not set(synthetic["people"]["playerID"]) & set(frames["people"]["playerID"])  # keys are never kept
    return report


def test_seed_postgresql_from_the_profile(lahman, pg_url):
    """Test that seeding PostgreSQL (composite FKs enforced) writes the learned sizes with no orphan and every
    row in its team's league (both in SQL), Cardinality >= 0.90 for every relationship, intertable trends >= 0.7
    through teams, overall >= 0.80 and no real person or team season copied."""
    frames, profile = lahman
    engine = sa.create_engine(pg_url)
    try:
        _check_seeded(engine, frames, profile)
    finally:
        engine.dispose()


def test_seed_sqlite_from_the_profile(lahman, tmp_path):
    """Test the same in SQLite with ``PRAGMA foreign_keys=ON``, and that the report names the composite keys."""
    frames, profile = lahman
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'synthetic.db'}")
    sa.event.listen(engine, "connect", lambda c, _: c.execute("PRAGMA foreign_keys=ON"))
    try:
        report = _check_seeded(engine, frames, profile)
        assert "salaries.yearID" in report.to_html("Lahman")
    finally:
        engine.dispose()


def test_profile_sample_keeps_the_fanouts_and_the_keys_distinct(lahman):
    """Test that ``Profile.sample`` (no database) gives every fan-out exactly and distinct composite keys."""
    frames, profile = lahman
    synthetic = profile.sample(seed=3)
    for child, cols, parent, refs in FOREIGN_KEYS:
        real = children_per_parent(frames[child], cols, frames[parent], refs)
        fake = children_per_parent(synthetic[child], cols, synthetic[parent], refs)
        assert sorted(fake) == sorted(real), (child, cols)
    for table, pk in PRIMARY_KEYS.items():
        assert not synthetic[table].duplicated(pk).any(), table


def test_a_large_skewed_column_keeps_its_cliff_and_its_round_values():
    """5,804 salaries, a quarter at the league minimum and round millions far more common than their neighbours:
    learned alone, the synthetic salaries keep the shape (KS complement 0.69 when every sketch was smoothed;
    smoothing is for small tables, whose quantiles are their values) and the round millions stay point masses."""
    from sqlalchemy_syda.learn.report.fidelity import ks_complement

    real = lahman_frames()["salaries"][["lgID", "salary"]]
    synthetic = learn(real, stratify=False).sample(len(real), seed=1)
    assert ks_complement(real.salary, synthetic.salary) >= 0.95
    for amount in (1_000_000, 2_000_000):
        share, made = (real.salary == amount).mean(), (synthetic.salary == amount).mean()
        assert 0.5 * share <= made <= 1.5 * share, (amount, share, made)
