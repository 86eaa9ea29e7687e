"""How to train: optimiser, schedule, callbacks and devices, as a frozen JSON-round-trippable
description. Data choices (split, balancing, augmentation) live in the DatasetSpec."""

from __future__ import annotations

import math
from dataclasses import dataclass

from cnnviz.errors import InvalidSpecError

OPTIMIZERS = ("adam", "rmsprop", "sgd")
SCHEDULES = ("constant", "exponential", "cosine")
DISTRIBUTIONS = ("none", "mirrored", "multi_worker")
# Metrics lines an epoch when the logging interval is automatic: enough for a smooth per-batch
# curve (and for TensorBoard-like smoothing), few enough that the file stays small (a line is
# about 300 bytes, written in microseconds).
LINES_PER_EPOCH = 50


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of one training run."""

    optimizer: str = "adam"  # one of OPTIMIZERS
    learning_rate: float = 1e-3  # step size of the optimiser (report D compared 1e-3 and 1e-5)
    momentum: float = 0.9  # sgd only
    batch_size: int = 64  # images per gradient step
    epochs: int = 5  # passes over the training split (the most it trains, with a time budget)
    # Stop after this many minutes of training, the rate's cosine following the time
    # (``cnnviz.training.time_budget``); None: train all the epochs.
    time_budget_minutes: float | None = None
    l1: float = 0.0  # L1 penalty on the weights of conv and dense layers
    l2: float = 0.0  # L2 penalty on the weights of conv and dense layers
    # Share of the target spread over all classes (Szegedy et al. 2016): 0.1 asks for 90 % on
    # the right class, not 100 %, so a network that has learnt its training images stops
    # growing its weights to be surer of them.
    label_smoothing: float = 0.0
    schedule: str = "constant"  # learning-rate schedule, one of SCHEDULES
    decay_rate: float = 0.9  # exponential schedule: factor applied once per epoch
    reduce_on_plateau: bool = False  # halve (plateau_factor) the rate when val_loss stalls
    plateau_factor: float = 0.5
    plateau_patience: int = 2  # epochs without improvement before reducing
    early_stopping: bool = False  # stop when val_loss stalls, restore the best weights
    early_stopping_patience: int = 5
    fine_tune_epochs: int = 0  # transfer: epochs of phase two with the top layers unfrozen
    fine_tune_learning_rate: float = 1e-5  # transfer: rate of phase two
    seed: int = 0  # weights initialisation and shuffling
    mixed_precision: bool = False  # float16 compute on a GPU (ignored on the CPU)
    distribution: str = "none"  # "mirrored" over all GPUs; "multi_worker" over machines (TF_CONFIG)
    # A metrics line every this many batches; None: about LINES_PER_EPOCH lines an epoch,
    # so the per-batch curve has points to read even when an epoch has only 20 batches.
    log_every_batches: int | None = None

    def __post_init__(self) -> None:
        for name, allowed in (("optimizer", OPTIMIZERS), ("schedule", SCHEDULES),
                              ("distribution", DISTRIBUTIONS)):
            if getattr(self, name) not in allowed:
                raise InvalidSpecError(
                    "error.train_config.must", name=name, allowed=', '.join(allowed))
        if not 0.0 < self.learning_rate <= 10.0:
            raise InvalidSpecError("error.train_config.learning_rate_must_positive")
        if self.batch_size < 1 or self.epochs < 1:
            raise InvalidSpecError("error.train_config.batch_size_epochs_must")
        if self.time_budget_minutes is not None and not self.time_budget_minutes > 0:
            raise InvalidSpecError("error.train_config.time_budget_must_positive")
        if self.l1 < 0 or self.l2 < 0:
            raise InvalidSpecError("error.build.regularisation_strengths_cannot_negative")
        if not 0.0 <= self.label_smoothing < 1.0:
            raise InvalidSpecError("error.train_config.label_smoothing_must_lie")
        if self.fine_tune_epochs < 0 or (self.log_every_batches is not None
                                         and self.log_every_batches < 1):
            raise InvalidSpecError("error.train_config.counts_cannot_negative")
        if not 0.0 < self.decay_rate <= 1.0 or not 0.0 < self.plateau_factor < 1.0:
            raise InvalidSpecError("error.train_config.decay_factors_must_lie")
        if self.reduce_on_plateau and self.schedule != "constant":
            raise InvalidSpecError("error.train_config.reducing_rate_plateau_needs")

    @property
    def time_budget_seconds(self) -> float | None:
        return None if self.time_budget_minutes is None else self.time_budget_minutes * 60.0

    @property
    def cosine_follows_time(self) -> bool:
        """Whether a callback, not the optimiser's schedule, draws the cosine (over time)."""
        return self.schedule == "cosine" and self.time_budget_minutes is not None

    def batches_between_lines(self, steps_per_epoch: int) -> int:
        """How many batches pass between two metrics lines of an epoch of ``steps_per_epoch``."""
        if self.log_every_batches is not None:
            return self.log_every_batches
        return max(1, math.ceil(steps_per_epoch / LINES_PER_EPOCH))
