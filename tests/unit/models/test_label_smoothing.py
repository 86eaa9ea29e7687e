"""Label smoothing: the loss for integer labels, the config's bounds, and a saved model that
loads with it (safe mode)."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from cnnviz.errors import InvalidSpecError
from cnnviz.models.layers import SmoothedSparseCrossentropy
from cnnviz.models.saved import load_saved_model
from cnnviz.training.compiling import classifier_loss, compile_classifier
from cnnviz.training.config import TrainConfig

LOGITS = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0]], dtype="float32")
LABELS = np.array([0, 2])


def test_the_smoothed_loss_equals_keras_categorical_crossentropy_on_one_hot_labels() -> None:
    ours = SmoothedSparseCrossentropy(3, 0.1, from_logits=True)(LABELS, LOGITS)
    keras_own = keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)(
        keras.utils.to_categorical(LABELS, 3), LOGITS)
    assert float(ours) == pytest.approx(float(keras_own), rel=1e-6)
    sharp = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(LABELS, LOGITS)
    assert float(ours) > float(sharp)  # a confident right answer now costs something


def test_a_run_without_smoothing_keeps_plain_sparse_crossentropy() -> None:
    assert isinstance(classifier_loss(TrainConfig(), 3, True),
                      keras.losses.SparseCategoricalCrossentropy)
    smoothed = classifier_loss(TrainConfig(label_smoothing=0.2), 3, True)
    assert isinstance(smoothed, SmoothedSparseCrossentropy)
    assert smoothed.label_smoothing == 0.2


@pytest.mark.parametrize("value", [-0.1, 1.0])
def test_label_smoothing_outside_0_1_is_refused(value: float) -> None:
    with pytest.raises(InvalidSpecError) as raised:
        TrainConfig(label_smoothing=value)
    assert raised.value.key == "error.train_config.label_smoothing_must_lie"


def test_a_model_trained_with_label_smoothing_saves_and_loads_in_safe_mode(tmp_path) -> None:
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(3)(inputs))
    compile_classifier(model, TrainConfig(label_smoothing=0.1), num_classes=3,
                       outputs_logits=True, steps_per_epoch=1)
    images = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
    model.fit(images, np.arange(8) % 3, epochs=1, verbose=0)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = load_saved_model(path)
    assert isinstance(loaded.loss, SmoothedSparseCrossentropy)
    assert loaded.loss.label_smoothing == 0.1
    np.testing.assert_allclose(loaded.predict(images, verbose=0), model.predict(images, verbose=0))
