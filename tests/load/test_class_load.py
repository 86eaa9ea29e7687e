"""Ten protocol students against a real server (``benchmarks/bench_class.py``), with class
mode off and on: every step of every journey ends without an error (in class mode each
student first joins the class by name), every run a student started is in the store, one per
student, and no run's worker started twice. Class mode's queue is not waited for: its twelve
capped runs (the baseline students' two too) take about six minutes to drain two at a time on
two cores (``--class-mode`` alone waits and compares the drain with the board's forecast).

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
PORTS = {False: 8651, True: 8652}


@pytest.mark.slow
# Class mode walks the whole journey and its join too; the same class without it is kept for a
# run by hand (-m long), so that CI stays under 30 minutes.
@pytest.mark.parametrize("class_mode", [pytest.param(False, marks=pytest.mark.long), True],
                         ids=["class-mode-off", "class-mode"])
def test_ten_protocol_students_without_error_or_lost_run(tmp_path, class_mode: bool) -> None:
    report_path = tmp_path / "class.json"
    flags = ["--class-mode", "--no-drain"] if class_mode else []
    subprocess.run([sys.executable, "benchmarks/bench_class.py", "--students", str(STUDENTS),
                    *flags, "--watch", "2", "--port", str(PORTS[class_mode]),
                    "--time-limit", "600", "--json", str(report_path)],
                   cwd=ROOT, check=True, timeout=1200)
    report = json.loads(report_path.read_text())
    assert report["errors"] == []
    visits = report["class"]["visits"]
    assert len(visits) == STUDENTS
    done = {name for visit in visits for name, _ in visit["timings"]}
    joined = {"join"} if class_mode else set()
    assert done >= set(STEPS) - {"live update", "join"} | joined  # live: while the run is active
    assert ("join" in done) == class_mode
    runs = report["runs"]
    assert runs["pressed_start"] == STUDENTS
    assert runs["created"] == STUDENTS  # one run per press, none twice
    assert runs["doubled"] == []
    assert runs["lost"] == []
    assert all(len(pids) <= 1 for pids in runs["worker_pids"].values())
