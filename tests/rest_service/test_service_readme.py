"""The README's "The REST service" section: every bash block runs as written against the real service."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pyarrow.parquet as pq

from .conftest import ADMIN_KEY

README = Path(__file__).resolve().parents[2] / "README.md"


def _blocks() -> list[str]:
    text = README.read_text()
    section = text.split("## The REST service", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)```", section, re.S)


def test_readme_curl_examples_run_against_the_service(sqlite_service, tmp_path) -> None:
    service = sqlite_service
    blocks = _blocks()
    assert len(blocks) >= 3 and all("curl" in b for b in blocks)
    script = "set -euo pipefail\n" + "\n".join(blocks)
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin:/usr/local/bin", "SYDA_URL": service.url, "ADMIN_KEY": ADMIN_KEY})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert '"phone"' in done.stdout and "event: status" in done.stdout
    assert pq.read_table(tmp_path / "records.parquet").num_rows == 20000
    jobs = service.client.get("/projects/my_project/jobs").json()["items"]
    assert {j["kind"] for j in jobs} == {"test_data", "seed_target", "learn_generate"}
    for job in jobs:
        assert service.wait_job(job["id"])["status"] == "succeeded"
    operations = {e["operation"] for e in service.client.get("/projects/my_project/transactions").json()["items"]}
    assert {"create_project", "create_key", "generate", "generate_test_data", "seed_target"} <= operations
