"""Progress of a running run: position, fraction done and time left from its metric lines."""

from __future__ import annotations

import pytest

from cnnviz.analysis.progress import minutes_and_seconds, run_progress

STATUS = {"state": "running", "epochs_total": 4, "steps_per_epoch": 10}


def batch(epoch: int, number: int, time: float, **extra: float) -> dict:
    return {"type": "batch", "epoch": epoch, "batch": number, "batches": 10, "time": time,
            **extra}


def test_before_any_batch_line() -> None:
    rows = [{"type": "epoch", "epoch": 1, "loss": 1.0, "time": 5.0}]
    progress = run_progress(STATUS, rows, now=100.0)
    assert (progress.epoch, progress.batch, progress.fraction) == (0, 0, 0.0)
    assert (progress.epochs, progress.batches) == (4, 10)
    assert progress.seconds_left is None and progress.images_per_second is None


def test_before_the_worker_reported_its_sizes() -> None:
    progress = run_progress({"state": "running"}, [batch(1, 5, 10.0)], now=20.0)
    assert progress.fraction == 0.0 and progress.seconds_left is None


def test_in_the_middle_of_a_run() -> None:
    rows = [batch(1, 5, 100.0), batch(1, 10, 110.0),
            {"type": "epoch", "epoch": 1, "time": 111.0},
            batch(2, 5, 115.0, images_per_second=640.0, learning_rate=1e-3)]
    progress = run_progress(STATUS, rows, now=117.0)
    assert (progress.epoch, progress.batch) == (2, 5)
    assert progress.fraction == pytest.approx(15 / 40)
    # 10 steps in 15 s since the first line = 1.5 s a step; 25 steps left, 2 s already spent.
    assert progress.seconds_left == pytest.approx(25 * 1.5 - 2.0)
    assert progress.images_per_second == 640.0 and progress.learning_rate == 1e-3


def test_time_left_never_goes_negative_and_fraction_caps_at_one() -> None:
    rows = [batch(1, 10, 0.0), batch(4, 10, 30.0)]
    progress = run_progress(STATUS, rows, now=1000.0)
    assert progress.fraction == 1.0 and progress.seconds_left == 0.0


def test_one_batch_line_gives_no_speed_yet() -> None:
    progress = run_progress(STATUS, [batch(1, 5, 100.0)], now=101.0)
    assert progress.fraction == pytest.approx(5 / 40) and progress.seconds_left is None


def test_after_resume_speed_counts_steps_since_the_resume() -> None:
    status = {"state": "running", "epochs_total": 5, "steps_per_epoch": 10}
    rows = [batch(3, 5, 1000.0), batch(3, 10, 1010.0), batch(4, 10, 1030.0)]
    progress = run_progress(status, rows, now=1030.0)
    assert (progress.epoch, progress.batch) == (4, 10)
    assert progress.fraction == pytest.approx(40 / 50)
    # 15 steps (not 40) in 30 s = 2 s a step; 10 steps left.
    assert progress.seconds_left == pytest.approx(20.0)


def test_time_down_before_a_resume_does_not_slow_the_estimate() -> None:
    """The resumed worker appends to the same file; speed counts only its own lines."""
    from cnnviz.analysis.progress import run_progress

    status = {"epochs_total": 4, "steps_per_epoch": 10}
    before = [{"type": "batch", "epoch": 1, "batch": b, "time": 100.0 + b} for b in (5, 10)]
    before += [{"type": "batch", "epoch": 2, "batch": 5, "time": 120.0}]
    # killed, down for an hour, resumed from the end of epoch 1
    after = [{"type": "batch", "epoch": 2, "batch": b, "time": 3700.0 + b} for b in (5, 10)]
    progress = run_progress(status, before + after, now=3710.0)
    assert progress.epoch == 2 and progress.batch == 10
    # 5 steps in 5 s since the resume: 20 steps left take 20 s
    assert progress.seconds_left == 20.0


def test_the_time_left_in_minutes_and_seconds() -> None:
    assert minutes_and_seconds(125.7) == (2, 5)
    assert minutes_and_seconds(59.9) == (0, 59)
