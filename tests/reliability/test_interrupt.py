"""Ctrl-C during ``syda seed``: one line, exit status 130, nothing written, no traceback (the pool's reset
report and the worker processes' own tracebacks included). A real ``syda`` process gets a real SIGINT."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parents[2]
SYDA = Path(sys.executable).parent / "syda"


def _start(url: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([str(SYDA), "seed", "--url", url, "--create-tables", "--models",
                             "examples.crm_models:Base", "--rows", "400000", *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_until(check, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 120
    while not check():
        assert process.poll() is None, f"syda ended before {what}: {process.communicate()}"
        assert time.monotonic() < deadline, f"{what} never happened"
        time.sleep(0.1)


def _interrupt(process: subprocess.Popen) -> tuple[str, str]:
    process.send_signal(signal.SIGINT)
    return process.communicate(timeout=120)


def _assert_clean_interrupt(process: subprocess.Popen, out: str, err: str) -> None:
    assert process.returncode == 130, (out, err)
    assert "Traceback" not in err and "Exception during reset" not in err, err
    lines = [line for line in err.strip().splitlines() if not line.startswith("customers: ")]  # progress lines
    assert lines == ["Interrupted (Ctrl-C); a seed in progress was rolled back."], err


@pytest.mark.postgres
@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_during_a_postgresql_copy(pg_url, workers):
    watcher = sa.create_engine(pg_url, poolclass=NullPool)
    database = sa.engine.make_url(pg_url).database

    def copying() -> bool:
        with watcher.connect() as conn:
            return bool(conn.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d AND "
                                             "query LIKE 'COPY%' AND state = 'active'"), {"d": database}).scalar())

    process = _start(pg_url, "--workers", workers)
    try:
        _wait_until(copying, process, "a COPY")
        out, err = _interrupt(process)
    finally:
        if process.poll() is None:
            process.kill()
    _assert_clean_interrupt(process, out, err)
    with watcher.connect() as conn:
        counts = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in ("customers", "contacts", "products", "orders", "order_items")}
    watcher.dispose()
    assert set(counts.values()) == {0}, counts


def test_ctrl_c_during_a_sqlite_seed(tmp_path):
    path = tmp_path / "crm.db"
    url = f"sqlite:///{path}"
    process = _start(url)

    def writing() -> bool:  # the seed's write transaction keeps a journal next to the file
        return Path(f"{path}-journal").exists() or Path(f"{path}-wal").exists()

    try:
        _wait_until(writing, process, "the seed's write transaction")
        out, err = _interrupt(process)
    finally:
        if process.poll() is None:
            process.kill()
    _assert_clean_interrupt(process, out, err)
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM customers")).scalar() == 0
    engine.dispose()
