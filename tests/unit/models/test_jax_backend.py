"""The networks and the train step are backend-portable Keras 3: with ``KERAS_BACKEND=jax``
every architecture of the registry builds and trains, and a whole run goes through the worker.

JAX is what the GPU machines we can reach have (they have no TensorFlow), so these tests run on
the CPU here to keep that path checked, the networks with TensorFlow's import refused as it is
there (the whole run still needs TensorFlow's ``tf.data``). Each runs in a fresh interpreter: the
backend is chosen once, when Keras is first imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnnviz import runs
from cnnviz.atomic import read_json
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.models.registry import ARCHITECTURES
from cnnviz.models.spec import ModelSpec
from cnnviz.training.config import TrainConfig

pytest.importorskip("jax")
ROOT = Path(__file__).resolve().parents[3]

# Architectures at a small input (the networks are the registry's; only the images are smaller
# than the reports' so that compiling them stays quick), trained with TensorFlow's import
# refused, as on the GPU machine. Transfer learning is tried on its default base: the bases are
# Keras' own applications, portable by Keras' tests. argv: the cases to train.
TRAIN_ARCHITECTURES = """
import json, sys
from tests.helpers.without_tensorflow import refuse_tensorflow
refuse_tensorflow()
import keras
import numpy as np
from cnnviz.models.build import build_model
from cnnviz.models.registry import ARCHITECTURES
from cnnviz.models.spec import BlockSpec, ModelSpec
from cnnviz.presets import FASHION_MNIST_BEST
from cnnviz.training.compiling import compile_classifier

cases = {key: (ModelSpec(architecture=key), shape) for key, shape in (
    ("mlp", (28, 28, 1)), ("fashion_cnn", (28, 28, 1)), ("art_cnn", (64, 64, 3)),
    ("art_cnn_small", (64, 64, 3)), ("art_cnn_five", (64, 64, 3)),
    ("simple_bn_cnn", (64, 64, 1)), ("resnet18", (32, 32, 1)), ("attribute_cnn", (64, 64, 3)))}
cases["builder"] = (ModelSpec(architecture="builder", blocks=(
    BlockSpec("conv", filters=8), BlockSpec("pool"), BlockSpec("batchnorm"),
    BlockSpec("dropout"), BlockSpec("flatten"), BlockSpec("dense", units=16))), (28, 28, 1))
cases["transfer"] = (ModelSpec(architecture="transfer", weights=None), (32, 32, 3))
assert {spec.architecture for spec, _ in cases.values()} == set(ARCHITECTURES)
cases["fashion_preset"] = (FASHION_MNIST_BEST.model, (28, 28, 1))
losses = {"backend": keras.backend.backend(), "tensorflow_loaded": "tensorflow" in sys.modules}
images = np.random.default_rng(0).uniform(0, 255, (8, 75, 75, 3)).astype("float32")
labels = np.arange(8) % 3
for name in sys.argv[1:]:
    spec, (height, width, channels) = cases[name]
    built = build_model(spec, (height, width, channels), 3, seed=0)
    # The worker's compile: its optimiser, schedule, label-smoothed loss and metrics.
    compile_classifier(built.model, FASHION_MNIST_BEST.training, 3, built.outputs_logits, 2)
    history = built.model.fit(images[:, :height, :width, :channels], labels, batch_size=4,
                              epochs=1, verbose=0)
    losses[name] = history.history["loss"][-1]
print(json.dumps(losses))
"""


def jax_environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu", **extra}


def train_without_tensorflow(*cases: str) -> None:
    """Train each case one epoch on JAX, in an interpreter without TensorFlow; every loss must
    be finite and positive."""
    done = subprocess.run([sys.executable, "-c", TRAIN_ARCHITECTURES, *cases], cwd=ROOT,
                          env=jax_environment(), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    losses = json.loads(done.stdout.strip().splitlines()[-1])
    assert losses.pop("backend") == "jax"
    assert losses.pop("tensorflow_loaded") is False
    assert set(losses) == set(cases)
    assert all(0 < loss < 100 for loss in losses.values()), losses


@pytest.mark.slow
def test_every_registry_architecture_and_the_preset_train_on_jax_without_tensorflow() -> None:
    train_without_tensorflow(*ARCHITECTURES, "fashion_preset")


@pytest.mark.slow
def test_a_whole_run_trains_through_the_worker_on_jax(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "data"))
    run_id = runs.create_run(runs.RunConfig(
        dataset=DatasetSpec(source="shapes", shapes_per_class=24, image_size=(28, 28),
                            channels=1),
        model=ModelSpec(architecture="fashion_cnn"),
        training=TrainConfig(epochs=2, batch_size=16, log_every_batches=1),
    ))
    worker = subprocess.run([sys.executable, "-m", runs.WORKER_MODULE,
                             str(tmp_path / "runs" / run_id)], cwd=ROOT,
                            env=jax_environment(CNNVIZ_RUNS_DIR=str(tmp_path / "runs"),
                                                CNNVIZ_DATA_DIR=str(tmp_path / "data")),
                            capture_output=True, text=True, timeout=900)
    status = read_json(tmp_path / "runs" / run_id / "status.json")
    assert worker.returncode == 0 and status["state"] == "finished", status.get("error_detail")
    epochs = [line for line in runs.read_metrics(run_id) if line["type"] == "epoch"]
    assert [line["epoch"] for line in epochs] == [1, 2]
    assert 0.0 <= read_json(tmp_path / "runs" / run_id / "metrics.json")["accuracy"] <= 1.0
    assert (tmp_path / "runs" / run_id / "model.keras").is_file()
