"""How long a run will take on this machine, measured before it starts.

A teacher must know whether a preset fits in the lesson. The fairest estimate times the real
network: it is built and compiled as the worker does it, a few training steps on random images are timed,
and the per-step time is multiplied by the steps the run will make. The validation and test
passes are counted as forward passes (about a third of a training step per image).
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np

from cnnviz.runs import RunConfig

# Images per timed step: a large network is timed on a few images (ResNet-18 takes 15 s for a
# batch of 64 on two cores); a step shorter than CHEAP_STEP_SECONDS is mostly fixed overhead,
# so such a network is timed again on a batch close to its real one.
SMALL_TIMED_BATCH = 16
LARGE_TIMED_BATCH = 256
CHEAP_STEP_SECONDS = 0.1
TIMED_STEPS = 2
# Seconds a worker needs before its first step (TensorFlow import, reading, building).
START_SECONDS = 15.0
FORWARD_SHARE = 1 / 3  # a forward pass costs about a third of a training step
TIMED_STEPS_PER_EPOCH = 100  # for a schedule's decay steps; a few timed steps never reach it


def step_seconds(config: RunConfig, input_shape: tuple[int, int, int], num_classes: int) -> float:
    """Median seconds of one training step of ``config``'s network at its batch size.

    Transfer bases are built without their ImageNet weights: the arithmetic is the same and
    no download is attempted. Keras's global state is left as it is (no ``clear_session``):
    the server times networks on a script thread while other sessions' models predict.
    """
    rng = np.random.default_rng(0)
    if config.kind == "gan":
        model = _gan(config, input_shape)
        fit = lambda images: model.train_on_batch(images)  # noqa: E731
    else:
        model = _classifier(config, input_shape, num_classes)
        fit = lambda images: model.train_on_batch(  # noqa: E731
            images, rng.integers(0, num_classes, len(images)))
    wanted = config.training.batch_size
    batch = min(wanted, SMALL_TIMED_BATCH)
    seconds = _median_step(fit, rng.random((batch, *input_shape), dtype=np.float32))
    if seconds < CHEAP_STEP_SECONDS and wanted > batch:
        batch = min(wanted, LARGE_TIMED_BATCH)
        seconds = _median_step(fit, rng.random((batch, *input_shape), dtype=np.float32))
    return seconds * wanted / batch


def _median_step(fit, images: np.ndarray) -> float:
    fit(images)  # the first call traces the graph
    timings = []
    for _ in range(TIMED_STEPS):
        started = time.perf_counter()
        fit(images)
        timings.append(time.perf_counter() - started)
    return float(np.median(timings))


def expected_seconds(config: RunConfig, seconds_per_step: float,
                     split: tuple[int, int, int]) -> float:
    """The run's expected duration for ``split`` = (train, validation, test) images: an upper
    bound when early stopping may end it sooner; a time budget caps the training, not the
    test pass after it."""
    train, validation, test = split
    batch = config.training.batch_size
    epochs = config.training.epochs
    if config.model.architecture == "transfer":
        epochs += config.training.fine_tune_epochs
    steps = math.ceil(train / batch)
    if config.kind == "gan":
        validation = test = 0
    training = seconds_per_step * (epochs * steps + FORWARD_SHARE * validation * epochs / batch)
    if config.training.time_budget_seconds is not None:
        training = min(training, config.training.time_budget_seconds)
    return START_SECONDS + training + seconds_per_step * FORWARD_SHARE * test / batch


def _classifier(config: RunConfig, input_shape: tuple[int, int, int], num_classes: int):
    from cnnviz.models.build import build_model
    from cnnviz.training.compiling import compile_classifier

    spec = config.model
    if spec.architecture == "transfer":
        spec = dataclasses.replace(spec, weights=None)
    built = build_model(spec, input_shape, num_classes, l1=config.training.l1,
                        l2=config.training.l2, seed=config.training.seed)
    compile_classifier(built.model, config.training, num_classes, built.outputs_logits,
                       steps_per_epoch=TIMED_STEPS_PER_EPOCH)
    return built.model


def _gan(config: RunConfig, input_shape: tuple[int, int, int]):
    from cnnviz.gan.networks import DCGAN, build_discriminator, build_generator
    from cnnviz.training.compiling import compile_gan

    gan = DCGAN(build_generator(config.model, input_shape), build_discriminator(input_shape),
                seed=config.training.seed)
    compile_gan(gan, config.training, steps_per_epoch=TIMED_STEPS_PER_EPOCH)
    return gan


def format_duration(seconds: float) -> str:
    """A duration as a person says it: "45 s", "12 min", "1 h 05 min"."""
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
