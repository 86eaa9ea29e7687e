"""Reproduce the reports: each experiment of the five reports in one click, on the user's copy
of the data or on a stand-in, with the report's figures beside ours when the runs end."""

import time

import streamlit as st

from cnnviz import runs
from cnnviz.analysis.history import epoch_table
from cnnviz.analysis.progress import run_progress
from cnnviz.datasets.builtin import has_local_fashion_mnist
from cnnviz.errors import CnnvizError
from cnnviz.figures.compare import compare_curves
from cnnviz.gan.samples import monitor_epochs, read_monitor
from cnnviz.reports.compare import any_running, compare_figures, latest_runs, results_of
from cnnviz.reports.experiments import EXPERIMENTS, REPORT_ATTRIBUTES, Experiment, figures_of
from cnnviz.reports.plan import art_merge, experiment_configs, plan, planned_seconds, report_dataset
from cnnviz.runs import RunState
from cnnviz.training.timing import format_duration
from cnnviz.ui.cached import attribute_names, dataset_summary, step_seconds
from cnnviz.ui.components.choices import translated
from cnnviz.ui.components.data_input import zip_or_path
from cnnviz.ui.components.live import live
from cnnviz.ui.i18n import shown_error, shown_reason, t
from cnnviz.ui.run_buttons import start_for_session
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import set_current_run

LONG_PRESET_SECONDS = 20 * 60  # longer than this does not fit in a lesson: say so first

require_shell()
st.title(t("reports.title"))
st.caption(t("reports.caption"))

key = st.radio(t("reports.pick"), list(EXPERIMENTS), horizontal=True, key="report",
               format_func=translated("reports.{}.name"))
experiment: Experiment = EXPERIMENTS[key]
st.markdown(t(f"reports.{key}.about"))
st.caption(t(f"reports.{key}.assumptions"))


def copy_of_the_data() -> tuple:
    """Ask for the user's copy of the report's data; (dataset, attribute) or stop the page."""
    if experiment.source == "fashion_mnist":
        if has_local_fashion_mnist():
            st.success(t("reports.fashion_here"))
        else:
            st.warning(t("reports.fashion_download"))
        return report_dataset(experiment), ""
    path, zipped = zip_or_path(t("reports.zip"), t("reports.path"),
                               t(f"dataset.path_help.{experiment.source}"), key,
                               accepts_zip=experiment.accepts_zip)
    if not path:
        st.info(t(f"reports.{key}.need_data"))
        st.stop()
    attribute, merge = "", ()
    try:
        if experiment.source == "attributes":
            present = [name for name in REPORT_ATTRIBUTES if name in attribute_names(path)]
            if not present:
                st.error(t("reports.no_attribute", attributes=", ".join(REPORT_ATTRIBUTES)))
                st.stop()
            attribute = st.selectbox(t("dataset.attribute"), present)
        if key == "A":
            _, class_names, _ = dataset_summary(report_dataset(experiment, path, zipped=zipped))
            merge = art_merge(class_names)
            if merge:
                st.caption(t("reports.merged", classes=" + ".join(merge[0][1])))
            else:
                st.warning(t("reports.no_merge", classes=", ".join(class_names)))
        return report_dataset(experiment, path, attribute, merge, zipped), attribute
    except CnnvizError as error:
        st.error(shown_error(error))
        st.stop()


# The stand-in first: it is here on every machine, and a newcomer has no copy of the report's
# data, unless that data is here already (Debian's Fashion-MNIST).
data_here = experiment.source == "fashion_mnist" and has_local_fashion_mnist()
choice = st.radio(t("reports.data"), ["stand_in", "report"], index=1 if data_here else 0,
                  horizontal=True, key=f"data_{key}",
                  format_func=translated("reports.data.{}"))
if choice == "stand_in":
    st.info(t(f"reports.{key}.stand_in"))
    data, attribute = None, ""
else:
    data, attribute = copy_of_the_data()
configs = experiment_configs(experiment, data, attribute)

