"""``syda learn``, ``syda seed --profile`` and ``syda report``, run as the real executable in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

SYDA = str(Path(sys.executable).with_name("syda"))


def syda(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([SYDA, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def _orders_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table("orders", metadata, sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("status", sa.String(10), nullable=False), sa.Column("amount", sa.Numeric(10, 2)),
                    sa.Column("ordered_at", sa.DateTime, nullable=False), sa.Column("shipped_at", sa.DateTime))


@pytest.fixture
def orders_csv(tmp_path: Path, orders: pd.DataFrame) -> Path:
    """The orders frame as a CSV file: its timestamps become text, as in every export."""
    path = tmp_path / "orders.csv"
    orders[["id", "status", "amount", "ordered_at", "shipped_at"]].to_csv(path, index=False)
    return path


@pytest.fixture
def shop_db(tmp_path: Path) -> tuple[str, sa.Engine]:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    engine = sa.create_engine(url)
    _orders_table(sa.MetaData()).metadata.create_all(engine)
    yield url, engine
    engine.dispose()


def test_learn_a_csv_then_seed_sqlite_datetime_columns_with_the_profile(tmp_path, orders_csv, shop_db, orders):
    """Test that a profile learned from a CSV (timestamps as text) seeds SQLite DateTime columns at the learned
    size and twice it with --scale 2, keeping the learned values and the ordering shipped >= ordered."""
    url, engine = shop_db
    learned = syda("learn", str(orders_csv), "-o", "orders.profile.json", cwd=tmp_path)
    assert learned.returncode == 0, learned.stderr
    assert "orders: 600 rows, 4 columns learned (1 keys left to the engine)" in learned.stdout
    data = json.loads((tmp_path / "orders.profile.json").read_text())
    assert data["kind"] == "sqlalchemy-syda profile" and data["source"]["rows_read"] == 600
    models = {c["name"]: (c["dtype"], c["model"]) for c in data["tables"][0]["columns"]}
    assert models["ordered_at"] == ("datetime", "datetime") and models["shipped_at"] == ("datetime", "after")

    seeded = syda("seed", "--url", url, "--profile", "orders.profile.json", cwd=tmp_path)
    assert seeded.returncode == 0, seeded.stderr
    with engine.connect() as conn:
        n, statuses, before, low, high = conn.execute(sa.text(
            "SELECT COUNT(*), COUNT(DISTINCT status), SUM(shipped_at < ordered_at), MIN(ordered_at), MAX(ordered_at)"
            " FROM orders")).one()
        kept = {r[0] for r in conn.execute(sa.text("SELECT DISTINCT status FROM orders"))}
    assert n == 600 and before == 0
    assert kept <= {"paid", "new", "void"} and statuses == 3  # the rare 'refunded' (3 rows) is never stored
    assert str(orders["ordered_at"].min())[:7] <= low[:7] and high[:7] <= str(orders["ordered_at"].max())[:7]

    again = syda("seed", "--url", url, "--profile", "orders.profile.json", "--scale", "2", "--seed", "1", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM orders")).scalar_one() == 600 + 1200


def test_a_profile_that_learned_timestamps_as_text_fails_clearly_and_writes_nothing(tmp_path, orders_csv, shop_db):
    """Test that an old profile whose timestamps were learned as text patterns makes one clear error line when
    it seeds a DateTime column (it was a raw TypeError from the driver), and the table stays empty."""
    from sqlalchemy_syda import learn

    url, engine = shop_db
    text = pd.read_csv(orders_csv)  # timestamps stay strings: the profile a CSV gave before they were parsed
    profile = learn(text, name="orders")
    assert profile.table().column("ordered_at").model == "pattern"
    profile.save(tmp_path / "text.profile.json")
    result = syda("seed", "--url", url, "--profile", "text.profile.json", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "TypeError" not in result.stderr
    assert "column orders.ordered_at is a datetime column, but the profile learned it as text" in result.stderr
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM orders")).scalar_one() == 0


def test_learn_tables_of_a_postgresql_url_and_seed_sqlite_with_valid_foreign_keys(tmp_path, pg_url):
    """Test that ``syda learn URL --tables`` learns two related PostgreSQL tables (the fan-out too) and the
    profile seeds the same schema in SQLite with every foreign key valid and the learned children per parent."""
    rng = np.random.default_rng(3)
    metadata = sa.MetaData()
    customers = sa.Table("customers", metadata, sa.Column("id", sa.Integer, primary_key=True),
                         sa.Column("tier", sa.String(10), nullable=False))
    invoices = sa.Table("invoices", metadata, sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("customer_id", sa.ForeignKey("customers.id"), nullable=False),
                        sa.Column("total", sa.Float, nullable=False))
    sa.Table("unrelated", metadata, sa.Column("id", sa.Integer, primary_key=True))
    pg = sa.create_engine(pg_url)
    metadata.create_all(pg)
    fanout = rng.choice([0, 1, 4], 200, p=[0.3, 0.4, 0.3])
    with pg.begin() as conn:
        conn.execute(customers.insert(), [{"id": i + 1, "tier": rng.choice(["gold", "basic"])} for i in range(200)])
        conn.execute(invoices.insert(), [{"customer_id": i + 1, "total": float(rng.gamma(2, 50))}
                                         for i, k in enumerate(fanout) for _ in range(k)])
    pg.dispose()

    learned = syda("learn", pg_url, "--tables", "customers,invoices", "-o", "shop.json", cwd=tmp_path)
    assert learned.returncode == 0, learned.stderr
    assert "invoices.customer_id -> customers: children per parent learned" in learned.stdout
    data = json.loads((tmp_path / "shop.json").read_text())
    assert sorted(t["name"] for t in data["tables"]) == ["customers", "invoices"]
    assert data["relationships"][0]["histogram"] == {"counts": [0, 1, 4],
                                                     "parents": [int((fanout == k).sum()) for k in (0, 1, 4)]}

    target = f"sqlite:///{tmp_path / 'copy.db'}"
    sqlite = sa.create_engine(target)
    sa.MetaData().create_all(sqlite)
    copy = sa.MetaData()
    for table in (customers, invoices):
        table.to_metadata(copy)
    copy.create_all(sqlite)
    seeded = syda("seed", "--url", target, "--profile", "shop.json", cwd=tmp_path)
    assert seeded.returncode == 0, seeded.stderr
    with sqlite.connect() as conn:
        orphans = conn.execute(sa.text("SELECT COUNT(*) FROM invoices i LEFT JOIN customers c "
                                       "ON c.id = i.customer_id WHERE c.id IS NULL")).scalar_one()
        per_parent = [r[0] for r in conn.execute(sa.text(
            "SELECT COUNT(i.id) FROM customers c LEFT JOIN invoices i ON i.customer_id = c.id GROUP BY c.id"))]
    sqlite.dispose()
    assert orphans == 0 and len(per_parent) == 200 and sum(per_parent) == int(fanout.sum())
    assert set(per_parent) == {0, 1, 4}


def test_report_writes_html_and_json_with_the_privacy_measures(tmp_path, orders):
    """Test that ``syda report`` scores a synthetic CSV against the real one, writes the page and the JSON next
    to it, adds IMS / DCR / NNDR with --holdout, and that the printed overall is the JSON's."""
    from sqlalchemy_syda import learn

    real = orders[["status", "amount", "quantity", "gift"]]
    train, holdout = real.iloc[:300], real.iloc[300:].reset_index(drop=True)
    train.to_csv(tmp_path / "train.csv", index=False)
    holdout.to_csv(tmp_path / "holdout.csv", index=False)
    learn(train).sample(300, seed=2).to_csv(tmp_path / "synthetic.csv", index=False)
    out = syda("report", "train.csv", "synthetic.csv", "--holdout", "holdout.csv", "-o", "out/report.html",
               cwd=tmp_path)
    assert out.returncode == 1 and "out" in out.stderr  # the folder does not exist: one line, no traceback
    assert "Traceback" not in out.stderr
    (tmp_path / "out").mkdir()
    out = syda("report", "train.csv", "synthetic.csv", "--holdout", "holdout.csv", "-o", "out/report.html",
               cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    html = (tmp_path / "out" / "report.html").read_text()
    data = json.loads((tmp_path / "out" / "report.json").read_text())
    assert html.lower().startswith("<!doctype html>") and "<img" in html and "DCR" in html
    assert 0.8 < data["overall"] <= 1.0 and f"overall: {data['overall']:.3f}" in out.stdout
    assert set(data["tables"]["train"]["columns"]) == {"status", "amount", "quantity", "gift"}
    privacy = data["privacy"]
    assert privacy["ims_train"] < 0.05 and 0.0 < privacy["dcr_share"] < 1.0 and 0.0 < privacy["nndr_p10"] <= 1.0
    assert f"DCR share {privacy['dcr_share']:.3f}" in out.stdout

    wrong = syda("report", "train.csv", "synthetic.csv", "-o", "report.txt", cwd=tmp_path)
    assert wrong.returncode == 2 and "end the path with .html" in wrong.stderr
    missing = syda("report", "train.csv", "nope.csv", "-o", "r.html", cwd=tmp_path)
    assert missing.returncode == 1 and "no file at 'nope.csv'" in missing.stderr


def test_learn_refuses_options_that_do_not_fit_its_source(tmp_path, orders_csv):
    """Test that --tables with a file and --name with a URL are usage errors, and an unreadable file one line."""
    assert syda("learn", str(orders_csv), "--tables", "a", "-o", "p.json", cwd=tmp_path).returncode == 2
    assert syda("learn", "sqlite:///x.db", "--name", "a", "-o", "p.json", cwd=tmp_path).returncode == 2
    (tmp_path / "notes.doc").write_text("hello")
    bad = syda("learn", "notes.doc", "-o", "p.json", cwd=tmp_path)
    assert bad.returncode == 1 and "use a .csv, .tsv, .parquet or .xlsx file" in bad.stderr
    assert not (tmp_path / "p.json").exists()


def test_learn_into_a_missing_folder_is_one_line(tmp_path, orders_csv):
    """Test that writing the profile where no folder is gives one error line (it was a FileNotFoundError)."""
    result = syda("learn", str(orders_csv), "-o", "nowhere/p.json", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot write the profile to 'nowhere/p.json'" in result.stderr
