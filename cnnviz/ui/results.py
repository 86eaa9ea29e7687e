"""What the results pages share: the open run's test predictions, or a clear reason why
there are none yet."""

from __future__ import annotations

import dataclasses

import streamlit as st

from cnnviz import classroom, runs
from cnnviz.analysis.chance import chance_check
from cnnviz.analysis.evaluation_data import Evaluation
from cnnviz.errors import CnnvizError
from cnnviz.runs import RunState
from cnnviz.ui.cached import run_evaluation
from cnnviz.ui.i18n import shown_class_names, shown_error, t
from cnnviz.ui.state import current_run


def evaluated_run() -> tuple[str, Evaluation]:
    """The current run and its evaluation, class names as the page shows them; otherwise
    explain why, offer the training page and stop the page."""
    run_id = current_run()
    try:
        if not run_id:
            raise CnnvizError("evaluation.no_run")
        evaluation = run_evaluation(run_id)
        names = shown_class_names(evaluation.class_names, runs.read_config(run_id).dataset.source)
        return run_id, dataclasses.replace(evaluation, class_names=names)
    except CnnvizError as error:
        st.info(t("evaluation.no_results", reason=shown_error(error)))
        st.page_link("pages/train.py", label=t("evaluation.go_train"),
                     icon=":material/monitoring:")
        st.stop()


def stopped_notice(run_id: str) -> None:
    """For a run stopped on request: the epochs it reached, and that it can go on; its results
    are those of its best epoch so far, not of the whole training asked for."""
    if runs.read_status(run_id).state != RunState.STOPPED:
        return
    metrics = runs.read_final_metrics(run_id) or {}
    st.info(t("run.stopped_at", epoch=metrics.get("epochs_trained", "?"),
              epochs=runs.read_config(run_id).training.epochs), icon=":material/pause_circle:")


def near_chance_notice(run_id: str) -> None:
    """A warning when a finished run scores about what guessing would: the student must not
    read its matrix, maps or predictions as those of a network that works. Its advice is what
    the student may do: when class mode's time limit ended the run, not more epochs."""
    metrics = runs.read_final_metrics(run_id)
    check = chance_check(metrics)
    if check is None or not check.near_chance:
        return
    config = runs.read_config(run_id)
    training = config.training
    scores = {"accuracy": f"{check.accuracy:.0%}", "guessing": f"{check.guessing:.0%}",
              "rate": f"{training.learning_rate:g}"}
    if classroom.ended_by_class_time(config, metrics):
        advice = t("chance.not_learnt_class", minutes=f"{training.time_budget_minutes:g}",
                   **scores)
    else:
        advice = t("chance.not_learnt", epochs=metrics.get("epochs_trained") or training.epochs,
                   **scores)
    st.warning(advice, icon=":material/school:")
