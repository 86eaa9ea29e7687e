"""Compare: two or more runs' curves on one chart and their settings and results side by
side, the differences highlighted."""

import streamlit as st

from cnnviz import runs
from cnnviz.analysis.comparison import (comparison_table, differing_rows, display_value,
                                        run_label)
from cnnviz.analysis.history import epoch_table
from cnnviz.figures import compare_curves
from cnnviz.ui.i18n import t
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import current_run

HIGHLIGHT = "background-color: #fef3c7"

require_shell()
st.title(t("compare.title"))
run_ids = [run["run_id"] for run in runs.list_runs() if run["kind"] == "classifier"]
if len(run_ids) < 2:
    st.info(t("compare.need_two"))
    st.stop()

current = current_run()
default = [current] if current in run_ids else []
default += [run_id for run_id in run_ids if run_id not in default][:2 - len(default)]
labels = {run_id: run_label(run_id) for run_id in run_ids}
chosen = st.multiselect(t("compare.runs"), run_ids, default=default, format_func=labels.get)
if len(chosen) < 2:
    st.info(t("compare.need_two"))
    st.stop()

metric = st.radio(t("compare.metric"), ["loss", "accuracy"], horizontal=True,
                  format_func=lambda name: t(f"curve.{name}"))
histories = {labels[run_id]: epoch_table(runs.read_metrics(run_id)) for run_id in chosen}
st.plotly_chart(compare_curves(histories, metric, {
    "train": t("curve.train"), "validation": t("curve.validation"), "epoch": t("curve.epoch"),
    "metric": t(f"curve.{metric}")}), width="stretch")

st.subheader(t("compare.table"))
table = comparison_table(chosen)
differs = differing_rows(table)
if st.toggle(t("compare.only_differences"), value=True):
    table, differs = table[differs], differs[differs]
shown = table.map(display_value)
st.dataframe(shown.style.apply(lambda row: [HIGHLIGHT if differs[row.name] else ""] * len(row),
                               axis=1), width="stretch")
st.caption(t("compare.legend"))
