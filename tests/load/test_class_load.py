"""Ten protocol students against a real server (``benchmarks/bench_class.py``): every step of
every journey ends without an error and every run a student started is in the store.

The benchmark runs in a process of its own because Locust patches the standard library for
gevent on import, which must not happen inside pytest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.class_journey import STEPS

ROOT = Path(__file__).resolve().parents[2]
STUDENTS = 10
PORT = 8651


@pytest.mark.slow
def test_ten_protocol_students_without_error_or_lost_run(tmp_path) -> None:
    report_path = tmp_path / "class.json"
    subprocess.run([sys.executable, "benchmarks/bench_class.py", "--students", str(STUDENTS),
                    "--watch", "2", "--port", str(PORT), "--time-limit", "600",
                    "--json", str(report_path)], cwd=ROOT, check=True, timeout=1200)
    report = json.loads(report_path.read_text())
    assert report["errors"] == []
    visits = report["class"]["visits"]
    assert len(visits) == STUDENTS
    done = {name for visit in visits for name, _ in visit["timings"]}
    assert done >= set(STEPS) - {"live update"}  # live updates only while the run is active
    assert report["runs"]["pressed_start"] == STUDENTS
    assert report["runs"]["created"] == STUDENTS  # one run per press, none twice
    assert report["runs"]["lost"] == []
