"""Batch-normalisation statistics measured again at the end of a fit (precise BN)."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from cnnviz.training import batchnorm
from cnnviz.training.batchnorm import SettleBatchNorm, settle_batchnorm


def normalising_model(frozen_inner: bool = False) -> keras.Model:
    """Inputs -> batch normalisation, with a frozen inner model that normalises too."""
    inputs = keras.Input((3,))
    inner_inputs = keras.Input((3,))
    inner = keras.Model(inner_inputs, keras.layers.BatchNormalization()(inner_inputs))
    inner.trainable = not frozen_inner
    outputs = keras.layers.BatchNormalization()(inner(inputs))
    return keras.Model(inputs, keras.layers.Dense(2)(outputs))


def images_and_labels(count: int = 256) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.normal(5.0, 2.0, (count, 3)).astype("float32"), rng.integers(0, 2, count)


def test_the_moving_statistics_become_the_average_over_the_batches() -> None:
    model = normalising_model(frozen_inner=True)
    images, labels = images_and_labels()
    stream = tf.data.Dataset.from_tensor_slices((images, labels)).batch(64)
    assert settle_batchnorm(model, stream, batches=4) == 4
    frozen, settled = list(batchnorm.batchnorm_layers(model.layers[1])), model.layers[2]
    assert frozen == []  # the frozen inner layer is left as it was
    np.testing.assert_array_equal(model.layers[1].layers[1].moving_mean.numpy(), np.zeros(3))
    # What the settled layer sees: the images through the frozen layer's fixed statistics.
    seen = keras.ops.convert_to_numpy(model.layers[1](images))
    by_batch = seen.reshape(4, 64, 3)
    np.testing.assert_allclose(settled.moving_mean.numpy(), by_batch.mean(axis=1).mean(axis=0),
                               rtol=1e-5)
    np.testing.assert_allclose(settled.moving_variance.numpy(),
                               by_batch.var(axis=1).mean(axis=0), rtol=1e-4)
    assert settled.momentum == pytest.approx(0.99)  # the layer's own momentum is back


def test_nested_trainable_layers_are_settled_and_a_model_without_any_is_left_alone() -> None:
    model = normalising_model()
    assert len(list(batchnorm.batchnorm_layers(model))) == 2
    images, labels = images_and_labels()
    plain = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    stream = tf.data.Dataset.from_tensor_slices((images, labels)).batch(64)
    assert settle_batchnorm(plain, stream, batches=4) == 0


class StopAt(keras.callbacks.Callback):
    def __init__(self, epoch: int, batch: int) -> None:
        super().__init__()
        self.at = (epoch, batch)
        self.epoch = 0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if (self.epoch, batch) == self.at:
            self.model.stop_training = True


@pytest.mark.parametrize("stop, settled_after_steps", [(None, [8]), ((0, 1), [2])])
def test_the_callback_settles_once_after_the_last_batch_of_the_fit(monkeypatch, stop,
                                                                     settled_after_steps) -> None:
    """Two epochs of four steps: the statistics are measured after the last step, or after
    the step that stopped training (a time budget, a stop request), never in between."""
    model = normalising_model()
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(True))
    images, labels = images_and_labels(128)
    stream = tf.data.Dataset.from_tensor_slices((images, labels)).batch(32)
    steps_done = []
    monkeypatch.setattr(batchnorm, "settle_batchnorm", lambda model, *_: steps_done.append(
        int(model.optimizer.iterations.numpy())))
    settle = SettleBatchNorm(stream, batch_size=32, steps_per_epoch=4, last_epoch=2)
    stoppers = [StopAt(*stop)] if stop else []
    model.fit(stream, epochs=2, callbacks=[*stoppers, settle], verbose=0)
    assert steps_done == settled_after_steps
    assert settle.batches == 64  # SETTLE_IMAGES at 32 a batch
