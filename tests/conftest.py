"""Shared fixtures: a private data folder per test, and the folders of a page test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh CNNVIZ_DATA_DIR that is also the only data root."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(folder))
    monkeypatch.setenv("CNNVIZ_DATA_ROOTS", str(folder))
    return folder


@pytest.fixture
def folders(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """For page tests: private data and runs folders; a started run's worker is recorded
    (second item), not spawned."""
    from cnnviz import runs
    from tests.helpers.run_folders import stop_sleepers

    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    started: list[str] = []
    monkeypatch.setattr(runs.queue, "_spawn_worker", started.append)
    yield data_dir, started
    stop_sleepers()


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the runs the queue would start, marked running, instead of starting TensorFlow
    workers."""
    import time

    from cnnviz import runs

    started: list[str] = []

    def fake_spawn(run_id: str) -> None:
        started.append(run_id)
        runs.update_status(run_id, state="running", pid=None, spawned_at=time.time())

    monkeypatch.setattr(runs.queue, "_spawn_worker", fake_spawn)
    return started
