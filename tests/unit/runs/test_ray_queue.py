"""The run queue on a real Ray cluster: a local head on 127.0.0.1, runs submitted as Ray jobs.

Two runs train at once on the cluster, one is stopped from the app, the other's worker is
killed and the run is marked interrupted — the same contract as local workers.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from streamlit.testing.v1 import AppTest

from cnnviz import runs
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.models.spec import ModelSpec
from cnnviz.training.config import TrainConfig

from tests.helpers.run_folders import make_run

APP = str(Path(__file__).resolve().parents[3] / "app.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Ray cluster: on node gpu-node-2"), ("es", "Clúster Ray: en el nodo gpu-node-2")])
def test_the_train_page_names_the_node_that_ran_a_ray_run(folders, language, expected) -> None:
    run_id = make_run("finished")
    runs.update_status(run_id, ray_job="cnnviz-job", host="gpu-node-2")
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params.update(run=run_id, lang=language)
    app.run()
    app.switch_page("pages/train.py").run()
    assert not app.exception
    assert expected in [caption.value for caption in app.caption]


@pytest.fixture(scope="module")
def ray_head():
    """A Ray head on this machine only; its job-submission address."""
    pytest.importorskip("ray.job_submission")
    ray = shutil.which("ray", path=os.path.dirname(sys.executable)) or "ray"
    dashboard = free_port()
    subprocess.run([ray, "start", "--head", "--node-ip-address=127.0.0.1",
                    f"--port={free_port()}", "--dashboard-host=127.0.0.1",
                    f"--dashboard-port={dashboard}", "--include-dashboard=true",
                    "--num-cpus=2", "--num-gpus=0", "--disable-usage-stats"],
                   check=True, capture_output=True, timeout=180)
    address = f"http://127.0.0.1:{dashboard}"
    try:
        from ray.job_submission import JobSubmissionClient

        deadline = time.time() + 120
        while True:
            try:
                JobSubmissionClient(address).list_jobs()
                break
            except Exception:  # noqa: BLE001 — the dashboard is still starting
                if time.time() > deadline:
                    raise
                time.sleep(1)
        yield address
    finally:
        subprocess.run([ray, "stop", "--force"], capture_output=True, timeout=120)


def long_run(name: str) -> runs.RunConfig:
    return runs.RunConfig(
        dataset=DatasetSpec(source="shapes", shapes_per_class=40, image_size=(28, 28),
                            channels=1),
        model=ModelSpec(architecture="fashion_cnn"),
        training=TrainConfig(epochs=50, batch_size=16, log_every_batches=1), name=name)


def wait_until(condition, timeout: float = 300.0, what: str = ""):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
def test_runs_go_to_the_ray_cluster_and_keep_the_run_contract(ray_head, tmp_path: Path,
                                                               monkeypatch) -> None:
    pytest.importorskip("ray.job_submission")
    from ray.job_submission import JobSubmissionClient

    monkeypatch.setenv("CNNVIZ_RAY_ADDRESS", ray_head)
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CNNVIZ_MAX_CONCURRENT_RUNS", "2")
    to_stop, to_kill = (runs.start_run(long_run(name)) for name in ("stopped", "killed"))

    def training(run_id: str) -> bool:
        return any(line["type"] == "batch" for line in runs.read_metrics(run_id))

    wait_until(lambda: training(to_stop) and training(to_kill), what="both runs training")
    statuses = [runs.read_status(run_id) for run_id in (to_stop, to_kill)]
    assert [status["state"] for status in statuses] == ["running", "running"]
    assert all(status["ray_job"].startswith("cnnviz-") for status in statuses)
    assert all(status["host"] == socket.gethostname() for status in statuses)
    client = JobSubmissionClient(ray_head)
    assert {str(client.get_job_status(status["ray_job"])) for status in statuses} == {"RUNNING"}

    runs.request_stop(to_stop)
    stopped = wait_until(lambda: (status := runs.read_status(to_stop))["state"] == "stopped"
                         and status, what="the stopped run to end")
    assert stopped["stopped_by_user"] is True
    assert (tmp_path / "runs" / to_stop / "evaluation.npz").is_file()

    os.kill(runs.read_status(to_kill)["pid"], signal.SIGKILL)
    interrupted = wait_until(
        lambda: (status := runs.read_status(to_kill))["state"] == "interrupted" and status,
        timeout=120, what="the killed run to be marked interrupted")
    assert interrupted["error"]
    assert str(client.get_job_status(statuses[1]["ray_job"])) == "FAILED"
    wait_until(lambda: str(client.get_job_status(statuses[0]["ray_job"])) == "SUCCEEDED",
               timeout=60, what="the stopped run's job to end")
