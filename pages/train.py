"""Train: hyper-parameters, Start, the live charts of the current run, and the list of runs."""

import dataclasses
import time

import streamlit as st

from cnnviz import runs
from cnnviz.identity import owner_label
from cnnviz.analysis.history import batch_table, epoch_table, overfitting_hint
from cnnviz.analysis.progress import minutes_and_seconds, run_progress
from cnnviz.analysis.run_table import COLUMNS, run_table
from cnnviz.errors import CnnvizError, RunNotFoundError
from cnnviz.figures.training import training_curve
from cnnviz.runs import RunState
from cnnviz.training.config import OPTIMIZERS, SCHEDULES, TrainConfig
from cnnviz.presets import TRAINING_PRESETS, run_to_offer
from cnnviz.training.timing import expected_seconds, format_duration
from cnnviz.ui.cached import dataset_summary, step_seconds
from cnnviz.ui.classroom import class_rules_caption, queue_place_caption
from cnnviz.ui.components.choices import short_number, translated
from cnnviz.ui.components.form_state import FormState
from cnnviz.ui.components.live import live
from cnnviz.ui.components.run_card import progress_bar, run_ending, run_heading
from cnnviz.ui.components.run_picker import run_picker
from cnnviz.ui.dropped import show_split_sizes_and_dropped
from cnnviz.ui.gan_charts import gan_curves
from cnnviz.ui.i18n import shown_error, t
from cnnviz.ui.results import near_chance_notice, stopped_notice
from cnnviz.ui.run_buttons import (delete_button, listed_run, resume_button, start_for_session,
                                   refusal_text, start_refusal, stop_button)
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import (choose, current_run, dataset_spec, model_spec, set_current_run,
                             train_config)
from cnnviz.ui.tables import show_run_list

LEARNING_RATES = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 2e-3, 3e-3, 1e-2, 3e-2, 1e-1]
BATCH_SIZES = [8, 16, 32, 50, 64, 128, 256, 500, 1000]
PENALTIES = [0.0, 1e-6, 1e-5, 1e-4, 1e-3]
SMOOTHINGS = [0.0, 0.05, 0.1, 0.2]
FORM = FormState("train_form")
PRESET_KEY = "train_form.preset"
SHOWN_FIELDS = ("optimizer", "learning_rate", "schedule", "batch_size", "epochs", "seed", "l1",
                "l2", "label_smoothing", "early_stopping", "reduce_on_plateau")


def widget_values(config: TrainConfig) -> dict:
    """The settings widgets' values for ``config`` (no time limit shows as 0)."""
    return {**{name: getattr(config, name) for name in SHOWN_FIELDS},
            "time_budget_minutes": float(config.time_budget_minutes or 0)}


def apply_preset() -> None:
    """A picked preset becomes the session's choice, and every widget shows it."""
    preset = st.session_state[PRESET_KEY]
    if preset:
        choose(training=TRAINING_PRESETS[preset])
        FORM.seed(widget_values(TRAINING_PRESETS[preset]), again=True)


require_shell()
st.title(t("train.title"))
data, model, current = dataset_spec(), model_spec(), train_config()
shown_run = current_run()
try:
    shown_state = runs.read_status(shown_run).get("state") if shown_run else None
except RunNotFoundError:
    shown_state = None
shown_active = shown_state in RunState.ACTIVE
listed = runs.list_runs()