# What will run, and for how long on this machine. The images are counted in the chosen data,
# except for a GAN on the user's copy: report E's DCGAN reads about 200,000 faces, so the
# report's count stands in rather than a scan of every file.
try:
    with st.spinner(t("reports.reading")):
        counted = [dataset_summary(config.dataset)[0].split_sizes
                   if data is None or config.kind == "classifier" else None
                   for config in configs]
    with st.spinner(t("reports.measuring")):
        seconds = [step_seconds(config, run.input_shape or experiment.input_shape,
                                experiment.num_classes)
                   for config, run in zip(configs, experiment.runs)]
except CnnvizError as error:
    st.error(shown_error(error))
    st.stop()
planned = plan(experiment, configs, seconds, counted)
st.dataframe([{
    t("reports.col.run"): row.key,
    t("reports.col.duration"): format_duration(row.expected_seconds),
    t("reports.col.network"): t(f"arch.{row.architecture}.title")
    + (f" ({row.detail})" if row.detail else ""),
    t("reports.col.optimizer"): row.optimizer,
    t("reports.col.rate"): f"{row.learning_rate:g}", t("reports.col.batch"): row.batch_size,
    t("reports.col.epochs"): row.epochs,
} for row in planned], hide_index=True, width="stretch")
total = planned_seconds(planned)
(st.warning if total > LONG_PRESET_SECONDS else st.caption)(
    t("reports.expected", duration=format_duration(total), runs=len(planned)))
if st.button(t("reports.start", runs=len(configs)), type="primary", key=f"start_{key}"):
    started = start_for_session(configs)
    if started:
        set_current_run(started[0])
        st.rerun()


def show_results() -> bool:
    """The runs of this experiment (the newest of each name) with the report's figures beside
    ours, and their curves on one chart; returns whether any of them is still active."""
    listed = runs.list_runs()
    found = latest_runs(listed, [config.name for config in configs])
    if not found:
        return False
    st.subheader(t("reports.results"))
    by_id = {run["run_id"]: run for run in listed}
    for config, run in zip(configs, experiment.runs):
        if config.name in found:
            show_run(by_id[found[config.name]], config, run)
    histories = {name: epoch_table(runs.read_metrics(run_id)) for name, run_id in found.items()
                 if by_id[run_id]["kind"] == "classifier"}
    histories = {name: table for name, table in histories.items() if len(table)}
    if histories:
        metric = st.radio(t("compare.metric"), ["accuracy", "loss"], horizontal=True,
                          format_func=translated("curve.{}"), key=f"metric_{key}")
        st.plotly_chart(compare_curves(histories, metric, {
            "train": t("curve.train"), "validation": t("curve.validation"),
            "epoch": t("curve.epoch"), "metric": t(f"curve.{metric}")}), width="stretch")
    return any(by_id[run_id]["status"].get("state") in RunState.ACTIVE
               for run_id in found.values())


def show_run(listed_run: dict, config, run) -> None:
    run_id, state = listed_run["run_id"], listed_run["status"].get("state", RunState.QUEUED)
    with st.container(border=True):
        st.markdown(f"**{config.name}** — {t(f'state.{state}')} · `{run_id}`")
        if state == RunState.FAILED:
            st.error(shown_reason(listed_run["status"], "train.failed"))
        if state in RunState.ACTIVE:
            progress = run_progress(listed_run["status"], runs.read_metrics(run_id), time.time())
            st.progress(progress.fraction, text=t("reports.progress", epoch=progress.epoch,
                                                  epochs=progress.epochs or run.training.epochs))
        if listed_run["metrics"]:
            rows = compare_figures(figures_of(experiment, run, attribute), results_of(listed_run))
            st.markdown("  \n".join(
                t("reports.figure", metric=t(f"reports.metric.{row.metric}"), report=row.report,
                  run=row.this_run) for row in rows) or t("reports.no_figures"))
        epochs = monitor_epochs(runs.run_path(run_id)) if config.kind == "gan" else []
        if epochs:
            st.image(read_monitor(runs.run_path(run_id), epochs[-1]), width=320,
                     caption=t("reports.monitor", epoch=epochs[-1]))
        if st.button(t("reports.open"), key=f"open_{run_id}"):
            set_current_run(run_id)
            st.switch_page("pages/gan.py" if config.kind == "gan" else
                           "pages/evaluation.py" if listed_run["metrics"] else "pages/train.py")


live(show_results, any_running(runs.list_runs(), [config.name for config in configs]))
