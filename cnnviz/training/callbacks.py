"""Keras callbacks that record a run into its folder; the pages only read what they write.

Recording is kept apart from display (fastai's rule): the worker never knows a page exists.
"""

from __future__ import annotations

import json
import math
import threading
import time
from pathlib import Path
from collections.abc import Callable
from typing import Any

import keras
import numpy as np

from cnnviz.atomic import write_json_atomic, write_with_atomic
from cnnviz.errors import TrainingDiverged
from cnnviz.runs.folder import RunFolder


class StopSignal:
    """Set when the user asked the run to stop (a request file or SIGTERM).

    A background thread polls the request file, so the per-batch check costs one flag read
    instead of a file-system call.
    """

    def __init__(self, request_file: Path, poll_seconds: float = 0.5) -> None:
        self._event = threading.Event()
        self._request_file = request_file
        self._poll_seconds = poll_seconds
        threading.Thread(target=self._watch, daemon=True, name="stop-watcher").start()

    def set(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def _watch(self) -> None:
        while not self._event.is_set():
            if self._request_file.exists():
                self._event.set()
            time.sleep(self._poll_seconds)


class DivergenceGuard(keras.callbacks.Callback):
    """Refuses a NaN or infinite loss (``loss``, or a GAN's ``d_loss`` and ``g_loss``) after
    every batch and every epoch: the run fails with where it happened."""

    def __init__(self, steps_per_epoch: int) -> None:
        super().__init__()
        self.steps_per_epoch = steps_per_epoch
        self._epoch = 0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch = epoch + 1

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        _refuse_non_finite(logs, self._epoch, batch + 1)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        _refuse_non_finite(logs, epoch + 1, self.steps_per_epoch)


def _refuse_non_finite(logs: dict | None, epoch: int, batch: int) -> None:
    for name, value in (logs or {}).items():
        if name.endswith("loss") and not math.isfinite(float(value)):
            raise TrainingDiverged(epoch, batch, name)


class StopOnRequest(keras.callbacks.Callback):
    """Ends training after the current batch once the user asked the run to stop."""

    def __init__(self, stop_signal: StopSignal) -> None:
        super().__init__()
        self.stop_signal = stop_signal
        self.stopped_by_request = False

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.stop_signal.is_set():
            self.stopped_by_request = True
            self.model.stop_training = True


class MetricsWriter(keras.callbacks.Callback):
    """Appends metric lines to ``metrics.jsonl``.

    One line after the first batch of each epoch (so a chart shows a point at once), then every
    ``log_every`` batches (running loss and accuracy of the epoch so far, learning rate, images
    per second), and one per epoch with training and validation metrics and whether ``stopper``
    ended it.
    """

    def __init__(self, run_dir: Path, stopper: StopOnRequest, log_every: int,
                 batch_size: int, steps_per_epoch: int, phase: int = 1) -> None:
        super().__init__()
        self.metrics_file = RunFolder(run_dir).metrics_log
        self.stopper = stopper
        self.log_every = log_every
        self.batch_size = batch_size
        self.steps_per_epoch = steps_per_epoch
        self.phase = phase
        self._epoch = 0
        self._epoch_started = 0.0
        self._window_started = 0.0
        self._window_batches = 0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch = epoch + 1
        self._epoch_started = self._window_started = time.perf_counter()
        self._window_batches = 0

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._window_batches += 1
        if batch == 0 or (batch + 1) % self.log_every == 0 or batch + 1 == self.steps_per_epoch:
            now = time.perf_counter()
            images = self._window_batches * self.batch_size
            self._append({
                "type": "batch",
                "phase": self.phase,
                "epoch": self._epoch,
                "batch": batch + 1,
                "batches": self.steps_per_epoch,
                "images_per_second": images / max(now - self._window_started, 1e-9),
                "learning_rate": self._learning_rate(),
                **_plain(logs or {}),
            })
            self._window_started, self._window_batches = now, 0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._append({
            "type": "epoch",
            "phase": self.phase,
            "epoch": epoch + 1,
            "seconds": time.perf_counter() - self._epoch_started,
            "learning_rate": self._learning_rate(),
            "stopped_by_request": self.stopper.stopped_by_request,
            **_plain(logs or {}),
        })

    def _learning_rate(self) -> float:
        """The rate of the optimiser that trains the model (a GAN's generator optimiser)."""
        optimizer = getattr(self.model, "generator_optimizer", None) or self.model.optimizer
        return float(keras.ops.convert_to_numpy(optimizer.learning_rate))

    def _append(self, row: dict[str, Any]) -> None:
        row["time"] = time.time()
        with open(self.metrics_file, "a") as handle:
            handle.write(json.dumps(row) + "\n")


def run_recorders(run_dir: Path, stop_signal: StopSignal, log_every: int, batch_size: int,
                  steps_per_epoch: int, phase: int = 1
                  ) -> tuple[StopOnRequest, list[keras.callbacks.Callback]]:
    """The callbacks every run records itself with, in their order (a diverged loss fails the
    batch before a stop or a line is taken): the stopper, to ask whether the user ended the
    run, and the list to fit with."""
    stopper = StopOnRequest(stop_signal)
    writer = MetricsWriter(run_dir, stopper, log_every, batch_size, steps_per_epoch, phase)
    return stopper, [DivergenceGuard(steps_per_epoch), stopper, writer]


class DroppedImagesReporter(keras.callbacks.Callback):
    """After every epoch (validation included), ``report`` writes the images a streamed split
    could not decode so far: the Train page shows them while training goes on."""

    def __init__(self, report: Callable[[], object]) -> None:
        super().__init__()
        self.report = report

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.report()


class BestModelSaver(keras.callbacks.Callback):
    """Keeps ``model.keras`` = the weights with the best monitored value so far (atomic save)."""

    def __init__(self, run_dir: Path, monitor: str, best: float | None = None) -> None:
        super().__init__()
        self.folder = RunFolder(run_dir)
        self.monitor = monitor
        self.best = math.inf if best is None else best
        self.best_epoch: int | None = None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        value = (logs or {}).get(self.monitor)
        if value is not None and float(value) < self.best:
            self.best, self.best_epoch = float(value), epoch + 1
            save_model(self.model, self.folder.model)


class ResumeCheckpoint(keras.callbacks.Callback):
    """Keeps ``checkpoint.keras`` + ``checkpoint.json`` = the latest epoch, to resume from; the
    JSON carries ``saver``'s best so far, so a resumed run keeps the same best model. Goes
    after the saver."""

    def __init__(self, run_dir: Path, saver: BestModelSaver) -> None:
        super().__init__()
        self.folder = RunFolder(run_dir)
        self.saver = saver

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        save_model(self.model, self.folder.checkpoint_model)
        write_json_atomic(self.folder.checkpoint, {
            "epoch": epoch + 1, "best": self.saver.best, "best_epoch": self.saver.best_epoch,
            "monitor": self.saver.monitor,
        })


def save_model(model: keras.Model, path: Path) -> None:
    """``model.save`` through a temporary file, so a kill mid-save keeps the previous model."""
    write_with_atomic(path, lambda temporary: model.save(temporary))


def _plain(logs: dict) -> dict[str, float]:
    """Keras logs as plain floats for JSON (NaN becomes None)."""
    plain = {}
    for name, value in logs.items():
        number = float(np.asarray(value))
        plain[name] = number if math.isfinite(number) else None
    return plain
