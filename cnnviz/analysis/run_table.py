"""The table of runs shown on the home and training pages."""

from __future__ import annotations

import functools
import time
from typing import Any

import pandas as pd

from cnnviz import runs
from cnnviz.identity import owner_label
from cnnviz.runs import RunState

COLUMNS = ["run", "name", "owner", "status", "epochs", "dataset", "model", "best_val_accuracy",
           "test_accuracy", "duration"]

# The name of a run started without one (from the Train page, or the command line without
# --name): its settings, which is what tells two runs of the same data and model apart.
DEFAULT_NAME_TEMPLATE = "{epochs} epochs, rate {learning_rate:g}, batch {batch_size}"


def run_table(listed: list[dict[str, Any]], now: float | None = None,
              name_template: str = DEFAULT_NAME_TEMPLATE) -> pd.DataFrame:
    """One row per run from :func:`cnnviz.runs.list_runs`: name (``name_template`` filled with
    the training settings when the run has none), who started it, status, epochs trained of
    those asked for once it ended (a stopped run's tell where it stopped), best validation
    accuracy (from the epoch lines), test accuracy and duration (so far, for a running run)."""
    now = time.time() if now is None else now
    rows = []
    for run in listed:
        status = run["status"]
        best_validation = best_validation_accuracy(run["run_id"])
        started = status.get("started")
        ended = status.get("ended") if status.get("state") in RunState.ENDED else None
        rows.append({
            "run": run["run_id"],
            "name": run_name(run, name_template),
            "owner": owner_label(run),
            "status": status.get("state", RunState.QUEUED),
            "epochs": _epochs_reached(run),
            "dataset": run["dataset"],
            "model": run["model"],
            "best_val_accuracy": best_validation,
            "test_accuracy": (run["metrics"] or {}).get("accuracy"),
            "duration": _duration((ended or now) - started) if started else "",
        })
    # Float columns: a run without a number (queued, a GAN) shows a blank cell, not "None".
    return pd.DataFrame(rows, columns=COLUMNS).astype({"best_val_accuracy": float,
                                                       "test_accuracy": float})


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(max(seconds, 0)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def run_name(run: dict[str, Any], template: str = DEFAULT_NAME_TEMPLATE) -> str:
    """A listed run's name, or for a run started without one ``template`` filled with its
    epochs, learning rate and batch size; blank for a run folder whose config holds no
    training settings."""
    training = run.get("training") or {}
    if run.get("name") or not training:
        return run.get("name", "")
    return template.format(epochs=training["epochs"], learning_rate=training["learning_rate"],
                           batch_size=training["batch_size"])


def best_validation_accuracy(run_id: str) -> float | None:
    """The best validation accuracy of a run's epoch lines. The Home and Train pages list every
    run on each visit, and a run logs about fifty lines an epoch: the file is parsed again only
    when it changed (its size and modification time)."""
    path = runs.run_folder(run_id).metrics_log
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return _best_validation_accuracy(run_id, str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=1024)
def _best_validation_accuracy(run_id: str, path: str, size: int,
                              modified_ns: int) -> float | None:
    """Cached on the file's path, size and time (a runs folder may change between calls)."""
    accuracies = [row["val_accuracy"] for row in runs.read_metrics(run_id)
                  if row.get("type") == "epoch" and row.get("val_accuracy") is not None]
    return max(accuracies) if accuracies else None


def _epochs_reached(run: dict[str, Any]) -> str:
    """``"3/10"``: the epochs an ended run trained of those it was given ("" before it ends)."""
    trained = (run.get("metrics") or {}).get("epochs_trained")
    asked = (run.get("training") or {}).get("epochs")
    return f"{trained}/{asked}" if trained is not None and asked else ""
