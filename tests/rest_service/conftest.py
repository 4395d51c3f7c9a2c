"""A real service for the tests: ``python -m service`` under uvicorn on a loopback port.

``service`` is session-scoped and parametrized over the state database: the SQLite default (a file
in a temporary working directory) and PostgreSQL (a fresh database). Each instance has an admin
key, two named targets (a SQLite file and a PostgreSQL database, both with a ``customers`` /
``orders`` schema) and a 2 MB upload cap. ``Service.client`` is an httpx client with the admin key.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

ADMIN_KEY = "test-admin-key-" + "x" * 24
TARGET_DDL = [
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(120) NOT NULL UNIQUE)",
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id), "
    "total NUMERIC(10, 2) NOT NULL CHECK (total > 0), placed_at TIMESTAMP NOT NULL)",
]
SYDA = str(Path(sys.executable).parent / "syda")  # the installed console script: `syda serve`
PG_SERVER = os.environ.get("SYDA_TEST_PG") or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Service:
    url: str
    state_url: str
    workdir: Path
    targets: dict[str, str]
    process: subprocess.Popen = field(repr=False)
    client: httpx.Client = field(repr=False)

    def headers(self, key: str = ADMIN_KEY) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}

    def project(self, name: str | None = None, **extra) -> str:
        name = name or f"p_{uuid.uuid4().hex[:10]}"
        r = self.client.post("/projects", json={"name": name, **extra})
        assert r.status_code == 201, r.text
        return name

    def key(self, project: str, role: str = "generate", **extra) -> str:
        r = self.client.post(f"/projects/{project}/keys", json={"role": role, **extra})
        assert r.status_code == 201, r.text
        return r.json()["key"]

    def wait_job(self, job_id: str, *, until=("succeeded", "failed", "canceled", "lost"), timeout: float = 90,
                 key: str = ADMIN_KEY) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            body = self.client.get(f"/jobs/{job_id}", headers=self.headers(key)).json()
            if body["status"] in until:
                return body
            time.sleep(0.2)
        raise AssertionError(f"job {job_id} still {body['status']} after {timeout}s: {body}")

    def log(self) -> str:
        return (self.workdir / "server.log").read_text()


def _admin_engine() -> sa.Engine:
    engine = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        engine.connect().close()
    except sa.exc.DBAPIError as exc:
        pytest.skip(f"PostgreSQL not reachable: {exc.orig}")
    return engine


@pytest.fixture(scope="session")
def pg_database() -> Iterator[callable]:
    """A factory of fresh PostgreSQL databases (URLs), all dropped at the end of the run."""
    admin = _admin_engine()
    made: list[str] = []

    def make() -> str:
        name = f"syda_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        made.append(name)
        return sa.make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)

    yield make
    with admin.connect() as conn:
        for name in made:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def create_target_tables(url: str) -> None:
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        for ddl in TARGET_DDL:
            conn.exec_driver_sql(ddl)
    engine.dispose()


def start_service(workdir: Path, state_url: str, targets: dict[str, str], *, max_upload_mb: float = 2,
                  extra_env: dict[str, str] | None = None, args: list[str] | None = None) -> Service:
    import json

    port = free_port()
    env = {**os.environ, "SYDA_SERVICE_DATABASE": state_url, "SYDA_SERVICE_ADMIN_KEY": ADMIN_KEY,
           "SYDA_SERVICE_DATA_DIR": str(workdir / "data"), "SYDA_SERVICE_MAX_UPLOAD_MB": str(max_upload_mb),
           "SYDA_SERVICE_TARGETS": json.dumps(targets), **(extra_env or {})}
    log = open(workdir / "server.log", "wb")
    process = subprocess.Popen([SYDA, "serve", "--host", "127.0.0.1", "--port", str(port), *(args or [])],
                               cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the service did not start:\n" + (workdir / "server.log").read_text())
        time.sleep(0.2)
    client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=60)
    return Service(url, state_url, workdir, targets, process, client)


def stop_service(service: Service) -> None:
    service.client.close()
    os.killpg(service.process.pid, signal.SIGTERM)
    try:
        service.process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(service.process.pid, signal.SIGKILL)
        service.process.wait()


@pytest.fixture(scope="session")
def _services(tmp_path_factory, pg_database) -> Iterator[callable]:
    """Services by state database, started on first use and stopped at the end of the run."""
    running: dict[str, Service] = {}

    def get(kind: str) -> Service:
        if kind not in running:
            workdir = tmp_path_factory.mktemp(f"service-{kind}")
            state = f"sqlite:///{workdir / 'syda-service.db'}" if kind == "sqlite" else pg_database()
            sqlite_target = f"sqlite:///{workdir / 'target.db'}"
            pg_target = pg_database()
            for url in (sqlite_target, pg_target):
                create_target_tables(url)
            running[kind] = start_service(workdir, state, {"lite": sqlite_target, "crm": pg_target})
        return running[kind]

    yield get
    for svc in running.values():
        stop_service(svc)


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def service(request, _services) -> Service:
    """The service on each state database: SQLite (the default) and PostgreSQL."""
    return _services(request.param)


@pytest.fixture(scope="session")
def sqlite_service(_services) -> Service:
    """The service on its default state database only (for tests whose subject is not the state database)."""
    return _services("sqlite")


@pytest.fixture(scope="session")
def files_service(tmp_path_factory) -> Iterator[Service]:
    """One service on SQLite for the files routes and the web page (tests/rest_service/test_service_files.py,
    test_web_page.py)."""
    workdir = tmp_path_factory.mktemp("service-files")
    svc = start_service(workdir, f"sqlite:///{workdir / 'syda-service.db'}", {})
    yield svc
    stop_service(svc)
