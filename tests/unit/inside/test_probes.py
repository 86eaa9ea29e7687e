"""Maps that grow during training: the real worker records the probes' maps and the first
filters after every epoch; a resumed run keeps its earlier epochs; every model family works."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import keras
import numpy as np
import pytest

from cnnviz import runs
from cnnviz.datasets import load_dataset
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.inside.probe_files import read_epoch, read_probe_set, recorded_epochs
from cnnviz.inside.probes import (KEPT_CHANNELS, MAX_SIDE, choose_probes, probe_layers,
                                  record_epoch)
from cnnviz.models.build import build_model
from cnnviz.models.spec import BlockSpec, ModelSpec
from cnnviz.training import worker
from cnnviz.training.config import TrainConfig

SHAPES = DatasetSpec(source="shapes", shapes_per_class=30, image_size=(28, 28), channels=1)


@pytest.fixture
def runs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(runs, "schedule", lambda: None)  # no queued run to start afterwards
    return tmp_path / "runs"


def trained(architecture: str = "fashion_cnn", epochs: int = 2) -> Path:
    """A run trained by the worker's own code in this process; its folder."""
    config = runs.RunConfig(SHAPES, ModelSpec(architecture=architecture),
                            TrainConfig(epochs=epochs, batch_size=32, log_every_batches=4))
    run_id = runs.create_run(config)
    assert worker.main(runs.run_path(run_id)) == 0, runs.read_status(run_id).get("error_detail")
    return runs.run_path(run_id)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_worker_records_every_epoch_with_the_right_shapes(runs_dir) -> None:
    folder = trained(epochs=2)
    probes = read_probe_set(folder)
    assert probes is not None and probes.split == "validation"
    assert probes.images.shape == (6, 28, 28, 1) and probes.images.dtype == np.uint8
    assert probes.labels.tolist() == list(range(6))  # one image of each class
    assert probes.class_names[:2] == ("circle", "square")
    assert probes.layer_names == ("conv1", "conv2")
    assert recorded_epochs(folder) == [0, 1, 2]  # 0: the untrained network
    records = [read_epoch(folder, epoch) for epoch in (0, 1, 2)]
    for record in records:
        conv1, conv2 = record.layers
        assert conv1.maps.shape == (6, 26, 26, KEPT_CHANNELS) and conv1.channels == 32
        assert conv2.maps.shape == (6, 11, 11, KEPT_CHANNELS) and conv2.channels == 64
        assert conv1.maps.dtype == np.uint8 and conv1.lows.shape == (6, KEPT_CHANNELS)
        assert np.all(conv1.highs >= conv1.lows)
        assert record.filters.shape == (32, 3, 3, 1) and record.filters_layer == "conv1"
        assert 0 < record.seconds < 5
    # Training changed the filters and the maps between the untrained network and epoch 2.
    assert not np.array_equal(records[0].filters, records[2].filters)
    assert not np.allclose(records[0].layers[1].highs, records[2].layers[1].highs)


def test_a_resumed_run_keeps_its_probes_and_earlier_epochs(runs_dir) -> None:
    folder = trained(epochs=2)
    before = {epoch: digest(runs.RunFolder(folder).probe_epoch(epoch)) for epoch in (0, 1, 2)}
    images = read_probe_set(folder).images
    config = json.loads(runs.RunFolder(folder).config.read_text())
    config["training"]["epochs"] = 3  # as if it had been interrupted after epoch 2 of 3
    runs.RunFolder(folder).config.write_text(json.dumps(config))
    runs.update_status(folder.name, state=runs.RunState.QUEUED, resume=True)
    assert worker.main(folder) == 0, runs.read_status(folder.name).get("error_detail")
    assert recorded_epochs(folder) == [0, 1, 2, 3]
    assert {epoch: digest(runs.RunFolder(folder).probe_epoch(epoch))
            for epoch in (0, 1, 2)} == before
    np.testing.assert_array_equal(read_probe_set(folder).images, images)


def test_a_network_without_convolutions_records_no_maps(runs_dir) -> None:
    folder = trained("mlp", epochs=1)
    probes = read_probe_set(folder)
    assert probes is not None and probes.layer_names == ()
    assert recorded_epochs(folder) == []
    assert runs.read_status(folder.name)["state"] == "finished"


@pytest.mark.parametrize("spec", [
    ModelSpec(architecture="resnet18"),
    ModelSpec(architecture="transfer", base="mobilenet_v2", weights=None, head_units=(8,)),
    ModelSpec(architecture="builder", blocks=(
        BlockSpec("conv", filters=8), BlockSpec("pool"), BlockSpec("conv", filters=24),
        BlockSpec("flatten"), BlockSpec("dense", units=16))),
], ids=["resnet18", "transfer", "builder"])
def test_every_family_records_its_convolutions(spec) -> None:
    dataset = load_dataset(DatasetSpec(source="shapes", shapes_per_class=10,
                                       image_size=(64, 64), channels=1))
    model = build_model(spec, dataset.image_shape, dataset.num_classes, seed=0).model
    layers = probe_layers(model)
    probes = choose_probes(dataset, layers, model)
    probe = keras.Model(model.inputs, [layer.output for layer in layers])
    record = record_epoch(model, probe, probes, 1)
    assert [layer.name for layer in record.layers] == [layer.name for layer in layers]
    assert record.layers, "no convolution recorded"
    for layer in record.layers:
        assert layer.maps.shape[0] == 6 and max(layer.maps.shape[1:3]) <= MAX_SIDE
        assert layer.maps.shape[3] == min(KEPT_CHANNELS, layer.channels)
    assert record.filters is not None and record.filters.ndim == 4
    if spec.architecture == "transfer":
        assert record.layers[-1].name == "feature_map"
    if spec.architecture == "resnet18":
        assert len(record.layers) >= 17  # 17 convolutions on the main path, plus shortcuts


def test_a_probe_that_does_not_decode_is_replaced_by_the_next_image_of_its_class(
        tmp_path: Path) -> None:
    from dataclasses import replace

    from cnnviz.datasets.dataset import Split

    dataset = load_dataset(DatasetSpec(source="shapes", shapes_per_class=40,
                                       image_size=(28, 28), channels=1))
    validation = dataset.validation
    assert np.sum(validation.labels == 0) >= 2
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    items = [validation.image(index) for index in range(len(validation))]
    first_circle = int(np.flatnonzero(validation.labels == 0)[0])
    items[first_circle] = str(broken)  # streamed from disk, and unreadable
    streamed = replace(dataset, validation=Split(validation.labels, validation.image_format,
                                                 items=items))
    model = build_model(ModelSpec(architecture="fashion_cnn"), dataset.image_shape,
                        dataset.num_classes, seed=0).model
    probes = choose_probes(streamed, probe_layers(model), model)
    assert probes.labels.tolist() == list(range(6))
    assert probes.rows[0] == np.flatnonzero(validation.labels == 0)[1]
    np.testing.assert_array_equal(probes.images[0], validation.image(int(probes.rows[0])))
