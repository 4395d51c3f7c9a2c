"""``syda serve``: the bind check, and ``--create-admin-key`` on a fresh machine (no key configured)."""

from __future__ import annotations

import re
import subprocess
import time

import httpx

from .conftest import SYDA, start_service, stop_service


def test_non_loopback_bind_is_refused_without_allow_remote(tmp_path) -> None:
    done = subprocess.run([SYDA, "serve", "--host", "0.0.0.0", "--port", "8999"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "--allow-remote" in done.stderr
    assert not list(tmp_path.iterdir())  # refused before anything was created


def test_create_admin_key_prints_a_working_key_once(tmp_path) -> None:
    svc = start_service(tmp_path, f"sqlite:///{tmp_path / 'syda-service.db'}", {},
                        extra_env={"SYDA_SERVICE_ADMIN_KEY": ""}, args=["--create-admin-key"])
    try:
        deadline = time.monotonic() + 10
        while not (m := re.search(r"syda_[0-9a-f]{16}_\S+", svc.log())) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert m, svc.log()
        key = m.group(0)
        r = httpx.post(svc.url + "/projects", json={"name": "first"}, headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 201
        assert httpx.get(svc.url + "/projects", headers=svc.headers()).status_code == 401  # no env key now
    finally:
        stop_service(svc)
    assert key not in (tmp_path / "syda-service.db").read_bytes().decode("latin-1")  # only its hash is stored
