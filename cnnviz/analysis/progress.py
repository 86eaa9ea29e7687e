"""Where a running run stands: epoch and batch, fraction done, time left, speed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Progress:
    epoch: int  # current epoch, 1-based (0 before the first metrics line)
    epochs: int
    batch: int
    batches: int
    fraction: float  # 0..1 of all epochs
    seconds_left: float | None  # estimate from the speed so far; None before any batch
    images_per_second: float | None
    learning_rate: float | None
    # The epochs the chart's axis runs to: None when a time budget decides where it ends.
    axis_epochs: int | None = None


def run_progress(status: dict[str, Any], rows: list[dict[str, Any]], now: float) -> Progress:
    """Progress of a run from its status and metric lines (at wall time ``now``); a run with
    a time budget is as far as the further of its steps and its minutes."""
    epochs = int(status.get("epochs_total") or 0)
    batches = int(status.get("steps_per_epoch") or 0)
    budget, budget_ends = status.get("time_budget_seconds"), status.get("budget_ends")
    axis_epochs = None if budget else (epochs or None)
    last_batch = next((row for row in reversed(rows) if row.get("type") == "batch"), None)
    if last_batch is None or not epochs or not batches:
        return Progress(0, epochs, 0, batches, 0.0, None, None, None, axis_epochs)
    epoch, batch = int(last_batch["epoch"]), int(last_batch["batch"])
    done = (epoch - 1) * batches + batch
    fraction = min(1.0, done / (epochs * batches))
    stretch = _since_last_resume([row for row in rows if row.get("type") == "batch"], batches)
    first = stretch[0]
    resumed_at = (int(first["epoch"]) - 1) * batches + int(first["batch"])
    elapsed = last_batch["time"] - first["time"]
    steps = done - resumed_at
    seconds_left = None
    if steps > 0 and elapsed > 0:
        seconds_left = max(0.0, (epochs * batches - done) * elapsed / steps - (now - last_batch["time"]))
    if budget and budget_ends:
        budget_left = max(0.0, budget_ends - now)
        fraction = max(fraction, min(1.0, 1.0 - budget_left / budget))
        seconds_left = budget_left if seconds_left is None else min(seconds_left, budget_left)
    return Progress(epoch, epochs, batch, batches, fraction, seconds_left,
                    last_batch.get("images_per_second"), last_batch.get("learning_rate"),
                    axis_epochs)


def _since_last_resume(batch_rows: list[dict[str, Any]], batches: int) -> list[dict[str, Any]]:
    """The batch lines written by the current worker: a resumed run appends to the same file,
    and its position jumps back (or repeats) at the saved epoch; the time it was down must not
    count."""
    start = 0
    for index in range(1, len(batch_rows)):
        before = (batch_rows[index - 1]["epoch"] - 1) * batches + batch_rows[index - 1]["batch"]
        after = (batch_rows[index]["epoch"] - 1) * batches + batch_rows[index]["batch"]
        if after <= before:
            start = index
    return batch_rows[start:]


def minutes_and_seconds(seconds: float) -> tuple[int, int]:
    """Whole minutes and the seconds left over, as the time left is shown (``2 min 5 s``)."""
    return int(seconds // 60), int(seconds % 60)
