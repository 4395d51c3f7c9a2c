"""``POST /upload/generate`` against the real service: learn from an upload, imitate it, report on it."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.pool import NullPool


def _real_frame(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    plan = rng.choice(["free", "pro", "team"], n, p=[0.6, 0.3, 0.1])
    seats = np.where(plan == "team", rng.integers(5, 50, n), np.where(plan == "pro", rng.integers(1, 5, n), 1))
    return pd.DataFrame({"plan": plan, "seats": seats,
                         "monthly_usd": np.round(seats * np.where(plan == "free", 0.0, 12.5) + rng.normal(0, 1, n), 2),
                         "country": rng.choice(["US", "DE", "FR", "GB"], n)})


def _upload(service, project, content: bytes, filename: str, **fields):
    data = {"project_name": project, **{k: str(v) for k, v in fields.items()}}
    return service.client.post("/upload/generate", data=data, files={"file": (filename, content, "text/csv")})


def test_upload_learn_generate_with_report_and_profile(sqlite_service) -> None:
    service = sqlite_service
    project = service.project()
    real = _real_frame()
    r = _upload(service, project, real.to_csv(index=False).encode(), "subscriptions.csv", sample_size=300, seed=3)
    assert r.status_code == 202, r.text
    job = service.wait_job(r.json()["id"])
    assert job["status"] == "succeeded", job
    names = {a["name"]: a for a in job["artifacts"]}
    assert set(names) == {"subscriptions.csv", "report.html"}
    synthetic = pd.read_csv(io.BytesIO(service.client.get(names["subscriptions.csv"]["links"]["download"]).content))
    assert list(synthetic.columns) == list(real.columns) and len(synthetic) == 300
    assert set(synthetic["plan"]) <= {"free", "pro", "team"} and set(synthetic["country"]) <= {"US", "DE", "FR", "GB"}
    team = synthetic[synthetic["plan"] == "team"]["seats"]
    assert team.median() > synthetic[synthetic["plan"] == "free"]["seats"].median()  # dependence kept
    report = service.client.get(names["report.html"]["links"]["download"])
    assert report.headers["content-type"].startswith("text/html") and "Column Shapes" in report.text
    assert job["result"]["quality"]["overall"] > 0.7
    (profile,) = service.client.get(f"/projects/{project}/profiles").json()["items"]
    assert profile["id"] == job["result"]["profile_id"] and profile["name"] == "subscriptions"
    content = service.client.get(profile["links"]["self"]).json()["profile"]
    assert content["kind"] and "tables" in content
    as_parquet = io.BytesIO()
    real.to_parquet(as_parquet, index=False)
    r = _upload(service, project, as_parquet.getvalue(), "misnamed.txt", format="json")  # type from the content
    job = service.wait_job(r.json()["id"])
    assert job["status"] == "succeeded" and job["result"]["counts"] == {"misnamed": 400}


def test_bad_uploads(sqlite_service) -> None:
    service = sqlite_service
    project = service.project()
    r = _upload(service, project, b"\x00\x01\x02binary" * 50, "data.csv")
    assert r.status_code == 415 and "read from the content" in r.json()["detail"]
    r = _upload(service, project, b"x" * (3 * 1024 * 1024), "big.csv")
    assert r.status_code == 413
    r = service.client.post("/upload/generate", data={"project_name": project})
    assert r.status_code == 422


def test_seed_a_target_with_a_learned_profile(sqlite_service) -> None:
    service = sqlite_service
    project = service.project()
    rng = np.random.default_rng(1)
    customers = pd.DataFrame({"id": np.arange(1, 201), "name": [f"Person {i}" for i in range(200)],
                              "email": [f"user{i}@example.org" for i in range(200)]})
    orders = pd.DataFrame({"id": np.arange(1, 401), "customer_id": rng.integers(1, 201, 400),
                           "total": np.round(rng.gamma(2, 40, 400) + 1, 2),
                           "placed_at": pd.date_range("2024-01-01", periods=400, freq="7h")})
    as_parquet = io.BytesIO()  # Parquet keeps placed_at a timestamp (from CSV it would be text)
    orders.to_parquet(as_parquet, index=False)
    r = _upload(service, project, as_parquet.getvalue(), "orders.parquet", sample_size=10)
    job = service.wait_job(r.json()["id"])
    profile_id = job["result"]["profile_id"]
    before = _orders(sqlite_service)
    r = service.client.post(f"/projects/{project}/seed", json={"target": "lite", "counts": {"orders": 100},
                                                               "profile": profile_id, "seed": 9})
    assert r.status_code == 202, r.text
    done = service.wait_job(r.json()["id"])
    assert done["status"] == "succeeded", (done["error"], done["error_type"])
    assert _orders(sqlite_service) == before + 100
    r = service.client.post(f"/projects/{project}/seed", json={"target": "lite", "counts": {"orders": 1},
                                                               "profile": "0" * 32})
    assert r.status_code == 404 and "has no profile" in r.json()["detail"]
    del customers


def _orders(service) -> int:
    engine = sa.create_engine(service.targets["lite"], poolclass=NullPool)
    with engine.connect() as conn:
        n = conn.execute(sa.text("SELECT count(*) FROM orders")).scalar()
    engine.dispose()
    return n
