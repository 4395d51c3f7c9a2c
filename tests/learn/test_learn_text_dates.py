"""Timestamps a CSV holds as text: learned as dates, so the profile seeds Date / DateTime columns."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from sqlalchemy_syda import learn, seed


def test_a_csv_learned_profile_seeds_sqlite_date_and_datetime_columns(tmp_path, sqlite_engine):
    """Test that learning a CSV whose timestamps and dates are ISO text, then seeding SQLite DateTime and Date
    columns with the profile, writes real datetimes and dates in the learned range (it raised a raw TypeError)."""
    start = pd.Timestamp("2024-01-01 08:00:00")
    frame = pd.DataFrame({"id": range(1, 201),
                          "created_at": [start + pd.Timedelta(hours=7 * i) for i in range(200)],
                          "due": [(start + pd.Timedelta(days=i)).date() for i in range(200)],
                          "status": ["open", "closed"] * 100})
    frame.to_csv(tmp_path / "tickets.csv", index=False)
    profile = learn(tmp_path / "tickets.csv")
    assert profile.table("tickets").column("created_at").dtype == "datetime"
    assert profile.table("tickets").column("due").dtype == "date"

    tickets = sa.Table("tickets", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                       sa.Column("created_at", sa.DateTime, nullable=False), sa.Column("due", sa.Date, nullable=False),
                       sa.Column("status", sa.String(10), nullable=False))
    tickets.metadata.create_all(sqlite_engine)
    seed(sqlite_engine, {tickets: 300}, profile=profile)
    with sqlite_engine.connect() as conn:
        rows = conn.execute(sa.select(tickets.c.created_at, tickets.c.due)).all()
        bad = conn.execute(sa.text("SELECT COUNT(*) FROM tickets WHERE datetime(created_at) IS NULL "
                                   "OR date(due) IS NULL OR due < '2024-01-01' OR due > '2024-07-19'")).scalar_one()
    assert len(rows) == 300 and bad == 0
    assert all(isinstance(a, dt.datetime) and isinstance(d, dt.date) for a, d in rows)
    assert start <= min(a for a, _ in rows) and max(a for a, _ in rows) <= frame["created_at"].max()
