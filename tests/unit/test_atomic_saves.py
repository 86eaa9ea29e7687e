"""Atomic saves under real processes: a reader never sees half a status, and ``kill -9`` in the
middle of a model save leaves the previous model loadable.

The writers are separate Python processes doing what the worker does (``update_status``,
``save_model``); the test process reads and kills them like a page and a crash would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cnnviz import runs
from cnnviz.atomic import read_json

ROOT = Path(__file__).resolve().parents[2]
UNREADABLE = {"unreadable": True}


def python_process(code: str, **environment: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, env={**os.environ, **environment})


def test_readers_never_see_half_a_status_even_after_kill_9(runs_dir: Path) -> None:
    run_id = runs.create_run(runs.RunConfig(*default_specs()))
    writer = python_process(
        "import sys, time\n"
        "from cnnviz import runs\n"
        "print('ready', flush=True)\n"
        "for beat in range(10**6):\n"
        f"    runs.update_status({run_id!r}, heartbeat=time.time(), beat=beat,\n"
        "                       notices=['a long notice a worker might write'] * 4000)\n",
        CNNVIZ_RUNS_DIR=str(runs_dir))
    assert writer.stdout.readline().strip() == "ready"
    status_file = runs_dir / run_id / "status.json"
    reads, unreadable, deadline = 0, 0, time.monotonic() + 1.5
    while time.monotonic() < deadline:
        unreadable += read_json(status_file, UNREADABLE) is UNREADABLE
        reads += 1
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    final = read_json(status_file, UNREADABLE)
    assert reads > 100 and unreadable == 0
    assert final is not UNREADABLE and final["beat"] > 0


def default_specs():
    from cnnviz.datasets.spec import DatasetSpec
    from cnnviz.models.spec import ModelSpec
    from cnnviz.training.config import TrainConfig

    return (DatasetSpec(source="shapes", shapes_per_class=10, image_size=(16, 16)),
            ModelSpec(architecture="fashion_cnn"), TrainConfig(epochs=1))


@pytest.fixture
def runs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    return tmp_path / "runs"


@pytest.mark.slow
def test_kill_9_during_a_model_save_keeps_the_previous_model(tmp_path: Path) -> None:
    """The worker's own ``save_model`` on a 5-million-weight model, killed mid-save (after it
    announced its third save): ``model.keras`` is the second save, whole and loadable."""
    from cnnviz.models.saved import load_saved_model

    target = tmp_path / "model.keras"
    writer = python_process(
        "import keras\n"
        "from pathlib import Path\n"
        "from cnnviz.training.callbacks import save_model\n"
        "model = keras.Sequential([keras.Input((2000,)), keras.layers.Dense(2500)])\n"
        "for number in range(1, 100):\n"
        "    model.layers[0].bias.assign(keras.ops.full((2500,), float(number)))\n"
        "    print('saving', number, flush=True)\n"
        f"    save_model(model, Path({str(target)!r}))\n",
        TF_CPP_MIN_LOG_LEVEL="3")
    while (line := writer.stdout.readline().strip()) != "saving 3":
        assert line, "the writer ended before its third save"
    time.sleep(0.05)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    model = load_saved_model(target)
    assert float(model.layers[0].bias.numpy()[0]) in (2.0, 3.0)
