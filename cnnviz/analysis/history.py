"""Reading a run's training history: per-epoch table, best epoch, overfitting signs.

Reports A and D read overfitting off their curves by eye; these numbers say it for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class OverfittingHint:
    """Where validation loss was lowest and how far training accuracy ran ahead of validation."""

    best_epoch: int | None  # epoch with the lowest validation loss
    best_val_loss: float | None
    accuracy_gap: float | None  # training minus validation accuracy at the last epoch
    epochs_since_best: int  # epochs trained after the best one
    overfitting: bool  # 2+ epochs past the best validation loss, training loss below its value then


def epoch_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per epoch (the last line wins if an epoch was logged twice, e.g. on resume)."""
    epochs = [row for row in rows if row.get("type") == "epoch"]
    if not epochs:
        return pd.DataFrame(columns=["epoch"])
    table = pd.DataFrame(epochs).drop_duplicates("epoch", keep="last").sort_values("epoch")
    return table.reset_index(drop=True)


def batch_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Batch lines with a fractional epoch position (epoch 2, batch 50 of 100 -> 1.5)."""
    batches = [row for row in rows if row.get("type") == "batch"]
    if not batches:
        return pd.DataFrame(columns=["position"])
    table = pd.DataFrame(batches)
    table["position"] = table["epoch"] - 1 + table["batch"] / table["batches"]
    return table.sort_values("position").reset_index(drop=True)


def overfitting_hint(table: pd.DataFrame) -> OverfittingHint:
    """Best validation epoch and the train/validation accuracy gap of an epoch table."""
    if table.empty or "val_loss" not in table or table["val_loss"].isna().all():
        return OverfittingHint(None, None, None, 0, False)
    best_row = table.loc[table["val_loss"].idxmin()]
    last = table.iloc[-1]
    gap = None
    if "accuracy" in table and "val_accuracy" in table and pd.notna(last.get("val_accuracy")):
        gap = float(last["accuracy"] - last["val_accuracy"])
    since = int(last["epoch"] - best_row["epoch"])
    after = table[table["epoch"] > best_row["epoch"]]
    training_falling = bool("loss" in table and len(after)
                            and after["loss"].iloc[-1] < best_row["loss"])
    return OverfittingHint(
        best_epoch=int(best_row["epoch"]),
        best_val_loss=float(best_row["val_loss"]),
        accuracy_gap=gap,
        epochs_since_best=since,
        overfitting=since >= 2 and training_falling,
    )


def smoothed(values: np.ndarray, weight: float) -> np.ndarray:
    """TensorBoard's smoothing: an exponential moving average with ``weight`` (0 = raw values,
    0.99 = very smooth), divided by the weights' sum so the start is not pulled to zero.
    Missing values (NaN) are skipped and stay missing."""
    if not 0.0 <= weight < 1.0:
        raise ValueError(f"The smoothing weight must lie in [0, 1), not {weight}")
    result = np.full(len(values), np.nan)
    average, weights = 0.0, 0.0
    for index, value in enumerate(values):
        if not np.isfinite(value):
            continue
        average = average * weight + (1.0 - weight) * value
        weights = weights * weight + (1.0 - weight)
        result[index] = average / weights
    return result
