"""Optimiser and learning-rate schedule from a :class:`TrainConfig`."""

from __future__ import annotations

import keras

from cnnviz.training.config import TrainConfig


def build_optimizer(
    config: TrainConfig, steps_per_epoch: int, learning_rate: float | None = None,
    adam_beta_1: float = 0.9,
) -> keras.optimizers.Optimizer:
    """The configured optimiser; ``learning_rate`` overrides the config's (fine-tuning phase),
    ``adam_beta_1`` is Adam's first-moment decay (Keras's default; a GAN's is lower)."""
    rate = learning_rate_schedule(config, steps_per_epoch, learning_rate or config.learning_rate)
    if config.optimizer == "adam":
        return keras.optimizers.Adam(learning_rate=rate, beta_1=adam_beta_1)
    if config.optimizer == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate=rate)
    return keras.optimizers.SGD(learning_rate=rate, momentum=config.momentum)


def learning_rate_schedule(
    config: TrainConfig, steps_per_epoch: int, initial: float
) -> float | keras.optimizers.schedules.LearningRateSchedule:
    """Constant, exponential decay (``decay_rate`` per epoch) or cosine decay to zero over the
    epochs; with a time budget the cosine follows the time, so the optimiser gets a settable
    rate and ``TimeBudget`` moves it."""
    if config.schedule == "exponential":
        return keras.optimizers.schedules.ExponentialDecay(
            initial, decay_steps=max(1, steps_per_epoch), decay_rate=config.decay_rate
        )
    if config.schedule == "cosine" and not config.cosine_follows_time:
        return keras.optimizers.schedules.CosineDecay(
            initial, decay_steps=max(1, steps_per_epoch * config.epochs)
        )
    return initial
