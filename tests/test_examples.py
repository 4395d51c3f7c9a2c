"""The seed document's examples in examples/, run end to end as scripts (built-in generators, no LLM).

tests/llm/test_llm_live.py runs them with the local LLM as well.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def _run(script: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SYDA_LLM_"))}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, str(ROOT / "examples" / script)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def test_patients_example_writes_its_csv(tmp_path):
    """Test the seed's basic example: 15 patient rows in synthetic_output.csv, and one no-LLM message."""
    done = _run("patients.py", tmp_path)
    assert done.stdout.strip() == "Synthetic data written to: synthetic_output.csv"
    assert done.stderr.count("no LLM configured") == 1
    frame = pd.read_csv(tmp_path / "synthetic_output.csv")
    assert frame.shape == (15, 5) and frame["email"].str.contains("@").all()
    assert frame["diagnosis_code"].str.fullmatch(r"[A-TV-Z]\d[0-9AB](\.\w{1,4})?").all()


def test_departments_employees_example_keeps_references_valid(tmp_path):
    """Test the seed's foreign-key generator example: ✅, and every department_id is a written department."""
    done = _run("departments_employees.py", tmp_path)
    assert "✅ All employee department_id values reference valid departments" in done.stdout
    assert "❌" not in done.stdout
    departments = pd.read_csv(tmp_path / "departments.csv")
    employees = pd.read_csv(tmp_path / "employees.csv")
    assert (len(departments), len(employees)) == (5, 10)
    assert set(employees["department_id"]) <= set(departments["id"]) and departments["name"].is_unique


def test_crm_example_writes_five_related_csv_files(tmp_path):
    """Test the seed's five-model CRM: two ✅ lines, one CSV per model, every foreign key valid."""
    done = _run("test_auto_related_models.py", tmp_path)
    assert done.stdout.count("✅") == 2
    out = tmp_path / "crm_data"
    frames = {p.stem: pd.read_csv(p) for p in out.glob("*.csv")}
    assert {k: len(v) for k, v in frames.items()} == {"Customer": 10, "Contact": 25, "Product": 15, "Order": 30,
                                                      "OrderItem": 60}
    assert set(frames["Contact"]["customer_id"]) <= set(frames["Customer"]["id"])
    assert set(frames["Order"]["customer_id"]) <= set(frames["Customer"]["id"])
    assert set(frames["OrderItem"]["order_id"]) <= set(frames["Order"]["id"])
    assert set(frames["OrderItem"]["product_id"]) <= set(frames["Product"]["id"])
