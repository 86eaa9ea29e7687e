"""A class of thirty on one server: pages, uploads and "Start training" at once, with the real
run queue and real workers. The queue must hold (no run lost, never more running than its
width), every page must render without an exception, and memory must stay bounded."""

from __future__ import annotations

import statistics

import pytest

from cnnviz import runs
from tests.load_sessions import (
    SMALL_DATASET,
    end_every_run,
    page_render_seconds,
    resident_megabytes,
    simulate_class,
    summary,
)
from tests.run_folders import make_trained_run

SESSIONS = 30


@pytest.fixture
def server_folders(data_dir, tmp_path, monkeypatch):
    """Private folders, a queue of one (a CPU server), and every run ended afterwards."""
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNNVIZ_MAX_CONCURRENT_RUNS", "1")
    yield tmp_path
    end_every_run()


@pytest.mark.slow
def test_thirty_students_at_once(server_folders) -> None:
    trained = make_trained_run(SMALL_DATASET)
    alone = [page_render_seconds() for _ in range(5)]
    memory_before = resident_megabytes()
    result = simulate_class(SESSIONS, trained)
    memory_after = resident_megabytes()
    print(f"\nrender alone: {summary(alone)}; under load: {summary(result.render_seconds)}; "
          f"memory {memory_before:.0f} -> {memory_after:.0f} MB; "
          f"most running {result.most_running}")
    assert result.errors == []
    assert len(result.started_runs) == SESSIONS == len(set(result.started_runs))
    assert result.lost_runs == []
    assert result.most_running == 1  # the queue's width, never more
    states = {run["run_id"]: run["status"]["state"] for run in runs.list_runs()}
    assert all(states[run_id] != "failed" for run_id in result.started_runs)
    assert statistics.median(result.render_seconds) < 30
    assert memory_after - memory_before < 1024
