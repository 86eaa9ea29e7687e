"""The training engine end to end: real workers, real Keras models, real run folders."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import accuracy_score

from cnnviz import runs
from cnnviz.atomic import read_json
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.models.spec import ModelSpec
from cnnviz.training.config import TrainConfig

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CNNVIZ_MAX_CONCURRENT_RUNS", "2")
    return tmp_path / "runs"


def shapes_run(epochs: int = 1, per_class: int = 40, **training) -> runs.RunConfig:
    return runs.RunConfig(
        dataset=DatasetSpec(source="shapes", shapes_per_class=per_class, image_size=(28, 28),
                            channels=1),
        model=ModelSpec(architecture="fashion_cnn"),
        training=TrainConfig(epochs=epochs, batch_size=16, log_every_batches=2, **training),
    )


def wait_for(run_id: str, predicate, timeout: float = 180.0) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = runs.read_status(run_id)
        if predicate(status, runs.read_metrics(run_id)):
            return status
        if status.get("state") in ("failed",) and not predicate(status, []):
            raise AssertionError(f"run failed: {status.get('error')}\n{status.get('error_detail')}")
        time.sleep(0.3)
    raise AssertionError(f"timed out; status {runs.read_status(run_id)}")


def ended(status: dict, _metrics: list) -> bool:
    return status.get("state") in runs.RunState.ENDED


def test_a_run_trains_records_and_evaluates(folders: Path) -> None:
    run_id = runs.start_run(shapes_run(epochs=2))
    status = wait_for(run_id, ended)
    assert status["state"] == "finished", status.get("error_detail")
    assert status["device"] == "CPU only"
    rows = runs.read_metrics(run_id)
    batches = [row for row in rows if row["type"] == "batch"]
    epochs = [row for row in rows if row["type"] == "epoch"]
    assert [row["epoch"] for row in epochs] == [1, 2]
    assert {"loss", "accuracy", "val_loss", "val_accuracy", "learning_rate", "auc",
            "val_auc"} <= set(epochs[0])
    assert all(0.0 <= row["val_auc"] <= 1.0 for row in epochs)
    assert batches and all(row["images_per_second"] > 0 for row in batches)
    folder = folders / run_id
    for name in ("model.keras", "checkpoint.keras", "evaluation.npz", "metrics.json"):
        assert (folder / name).exists(), name
    evaluation = np.load(folder / "evaluation.npz")
    metrics = read_json(folder / "metrics.json")
    assert evaluation["y_prob"].shape == (len(evaluation["y_true"]), 6)
    assert np.allclose(evaluation["y_prob"].sum(axis=1), 1.0, atol=1e-4)
    assert evaluation["embeddings"].shape[0] == len(evaluation["y_true"])
    expected = accuracy_score(evaluation["y_true"], evaluation["y_prob"].argmax(axis=1))
    assert metrics["accuracy"] == pytest.approx(expected)
    assert set(metrics["per_class_accuracy"]) == {"circle", "square", "triangle", "star",
                                                  "cross", "line"}
    assert metrics["epochs_trained"] == 2 and metrics["best_epoch"] in (1, 2)


@pytest.mark.slow
def test_stop_ends_at_the_next_batch_and_still_evaluates(folders: Path) -> None:
    """A stopped run says so (not "finished"), keeps its evaluated best model, and resumes
    from its last epoch."""
    run_id = runs.start_run(shapes_run(epochs=200, per_class=100))
    wait_for(run_id, lambda status, rows: any(row["type"] == "epoch" for row in rows))
    runs.request_stop(run_id)
    status = wait_for(run_id, ended, timeout=60)
    assert status["state"] == "stopped" and status["stopped_by_user"] is True
    metrics = read_json(folders / run_id / "metrics.json")
    assert metrics["stopped_by_user"] is True and 1 <= metrics["epochs_trained"] < 200
    assert (folders / run_id / "evaluation.npz").exists()
    reached = metrics["epochs_trained"]
    runs.resume_run(run_id)
    wait_for(run_id, lambda status, rows: sum(row["type"] == "epoch" for row in rows) > reached)
    runs.request_stop(run_id)
    status = wait_for(run_id, ended, timeout=60)
    assert status["state"] == "stopped"
    assert read_json(folders / run_id / "metrics.json")["epochs_trained"] > reached


@pytest.mark.slow
def test_divergence_fails_the_run_with_its_place(folders: Path) -> None:
    run_id = runs.start_run(shapes_run(epochs=3, optimizer="sgd", learning_rate=10.0,
                                       momentum=0.99))
    status = wait_for(run_id, ended)
    assert status["state"] == "failed"
    assert "diverged at epoch" in status["error"] and "batch" in status["error"]


@pytest.mark.slow
def test_a_killed_worker_is_interrupted_and_resumes(folders: Path) -> None:
    run_id = runs.start_run(shapes_run(epochs=4, per_class=150))
    wait_for(run_id, lambda status, rows: read_json(folders / run_id / "checkpoint.json"))
    os.kill(runs.read_status(run_id)["pid"], signal.SIGKILL)
    status = wait_for(run_id, lambda status, rows: status["state"] == "interrupted", timeout=30)
    saved_epoch = read_json(folders / run_id / "checkpoint.json")["epoch"]
    assert saved_epoch >= 1 and "unexpectedly" in status["error"]
    resumed_at = time.time()
    runs.resume_run(run_id)
    status = wait_for(run_id, ended)
    assert status["state"] == "finished", status.get("error_detail")
    epochs = [row["epoch"] for row in runs.read_metrics(run_id) if row["type"] == "epoch"]
    assert epochs[-1] == 4
    after_resume = [row["epoch"] for row in runs.read_metrics(run_id)
                    if row["type"] == "epoch" and row["time"] > resumed_at]
    assert after_resume == list(range(saved_epoch + 1, 5))  # from the last epoch, not epoch 1


@pytest.mark.slow
def test_two_runs_at_once_and_a_queue_of_one(folders: Path, monkeypatch) -> None:
    first, second = runs.start_run(shapes_run()), runs.start_run(shapes_run(seed=1))
    assert {runs.read_status(first)["state"], runs.read_status(second)["state"]} == {"running"}
    for run_id in (first, second):
        assert wait_for(run_id, ended)["state"] == "finished"
    monkeypatch.setenv("CNNVIZ_MAX_CONCURRENT_RUNS", "1")
    third, fourth = runs.start_run(shapes_run()), runs.start_run(shapes_run())
    assert runs.read_status(fourth)["state"] == "queued"
    wait_for(fourth, ended)
    assert runs.read_status(fourth)["started"] >= runs.read_status(third)["ended"] - 1.0


@pytest.mark.slow
def test_command_line_end_to_end(folders: Path) -> None:
    environment = dict(os.environ, PYTHONPATH=str(ROOT))

    def cli(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "cnnviz", *arguments], cwd=ROOT,
                              env=environment, capture_output=True, text=True, timeout=300)

    trained = cli("train", "--dataset", "digits", "--model", "mlp", "--epochs", "2",
                  "--batch-size", "64", "--name", "cli run", "--wait")
    assert trained.returncode == 0, trained.stderr
    run_id = trained.stdout.splitlines()[0]
    assert "epoch 2:" in trained.stdout and f"{run_id} finished" in trained.stdout
    listed = cli("runs", "list")
    assert run_id in listed.stdout and "finished" in listed.stdout and "cli run" in listed.stdout
    assert '"state": "finished"' in cli("runs", "show", run_id).stdout
    evaluated = cli("evaluate", run_id)
    assert evaluated.returncode == 0 and '"accuracy"' in evaluated.stdout
    refused = cli("runs", "resume", run_id)
    assert refused.returncode == 2 and "Only a stopped or interrupted run" in refused.stderr
    assert cli("runs", "delete", run_id).returncode == 0
    assert run_id in cli("runs", "trash").stdout and run_id not in cli("runs", "list").stdout
    assert cli("runs", "restore", run_id).returncode == 0
    assert run_id in cli("runs", "list").stdout


@pytest.mark.slow
def test_mirrored_strategy_on_two_logical_cpus(folders: Path) -> None:
    run_id = runs.start_run(shapes_run(distribution="mirrored"))
    status = wait_for(run_id, ended)
    assert status["state"] == "finished", status.get("error_detail")
    assert "mirrored over 2 replicas" in status["device"]
    assert read_json(folders / run_id / "metrics.json")["accuracy"] >= 0.0


@pytest.mark.slow
def test_multi_worker_strategy_runs_alone_without_tf_config(folders: Path, monkeypatch) -> None:
    monkeypatch.delenv("TF_CONFIG", raising=False)
    run_id = runs.start_run(shapes_run(distribution="multi_worker"))
    status = wait_for(run_id, ended)
    assert status["state"] == "finished", status.get("error_detail")
    assert "multi-worker over 1 replicas" in status["device"]
