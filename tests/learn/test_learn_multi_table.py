"""Multi-table: learn a live database (Chinook), seed PostgreSQL and SQLite from the profile, score the fan-outs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from chinook_data import FOREIGN_KEYS, chinook_frames, load_into
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from sqlalchemy_syda import SydaMixin, learn, quality_report, seed
from sqlalchemy_syda.learn.report.relational import children_per_parent


@pytest.fixture(scope="module")
def chinook(tmp_path_factory):
    """The real Chinook rows in a SQLite database (foreign keys enforced), and its learned profile."""
    frames = chinook_frames()
    path = tmp_path_factory.mktemp("chinook") / "real.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    sa.event.listen(engine, "connect", lambda c, _: c.execute("PRAGMA foreign_keys=ON"))
    load_into(engine, frames)
    profile = learn(engine)
    yield frames, profile, engine
    engine.dispose()


def _read(engine: sa.Engine, tables) -> dict[str, pd.DataFrame]:
    with engine.connect() as conn:
        return {t: pd.read_sql(sa.text(f'SELECT * FROM "{t}"'), conn) for t in tables}


def test_profile_of_a_database_holds_fanouts_not_keys(chinook):
    frames, profile, _ = chinook
    assert set(profile.table_names) == set(frames)
    assert profile.source["kind"] == "database" and profile.source["rows_read"] == 15_607
    assert {(r.child, r.columns[0], r.parent) for r in profile.relationships} == set(FOREIGN_KEYS)
    rel = next(r for r in profile.relationships if r.child == "track" and r.parent == "album")
    hist = dict(zip(rel.histogram["counts"], rel.histogram["parents"]))
    real = children_per_parent(frames["track"], ["album_id"], frames["album"], ["id"])
    assert hist == dict(zip(*map(list, pd.Series(real).value_counts().sort_index().reset_index().values.T)))
    track = profile.table("track")
    assert {c.name: c.model for c in track.columns}["album_id"] == "key"
    assert track.primary_key == ("id",)


def _check_seeded(engine, frames, profile):
    result = seed(engine, None, profile=profile, seed=1)
    assert result.counts == {t: len(f) for t, f in frames.items()}
    synthetic = _read(engine, frames)
    report = quality_report(frames, synthetic, profile=profile)
    for rel in report.relationships:
        assert rel["fk_validity"] == 1.0, rel
        assert rel["cardinality"] >= 0.90, rel  # the self-reference (employee.reports_to_id) too
    trends = {(r["child"], r["parent"]): r["intertable_trends"] for r in report.relationships}
    assert trends[("track", "genre")] >= 0.6 and trends[("track", "mediatype")] >= 0.6  # reference tables
    with engine.connect() as conn:  # the org chart, counted in SQL: reports per employee, zeros included
        reports = sorted(r[0] for r in conn.execute(sa.text(
            "SELECT COUNT(r.id) FROM employee e LEFT JOIN employee r ON r.reports_to_id = e.id GROUP BY e.id")))
        roots = conn.execute(sa.text("SELECT COUNT(*) FROM employee WHERE reports_to_id IS NULL")).scalar_one()
        genres = conn.execute(sa.text("SELECT COUNT(DISTINCT name) FROM genre")).scalar_one()
    real = children_per_parent(frames["employee"], ["reports_to_id"], frames["employee"], ["id"])
    assert reports == sorted(real.tolist()) and roots == int(frames["employee"]["reports_to_id"].isna().sum())
    assert genres >= 15  # the genres are the real ones (a reference table), laid out once each
    return report


def test_seed_postgresql_from_the_profile(chinook, pg_url):
    frames, profile, _ = chinook
    engine = sa.create_engine(pg_url)
    try:
        from chinook_data import chinook_metadata

        chinook_metadata(frames).create_all(engine)
        report = _check_seeded(engine, frames, profile)
        with engine.connect() as conn:  # FK validity in SQL too: no child row without its parent
            orphans = conn.execute(sa.text(
                "SELECT count(*) FROM invoiceline l LEFT JOIN invoice i ON i.id = l.invoice_id WHERE i.id IS NULL"
            )).scalar_one()
        assert orphans == 0
        assert report.scores["cardinality"] >= 0.9
    finally:
        engine.dispose()


def test_seed_sqlite_from_the_profile(chinook, tmp_path):
    frames, profile, _ = chinook
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'synthetic.db'}")
    sa.event.listen(engine, "connect", lambda c, _: c.execute("PRAGMA foreign_keys=ON"))
    try:
        from chinook_data import chinook_metadata

        chinook_metadata(frames).create_all(engine)
        report = _check_seeded(engine, frames, profile)
        html = report.to_html("Chinook")
        assert "Relationships" in html and "FK validity" in html and "invoiceline.invoice_id" in html
    finally:
        engine.dispose()


def test_profile_sample_of_several_tables_and_scale(chinook):
    frames, profile, _ = chinook
    synthetic = profile.sample(seed=2, scale=0.5)
    assert set(synthetic) == set(frames)
    assert len(synthetic["invoiceline"]) == round(len(frames["invoiceline"]) * 0.5)
    assert synthetic["invoiceline"].invoice_id.isin(synthetic["invoice"].id).all()
    assert not synthetic["customer"].email.isin(frames["customer"].email).any()


def test_a_single_table_profile_fills_a_model_of_another_name(orders, tmp_path):
    """learn(df) -> Model.synthesize(n, profile=) / seed(..., profile=): learned values, the schema's rules."""
    class Base(SydaMixin, DeclarativeBase):
        pass

    class Order(Base):
        __tablename__ = "shop_orders"
        id: Mapped[int] = mapped_column(primary_key=True)
        status: Mapped[str] = mapped_column(sa.String(10))
        invoice: Mapped[str] = mapped_column(sa.String(20), unique=True)
        quantity: Mapped[int] = mapped_column(sa.CheckConstraint("quantity <= 50"))

    profile = learn(orders[["status", "invoice", "quantity"]], name="orders")
    objects = Order.synthesize(200, profile=profile, seed=3)
    assert {o.status for o in objects} <= {"paid", "new", "void"}
    assert all(o.invoice.startswith("INV-") for o in objects)
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'shop.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        Order.synthesize(500, session, profile=profile)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT status, invoice, quantity FROM shop_orders")).all()
    assert len(rows) == 500 and len({r.invoice for r in rows}) == 500  # UNIQUE still rules
    assert all(r.quantity <= 50 for r in rows) and {r.status for r in rows} <= {"paid", "new", "void"}
    engine.dispose()


