"""Compiling a network for training, in one place: the worker trains what ``timing`` times.

A classifier gets the configured optimiser and schedule, sparse cross-entropy (label-smoothed
when configured) and its metrics;
each of a GAN's two networks gets the configured optimiser and schedule too, with the DCGAN
paper's Adam momentum.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import keras

from cnnviz.models.layers import SmoothedSparseCrossentropy, SparseAUC
from cnnviz.training.config import TrainConfig
from cnnviz.training.optimizers import build_optimizer

if TYPE_CHECKING:  # the GAN package imports this module's callers, not the other way round
    from cnnviz.gan.networks import DCGAN

# Adam's first-moment decay for a GAN (Radford et al. 2016, and keras-io's DCGAN): the default
# 0.9 makes the two networks oscillate.
GAN_ADAM_BETA_1 = 0.5


def compile_classifier(model: keras.Model, training: TrainConfig, num_classes: int,
                       outputs_logits: bool, steps_per_epoch: int,
                       learning_rate: float | None = None) -> None:
    """Compile ``model`` as the worker trains it; ``learning_rate`` overrides the config's
    (the fine-tuning phase)."""
    metrics = [keras.metrics.SparseCategoricalAccuracy(name="accuracy")]
    if num_classes > 5:  # among five classes or fewer, top-3 accuracy says little
        metrics.append(keras.metrics.SparseTopKCategoricalAccuracy(3, name="top3_accuracy"))
    metrics.append(SparseAUC(num_classes, from_logits=outputs_logits))
    model.compile(
        optimizer=build_optimizer(training, steps_per_epoch, learning_rate),
        loss=classifier_loss(training, num_classes, outputs_logits),
        metrics=metrics,
    )


def classifier_loss(training: TrainConfig, num_classes: int,
                    outputs_logits: bool) -> keras.losses.Loss:
    """Sparse cross-entropy, against smoothed targets when the run asks for label smoothing."""
    if training.label_smoothing > 0:
        return SmoothedSparseCrossentropy(num_classes, training.label_smoothing,
                                          from_logits=outputs_logits)
    return keras.losses.SparseCategoricalCrossentropy(from_logits=outputs_logits)


def compile_gan(gan: DCGAN, training: TrainConfig, steps_per_epoch: int) -> None:
    """Give the generator and the discriminator one configured optimiser each."""
    gan.compile(build_optimizer(training, steps_per_epoch, adam_beta_1=GAN_ADAM_BETA_1),
                build_optimizer(training, steps_per_epoch, adam_beta_1=GAN_ADAM_BETA_1))
