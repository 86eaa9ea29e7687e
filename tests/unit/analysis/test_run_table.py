"""The table of runs: best validation accuracy, test accuracy and duration per run."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest

from cnnviz import runs
from cnnviz.analysis.run_table import COLUMNS, run_name, run_table
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.models.spec import ModelSpec
from cnnviz.training.config import TrainConfig


@pytest.fixture(autouse=True)
def runs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "runs"
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(folder))
    return folder


def new_run(name: str, val_accuracies: list[float | None] = ()) -> str:
    run_id = runs.create_run(runs.RunConfig(DatasetSpec(source="shapes"),
                                            ModelSpec(architecture="fashion_cnn"),
                                            TrainConfig(), name=name))
    lines = [{"type": "batch", "epoch": 1, "batch": 1, "batches": 2, "val_accuracy": 0.99}]
    lines += [{"type": "epoch", "epoch": number, "val_accuracy": accuracy}
              for number, accuracy in enumerate(val_accuracies, start=1)]
    runs.run_folder(run_id).metrics_log.write_text(
        "".join(json.dumps(line) + "\n" for line in lines))
    return run_id


def table_by_name(now: float | None = None) -> pd.DataFrame:
    table = run_table(runs.list_runs(), now=now)
    assert list(table.columns) == COLUMNS
    return table.set_index("name")


def test_finished_run_row() -> None:
    run_id = new_run("done", [0.5, 0.8, 0.7])
    runs.run_folder(run_id).final_metrics.write_text(json.dumps({"accuracy": 0.75}))
    runs.update_status(run_id, state="finished", started=1000.0, ended=1075.0)
    row = table_by_name(now=9999.0).loc["done"]
    assert row["run"] == run_id and row["status"] == "finished"
    assert (row["dataset"], row["model"]) == ("shapes", "fashion_cnn")
    assert row["best_val_accuracy"] == 0.8  # epoch lines only, not the batch line's 0.99
    assert row["test_accuracy"] == 0.75
    assert row["duration"] == "1:15"  # ended - started, not now - started


def test_long_run_shows_hours() -> None:
    run_id = new_run("long")
    runs.update_status(run_id, state="failed", started=1000.0, ended=4725.0)
    assert table_by_name().loc["long", "duration"] == "1:02:05"


def test_running_run_counts_until_now() -> None:
    run_id = new_run("busy", [None, 0.6])
    started = time.time()
    runs.update_status(run_id, state="running", pid=None, spawned_at=started, started=started)
    row = table_by_name(now=started + 125).loc["busy"]
    assert row["status"] == "running"
    assert row["duration"] == "2:05"
    assert row["best_val_accuracy"] == 0.6
    assert pd.isna(row["test_accuracy"])


def test_queued_run_has_no_numbers() -> None:
    new_run("waiting")
    row = table_by_name().loc["waiting"]
    assert row["status"] == "queued" and row["duration"] == ""
    assert pd.isna(row["best_val_accuracy"]) and pd.isna(row["test_accuracy"])
    assert table_by_name()["test_accuracy"].dtype == float  # blank cells, never "None"


def test_no_runs_gives_an_empty_table_with_its_columns() -> None:
    table = run_table([])
    assert table.empty and list(table.columns) == COLUMNS


def test_the_best_validation_accuracy_follows_a_growing_metrics_file() -> None:
    from cnnviz.analysis.run_table import best_validation_accuracy

    run_id = runs.create_run(runs.RunConfig(DatasetSpec(), ModelSpec(), TrainConfig()))
    assert best_validation_accuracy(run_id) is None
    metrics = runs.run_folder(run_id).metrics_log
    metrics.write_text(json.dumps({"type": "epoch", "epoch": 1, "val_accuracy": 0.5}) + "\n")
    assert best_validation_accuracy(run_id) == 0.5
    with open(metrics, "a") as handle:
        handle.write(json.dumps({"type": "epoch", "epoch": 2, "val_accuracy": 0.75}) + "\n")
    assert best_validation_accuracy(run_id) == 0.75


def test_a_run_without_a_name_is_named_by_its_settings_in_lists_and_on_the_board() -> None:
    from cnnviz.analysis.class_board import board_table

    training = {"epochs": 6, "learning_rate": 0.003, "batch_size": 32}
    unnamed = {"run_id": "r", "name": "", "training": training, "owner": "",
               "status": {"state": "finished"}, "metrics": None}
    assert run_name(unnamed) == "6 epochs, rate 0.003, batch 32"
    assert run_name({**unnamed, "name": "mine"}) == "mine"
    assert run_name({**unnamed, "training": {}}) == ""
    board = board_table([unnamed], {}, {}, now=0.0, name_template="{epochs} épocas")
    assert list(board["name"]) == ["6 épocas"]