def test_a_string_foreign_key_inside_a_composite_primary_key_takes_its_parents_keys():
    """Test that a natural string key that is both part of the child's primary key and a foreign key (Lahman's
    ``salaries (yearID, teamID, playerID)``) is filled from the parent rows, not with fresh text keys (which
    lost the other key columns and broke the foreign key)."""
    rng = np.random.default_rng(3)
    players = pd.DataFrame({"player": [f"p{i:03d}" for i in range(80)], "height": rng.normal(185, 7, 80).round()})
    seasons = pd.DataFrame([(year, p, int(rng.integers(500, 9000))) for p in players.player
                            for year in range(2010, 2010 + int(rng.integers(0, 5)))], columns=["year", "player", "pay"])
    profile = learn({"players": players, "seasons": seasons}, foreign_keys=[("seasons", "player", "players", "player")],
                    primary_keys={"players": ["player"], "seasons": ["year", "player"]})
    synthetic = profile.sample(seed=1)
    assert list(synthetic["seasons"].columns) == ["year", "player", "pay"] and len(synthetic["seasons"]) == len(seasons)
    assert synthetic["seasons"]["player"].isin(synthetic["players"]["player"]).all()
    assert not synthetic["seasons"].duplicated(["year", "player"]).any()
    real = children_per_parent(seasons, ["player"], players, ["player"])
    fake = children_per_parent(synthetic["seasons"], ["player"], synthetic["players"], ["player"])
    assert sorted(real) == sorted(fake)
