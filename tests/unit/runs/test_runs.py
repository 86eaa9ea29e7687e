"""The run store: folders, status, queue, stop and delete rules, atomic writes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cnnviz import runs
from cnnviz.atomic import read_json, write_json_atomic, write_with_atomic
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import RunNotFoundError, RunStateError
from cnnviz.models.spec import ModelSpec
from cnnviz.runs import trash
from cnnviz.training.config import TrainConfig


@pytest.fixture
def runs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "runs"
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(folder))
    return folder


def config(name: str = "") -> runs.RunConfig:
    return runs.RunConfig(DatasetSpec(source="digits"), ModelSpec(architecture="mlp"),
                          TrainConfig(epochs=2), name=name)


def test_a_run_folder_rebuilds_its_specs(runs_dir: Path) -> None:
    run_id = runs.create_run(config("first"))
    assert runs.read_config(run_id) == config("first")
    assert runs.read_status(run_id)["state"] == "queued"
    saved = json.loads((runs_dir / run_id / "config.json").read_text())
    assert saved["versions"]["python"] and "keras" in saved["versions"]
    assert [run["run_id"] for run in runs.list_runs()] == [run_id]


def test_the_run_folder_names_stay_the_on_disk_contract(runs_dir: Path) -> None:
    """Folders written by older versions, archives and other machines use these names."""
    folder = runs.run_folder(runs.create_run(config()))
    names = {path.relative_to(folder.path).as_posix() for path in (
        folder.config, folder.status, folder.metrics_log, folder.final_metrics, folder.model,
        folder.checkpoint_model, folder.checkpoint, folder.evaluation, folder.dropped_images,
        folder.stop_request, folder.worker_log, folder.probe_set, folder.probe_epoch(3),
        folder.generator, folder.discriminator, folder.sample_noise, folder.sample_grid(12),
        folder.feature_map(500), folder.pixel_map(500), folder.feature_pictures("conv_1"),
        folder.exports)}
    assert names == {
        "config.json", "status.json", "metrics.jsonl", "metrics.json", "model.keras",
        "checkpoint.keras", "checkpoint.json", "evaluation.npz", "dropped.json", "stop.request",
        "worker.log", "probes/probes.npz", "probes/epoch-003.npz", "generator.keras",
        "discriminator.keras", "samples/noise.npy", "samples/epoch_0012.png",
        "tsne-features-500.npz", "tsne-pixels-500.npz", "features-conv_1.npz", "exports"}
    assert sorted(path.name for path in folder.path.iterdir()) == ["config.json", "status.json"]
    assert runs.RunFolder.SAMPLE_GRID.fullmatch("epoch_0012.png").group(1) == "0012"
    assert runs.RunFolder.PROBE_EPOCH.fullmatch("epoch-003.npz").group(1) == "003"


def test_a_status_keeps_the_state_strings(runs_dir: Path) -> None:
    run_id = runs.create_run(config())
    runs.update_status(run_id, state=runs.RunState.STOPPING, progress=0.5)
    on_disk = json.loads(runs.run_folder(run_id).status.read_text())
    assert on_disk["state"] == "stopping" and on_disk["progress"] == 0.5
    status = runs.update_status(run_id)
    assert status.state is runs.RunState.STOPPING and status.working and status.active
    assert not status.ended and status["progress"] == 0.5
    assert {state.value for state in runs.RunState} == {
        "queued", "running", "stopping", "finished", "stopped", "failed", "interrupted"}


def test_run_ids_cannot_name_other_folders(runs_dir: Path) -> None:
    for bad in ("../etc", "", "a/b", "nope"):
        with pytest.raises(RunNotFoundError):
            runs.run_path(bad)


def test_the_queue_starts_runs_in_order_up_to_its_width(runs_dir, spawned, monkeypatch) -> None:
    monkeypatch.setenv("CNNVIZ_MAX_CONCURRENT_RUNS", "1")
    first = runs.start_run(config())
    second = runs.start_run(config())
    assert spawned == [first]
    assert runs.read_status(second)["state"] == "queued"
    runs.update_status(first, state="finished")
    assert runs.schedule() == [second]
    monkeypatch.setenv("CNNVIZ_MAX_CONCURRENT_RUNS", "3")
    third, fourth = runs.start_run(config()), runs.start_run(config())
    assert spawned == [first, second, third, fourth]


def test_a_dead_worker_is_marked_interrupted(runs_dir: Path) -> None:
    run_id = runs.create_run(config())
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    runs.update_status(run_id, state="running", pid=finished.pid, heartbeat=time.time())
    status = runs.read_status(run_id)
    assert status["state"] == "interrupted" and "unexpectedly" in status["error"]
    # a worker that never announced itself is given up after the spawn grace period
    other = runs.create_run(config())
    runs.update_status(other, state="running", pid=None,
                       spawned_at=time.time() - runs.SPAWN_GRACE_SECONDS - 1)
    assert runs.read_status(other)["state"] == "interrupted"


def test_stop_and_delete_follow_the_state(runs_dir, spawned, monkeypatch) -> None:
    monkeypatch.setenv("CNNVIZ_MAX_CONCURRENT_RUNS", "1")
    running = runs.start_run(config())
    waiting = runs.start_run(config())
    assert runs.request_stop(waiting)["state"] == "interrupted"
    runs.update_status(running, pid=None, spawned_at=time.time())
    with pytest.raises(RunStateError):
        trash.move_to_trash(running, "me")
    assert runs.request_stop(running)["state"] == "stopping"
    assert (runs_dir / running / "stop.request").exists()
    runs.update_status(running, state="finished")
    with pytest.raises(RunStateError):
        runs.request_stop(running)
    with pytest.raises(RunStateError):
        runs.resume_run(running)
    trash.move_to_trash(running, "me")
    assert [run["run_id"] for run in runs.list_runs()] == [waiting]
    assert runs.resume_run(waiting).state in {runs.RunState.QUEUED, runs.RunState.RUNNING}


def test_metrics_reader_ignores_a_line_being_written(runs_dir: Path) -> None:
    run_id = runs.create_run(config())
    (runs_dir / run_id / "metrics.jsonl").write_text('{"type": "batch", "loss": 1.0}\n{"type": "ep')
    assert runs.read_metrics(run_id) == [{"type": "batch", "loss": 1.0}]


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "status.json"
    write_json_atomic(target, {"state": "running"})

    def crash_half_way(temporary: Path) -> None:
        temporary.write_text('{"state": "fin')
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_with_atomic(target, crash_half_way)
    assert read_json(target) == {"state": "running"}
    assert [path.name for path in tmp_path.iterdir()] == ["status.json"]


def test_a_killed_writer_leaves_the_previous_file_readable(tmp_path: Path) -> None:
    """kill -9 in the middle of a write: the old file is intact, no partial file replaces it."""
    target = tmp_path / "data" / "model.bin"
    target.parent.mkdir()
    target.write_bytes(b"previous model")
    script = tmp_path / "writer.py"
    script.write_text(
        "import sys, time\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parents[3])!r})\n"
        "from pathlib import Path\n"
        "from cnnviz.atomic import write_with_atomic\n"
        "def slow(path):\n"
        "    with open(path, 'wb') as handle:\n"
        "        handle.write(b'x' * 1000)\n"
        "        handle.flush()\n"
        "        time.sleep(60)\n"
        f"write_with_atomic(Path({str(target)!r}), slow)\n"
    )
    writer = subprocess.Popen([sys.executable, str(script)])
    deadline = time.time() + 20
    while time.time() < deadline and len(list(target.parent.iterdir())) < 2:
        assert writer.poll() is None, "the writer ended before it was killed"
        time.sleep(0.05)
    partial = [path for path in target.parent.iterdir() if path != target]
    assert partial and partial[0].stat().st_size == 1000  # the write was really under way
    writer.kill()
    writer.wait()
    assert target.read_bytes() == b"previous model"
