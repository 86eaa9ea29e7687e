"""Plotly figures built from plain data: traces, values, names and axes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cnnviz.analysis.history import batch_table, epoch_table, smoothed
from cnnviz.figures.dataset import class_distribution
from cnnviz.figures.layout import TOOLBAR_PIXELS
from cnnviz.figures.model import shape_diagram
from cnnviz.figures.training import training_curve

LABELS = {"train": "Training", "validation": "Validation", "batches": "Batches",
          "epoch": "Epoch", "best": "Best", "metric": "Loss"}


def test_class_distribution_has_one_bar_per_split() -> None:
    counts = pd.DataFrame({"train": [30, 6], "validation": [5, 1], "test": [4, 2]},
                          index=["cat", "dog"])
    figure = class_distribution(counts, {"train": "Entrenamiento", "test": "Prueba"},
                                ("Class", "Images"))
    assert [trace.type for trace in figure.data] == ["bar", "bar"]
    assert [trace.name for trace in figure.data] == ["Entrenamiento", "Prueba"]
    assert list(figure.data[0].x) == ["cat", "dog"]
    assert list(figure.data[0].y) == [30, 6] and list(figure.data[1].y) == [4, 2]
    assert figure.layout.barmode == "group"
    assert figure.layout.xaxis.title.text == "Class"
    assert figure.layout.yaxis.title.text == "Images"


def history(with_validation: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [{"type": "batch", "epoch": e, "batch": b, "batches": 4, "loss": 1.0 / (e + b)}
            for e in (1, 2) for b in (2, 4)]
    for e in (1, 2):
        row = {"type": "epoch", "epoch": e, "loss": 1.0 / e}
        if with_validation:
            row["val_loss"] = 1.5 / e
        rows.append(row)
    return epoch_table(rows), batch_table(rows)


def test_training_curve_with_batches_training_and_validation() -> None:
    epochs, batches = history()
    figure = training_curve(epochs, batches, "loss", LABELS, best_epoch=2)
    assert [trace.name for trace in figure.data] == ["Batches", "Training", "Validation", "Best"]
    behind, train, validation, best = figure.data
    assert list(behind.x) == [0.5, 1.0, 1.5, 2.0]
    assert list(behind.y) == [1 / 3, 1 / 5, 1 / 4, 1 / 6]
    assert list(train.x) == [1, 2] and list(train.y) == [1.0, 0.5]
    assert list(validation.x) == [1, 2] and list(validation.y) == [1.5, 0.75]
    assert len(figure.layout.shapes) == 1
    line = figure.layout.shapes[0]
    assert line.type == "line" and line.x0 == line.x1 == 2
    # The best epoch is named in the legend, not by a label at the top under Plotly's toolbar.
    assert not figure.layout.annotations
    assert best.line.dash == "dash" and best.line.dash == line.line.dash
    assert figure.layout.yaxis.title.text == "Loss"
    assert figure.layout.yaxis.type is None


def test_every_legend_sits_above_the_plot_clear_of_the_axis_title() -> None:
    from cnnviz.figures.compare import compare_curves
    from cnnviz.gan.figures import class_balance_bars, metric_curves

    epochs, batches = history()
    labels = {**LABELS, "value": "Value", "metric": "Loss"}
    figures = [
        training_curve(epochs, batches, "loss", LABELS, best_epoch=2),
        class_distribution(pd.DataFrame({"train": [3]}, index=["cat"]), {"train": "Train"},
                           ("Class", "Images")),
        shape_diagram(["input", "conv"], [(8, 8, 1), (6, 6, 4)],
                      {"height": "H", "width": "W", "channels": "C", "pixels": "P"}),
        compare_curves({"one": epochs}, "loss", labels),
        metric_curves(epochs, batches, {"loss": "Loss"}, labels),
        class_balance_bars(pd.DataFrame({"class": [0], "real_share": [1.0],
                                         "generated_share": [1.0]}), ["cat"],
                           {"real": "Real", "generated": "Generated", "share": "Share"}),
    ]
    for figure in figures:
        legend = figure.layout.legend
        assert (legend.orientation, legend.yanchor, legend.xanchor) == ("h", "top", "left")
        # From the figure's top, below the strip of Plotly's toolbar; Plotly pushes the plot
        # down by the legend's height.
        assert legend.yref == "container" and legend.x == 0
        assert (1 - legend.y) * figure.layout.height == pytest.approx(TOOLBAR_PIXELS)


def test_gan_curves_name_their_lines_in_the_legend_before_the_first_epoch() -> None:
    from cnnviz.gan.figures import metric_curves

    epochs, batches = history()
    labels = {"epoch": "Epoch", "value": "Value"}
    metrics = {"loss": "discriminator loss", "val_loss": "generator loss"}
    first_batches = metric_curves(epochs.iloc[0:0], batches, {"loss": "discriminator loss"},
                                  labels)
    assert first_batches.layout.showlegend is True
    assert [(trace.name, trace.showlegend) for trace in first_batches.data] == [
        ("discriminator loss", True)]
    later = metric_curves(epochs, batches, metrics, labels)
    assert [trace.name for trace in later.data if trace.showlegend is not False] == [
        "discriminator loss", "generator loss"]


def test_training_curve_smooths_the_batches_over_faint_raw_values_and_takes_a_log_axis() -> None:
    epochs, batches = history()
    figure = training_curve(epochs, batches, "loss", LABELS, smoothing=0.5, log_scale=True,
                            epochs_total=4)
    raw, smooth = figure.data[:2]
    assert raw.showlegend is False and list(raw.y) == list(batches["loss"])
    assert smooth.name == "Batches"
    assert smooth.y[0] == pytest.approx(batches["loss"][0])
    assert smooth.y[1] == pytest.approx((0.5 * 0.5 * batches["loss"][0]
                                         + 0.5 * batches["loss"][1]) / 0.75)
    assert figure.layout.yaxis.type == "log"
    assert list(figure.layout.xaxis.range) == [0, 4.1]


def test_a_first_lone_batch_point_is_drawn_as_a_marker() -> None:
    rows = [{"type": "batch", "epoch": 1, "batch": 1, "batches": 40, "loss": 1.8,
             "accuracy": 0.17}]
    for metric in ("loss", "accuracy"):
        figure = training_curve(epoch_table(rows), batch_table(rows), metric,
                                {**LABELS, "metric": metric}, epochs_total=3)
        assert len(figure.data) == 1 and "markers" in figure.data[0].mode


def test_smoothing_matches_tensorboard_and_skips_missing_values() -> None:
    values = np.array([1.0, np.nan, 3.0, 5.0])
    assert list(smoothed(values, 0.0)[[0, 2, 3]]) == [1.0, 3.0, 5.0]
    result = smoothed(values, 0.6)
    assert np.isnan(result[1])
    assert result[0] == pytest.approx(1.0)
    # Debiased EMA: (0.4 * 0.6 * 1 + 0.4 * 3) / (1 - 0.6 ** 2)
    assert result[2] == pytest.approx((0.24 * 1 + 0.4 * 3) / 0.64)
    with pytest.raises(ValueError):
        smoothed(values, 1.0)


def test_training_curve_without_validation_or_best_epoch() -> None:
    epochs, batches = history(with_validation=False)
    figure = training_curve(epochs, batches, "loss", LABELS)
    assert [trace.name for trace in figure.data] == ["Batches", "Training"]
    assert not figure.layout.shapes


def test_training_curve_skips_a_metric_missing_from_the_batches() -> None:
    epochs, batches = history()
    figure = training_curve(epochs, batches.drop(columns="loss"), "loss", LABELS)
    assert [trace.name for trace in figure.data] == ["Training", "Validation"]


def test_shape_diagram_bars_and_channel_line() -> None:
    names = ["input", "conv", "flatten", "dense"]
    shapes = [(28, 24, 1), (26, 22, 32), (18304,), (10,)]
    figure = shape_diagram(names, shapes, {"height": "Height", "width": "Width",
                                           "channels": "Channels", "pixels": "Pixels"})
    height, width, channels = figure.data
    assert (height.type, width.type, channels.type) == ("bar", "bar", "scatter")
    assert (height.name, width.name, channels.name) == ("Height", "Width", "Channels")
    assert list(height.x) == names
    assert list(height.y) == [28, 26, 1, 1]
    assert list(width.y) == [24, 22, 1, 1]
    assert list(channels.y) == [1, 32, 18304, 10]
    assert channels.yaxis == "y2" and height.yaxis in (None, "y")
    assert figure.layout.yaxis2.overlaying == "y" and figure.layout.yaxis2.side == "right"
    assert figure.layout.yaxis2.type == "log"
    assert figure.layout.yaxis.title.text == "Pixels"


def test_confusion_heatmap_cells_are_clickable_in_the_chosen_order() -> None:
    import numpy as np

    from cnnviz.figures.evaluation import confusion_heatmap

    counts = np.array([[5, 2, 0], [0, 6, 1], [3, 0, 4]])
    labels = {"true": "T", "predicted": "P", "images": "n", "share": "s", "value": "v"}
    figure = confusion_heatmap(counts.astype(float), counts, ["a", "b", "c"], [2, 0, 1], labels)
    heatmap, cells = figure.data
    assert list(heatmap.x) == ["c", "a", "b"] and heatmap.z[0][0] == 4
    # One invisible marker per non-empty cell, carrying (true, predicted) in dataset order.
    assert len(cells.x) == 6
    marked = {(true, predicted) for true, predicted in cells.customdata}
    assert marked == {(0, 0), (0, 1), (1, 1), (1, 2), (2, 0), (2, 2)}
    for x, y, (true, predicted) in zip(cells.x, cells.y, cells.customdata):
        assert (y, x) == ("abc"[true], "abc"[predicted])
    assert figure.layout.clickmode == "event+select"
    # Counts are written by the heatmap itself, empty cells left blank.
    assert [list(row) for row in heatmap.text] == [["4", "3", ""], ["", "5", "2"], ["1", "", "6"]]
    assert heatmap.texttemplate == "%{text}" and not figure.layout.annotations
    # The colour bar lies above the square matrix, centred like it, not at the chart's edge.
    bar = heatmap.colorbar
    assert bar.orientation == "h" and bar.x == 0.5 and bar.y >= 1 and bar.title.text == "v"


def test_per_class_bars_are_sorted_worst_first() -> None:
    from cnnviz.figures.evaluation import per_class_bars

    table = pd.DataFrame({"class": ["a", "b", "c"], "accuracy": [0.9, 0.5, float("nan")]})
    figure = per_class_bars(table, {"accuracy": "acc", "class": "cls"})
    assert list(figure.data[0].y) == ["b", "a"]


def test_compare_curves_draw_each_run_train_and_validation() -> None:
    from cnnviz.figures.compare import compare_curves

    first = pd.DataFrame({"epoch": [1, 2], "loss": [1.0, 0.5], "val_loss": [1.1, 0.7]})
    second = pd.DataFrame({"epoch": [1], "loss": [0.9], "val_loss": [None]})
    labels = {"train": "tr", "validation": "va", "epoch": "e", "metric": "m"}
    figure = compare_curves({"one": first, "two": second}, "loss", labels)
    assert [trace.name for trace in figure.data] == ["one · tr", "one · va", "two · tr"]
    assert figure.data[0].line.color == figure.data[1].line.color != figure.data[2].line.color


def test_one_epoch_runs_are_bars_with_their_values_not_lone_dots() -> None:
    from cnnviz.figures.compare import compare_curves

    labels = {"train": "tr", "validation": "va", "epoch": "e", "metric": "m"}
    first = pd.DataFrame({"epoch": [1], "accuracy": [0.52], "val_accuracy": [0.61]})
    second = pd.DataFrame({"epoch": [1], "accuracy": [0.48], "val_accuracy": [0.5]})
    figure = compare_curves({"one": first, "two": second}, "accuracy", labels)
    assert [trace.type for trace in figure.data] == ["bar", "bar"]
    assert list(figure.data[0].x) == ["tr", "va"] and list(figure.data[0].text) == ["0.52", "0.61"]
    longer = pd.DataFrame({"epoch": [1, 2], "accuracy": [0.4, 0.6], "val_accuracy": [0.5, 0.7]})
    figure = compare_curves({"one": first, "long": longer}, "accuracy", labels)
    lone = figure.data[0]
    assert lone.mode == "markers+text" and lone.marker.size == 12 and list(lone.text) == ["0.52"]
    assert figure.data[1].marker.symbol == "circle-open" and lone.marker.symbol == "circle"
    assert figure.data[2].mode == "lines+markers"


def test_roc_figure_names_each_curve_with_its_area() -> None:
    import numpy as np

    from cnnviz.figures.evaluation import roc_figure

    figure = roc_figure({"cat": (np.array([0, 0, 1]), np.array([0, 1, 1]), 1.0)},
                        {"fpr": "f", "tpr": "t", "chance": "c"})
    assert [trace.name for trace in figure.data] == ["cat (1.000)", "c"]


def test_embedding_classes_get_distinct_colours() -> None:
    import numpy as np

    from cnnviz.figures.embedding import class_colours, embedding_scatter

    groups = ["circle", "cross", "line", "square", "star", "triangle"] * 5
    figure = embedding_scatter(np.random.default_rng(0).normal(size=(30, 2)), groups, groups)
    colours = [trace.marker.color for trace in figure.data]
    assert len(set(colours)) == 6 and colours == class_colours(6)
    assert len(set(class_colours(10))) == 10 and len(set(class_colours(26))) == 26


def test_a_long_run_draws_at_most_500_batch_points_per_series_ending_on_the_last() -> None:
    from cnnviz.figures.training import MAX_BATCH_POINTS, thinned

    rows = [{"type": "batch", "epoch": epoch, "batch": batch, "batches": 50, "loss": 1.0 / epoch}
            for epoch in range(1, 61) for batch in range(1, 51)]
    batches = batch_table(rows)
    figure = training_curve(epoch_table(rows), batches, "loss", LABELS, smoothing=0.6)
    raw, smooth = figure.data[:2]
    assert len(raw.x) == len(smooth.x) <= MAX_BATCH_POINTS
    assert raw.x[-1] == batches["position"].iloc[-1] == 60.0
    assert list(thinned(3, 5)) == [0, 1, 2]
