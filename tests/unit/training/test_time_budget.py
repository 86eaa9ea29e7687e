"""Training for minutes: the budget stops a real Keras fit and draws its cosine over time."""

from __future__ import annotations

import math
from pathlib import Path

import keras
import numpy as np
import pytest

from cnnviz import runs
from cnnviz.atomic import read_json
from cnnviz.errors import InvalidSpecError
from cnnviz.training.config import TrainConfig
from cnnviz.training.optimizers import learning_rate_schedule
from cnnviz.training.time_budget import TimeBudget, cosine_rate, trained_seconds
from cnnviz.training.timing import FORWARD_SHARE, START_SECONDS, expected_seconds
from tests.unit.training.test_training import ended, folders, shapes_run, wait_for  # noqa: F401

RATE = 0.01
BATCHES_PER_EPOCH = 5


class Clock:
    """A clock that moves one second for every trained batch (the Ticker moves it)."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Ticker(keras.callbacks.Callback):
    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.clock.now += 1.0


class RateRecorder(keras.callbacks.Callback):
    """The rate each batch trains with (read after the budget set it)."""

    def __init__(self) -> None:
        super().__init__()
        self.rates: list[float] = []

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self.rates.append(float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))


def fit_with(budget: TimeBudget, clock: Clock, epochs: int, cosine: bool = True,
             steps_done: int = 0) -> tuple[keras.callbacks.History, RateRecorder]:
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    model.compile(keras.optimizers.SGD(RATE), "sparse_categorical_crossentropy")
    x = np.random.default_rng(0).normal(size=(8 * BATCHES_PER_EPOCH, 4)).astype("float32")
    y = np.arange(len(x)) % 3
    recorder = RateRecorder()
    # The ticker goes first: the budget sees the second each batch took.
    callbacks = [Ticker(clock), budget.start_phase(BATCHES_PER_EPOCH * epochs,
                                                   RATE if cosine else None, steps_done),
                 recorder]
    history = model.fit(x, y, batch_size=8, epochs=epochs, callbacks=callbacks, verbose=0,
                        shuffle=False)
    return history, recorder


def test_the_rate_follows_a_cosine_over_the_minutes_and_training_stops_when_they_are_spent():
    clock = Clock()
    budget = TimeBudget(10.0, clock=clock)
    history, recorder = fit_with(budget, clock, epochs=100)
    assert budget.ran_out
    # Ten one-second batches fit in ten seconds: two epochs of five, both recorded.
    assert len(recorder.rates) == 10 and len(history.history["loss"]) == 2
    assert recorder.rates == pytest.approx([cosine_rate(RATE, second / 10) for second in range(10)])
    assert recorder.rates[0] == pytest.approx(RATE) and recorder.rates[-1] < 0.03 * RATE


def test_on_a_fast_machine_the_epochs_end_the_run_and_the_cosine_ends_with_them():
    clock = Clock()
    budget = TimeBudget(1_000.0, clock=clock)
    history, recorder = fit_with(budget, clock, epochs=2)
    assert not budget.ran_out and len(history.history["loss"]) == 2
    assert recorder.rates == pytest.approx([cosine_rate(RATE, step / 10) for step in range(10)])


def test_without_a_cosine_the_rate_is_left_alone_and_the_budget_still_stops():
    clock = Clock()
    budget = TimeBudget(7.0, clock=clock)
    _, recorder = fit_with(budget, clock, epochs=100, cosine=False)
    assert budget.ran_out and recorder.rates == pytest.approx([RATE] * 7)


def test_a_resumed_run_keeps_the_seconds_it_trained_before():
    clock = Clock()
    budget = TimeBudget(10.0, spent=8.0, clock=clock)
    _, recorder = fit_with(budget, clock, epochs=100, steps_done=5)
    assert budget.ran_out and len(recorder.rates) == 2
    assert recorder.rates[0] == pytest.approx(cosine_rate(RATE, 0.8))


def test_one_budget_counts_both_phases_of_a_fine_tuned_run():
    clock = Clock()
    budget = TimeBudget(12.0, clock=clock)
    fit_with(budget, clock, epochs=1)
    assert budget.elapsed() == pytest.approx(5.0) and not budget.ran_out
    _, recorder = fit_with(budget, clock, epochs=100)
    assert budget.ran_out and len(recorder.rates) == 7


def test_seconds_trained_before_a_resume_count_each_epoch_once():
    rows = [{"type": "batch", "epoch": 1, "seconds": 99.0},
            {"type": "epoch", "epoch": 1, "seconds": 30.0},
            {"type": "epoch", "epoch": 2, "seconds": 31.0},  # killed before its checkpoint
            {"type": "epoch", "epoch": 2, "seconds": 33.0},  # trained again after the resume
            {"type": "epoch", "epoch": 3, "seconds": 40.0}]
    assert trained_seconds(rows, 2) == pytest.approx(63.0)
    assert trained_seconds(rows, 0) == 0.0


def test_cosine_rate_runs_from_the_initial_rate_to_zero():
    assert cosine_rate(2.0, 0.0) == 2.0 and cosine_rate(2.0, 0.5) == pytest.approx(1.0)
    assert cosine_rate(2.0, 1.0) == pytest.approx(0.0) and cosine_rate(2.0, 3.0) == pytest.approx(0.0)
    assert cosine_rate(2.0, 0.25) == pytest.approx(1.0 + math.cos(math.pi / 4))


def test_a_budget_must_be_positive_and_hands_the_cosine_to_the_callback():
    with pytest.raises(InvalidSpecError):
        TrainConfig(time_budget_minutes=0.0)
    with pytest.raises(InvalidSpecError):
        TrainConfig(time_budget_minutes=-1.0)
    timed = TrainConfig(schedule="cosine", time_budget_minutes=9.0, learning_rate=2e-3)
    assert timed.time_budget_seconds == 540.0 and timed.cosine_follows_time
    assert learning_rate_schedule(timed, 100, 2e-3) == 2e-3
    stepped = TrainConfig(schedule="cosine", epochs=3)
    assert not stepped.cosine_follows_time
    assert isinstance(learning_rate_schedule(stepped, 100, 2e-3),
                      keras.optimizers.schedules.CosineDecay)
    assert not TrainConfig(time_budget_minutes=9.0).cosine_follows_time  # constant rate


def test_the_estimate_caps_the_training_at_the_budget_but_not_the_test_pass():
    config = shapes_run(epochs=100)
    capped = runs.RunConfig(config.dataset, config.model,
                            TrainConfig(epochs=100, batch_size=16, time_budget_minutes=2.0))
    test_seconds = 0.1 * FORWARD_SHARE * 160 / 16  # not cut by the budget
    full = expected_seconds(config, 0.1, (1_600, 0, 160))
    assert full > START_SECONDS + 120 + 1
    assert expected_seconds(capped, 0.1, (1_600, 0, 160)) == pytest.approx(
        START_SECONDS + 120 + test_seconds)


@pytest.mark.slow
def test_a_worker_run_with_a_budget_stops_in_time_with_its_rate_at_zero(folders: Path) -> None:
    run_id = runs.start_run(shapes_run(epochs=500, per_class=60, schedule="cosine",
                                       learning_rate=1e-3, time_budget_minutes=0.1))
    status = wait_for(run_id, ended)
    assert status["state"] == "finished", status.get("error_detail")
    assert status["time_budget_seconds"] == 6.0 and status["budget_ends"] > status["started"]
    metrics = read_json(folders / run_id / "metrics.json")
    assert metrics["stopped_by_time_budget"] is True and 1 <= metrics["epochs_trained"] < 500
    epochs = [row for row in runs.read_metrics(run_id) if row["type"] == "epoch"]
    assert sum(row["seconds"] for row in epochs) < 6.0 + 5.0  # the last batch, its validation
    assert epochs[-1]["learning_rate"] < 0.05 * 1e-3
    assert (folders / run_id / "evaluation.npz").exists()
