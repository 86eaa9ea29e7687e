"""The report's figures beside ours: an experiment's runs found again in the run store by name,
and each finished run's numbers set beside the figures the report gives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cnnviz.reports.experiments import ReportFigure
from cnnviz.runs import RunState
from cnnviz.training.timing import format_duration


def latest_runs(listed: list[dict[str, Any]], names: list[str]) -> dict[str, str]:
    """The newest run of each name (``listed`` is newest first, as ``list_runs`` gives it)."""
    found: dict[str, str] = {}
    for run in listed:
        if run["name"] in names and run["name"] not in found:
            found[run["name"]] = run["run_id"]
    return found


@dataclass(frozen=True)
class FigureRow:
    """One line of "report: 87 % — this run: 85.2 %"."""

    metric: str
    report: str
    this_run: str


def compare_figures(figures: tuple[ReportFigure, ...], results: dict[str, Any]) -> list[FigureRow]:
    """The report's figures beside a finished run's (``results``: its metrics plus
    ``parameters`` from its status); a figure the run lacks shows "—"."""
    rows = []
    for figure in figures:
        value = results.get(figure.metric)
        report = figure.bound + format_figure(figure.metric, figure.value)
        rows.append(FigureRow(figure.metric, report,
                              "—" if value is None else format_figure(figure.metric, value)))
    return rows


def format_figure(metric: str, value: float) -> str:
    if metric == "parameters":
        return f"{int(value):,}"
    if metric == "seconds":
        return format_duration(value)
    if metric == "macro_f1":
        return f"{value:.3f}"
    return f"{100 * value:.1f} %"


def results_of(run: dict[str, Any]) -> dict[str, Any]:
    """A listed run's numbers to set beside the report's: its final metrics (with its
    duration in ``seconds``) and its parameter count."""
    results = dict(run.get("metrics") or {})
    parameters = run["status"].get("parameters")
    if parameters:
        results["parameters"] = parameters
    return results


def any_running(listed: list[dict[str, Any]], names: list[str]) -> bool:
    """Whether a run named as one of ``names`` (an experiment's runs) is queued or training."""
    return any(run["name"] in set(names) and run["status"].get("state") in RunState.ACTIVE
               for run in listed)
