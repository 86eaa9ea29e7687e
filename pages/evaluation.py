"""Evaluation: the current run's confusion matrix (click a cell to see its images), per-class
accuracy, metrics, hard and easy examples, and its training history."""

import numpy as np
import streamlit as st

from cnnviz import runs
from cnnviz.analysis.confusion import (NORMALISATIONS, cell_rows, class_order, confusion_counts,
                                       most_confused_pairs, normalise)
from cnnviz.analysis.evaluation_data import row_images
from cnnviz.analysis.examples import EXAMPLE_KINDS, examples, prediction_caption
from cnnviz.analysis.history import batch_table, epoch_table, overfitting_hint
from cnnviz.analysis.metrics import binary_report, roc_curves
from cnnviz.analysis.per_class import (best_and_worst, per_class_table, training_data_varies,
                                      training_image_range)
from cnnviz.errors import CnnvizError
from cnnviz.figures.evaluation import (accuracy_against_data, confusion_heatmap, per_class_bars,
                                       roc_figure)
from cnnviz.figures.training import training_curve
from cnnviz.ui.cached import run_dataset
from cnnviz.ui.components.choices import translated
from cnnviz.ui.components.image_rows import image_grid
from cnnviz.ui.dropped import show_split_sizes_and_dropped
from cnnviz.ui.i18n import shown_error, t
from cnnviz.ui.results import evaluated_run, near_chance_notice, stopped_notice
from cnnviz.ui.shell import require_shell

CLICK_KEY = "confusion_click"
TAB_KEY = "evaluation_tab"
MAX_CELL_IMAGES = 24
MAX_ROC_CLASSES = 12

require_shell()
st.title(t("evaluation.title"))
run_id, evaluation = evaluated_run()
metrics = runs.read_final_metrics(run_id) or {}

names = evaluation.class_names
st.caption(t("evaluation.caption", run=run_id, images=len(evaluation.y_true),
             split=t(f"split.{evaluation.split_name}")))
show_split_sizes_and_dropped(run_id, runs.read_status(run_id))
st.page_link("pages/export.py", label=t("evaluation.export_link"), icon=":material/ios_share:")
stopped_notice(run_id)
near_chance_notice(run_id)


def show_images(rows: np.ndarray) -> None:
    """The images of some prediction rows with their top-3 probabilities."""
    if not len(rows):
        st.caption(t("evaluation.no_images"))
        return
    try:
        images = row_images(run_dataset(run_id), evaluation, rows)
    except CnnvizError as error:
        st.warning(t("evaluation.images_unavailable", reason=shown_error(error)))
        return
    image_grid(images, [prediction_caption(evaluation.y_prob[row], names, evaluation.y_true[row])
                        for row in rows])


matrix_tab, classes_tab, metrics_tab, examples_tab, history_tab = st.tabs([
    t("evaluation.tab_confusion"), t("evaluation.tab_classes"), t("evaluation.tab_metrics"),
    t("evaluation.tab_examples"), t("evaluation.tab_history"),
], key=TAB_KEY, on_change="rerun")  # only the open tab runs: the page stays quick

with matrix_tab:
    if matrix_tab.open:
        counts = confusion_counts(evaluation.y_true, evaluation.y_pred, len(names))
        left, right = st.columns(2)
        mode = left.radio(t("evaluation.normalise"), NORMALISATIONS, horizontal=True,
                          format_func=translated("normalise.{}"))
        ordering = right.radio(t("evaluation.order"), ["natural", "confusion"], horizontal=True,
                               format_func=translated("order.{}"),
                               index=1 if len(names) > 30 else 0)
        order = class_order(counts, ordering)
        figure = confusion_heatmap(
            normalise(counts, mode), counts, names, order,
            {"true": t("evaluation.true"), "predicted": t("evaluation.predicted"),
             "images": t("evaluation.images"), "share": t("evaluation.share"),
             "value": t(f"normalise.{mode}")},
        )
        event = st.plotly_chart(figure, on_select="rerun", selection_mode="points",
                                key="confusion_chart", width="stretch")
        points = [point for point in (event.selection.points if event else [])
                  if point.get("curve_number") == 1]
        if points:
            cell = figure.data[1].customdata[points[0]["point_index"]]
            clicked = (int(cell[0]), int(cell[1]))
            if st.session_state.get(CLICK_KEY) != clicked:
                st.session_state[CLICK_KEY] = clicked
                st.session_state["cell_true"], st.session_state["cell_predicted"] = clicked
        pairs = most_confused_pairs(counts, names)
        if "cell_true" not in st.session_state or st.session_state["cell_true"] >= len(names):
            first = (names.index(pairs["true"][0]), names.index(pairs["predicted"][0])) \
                if len(pairs) else (0, 0)
            st.session_state["cell_true"], st.session_state["cell_predicted"] = first
        st.caption(t("evaluation.click_hint"))
        left, right = st.columns(2)
        true_class = left.selectbox(t("evaluation.true"), range(len(names)),
                                    format_func=names.__getitem__, key="cell_true")
        predicted_class = right.selectbox(t("evaluation.predicted"), range(len(names)),
                                          format_func=names.__getitem__, key="cell_predicted")
        rows = cell_rows(evaluation.y_true, evaluation.y_prob, true_class, predicted_class)
        st.markdown(t("evaluation.cell", images=len(rows), true=names[true_class],
                      predicted=names[predicted_class]))
        show_images(rows[:MAX_CELL_IMAGES])
        st.subheader(t("evaluation.pairs"))
        st.dataframe(pairs.rename(columns=lambda column: t(f"pairs.{column}")), hide_index=True,
                     column_config={t("pairs.share"): st.column_config.ProgressColumn(
                         format="percent", min_value=0, max_value=1)})

