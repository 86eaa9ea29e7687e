"""Run folders in every state, written the way the worker writes them, for page tests."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from cnnviz import runs
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.models.spec import ModelSpec
from cnnviz.training.config import TrainConfig

CLASSES = ["circle", "square", "triangle", "star", "cross", "line"]


def make_run(state: str, epochs_done: int = 2, name: str = "") -> str:
    """A run folder in ``state`` with ``epochs_done`` epochs of metrics."""
    config = runs.RunConfig(DatasetSpec(source="shapes", image_size=(32, 32)),
                            ModelSpec(architecture="fashion_cnn"), TrainConfig(epochs=3),
                            name=name or state)
    run_id = runs.create_run(config)
    folder = runs.run_path(run_id)
    now = time.time()
    lines = []
    for epoch in range(1, epochs_done + 1):
        for batch in (5, 10):
            lines.append({"type": "batch", "phase": 1, "epoch": epoch, "batch": batch,
                          "batches": 10, "images_per_second": 900.0, "learning_rate": 1e-3,
                          "loss": 1.5 / (epoch + batch / 10), "accuracy": 0.3 + 0.1 * epoch,
                          "time": now - 60 + 10 * epoch + batch})
        lines.append({"type": "epoch", "phase": 1, "epoch": epoch, "seconds": 10.0,
                      "learning_rate": 1e-3, "loss": 1.0 / epoch, "accuracy": 0.4 + 0.1 * epoch,
                      "val_loss": 1.1 / epoch, "val_accuracy": 0.35 + 0.1 * epoch,
                      "stopped_by_request": False, "time": now - 60 + 11 * epoch})
    (folder / "metrics.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    status = {"state": state, "started": now - 60, "epochs_total": 3, "steps_per_epoch": 10,
              "device": "CPU only", "heartbeat": now}
    if state == "finished":
        status["ended"] = now
        (folder / "metrics.json").write_text(json.dumps({
            "accuracy": 0.875, "per_class_accuracy": {name: 0.875 for name in CLASSES}}))
    if state == "failed":
        status.update(ended=now, error="Training diverged at epoch 2, batch 7: the training "
                      "loss became NaN or infinite. Try a smaller learning rate.",
                      error_detail="Traceback (most recent call last): ...")
    if state == "running":
        status["pid"] = looks_like_a_worker().pid
    runs.update_status(run_id, **status)
    return run_id


_sleepers: list[subprocess.Popen] = []


def looks_like_a_worker() -> subprocess.Popen:
    """A live process whose command line names the worker module, so the run counts as alive."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)",
                                runs.WORKER_MODULE])
    _sleepers.append(process)
    return process


def stop_sleepers() -> None:
    for process in _sleepers:
        process.kill()
        process.wait()
    _sleepers.clear()
