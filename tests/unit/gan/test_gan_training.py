"""The DCGAN: shapes at every resolution, one short epoch through the real worker, the monitor
files, the configured optimiser, divergence and resume."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import keras
import numpy as np
import pytest
from PIL import Image

from cnnviz import runs
from cnnviz.atomic import read_json
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import InvalidSpecError, TrainingDiverged
from cnnviz.gan.networks import DCGAN, build_discriminator, build_generator
from cnnviz.gan.plan import upsampling_plan
from cnnviz.models.spec import ModelSpec
from cnnviz.training import worker
from cnnviz.training.callbacks import DivergenceGuard
from cnnviz.training.config import TrainConfig

SMALL = ModelSpec(architecture="dcgan", latent_dim=8, gan_widths=(8,))


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(runs.queue, "_spawn_worker", lambda run_id: None)  # trained in this process
    return tmp_path / "runs"


def gan_run(size: int, channels: int, epochs: int = 1, gan_class: str = "", **training) -> str:
    config = runs.RunConfig(
        dataset=DatasetSpec(source="shapes", shapes_per_class=8, image_size=(size, size),
                            channels=channels),
        model=ModelSpec(architecture="dcgan", latent_dim=8, gan_widths=(8,),
                        gan_class=gan_class),
        training=TrainConfig(epochs=epochs, batch_size=16, learning_rate=1e-4,
                             log_every_batches=1, **training),
        kind="gan")
    return runs.create_run(config)


@pytest.mark.parametrize("size, start, upsamplings", [(28, 7, 2), (32, 8, 2), (64, 8, 3),
                                                      (16, 8, 1), (14, 7, 1)])
def test_the_generator_reaches_each_size(size, start, upsamplings) -> None:
    assert upsampling_plan((size, size, 3)) == (start, upsamplings)
    generator = build_generator(SMALL, (size, size, 3))
    assert generator.output_shape == (None, size, size, 3)
    assert build_discriminator((size, size, 3)).output_shape == (None, 1)


def test_report_e_layers_at_64_pixels() -> None:
    generator = build_generator(ModelSpec(architecture="dcgan"), (64, 64, 3))
    kinds = [(type(layer).__name__, getattr(layer, "filters", None)) for layer in
             generator.layers if isinstance(layer, keras.layers.Conv2DTranspose)]
    assert kinds == [("Conv2DTranspose", 64), ("Conv2DTranspose", 128), ("Conv2DTranspose", 256)]
    assert generator.get_layer("project").units == 8 * 8 * 64
    assert generator.input_shape == (None, 64)
    # Report E's parameter counts, exactly.
    assert generator.count_params() == 1_006_787
    assert build_discriminator((64, 64, 3)).count_params() == 794_241


@pytest.mark.parametrize("shape", [(31, 31, 1), (28, 32, 1), (8, 8, 1)])
def test_sizes_a_dcgan_cannot_draw_are_clear_errors(shape) -> None:
    with pytest.raises(InvalidSpecError):
        build_generator(SMALL, shape)


@pytest.mark.parametrize("size, channels", [(28, 1), (32, 3), (64, 3)])
def test_one_epoch_through_the_worker_writes_the_monitor(folders, size, channels) -> None:
    run_id = gan_run(size, channels)
    assert worker.main(folders / run_id) == 0, runs.read_status(run_id).get("error_detail")
    status = runs.read_status(run_id)
    assert status["state"] == "finished"
    folder = folders / run_id
    grid = np.asarray(Image.open(folder / "samples" / "epoch_0001.png"))
    assert grid.shape[:2] == (8 * size + 7, 8 * size + 7)
    assert (grid.ndim == 2) == (channels == 1)
    assert np.load(folder / "samples" / "noise.npy").shape == (64, 8)
    for name in ("generator.keras", "discriminator.keras", "metrics.json"):
        assert (folder / name).exists(), name
    rows = runs.read_metrics(run_id)
    epoch = [row for row in rows if row["type"] == "epoch"][0]
    assert {"d_loss", "g_loss", "d_real", "d_fake", "learning_rate"} <= set(epoch)
    assert 0 <= epoch["d_real"] <= 1 and 0 <= epoch["d_fake"] <= 1
    assert epoch["learning_rate"] == pytest.approx(1e-4)
    assert all(row["images_per_second"] > 0 for row in rows if row["type"] == "batch")
    assert read_json(folder / "metrics.json")["epochs_trained"] == 1


@pytest.mark.parametrize("optimizer, kind", [("rmsprop", keras.optimizers.RMSprop),
                                             ("sgd", keras.optimizers.SGD),
                                             ("adam", keras.optimizers.Adam)])
def test_both_networks_train_with_the_configured_optimizer(folders, monkeypatch, optimizer,
                                                          kind) -> None:
    compiled = []
    original = DCGAN.compile

    def recording(self, generator_optimizer, discriminator_optimizer) -> None:
        compiled.append((generator_optimizer, discriminator_optimizer))
        original(self, generator_optimizer, discriminator_optimizer)

    monkeypatch.setattr(DCGAN, "compile", recording)
    run_id = gan_run(16, 1, optimizer=optimizer, momentum=0.8)
    assert worker.main(folders / run_id) == 0, runs.read_status(run_id).get("error_detail")
    [pair] = compiled
    assert [type(network) for network in pair] == [kind, kind]
    assert pair[0] is not pair[1]  # each network keeps its own moments
    if optimizer == "adam":  # the DCGAN paper's momentum, not Keras's 0.9
        assert [network.beta_1 for network in pair] == [0.5, 0.5]
    if optimizer == "sgd":
        assert [network.momentum for network in pair] == [0.8, 0.8]


def test_the_configured_schedule_decays_the_gan_learning_rate(folders) -> None:
    run_id = gan_run(16, 1, epochs=2, schedule="exponential", decay_rate=0.5)
    assert worker.main(folders / run_id) == 0, runs.read_status(run_id).get("error_detail")
    rates = [row["learning_rate"] for row in runs.read_metrics(run_id) if row["type"] == "epoch"]
    assert rates == pytest.approx([5e-5, 2.5e-5])  # halved once per epoch


def test_one_class_only(folders) -> None:
    run_id = gan_run(16, 1, epochs=3, gan_class="circle")
    assert worker.main(folders / run_id) == 0
    assert runs.read_status(run_id)["steps_per_epoch"] == 1  # the circles of the training split
    epochs = [row["epoch"] for row in runs.read_metrics(run_id) if row["type"] == "epoch"]
    assert epochs == [1, 2, 3]  # a filtered stream must not run dry after the first epoch
    bad = gan_run(16, 1, gan_class="hexagon")
    assert worker.main(folders / bad) == 1
    assert "no class 'hexagon'" in runs.read_status(bad)["error"]


def test_a_nan_loss_stops_the_run_with_a_message(folders, monkeypatch) -> None:
    def diverging(self, data):
        return {"d_loss": math.nan, "g_loss": 1.0, "d_real": 0.5, "d_fake": 0.5}

    monkeypatch.setattr(DCGAN, "train_step", diverging)
    run_id = gan_run(16, 1)
    assert worker.main(folders / run_id) == 1
    error = runs.read_status(run_id)["error"]
    assert "diverged at epoch 1, batch 1" in error and "discriminator loss" in error


def test_the_guard_refuses_any_non_finite_loss() -> None:
    guard = DivergenceGuard(steps_per_epoch=4)
    guard.on_epoch_begin(0)
    with pytest.raises(TrainingDiverged, match="generator loss"):
        guard.on_train_batch_end(0, {"d_loss": 0.5, "g_loss": math.inf})


@pytest.mark.slow
def test_an_interrupted_gan_resumes_from_its_last_epoch(folders) -> None:
    first = gan_run(16, 1, epochs=1)
    assert worker.main(folders / first) == 0
    resumed = gan_run(16, 1, epochs=2)
    for name in ("generator.keras", "discriminator.keras", "checkpoint.json"):
        shutil.copy(folders / first / name, folders / resumed / name)
    shutil.copytree(folders / first / "samples", folders / resumed / "samples")
    runs.update_status(resumed, state="queued", resume=True)
    before = keras.saving.load_model(folders / first / "generator.keras").get_weights()
    assert worker.main(folders / resumed) == 0
    epochs = [row["epoch"] for row in runs.read_metrics(resumed) if row["type"] == "epoch"]
    assert epochs == [2]
    assert (folders / resumed / "samples" / "epoch_0002.png").exists()
    after = keras.saving.load_model(folders / resumed / "generator.keras").get_weights()
    assert any(not np.allclose(old, new) for old, new in zip(before, after))
    assert read_json(folders / resumed / "checkpoint.json")["epoch"] == 2


def test_a_stop_request_ends_a_gan_at_its_next_batch(folders) -> None:
    run_id = gan_run(16, 1, epochs=50)
    (folders / run_id / "stop.request").write_text("")
    assert worker.main(folders / run_id) == 0
    status = runs.read_status(run_id)
    assert status["state"] == "stopped" and status["stopped_by_user"] is True
    assert status.evaluated and status.resumable
    metrics = read_json(folders / run_id / "metrics.json")
    assert metrics["stopped_by_user"] is True and metrics["epochs_trained"] < 50
    assert (folders / run_id / "generator.keras").exists()  # what it learned is kept
