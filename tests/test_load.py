"""A class of thirty on one server: a real ``streamlit run`` and thirty browser sessions at
once, opening pages, starting runs and uploading images, with the real run queue and real
workers. The queue must hold (no run lost, never more running than its width), every session
must get its pages, and the server's memory must stay bounded."""

from __future__ import annotations

import statistics

import pytest

from cnnviz import runs
from tests.browser import running_app
from tests.load_sessions import (
    SMALL_DATASET,
    end_every_run,
    server_megabytes,
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
    with running_app({}) as url:
        quiet, result = simulate_class(url, SESSIONS, trained)
        memory_after = server_megabytes()
    print(f"\nTrain page alone: {summary(quiet)}; under load: {summary(result.render_seconds)}; "
          f"prediction under load: {summary(result.prediction_seconds)}; server memory "
          f"{memory_after:.0f} MB; most running {result.most_running}")
    assert result.errors == []
    started = [run for run in runs.list_runs() if run["run_id"] != trained]
    assert len(started) == SESSIONS  # one run per student: none lost, none doubled
    assert all(run["status"]["state"] in ("queued", "running", "stopping", "finished")
               for run in started)
    assert result.most_running == 1  # the queue's width, never more
    assert statistics.median(result.render_seconds) < 60
    assert memory_after < 4096
