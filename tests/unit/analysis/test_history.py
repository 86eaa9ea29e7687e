"""Training history tables and the overfitting hint read off them."""

from __future__ import annotations

import pandas as pd
import pytest

from cnnviz.analysis.history import batch_table, epoch_table, overfitting_hint


def epoch(number: int, loss: float, val_loss: float | None = None, accuracy: float = 0.5,
          val_accuracy: float | None = None) -> dict:
    row = {"type": "epoch", "epoch": number, "loss": loss, "accuracy": accuracy}
    if val_loss is not None:
        row.update(val_loss=val_loss, val_accuracy=val_accuracy)
    return row


def test_epoch_table_keeps_the_last_line_of_a_repeated_epoch_sorted() -> None:
    rows = [epoch(2, 0.8), {"type": "batch", "epoch": 1, "batch": 1, "batches": 2},
            epoch(1, 0.9), epoch(2, 0.7), epoch(3, 0.6)]
    table = epoch_table(rows)
    assert table["epoch"].tolist() == [1, 2, 3]
    assert table["loss"].tolist() == [0.9, 0.7, 0.6]
    assert table.index.tolist() == [0, 1, 2]


def test_epoch_table_without_epoch_lines_is_empty() -> None:
    table = epoch_table([{"type": "batch", "epoch": 1, "batch": 1, "batches": 1}])
    assert table.empty and list(table.columns) == ["epoch"]


def test_batch_table_places_batches_at_fractional_epochs() -> None:
    rows = [{"type": "batch", "epoch": 2, "batch": 50, "batches": 100, "loss": 0.5},
            epoch(1, 1.0),
            {"type": "batch", "epoch": 1, "batch": 25, "batches": 100, "loss": 0.9},
            {"type": "batch", "epoch": 2, "batch": 100, "batches": 100, "loss": 0.4}]
    table = batch_table(rows)
    assert table["position"].tolist() == pytest.approx([0.25, 1.5, 2.0])
    assert table["loss"].tolist() == [0.9, 0.5, 0.4]


def test_batch_table_without_batch_lines_is_empty() -> None:
    table = batch_table([epoch(1, 1.0)])
    assert table.empty and list(table.columns) == ["position"]


def test_best_epoch_and_accuracy_gap() -> None:
    table = epoch_table([epoch(1, 1.0, 1.1, 0.50, 0.45), epoch(2, 0.8, 0.7, 0.70, 0.66),
                         epoch(3, 0.6, 0.9, 0.90, 0.62)])
    hint = overfitting_hint(table)
    assert hint.best_epoch == 2 and hint.best_val_loss == pytest.approx(0.7)
    assert hint.accuracy_gap == pytest.approx(0.90 - 0.62)
    assert hint.epochs_since_best == 1
    assert hint.overfitting is False  # only one epoch after the best


def test_overfitting_when_validation_rises_two_epochs_while_training_falls() -> None:
    table = epoch_table([epoch(1, 1.0, 0.9, 0.5, 0.5), epoch(2, 0.7, 0.6, 0.7, 0.7),
                         epoch(3, 0.5, 0.7, 0.8, 0.68), epoch(4, 0.3, 0.8, 0.9, 0.66)])
    hint = overfitting_hint(table)
    assert (hint.best_epoch, hint.epochs_since_best, hint.overfitting) == (2, 2, True)


def test_no_overfitting_when_training_loss_did_not_fall() -> None:
    table = epoch_table([epoch(1, 1.0, 0.9), epoch(2, 0.7, 0.6), epoch(3, 0.75, 0.7),
                         epoch(4, 0.8, 0.8)])
    hint = overfitting_hint(table)
    assert hint.epochs_since_best == 2 and hint.overfitting is False


def test_no_overfitting_while_validation_keeps_improving() -> None:
    table = epoch_table([epoch(n, 1.0 / n, 1.2 / n, 0.5, 0.4) for n in range(1, 6)])
    hint = overfitting_hint(table)
    assert (hint.best_epoch, hint.epochs_since_best, hint.overfitting) == (5, 0, False)


@pytest.mark.parametrize("table", [
    pd.DataFrame(columns=["epoch"]),
    epoch_table([epoch(1, 1.0), epoch(2, 0.5), epoch(3, 0.2)]),
    epoch_table([epoch(1, 1.0, float("nan")), epoch(2, 0.5, float("nan"))]),
])
def test_no_hint_without_validation(table: pd.DataFrame) -> None:
    hint = overfitting_hint(table)
    assert hint.best_epoch is None and hint.best_val_loss is None
    assert hint.accuracy_gap is None
    assert hint.epochs_since_best == 0 and hint.overfitting is False
