"""Jobs against the real service: worker processes, progress, events, cancel, a killed worker, artifacts."""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import signal
import time

import httpx
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

EXAMPLES = {"email": ["test@example.com"], "phone": ["123-456-7890"]}


def _count(url: str, table: str) -> int:
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        n = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
    engine.dispose()
    return n


def _worker_pid(service, job_id: str, timeout: float = 60) -> int:
    engine = sa.create_engine(service.state_url, poolclass=NullPool)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                pid = conn.execute(sa.text("SELECT worker_pid FROM jobs WHERE id = :id"), {"id": job_id}).scalar()
            if pid:
                return pid
            time.sleep(0.1)
    finally:
        engine.dispose()
    raise AssertionError("the job never got a worker")


def _wait_rows_written(service, job_id: str, table: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = service.client.get(f"/jobs/{job_id}").json()
        done = {p["table"]: p["rows_done"] for p in body["progress"]}
        if done.get(table, 0) > 0:
            return
        assert body["status"] in ("queued", "running"), body
        time.sleep(0.05)
    raise AssertionError(f"no rows of {table} written in {timeout}s")


def test_large_generate_becomes_a_job_with_a_verifiable_artifact(service) -> None:
    project = service.project(defaults={"seed": 11})
    r = service.client.post("/generate", json={"project_name": project, "data": EXAMPLES, "sample_size": 5000})
    assert r.status_code == 202 and r.headers["Location"] == f"/jobs/{r.json()['id']}"
    assert r.json()["status"] == "queued"
    job = service.wait_job(r.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["progress"] == [{"table": "examples", "rows_done": 5000, "rows_total": 5000}]
    (artifact,) = job["artifacts"]
    download = service.client.get(artifact["links"]["download"])
    assert download.status_code == 200 and hashlib.sha256(download.content).hexdigest() == artifact["sha256"]
    assert download.headers["x-checksum-sha256"] == artifact["sha256"]
    lines = download.text.splitlines()
    assert lines[0] == "email,phone" and len(lines) == 5001


def test_expired_artifact_is_regenerated_byte_for_byte(service) -> None:
    project = service.project()
    r = service.client.post("/generate/test-data", json={
        "project_name": project, "schema": {"id": "number", "email": "email", "joined": "date"},
        "sample_size": 300, "format": "parquet", "seed": 5})
    job = service.wait_job(r.json()["id"])
    (artifact,) = job["artifacts"]
    first = service.client.get(f"/artifacts/{artifact['id']}").content
    assert pq.read_table(__import__("io").BytesIO(first)).num_rows == 300
    engine = sa.create_engine(service.state_url, poolclass=NullPool)
    with engine.begin() as conn:  # its retention ends
        conn.execute(sa.text("UPDATE artifacts SET expires_at = :t WHERE id = :id"),
                     {"t": "2000-01-01 00:00:00", "id": artifact["id"]})
    engine.dispose()
    gone = service.client.get(f"/artifacts/{artifact['id']}")
    assert gone.status_code == 410 and "regenerate" in gone.json()["detail"]
    again = service.client.post(f"/artifacts/{artifact['id']}/regenerate")
    assert again.status_code == 202
    assert service.wait_job(again.json()["id"])["status"] == "succeeded"
    second = service.client.get(f"/artifacts/{artifact['id']}")
    assert second.status_code == 200 and second.content == first
    assert service.client.post(f"/artifacts/{artifact['id']}/regenerate").status_code == 409


def test_seed_a_named_target_with_progress_events_and_a_dry_run(service) -> None:
    project = service.project()
    plan = service.client.post(f"/projects/{project}/seed", json={
        "target": "crm", "counts": {"customers": 50, "orders": 120}, "dry_run": True})
    assert plan.status_code == 200, plan.text
    assert plan.json()["counts"] == {"customers": 50, "orders": 120} and "orders" in plan.json()["plan"]
    assert _count(service.targets["crm"], "orders") == 0
    r = service.client.post(f"/projects/{project}/seed", json={
        "target": "crm", "counts": {"customers": 50, "orders": 120}, "seed": 3})
    assert r.status_code == 202
    events = []
    with httpx.stream("GET", f"{service.url}/jobs/{r.json()['id']}/events", headers=service.headers(),
                      timeout=90) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        kind = None
        for line in stream.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    final = events[-1]
    assert final[0] == "status" and final[1]["status"] == "succeeded", events
    assert {p["table"]: p["rows_done"] for p in final[1]["progress"]} == {"customers": 50, "orders": 120}
    assert final[1]["result"]["counts"] == {"customers": 50, "orders": 120}
    engine = sa.create_engine(service.targets["crm"], poolclass=NullPool)
    with engine.connect() as conn:
        orphans = conn.execute(sa.text("SELECT count(*) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id "
                                       "WHERE c.id IS NULL")).scalar()
        assert orphans == 0 and conn.execute(sa.text("SELECT count(*) FROM customers")).scalar() >= 50
    engine.dispose()
    assert service.client.get(f"/projects/{project}/targets").json()["items"] == [{"name": "crm"}, {"name": "lite"}]
    r = service.client.post(f"/projects/{project}/seed", json={"target": "postgresql://evil", "counts": {"x": 1}})
    assert r.status_code == 404 and "crm, lite" in r.json()["detail"]


def test_a_killed_worker_leaves_the_job_lost_and_the_target_unchanged(service) -> None:
    project = service.project()
    before = _count(service.targets["lite"], "customers")
    r = service.client.post(f"/projects/{project}/seed", json={"target": "lite", "counts": {"customers": 400_000}})
    job_id = r.json()["id"]
    pid = _worker_pid(service, job_id)
    _wait_rows_written(service, job_id, "customers")
    os.kill(pid, signal.SIGKILL)
    job = service.wait_job(job_id)
    assert job["status"] == "lost" and job["error_type"] == "WorkerLost", job
    assert _count(service.targets["lite"], "customers") == before
    lost = service.client.get(f"/projects/{project}/transactions", params={"operation": "job.lost"}).json()["items"]
    assert [e["resource"] for e in lost] == [f"job:{job_id}"]


def test_cancel_a_running_seed(service) -> None:
    project = service.project()
    before = _count(service.targets["crm"], "customers")
    r = service.client.post(f"/projects/{project}/seed", json={"target": "crm", "counts": {"customers": 400_000}})
    job_id = r.json()["id"]
    _wait_rows_written(service, job_id, "customers")
    assert service.client.post(f"/jobs/{job_id}/cancel").status_code == 202
    job = service.wait_job(job_id)
    assert job["status"] == "canceled", job
    assert _count(service.targets["crm"], "customers") == before
    assert service.client.post(f"/jobs/{job_id}/cancel").status_code == 409


def test_fifty_concurrent_generate_requests_fifty_events(service) -> None:
    project = service.project()
    key = service.key(project, "generate")

    def call(i: int) -> int:
        with httpx.Client(base_url=service.url, headers=service.headers(key), timeout=120) as c:
            return c.post("/generate", json={"project_name": project, "data": EXAMPLES, "sample_size": 20,
                                             "seed": i}).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(call, range(50)))
    assert statuses == [200] * 50
    items = service.client.get(f"/projects/{project}/transactions",
                               params={"operation": "generate", "limit": 500}).json()["items"]
    assert len(items) == 50 and {e["outcome"] for e in items} == {"ok"} and sum(e["rows"] for e in items) == 1000
    assert len({e["input_sha256"] for e in items}) == 50
