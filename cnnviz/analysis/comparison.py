"""Runs side by side: what differed in their set-up and what came out (reports C and D compared
networks and hyper-parameters this way, one table and one chart)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cnnviz import runs
from cnnviz.atomic import read_json
from cnnviz.specs import spec_to_dict

RESULT_ROWS = ("accuracy", "top3_accuracy", "macro_f1", "roc_auc", "best_epoch",
               "epochs_trained", "seconds")


def flatten(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested settings as dotted keys: ``{"training": {"epochs": 5}}`` -> ``training.epochs``.
    Lists and tuples become text so that they compare and display as one cell."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, (list, tuple)):
            flat[name] = repr(tuple(value)) if value else ""
        else:
            flat[name] = value
    return flat


def run_label(run_id: str) -> str:
    """The run's name when it has one, with its id so that two runs never share a label."""
    name = read_json(runs.run_folder(run_id).config, {}).get("name")
    return f"{name} ({run_id})" if name else run_id


def comparison_table(run_ids: list[str]) -> pd.DataFrame:
    """One column per run, one row per setting (dataset, model, training) then per final
    metric; a setting that no run sets is left out."""
    columns = {}
    for run_id in run_ids:
        config = runs.read_config(run_id)
        settings = flatten({"dataset": spec_to_dict(config.dataset),
                            "model": spec_to_dict(config.model),
                            "training": spec_to_dict(config.training)})
        metrics = runs.read_final_metrics(run_id) or {}
        results = {f"result.{key}": metrics.get(key) for key in RESULT_ROWS}
        columns[run_label(run_id)] = {**settings, **results}
    table = pd.DataFrame(columns)
    return table.dropna(how="all")


def differing_rows(table: pd.DataFrame) -> pd.Series:
    """True for the rows whose value is not the same in every run."""
    return table.astype(str).nunique(axis=1) > 1


def display_value(value: Any) -> str:
    """One cell as text: settings of different types share a row, which a table column of one
    type cannot hold."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
