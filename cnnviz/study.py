"""A small hyper-parameter study (report D compared learning rates and batch sizes by hand):
one run per combination, all through the ordinary queue, then compared and the best marked."""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence
from typing import Any

from cnnviz import runs
from cnnviz.errors import InvalidSpecError

MAX_STUDY_RUNS = 12  # a grid larger than this would keep a shared machine busy for hours


def study_configs(base: runs.RunConfig, study: str, learning_rates: Sequence[float],
                  batch_sizes: Sequence[int]) -> list[runs.RunConfig]:
    """One run per (learning rate, batch size), everything else as in ``base``, each named
    ``"<study>: lr 0.001 · batch 64"`` so that the runs of a study can be found again."""
    if not study.strip():
        raise InvalidSpecError("error.study.study_needs_name")
    if not learning_rates or not batch_sizes:
        raise InvalidSpecError("error.study.choose_least_learning_rate")
    grid = list(itertools.product(sorted(set(learning_rates)), sorted(set(batch_sizes))))
    if len(grid) > MAX_STUDY_RUNS:
        raise InvalidSpecError(
            "error.study.runs_too_many_study", runs=len(grid), max_runs=MAX_STUDY_RUNS)
    return [dataclasses.replace(
        base, name=f"{study.strip()}: lr {rate:g} · batch {size}",
        training=dataclasses.replace(base.training, learning_rate=rate, batch_size=size))
        for rate, size in grid]


def study_names(listed: list[dict[str, Any]]) -> list[str]:
    """The studies among the runs (names before ``": lr "``), newest first."""
    names = []
    for run in listed:
        study, separator, _ = run["name"].partition(": lr ")
        if separator and study not in names:
            names.append(study)
    return names


def study_runs(listed: list[dict[str, Any]], study: str) -> list[str]:
    """The run ids of ``study``, oldest first (the grid's order)."""
    return [run["run_id"] for run in reversed(listed)
            if run["name"].startswith(f"{study}: lr ")]


def best_run(best_accuracies: dict[str, float | None]) -> str | None:
    """The run with the highest best validation accuracy; None while no run has one (a
    missing accuracy may be None or NaN, as in the run table)."""
    scored = {run_id: value for run_id, value in best_accuracies.items()
              if value is not None and not math.isnan(value)}
    return max(scored, key=scored.get) if scored else None