with st.expander(t("train.settings"), expanded=shown_state is None):
    st.caption(t("train.chosen", dataset=t(f"source.{data.source}"),
                 model=t(f"arch.{model.architecture}.title")))
    st.selectbox(t("train.preset"), [""] + list(TRAINING_PRESETS), key=PRESET_KEY,
                 on_change=apply_preset, format_func=translated("preset.{}", blank="—"),
                 help=t("train.preset_help"))
    preset_run = run_to_offer(st.session_state.get(PRESET_KEY), data, model)
    if preset_run is not None:
        st.caption(t("train.preset_own_data_and_network"))
        if st.button(t("train.preset_use_data_and_network"), key="train_preset_run"):
            choose(preset_run.dataset, preset_run.model)
            st.rerun()
    FORM.seed(widget_values(current))
    key = FORM.key
    left, middle, right = st.columns(3)
    changes = {
        "optimizer": left.selectbox(t("train.optimizer"), OPTIMIZERS, key=key("optimizer"),
                                    help=t("train.optimizer_help")),
        "learning_rate": left.select_slider(
            t("train.learning_rate"), LEARNING_RATES, key=key("learning_rate"),
            format_func=short_number, help=t("train.learning_rate_help")),
        "schedule": left.selectbox(t("train.schedule"), SCHEDULES, key=key("schedule"),
                                   format_func=translated("schedule.{}"),
                                   help=t("train.schedule_help")),
        "batch_size": middle.select_slider(t("train.batch_size"), BATCH_SIZES,
                                           key=key("batch_size"),
                                           help=t("train.batch_size_help")),
        "epochs": middle.number_input(t("train.epochs"), 1, 500, key=key("epochs"),
                                      help=t("train.epochs_help")),
        "time_budget_minutes": middle.number_input(
            t("train.time_budget"), 0.0, 600.0, step=1.0, format="%g",
            key=key("time_budget_minutes"), help=t("train.time_budget_help")) or None,
        "seed": middle.number_input(t("train.seed"), 0, 1_000_000, key=key("seed"),
                                    help=t("train.seed_help")),
        "l1": right.select_slider(t("train.l1"), PENALTIES, key=key("l1"),
                                  format_func=short_number, help=t("train.l1_help")),
        "l2": right.select_slider(t("train.l2"), PENALTIES, key=key("l2"),
                                  format_func=short_number, help=t("train.l2_help")),
        "label_smoothing": right.select_slider(
            t("train.label_smoothing"), SMOOTHINGS, key=key("label_smoothing"),
            format_func=short_number, help=t("train.label_smoothing_help")),
        "early_stopping": right.checkbox(t("train.early_stopping"), key=key("early_stopping"),
                                         help=t("train.early_stopping_help")),
        "reduce_on_plateau": right.checkbox(t("train.reduce_on_plateau"),
                                            key=key("reduce_on_plateau"),
                                            help=t("train.reduce_on_plateau_help")),
    }
    try:
        chosen = dataclasses.replace(current, **changes)
        choose(training=chosen)
    except CnnvizError as error:
        st.error(shown_error(error))
        chosen = None
    class_rules_caption()
    start, estimate = st.columns([1, 3])
    busy = start_refusal(listed, shown_run)
    if start.button(t("train.start"), type="primary", disabled=chosen is None or busy is not None,
                    help=busy):
        started = start_for_session([runs.RunConfig(data, model, chosen)])
        if started:
            set_current_run(started[0])
            st.rerun()
    if busy:
        start.caption(busy)
    if estimate.button(t("train.estimate"), disabled=chosen is None):
        config = runs.RunConfig(data, model, chosen)
        try:
            with st.spinner(t("reports.measuring")):
                summary, class_names, image_shape = dataset_summary(data)
                seconds = expected_seconds(config, step_seconds(config, image_shape,
                                                                len(class_names)),
                                           summary.split_sizes)
            st.info(t("train.expected", duration=format_duration(seconds)))
        except CnnvizError as error:
            st.error(shown_error(error))


