"""Faults of a shared server, with real workers: a restart with orphaned runs, a device out of
memory, a full disk. Each must end in a readable status and a queue that keeps going."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import streamlit as st

from cnnviz import runs
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.models.spec import ModelSpec
from cnnviz.training.config import TrainConfig
from tests.pages.test_pages import open_page

SHAPES = DatasetSpec(source="shapes", shapes_per_class=10, image_size=(16, 16))


def small_run(model: ModelSpec | None = None, name: str = "") -> runs.RunConfig:
    return runs.RunConfig(SHAPES, model or ModelSpec(architecture="fashion_cnn"),
                          TrainConfig(epochs=1), name=name)


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def wait_until_ended(run_id: str, timeout: float = 150.0) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = runs.read_status(run_id)
        if status.get("state") in runs.RunState.ENDED:
            return status
        time.sleep(0.3)
    raise AssertionError(f"run {run_id} did not end: {runs.read_status(run_id)}")


def test_a_server_restart_marks_orphans_and_restarts_the_queue(folders, monkeypatch) -> None:
    """The server died with a run running, one stopping and two queued; the first page load of
    the new server marks the orphans interrupted (resumable) and starts the oldest queued run."""
    _, started = folders
    monkeypatch.setenv("CNNVIZ_MAX_CONCURRENT_RUNS", "1")
    running, stopping, first, second = (runs.create_run(small_run(name=name))
                                        for name in ("running", "stopping", "first", "second"))
    runs.update_status(running, state="running", pid=dead_pid(), heartbeat=time.time())
    runs.update_status(stopping, state="stopping", pid=dead_pid(), heartbeat=time.time())
    runs.update_status(second, queued_at=time.time() + 1)
    st.cache_resource.clear()  # what a fresh server process starts with
    open_page()
    for orphan in (running, stopping):
        status = runs.read_status(orphan)
        assert status["state"] == "interrupted" and "unexpectedly" in status["error"]
    assert started == [first]
    assert runs.read_status(second)["state"] == "queued"
    runs.resume_run(running)
    assert runs.read_status(running)["state"] == "queued"


def test_a_worker_still_starting_is_not_taken_for_dead(folders) -> None:
    """Between fork and exec a new worker still shows its parent's command line; a page that
    reads the status in that instant (thirty students polling) must not mark it interrupted.
    Once the spawn grace is over, a pid running something else is a dead worker's reused pid."""
    run_id = runs.create_run(small_run())
    not_yet_the_worker = subprocess.Popen(["sleep", "30"])
    try:
        runs.update_status(run_id, state="running", pid=not_yet_the_worker.pid,
                           spawned_at=time.time())
        assert runs.read_status(run_id)["state"] == "running"
        runs.update_status(run_id, spawned_at=time.time() - runs.SPAWN_GRACE_SECONDS - 1)
        assert runs.read_status(run_id)["state"] == "interrupted"
    finally:
        not_yet_the_worker.kill()
        not_yet_the_worker.wait()


@pytest.mark.slow
def test_out_of_memory_fails_readably_and_the_next_run_starts(tmp_path, monkeypatch) -> None:
    """A hidden layer of 2**31 neurons asks TensorFlow for terabytes: a real
    ResourceExhaustedError in a real worker. The next queued run still trains."""
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CNNVIZ_MAX_CONCURRENT_RUNS", "1")
    too_big = runs.start_run(small_run(ModelSpec(architecture="mlp", hidden_units=2**31)))
    next_run = runs.start_run(small_run())
    status = wait_until_ended(too_big)
    assert status["state"] == "failed"
    assert status["error"].startswith("The device ran out of memory"), status["error_detail"]
    assert wait_until_ended(next_run)["state"] == "finished"


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real file system that fills up: a tmpfs mount (needs root; skipped without it)."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    yield mount_point
    subprocess.run(["umount", "--lazy", str(mount_point)], capture_output=True)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_a_full_disk_fails_the_run_and_keeps_the_previous_model(tmp_path, small_disk,
                                                                monkeypatch) -> None:
    """A finished run is trained again on a disk with room for its status and metrics but not
    for a second model: the run fails with the disk message and its model is untouched."""
    from cnnviz.models.saved import load_saved_model

    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "data"))
    run_id = runs.start_run(small_run())
    assert wait_until_ended(run_id)["state"] == "finished"
    folder = runs.run_path(run_id)
    for checkpoint in ("checkpoint.json", "checkpoint.keras"):
        (folder / checkpoint).unlink()  # so the retraining saves a new best model first
    used = sum(path.stat().st_size for path in folder.iterdir())
    model_bytes = (folder / "model.keras").stat().st_size
    room = used + model_bytes // 2 + 256 * 1024
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={room}", "tmpfs",
                              str(small_disk)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.strip()}")
    shutil.copytree(folder, small_disk / run_id)
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(small_disk))
    previous = digest(small_disk / run_id / "model.keras")
    runs.update_status(run_id, state="queued", queued_at=time.time(), resume=False)
    assert runs.schedule() == [run_id]
    status = wait_until_ended(run_id)
    assert status["state"] == "failed", (small_disk / run_id / "worker.log").read_text()[-3000:]
    assert status["error"].startswith("The disk is full"), status["error_detail"]
    assert digest(small_disk / run_id / "model.keras") == previous
    assert load_saved_model(small_disk / run_id / "model.keras").count_params() > 0
    assert not [path for path in (small_disk / run_id).iterdir() if path.name.startswith(".")]
