"""Batch-normalisation statistics measured again at the end of training ("precise BN").

A batch-normalisation layer normalises with its batch's statistics while it trains and with
moving averages of them afterwards (momentum 0.99: roughly the last hundred steps, taken while
the weights were still moving). A long run ends with averages that match its final weights; a
run stopped after a few hundred steps (a time budget on a busy server) does not, and its
validation and test accuracy then fall far below what its training batches reach
(``benchmarks/RESULTS.md``, "Class mode's caps"). So the last batch of a fit measures the
statistics again with the final weights, as the average over some training batches, before
Keras validates that epoch and the best model is saved (Wu & Johnson 2021, "Rethinking
'Batch' in BatchNorm", section 3).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import keras
import tensorflow as tf

# Training images the statistics are averaged over: enough for a steady mean and variance
# per channel, few enough to take about a second on a CPU.
SETTLE_IMAGES = 2048


def batchnorm_layers(layer: keras.layers.Layer) -> Iterator[keras.layers.BatchNormalization]:
    """The trainable batch-normalisation layers in ``layer``, nested models included (a frozen
    one normalises with its moving statistics even in training mode, so it is left alone)."""
    if isinstance(layer, keras.layers.BatchNormalization):
        if layer.trainable:
            yield layer
        return
    for inner in getattr(layer, "layers", ()):
        yield from batchnorm_layers(inner)


def settle_batchnorm(model: keras.Model, images: tf.data.Dataset, batches: int) -> int:
    """Set every trainable batch-normalisation layer's moving statistics to the average of its
    batch statistics over the first ``batches`` batches of ``images`` (elements whose first
    item is a batch of images), with the weights as they are; returns the batches used."""
    layers = list(batchnorm_layers(model))
    if not layers:
        return 0
    momenta = [layer.momentum for layer in layers]
    used = 0
    try:
        for element in images.take(batches):
            # A running average: batch k counts 1/(k+1), so every batch counts the same.
            for layer in layers:
                layer.momentum = used / (used + 1)
            model(element[0], training=True)
            used += 1
    finally:
        for layer, momentum in zip(layers, momenta):
            layer.momentum = momentum
    return used


class SettleBatchNorm(keras.callbacks.Callback):
    """Measures the batch-normalisation statistics again after the last batch of a fit: the
    last epoch's last batch, or the batch after which something stopped training (a time
    budget, a stop request), so that epoch's validation and saved model use them. Goes after
    the callbacks that stop training."""

    def __init__(self, images: tf.data.Dataset, batch_size: int, steps_per_epoch: int,
                 last_epoch: int) -> None:
        super().__init__()
        self.images = images
        self.batches = max(1, math.ceil(SETTLE_IMAGES / batch_size))
        self.steps_per_epoch = steps_per_epoch
        self.last_epoch = last_epoch
        self._epoch = 0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        last_batch = batch + 1 == self.steps_per_epoch
        if self.model.stop_training or (last_batch and self._epoch + 1 == self.last_epoch):
            settle_batchnorm(self.model, self.images, self.batches)
