"""Compare: two or more runs' curves on one chart and their settings and results side by
side, the differences highlighted; queue a hyper-parameter study and see its best run."""

import dataclasses

import streamlit as st

from cnnviz import runs
from cnnviz.analysis.comparison import comparison_table, differing_rows, run_label
from cnnviz.analysis.history import epoch_table
from cnnviz.analysis.run_table import run_table
from cnnviz.errors import CnnvizError
from cnnviz.figures.compare import compare_curves
from cnnviz.study import best_run, study_configs, study_names, study_runs
from cnnviz.ui.components.choices import short_number, translated
from cnnviz.ui.i18n import shown_error, t
from cnnviz.ui.run_buttons import start_for_session
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import current_run, dataset_spec, model_spec, train_config
from cnnviz.ui.tables import show_comparison_table, show_run_table

STUDY_KEY = "study"
RATES = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2]
BATCHES = [16, 32, 64, 128, 256, 500, 1000]

require_shell()
st.title(t("compare.title"))
listed = runs.list_runs()


def study_form() -> None:
    """Queue one run per learning rate and batch size, on the chosen data and model."""
    st.caption(t("study.caption"))
    left, middle, right = st.columns([2, 2, 1])
    rates = left.multiselect(t("study.rates"), RATES, default=[1e-3, 1e-4],
                             format_func=short_number)
    sizes = middle.multiselect(t("study.batches"), BATCHES, default=[64])
    epochs = right.number_input(t("study.epochs"), 1, 200, 3)
    name = st.text_input(t("study.name"), value=f"{t('study.default_name')} "
                         f"{len(study_names(listed)) + 1}")
    base = runs.RunConfig(dataset_spec(), model_spec(),
                          dataclasses.replace(train_config(), epochs=int(epochs)))
    try:
        configs = study_configs(base, name, rates, sizes)
    except CnnvizError as error:
        st.warning(shown_error(error))
        return
    if st.button(t("study.start", runs=len(configs)), type="primary"):
        if start_for_session(configs):
            st.session_state[STUDY_KEY] = name.strip()
            st.rerun()


with st.expander(t("study.title"), icon=":material/science:"):
    study_form()

run_ids = [run["run_id"] for run in listed if run["kind"] == "classifier"]
if len(run_ids) < 2:
    st.info(t("compare.need_two"))
    st.stop()

studies = study_names(listed)
chosen_study = st.selectbox(t("study.pick"), [""] + studies,
                            index=1 + studies.index(st.session_state[STUDY_KEY])
                            if st.session_state.get(STUDY_KEY) in studies else 0,
                            format_func=lambda name: name or t("study.none"))
current = current_run()
if chosen_study:
    default = study_runs(listed, chosen_study)
else:
    default = [current] if current in run_ids else []
    default += [run_id for run_id in run_ids if run_id not in default][:2 - len(default)]
labels = {run_id: run_label(run_id) for run_id in run_ids}
chosen = st.multiselect(t("compare.runs"), run_ids, default=default, format_func=labels.get,
                        key=f"compare_runs_{chosen_study}")
if chosen_study:
    table = run_table([run for run in listed if run["run_id"] in chosen])
    best = best_run(dict(zip(table["run"], table["best_val_accuracy"])))
    if best:
        st.success(t("study.best", run=labels[best]))
    show_run_table(table)
if len(chosen) < 2:
    st.info(t("compare.need_two"))
    st.stop()

metric = st.radio(t("compare.metric"), ["loss", "accuracy"], horizontal=True,
                  format_func=translated("curve.{}"))
histories = {labels[run_id]: epoch_table(runs.read_metrics(run_id)) for run_id in chosen}
st.plotly_chart(compare_curves(histories, metric, {
    "train": t("curve.train"), "validation": t("curve.validation"), "epoch": t("curve.epoch"),
    "metric": t(f"curve.{metric}")}), width="stretch")

st.subheader(t("compare.table"))
table = comparison_table(chosen)
differs = differing_rows(table)
if st.toggle(t("compare.only_differences"), value=True):
    table, differs = table[differs], differs[differs]
show_comparison_table(table, differs)
st.caption(t("compare.legend"))