def show_run(run_id: str) -> str | None:
    """Status, progress, charts and hints of one run, read from its folder; returns its state."""
    try:
        status = runs.read_status(run_id)
    except RunNotFoundError:
        st.info(t("train.no_run"))
        return None
    rows = runs.read_metrics(run_id)
    config = runs.read_config(run_id)
    state = status.get("state", RunState.QUEUED)
    progress = run_progress(status, rows, time.time())
    run_heading(run_id, status, with_device=True)
    st.caption(t("train.run_of", dataset=t(f"source.{config.dataset.source}"),
                 model=t(f"arch.{config.model.architecture}.title")))
    if status.get("ray_job"):
        st.caption(t("train.ray_node", node=status.get("host") or t("train.ray_waiting")))
    if state == RunState.QUEUED:
        queue_place_caption(run_id)
    run_ending(status, with_details=True)
    if state not in (RunState.FAILED, RunState.INTERRUPTED) and status.get("message"):
        st.caption(t(status["message"]))
    for notice in status.get("notices") or []:
        st.warning(notice)
    show_split_sizes_and_dropped(run_id, status)
    if state == RunState.QUEUED and not rows:
        return state  # nothing trained yet: no charts to rebuild at every rerun while it waits
    left = ""
    if progress.seconds_left is not None and state in RunState.ACTIVE:
        minutes, seconds = minutes_and_seconds(progress.seconds_left)
        left = f" — {t('train.time_left', minutes=minutes, seconds=seconds)}"
    progress_bar(progress, left)
    columns = st.columns(3)
    columns[0].metric(t("train.speed"), f"{progress.images_per_second:,.0f}"
                      if progress.images_per_second else "—")
    columns[1].metric(t("train.learning_rate"), f"{progress.learning_rate:.2e}"
                      if progress.learning_rate is not None else "—")
    if stop_button(listed_run(run_id), "stop_run", columns[2]):
        st.rerun()

    epochs, batches = epoch_table(rows), batch_table(rows)
    if config.kind == "gan":
        gan_curves(epochs, batches, ("live_loss", "live_accuracy"))
        st.page_link("pages/gan.py", label=t("train.open_gan"), icon=":material/auto_awesome:")
        return state
    if epochs.empty and batches.empty:
        # No point to draw yet (the worker is still loading or building): empty charts would
        # show Plotly's meaningless 0-4 axes.
        st.caption(t("train.waiting_for_points"))
        return state
    hint = overfitting_hint(epochs)
    labels = {"train": t("curve.train"), "validation": t("curve.validation"),
              "batches": t("curve.batches"), "epoch": t("curve.epoch"), "best": t("curve.best")}
    smoothing_column, scale_column = st.columns([2, 1], vertical_alignment="bottom")
    smoothing = smoothing_column.slider(t("train.smoothing"), 0.0, 0.95, 0.6, 0.05,
                                        key="curve_smoothing", help=t("train.smoothing_help"))
    log_scale = scale_column.toggle(t("train.log_scale"), key="curve_log_scale",
                                    help=t("train.log_scale_help"))
    left_chart, right_chart = st.columns(2)
    for column, metric, key in ((left_chart, "loss", "live_loss"),
                                (right_chart, "accuracy", "live_accuracy")):
        column.plotly_chart(training_curve(epochs, batches, metric,
                                           {**labels, "metric": t(f"curve.{metric}")},
                                           hint.best_epoch, smoothing=smoothing,
                                           log_scale=log_scale,
                                           epochs_total=progress.axis_epochs),
                            width="stretch", key=key)
    if hint.best_epoch is not None:
        gap = f"{hint.accuracy_gap:+.1%}" if hint.accuracy_gap is not None else "—"
        message = t("train.hint", epoch=hint.best_epoch, gap=gap)
        (st.warning if hint.overfitting else st.caption)(
            message + (" " + t("train.overfitting") if hint.overfitting else ""))
    if state not in RunState.ACTIVE:
        metrics = runs.read_final_metrics(run_id)
        if metrics:
            st.success(t("train.finished", accuracy=f"{metrics['accuracy']:.1%}"))
            stopped_notice(run_id)
            if metrics.get("stopped_by_time_budget"):
                st.caption(t("train.budget_spent",
                             minutes=f"{config.training.time_budget_minutes:g}",
                             epochs=metrics.get("epochs_trained")))
            near_chance_notice(run_id)
    return state


run_id = shown_run
if run_id:
    st.subheader(t("train.current"))
    live(lambda: show_run(run_id) in RunState.ACTIVE, shown_active)

st.subheader(t("train.runs"))
if not listed:
    st.info(t("home.no_runs"))
else:
    # A wrapping table: the data grid cut the last columns (accuracies, duration) off the page.
    show_run_list(run_table(listed, name_template=t("runs.default_name")), COLUMNS)
    by_id = {run["run_id"]: run for run in listed}
    picked = run_picker(t("train.pick_run"), list(by_id),
                        format_func=lambda key: f"{key} — {owner_label(by_id[key]) or '—'}")
    chosen_run = by_id[picked]
    actions = st.columns(4)
    if actions[0].button(t("train.open"), width="stretch"):
        set_current_run(picked)
        st.rerun()
    if stop_button(chosen_run, "list_stop", actions[1]):
        st.rerun()
    if resume_button(chosen_run, "list_resume", actions[2]):
        set_current_run(picked)
        st.rerun()
    if delete_button(chosen_run, "list_delete", actions[3]):
        if picked == run_id:
            set_current_run(None)
        st.rerun()
    refused = refusal_text(chosen_run)
    if refused:
        st.caption(refused)
