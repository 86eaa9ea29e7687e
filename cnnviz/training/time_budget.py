"""Training for a number of minutes instead of a number of epochs.

A lesson has ten minutes, not twenty epochs: how many epochs fit depends on the machine and on
what else it runs (bursts of the Fashion-MNIST preset's network on the same 2-core server ran
at 4,425 images/s one day and 2,985 the next). With a time budget the run stops when the minutes are spent, and a
cosine schedule follows the time instead of the steps, so the rate still reaches zero at the
end (where most of the accuracy of a cosine run is won) whatever the speed turned out to be.
The epochs stay the most a run trains: on a fast machine it ends there, the cosine with it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from typing import Any

import keras

from cnnviz.runs.folder import RunFolder
from cnnviz.runs.store import read_folder_metrics
from cnnviz.training.config import TrainConfig


def trained_seconds(rows: Iterable[dict[str, Any]], epochs_done: int) -> float:
    """Seconds a run trained in its first ``epochs_done`` epochs, from its epoch lines: a
    resumed run keeps what it spent before it was interrupted (the worker's restart and
    loading do not count), and an epoch trained twice (after a kill between its line and its
    checkpoint) counts once, as it was last trained."""
    seconds = {int(row["epoch"]): float(row.get("seconds") or 0.0)
               for row in rows if row.get("type") == "epoch" and int(row["epoch"]) <= epochs_done}
    return sum(seconds.values())


def cosine_rate(initial: float, progress: float) -> float:
    """Cosine decay from ``initial`` to zero over ``progress`` in 0..1 (Loshchilov & Hutter
    2017, without restarts), the curve Keras's ``CosineDecay`` draws over steps."""
    return initial * 0.5 * (1.0 + math.cos(math.pi * min(1.0, max(0.0, progress))))


def run_time_budget(folder: RunFolder, training: TrainConfig, initial_epoch: int,
                    update: Callable[..., None]) -> TimeBudget | None:
    """The budget of a run starting (or resuming at ``initial_epoch``) in ``folder``, with
    the seconds it trained before; ``update`` gives the status the moment it runs out, for
    the page's time left. None when the run trains all its epochs."""
    seconds = training.time_budget_seconds
    if seconds is None:
        return None
    spent = trained_seconds(read_folder_metrics(folder), initial_epoch)
    update(time_budget_seconds=seconds, budget_ends=time.time() + max(0.0, seconds - spent))
    return TimeBudget(seconds, spent=spent)


class TimeBudget(keras.callbacks.Callback):
    """Stops training once ``seconds`` of training are spent (``spent`` of them before a
    resume), after the batch that crossed the line; Keras still validates and records that
    last epoch. One budget serves both phases of a fine-tuned run: each ``fit`` adds its time.

    With a cosine schedule (``start_phase``'s ``cosine_from``, the phase's initial rate) it
    sets the rate before every batch from how far the run is, in time or in the phase's steps,
    whichever is further."""

    def __init__(self, seconds: float, spent: float = 0.0,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        super().__init__()
        self.seconds = seconds
        self.spent = spent
        self.clock = clock
        self.ran_out = False
        self._began: float | None = None
        self._cosine_from: float | None = None
        self._total_steps = 1
        self._steps_done = 0

    def start_phase(self, total_steps: int, cosine_from: float | None,
                    steps_done: int = 0) -> TimeBudget:
        """Get ready for one ``fit`` of ``total_steps`` steps, ``steps_done`` of them already
        trained before a resume; returns itself, to go in the callbacks."""
        self._total_steps, self._cosine_from = max(1, total_steps), cosine_from
        self._steps_done = steps_done
        return self

    def elapsed(self) -> float:
        """Seconds of training so far, this worker's and the ones before a resume."""
        running = self.clock() - self._began if self._began is not None else 0.0
        return self.spent + running

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._began = self.clock()

    def on_train_end(self, logs: dict | None = None) -> None:
        self.spent, self._began = self.elapsed(), None

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        if self._cosine_from is None:
            return
        progress = max(self.elapsed() / self.seconds, self._steps_done / self._total_steps)
        rate = cosine_rate(self._cosine_from, progress)
        for optimizer in self._optimizers():
            optimizer.learning_rate = rate

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._steps_done += 1
        if self.elapsed() >= self.seconds:
            self.ran_out = True
            self.model.stop_training = True

    def _optimizers(self) -> list[keras.optimizers.Optimizer]:
        """A classifier's optimiser, or a GAN's two (its own ``optimizer`` trains nothing)."""
        if hasattr(self.model, "generator_optimizer"):
            return [self.model.generator_optimizer, self.model.discriminator_optimizer]
        return [self.model.optimizer]
