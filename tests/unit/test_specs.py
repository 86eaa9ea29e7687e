"""Specs round-trip through JSON and refuse impossible settings."""

from __future__ import annotations

import pytest

from cnnviz.datasets.spec import Augmentation, DatasetSpec
from cnnviz.errors import InvalidSpecError
from cnnviz.specs import spec_from_json, spec_to_json


def test_dataset_spec_round_trips_through_json() -> None:
    spec = DatasetSpec(
        source="folder",
        path="art",
        image_size=(64, 64),
        channels=3,
        resize_mode="crop",
        merge=(("drawings", ("drawings", "engraving")),),
        classes=("drawings", "painting"),
        balancing="oversample",
        augmentation=Augmentation(flip="horizontal", rotation=0.1),
        attribute_split_sizes=(10, 2, 1),
    )
    text = spec_to_json(spec)
    assert spec_from_json(DatasetSpec, text) == spec
    assert spec_to_json(spec_from_json(DatasetSpec, text)) == text


@pytest.mark.parametrize(
    "settings",
    [
        {"source": "imagenet"},
        {"source": "folder"},
        {"source": "attributes", "path": "celeba"},
        {"channels": 2},
        {"image_size": (2, 64)},
        {"resize_mode": "squash"},
        {"validation_fraction": 0.5, "test_fraction": 0.5},
        {"balancing": "smote"},
    ],
)
def test_impossible_settings_are_refused(settings: dict) -> None:
    with pytest.raises(InvalidSpecError):
        DatasetSpec(**settings)


def test_unknown_keys_and_bad_json_are_refused() -> None:
    with pytest.raises(InvalidSpecError, match="no setting"):
        spec_from_json(DatasetSpec, '{"source": "shapes", "colour": 3}')
    with pytest.raises(InvalidSpecError, match="not valid JSON"):
        spec_from_json(DatasetSpec, "{source")
    with pytest.raises(InvalidSpecError):
        Augmentation(flip="sideways")


def test_model_and_training_specs_round_trip() -> None:
    from cnnviz.models.spec import BlockSpec, ModelSpec
    from cnnviz.training.config import TrainConfig

    model = ModelSpec(architecture="builder", blocks=(
        BlockSpec("conv", filters=8, padding="same"), BlockSpec("pool"), BlockSpec("dense", units=4),
    ), head_units=(128, 64), dropout_rate=0.1)
    assert spec_from_json(ModelSpec, spec_to_json(model)) == model
    training = TrainConfig(optimizer="sgd", schedule="cosine", early_stopping=True, l2=1e-4)
    assert spec_from_json(TrainConfig, spec_to_json(training)) == training


@pytest.mark.parametrize("settings", [
    {"optimizer": "adamw2"}, {"learning_rate": 0}, {"batch_size": 0}, {"l1": -1.0},
    {"schedule": "cosine", "reduce_on_plateau": True}, {"distribution": "tpu"},
    {"log_every_batches": 0},
])
def test_impossible_training_settings_are_refused(settings: dict) -> None:
    from cnnviz.training.config import TrainConfig

    with pytest.raises(InvalidSpecError):
        TrainConfig(**settings)


def test_metrics_lines_come_about_fifty_times_an_epoch_unless_an_interval_is_given() -> None:
    from cnnviz.training.config import LINES_PER_EPOCH, TrainConfig

    automatic = TrainConfig()
    assert automatic.batches_between_lines(20) == 1  # a small epoch logs every batch
    assert automatic.batches_between_lines(399) == 8  # Fashion-MNIST at batch 128
    assert 399 / automatic.batches_between_lines(399) <= LINES_PER_EPOCH
    assert TrainConfig(log_every_batches=10).batches_between_lines(399) == 10
    assert spec_from_json(TrainConfig, spec_to_json(automatic)) == automatic