table = per_class_table(evaluation.y_true, evaluation.y_pred, names, evaluation.train_counts)
columns = {column: t(f"column.{column}") for column in table.columns}
with classes_tab:
    if classes_tab.open:
        best, worst = best_and_worst(table)
        left, right = st.columns(2)
        left.subheader(t("evaluation.best", count=len(best)))
        left.dataframe(best[["class", "accuracy", "test_images"]], hide_index=True,
                       column_config=columns)
        right.subheader(t("evaluation.worst", count=len(worst)))
        right.dataframe(worst[["class", "accuracy", "test_images"]], hide_index=True,
                        column_config=columns)
        st.plotly_chart(per_class_bars(table, {"accuracy": t("evaluation.accuracy"),
                                               "class": t("evaluation.class")}), width="stretch")
        if training_data_varies(table):
            st.subheader(t("evaluation.against_data"))
            st.plotly_chart(accuracy_against_data(table, {
                "accuracy": t("evaluation.accuracy"),
                "train_images": t("evaluation.train_images")}), width="stretch")
        elif "train_images" in table:
            fewest, most = training_image_range(table)
            st.caption(t("evaluation.balanced", fewest=fewest, most=most))

with metrics_tab:
    if metrics_tab.open:
        figures = [("accuracy", "evaluation.metric_accuracy"), ("top3_accuracy", "evaluation.top3"),
                   ("top5_accuracy", "evaluation.top5"), ("roc_auc", "evaluation.auc"),
                   ("macro_precision", "evaluation.macro_precision"),
                   ("macro_recall", "evaluation.macro_recall"), ("macro_f1", "evaluation.macro_f1"),
                   ("weighted_f1", "evaluation.weighted_f1")]
        shown = [(key, label) for key, label in figures if metrics.get(key) is not None]
        for start in range(0, len(shown), 4):
            for column, (key, label) in zip(st.columns(4), shown[start:start + 4]):
                column.metric(t(label), f"{metrics[key]:.1%}" if key != "roc_auc"
                              else f"{metrics[key]:.3f}")
        if len(names) == 2:
            st.subheader(t("evaluation.binary", positive=names[1]))
            st.dataframe({t(f"binary.{key}"): [value] for key, value in
                          binary_report(evaluation.y_true, evaluation.y_prob).items()},
                         hide_index=True)
        st.subheader(t("evaluation.report"))
        st.dataframe(table, hide_index=True, column_config={
            **columns, **{column: st.column_config.NumberColumn(columns[column], format="%.3f")
                          for column in ("accuracy", "precision", "recall", "f1")}})
        st.download_button(t("evaluation.download"), table.to_csv(index=False).encode(),
                           file_name=f"{run_id}-per-class.csv", mime="text/csv",
                           icon=":material/download:")
        st.subheader(t("evaluation.roc"))
        curves = roc_curves(evaluation.y_true, evaluation.y_prob, names)
        chosen = st.multiselect(t("evaluation.roc_classes"), list(curves),
                                default=list(curves)[:MAX_ROC_CLASSES])
        st.plotly_chart(roc_figure({name: curves[name] for name in chosen},
                                   {"fpr": t("evaluation.fpr"), "tpr": t("evaluation.tpr"),
                                    "chance": t("evaluation.chance")}), width="stretch")

with examples_tab:
    if examples_tab.open:
        kind = st.radio(t("evaluation.example_kind"), EXAMPLE_KINDS, horizontal=True,
                        format_func=translated("examples.{}"))
        st.caption(t(f"examples.{kind}_help"))
        show_images(examples(kind, evaluation.y_true, evaluation.y_prob, limit=24))

with history_tab:
    if history_tab.open:
        epochs = epoch_table(runs.read_metrics(run_id))
        hint = overfitting_hint(epochs)
        labels = {"train": t("curve.train"), "validation": t("curve.validation"),
                  "batches": t("curve.batches"), "epoch": t("curve.epoch"), "best": t("curve.best")}
        logged = [metric for metric in ("loss", "accuracy", "auc") if metric in epochs]
        for column, metric in zip(st.columns(len(logged)), logged):  # AUC: runs that log it
            column.plotly_chart(training_curve(epochs, batch_table([]), metric,
                                               {**labels, "metric": t(f"curve.{metric}")},
                                               hint.best_epoch), width="stretch")
