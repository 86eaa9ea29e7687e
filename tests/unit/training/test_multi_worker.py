"""Two real workers on 127.0.0.1 train one run with MultiWorkerMirroredStrategy, as the README's
"several machines" steps describe: the run folder copied to each worker's runs folder, a
``TF_CONFIG`` per worker, ``python -m cnnviz.training.worker`` started on both."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from cnnviz import runs
from cnnviz.atomic import read_json
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.models.spec import ModelSpec
from cnnviz.training.config import TrainConfig

ROOT = Path(__file__).resolve().parents[3]
WORKERS = 2


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def small_run(distribution: str) -> runs.RunConfig:
    return runs.RunConfig(
        dataset=DatasetSpec(source="shapes", shapes_per_class=32, image_size=(28, 28),
                            channels=1, validation_fraction=0.0),
        model=ModelSpec(architecture="fashion_cnn"),
        training=TrainConfig(epochs=2, batch_size=32, learning_rate=1e-3, seed=3,
                             log_every_batches=1, distribution=distribution),
    )


def run_worker(runs_dir: Path, run_id: str, tf_config: dict | None) -> subprocess.Popen:
    environment = {**os.environ, "CNNVIZ_RUNS_DIR": str(runs_dir), "CUDA_VISIBLE_DEVICES": ""}
    environment.pop("TF_CONFIG", None)
    if tf_config is not None:
        environment["TF_CONFIG"] = json.dumps(tf_config)
    return subprocess.Popen([sys.executable, "-m", runs.WORKER_MODULE, str(runs_dir / run_id)],
                            cwd=ROOT, env=environment, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def epoch_losses(folder: Path) -> list[float]:
    lines = [json.loads(line) for line in (folder / "metrics.jsonl").read_text().splitlines()]
    return [line["loss"] for line in lines if line.get("type") == "epoch"]


@pytest.mark.slow
def test_two_workers_train_one_run_like_one_worker(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "data"))
    chief_runs, other_runs, alone_runs = (tmp_path / name for name in ("w0", "w1", "alone"))

    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(alone_runs))
    alone_id = runs.create_run(small_run("none"))
    alone = run_worker(alone_runs, alone_id, None)
    assert alone.wait(timeout=600) == 0, alone.stdout.read()

    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(chief_runs))
    run_id = runs.create_run(small_run("multi_worker"))
    shutil.copytree(chief_runs / run_id, other_runs / run_id)
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(WORKERS)]}
    workers = [run_worker(folder, run_id, {"cluster": cluster,
                                           "task": {"type": "worker", "index": index}})
               for index, folder in enumerate((chief_runs, other_runs))]
    outputs = []
    for worker in workers:
        try:
            worker.wait(timeout=600)
        finally:
            if worker.poll() is None:
                worker.kill()
        outputs.append(worker.stdout.read())
    statuses = [read_json(folder / run_id / "status.json") for folder in (chief_runs, other_runs)]
    assert [worker.returncode for worker in workers] == [0, 0], [
        status.get("error_detail") for status in statuses]

    chief = statuses[0]
    assert f"multi-worker over {WORKERS} replicas" in chief["device"]
    assert statuses[1]["state"] == "finished"
    for name in ("model.keras", "evaluation.npz", "metrics.json"):
        assert (chief_runs / run_id / name).is_file(), name
    together, single = epoch_losses(chief_runs / run_id), epoch_losses(alone_runs / alone_id)
    assert len(together) == len(single) == 2
    assert together == pytest.approx(single, rel=0.02), (together, single)
