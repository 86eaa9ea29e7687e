"""The class board: one row per run of the class, what the teacher watches live."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cnnviz.analysis.progress import run_progress
from cnnviz.classroom import QueuePlace
from cnnviz.analysis.run_table import DEFAULT_NAME_TEMPLATE, run_name
from cnnviz.identity import owner_label
from cnnviz.runs import RunState

BOARD_COLUMNS = ("run_id", "student", "name", "state", "epoch", "progress", "accuracy",
                 "queue", "starts_in")


def board_table(listed: list[dict[str, Any]], metrics: dict[str, list[dict[str, Any]]],
                places: dict[str, QueuePlace], now: float,
                name_template: str = DEFAULT_NAME_TEMPLATE) -> pd.DataFrame:
    """Every run: who started it, its name (``run_table.run_name``), its state, epoch reached,
    share done, accuracy (the test accuracy once finished, else the last epoch's validation
    accuracy), place in the queue and seconds until it should start."""
    rows = []
    for run in listed:
        status, lines = run["status"], metrics.get(run["run_id"], [])
        progress = run_progress(status, lines, now)
        epochs = [line for line in lines if line.get("type") == "epoch"]
        final = (run.get("metrics") or {}).get("accuracy")
        live = epochs[-1].get("val_accuracy") if epochs else None
        place = places.get(run["run_id"])
        rows.append({
            "run_id": run["run_id"],
            "student": owner_label(run),
            "name": run_name(run, name_template),
            "state": status.get("state", RunState.QUEUED),
            "epoch": f"{len(epochs)}/{progress.epochs}" if progress.epochs else "",
            "progress": 1.0 if status.get("state") == RunState.FINISHED else progress.fraction,
            "accuracy": final if final is not None else live,
            "queue": place.position if place else None,
            "starts_in": round(place.expected_start_seconds) if place else None,
        })
    return pd.DataFrame(rows, columns=list(BOARD_COLUMNS))


NOT_YET = "—"  # a cell with nothing to show yet: no epoch ended, not in the queue


def board_cells(table: pd.DataFrame) -> pd.DataFrame:
    """The board as the teacher reads it: accuracy as a percentage, the queue place and the
    seconds until the start as text, and a dash where a run has no value (a queued run has no
    accuracy yet, a running one no place in the queue, a run from the command line no
    student) instead of a "None" or empty cell. Sort
    ``table`` before: the text cells no longer sort as numbers."""
    def shown(values: pd.Series, text) -> list[str]:
        return [NOT_YET if value is None or pd.isna(value) or value == "" else text(value)
                for value in values]

    return table.assign(
        student=shown(table["student"], str),
        epoch=shown(table["epoch"], str),
        accuracy=shown(table["accuracy"], lambda accuracy: f"{accuracy:.1%}"),
        queue=shown(table["queue"], lambda place: str(int(place))),
        starts_in=shown(table["starts_in"], lambda seconds: f"{int(seconds)} s"),
    )


def sorted_board(table: pd.DataFrame, column: str, descending: bool) -> pd.DataFrame:
    """The board sorted by ``column``: runs without a value (no accuracy yet) last whichever
    the direction, ties in the board's own order so rows do not swap at every refresh."""
    return table.sort_values(column, ascending=not descending, na_position="last", kind="stable")


BOARD_STATES = (RunState.QUEUED, RunState.RUNNING, RunState.STOPPING, RunState.FINISHED,
                RunState.STOPPED, RunState.FAILED, RunState.INTERRUPTED)


def state_counts(table: pd.DataFrame, states: tuple[str, ...] = BOARD_STATES) -> dict[str, int]:
    """How many runs of the board are in each of ``states`` (0 for a state none is in)."""
    counts = table["state"].value_counts()
    return {state: int(counts.get(state, 0)) for state in states}
