"""Plotly figures built from plain data: traces, values, names and axes."""

from __future__ import annotations

import pandas as pd

from cnnviz.analysis.history import batch_table, epoch_table
from cnnviz.figures import class_distribution, shape_diagram, training_curve

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
    assert [trace.name for trace in figure.data] == ["Batches", "Training", "Validation"]
    behind, train, validation = figure.data
    assert list(behind.x) == [0.5, 1.0, 1.5, 2.0]
    assert list(behind.y) == [1 / 3, 1 / 5, 1 / 4, 1 / 6]
    assert list(train.x) == [1, 2] and list(train.y) == [1.0, 0.5]
    assert list(validation.x) == [1, 2] and list(validation.y) == [1.5, 0.75]
    assert len(figure.layout.shapes) == 1
    line = figure.layout.shapes[0]
    assert line.type == "line" and line.x0 == line.x1 == 2
    assert figure.layout.annotations[0].text == "Best"
    assert figure.layout.yaxis.title.text == "Loss"


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

    from cnnviz.figures import confusion_heatmap

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
    from cnnviz.figures import per_class_bars

    table = pd.DataFrame({"class": ["a", "b", "c"], "accuracy": [0.9, 0.5, float("nan")]})
    figure = per_class_bars(table, {"accuracy": "acc", "class": "cls"})
    assert list(figure.data[0].y) == ["b", "a"]


def test_compare_curves_draw_each_run_train_and_validation() -> None:
    from cnnviz.figures import compare_curves

    first = pd.DataFrame({"epoch": [1, 2], "loss": [1.0, 0.5], "val_loss": [1.1, 0.7]})
    second = pd.DataFrame({"epoch": [1], "loss": [0.9], "val_loss": [None]})
    labels = {"train": "tr", "validation": "va", "epoch": "e", "metric": "m"}
    figure = compare_curves({"one": first, "two": second}, "loss", labels)
    assert [trace.name for trace in figure.data] == ["one · tr", "one · va", "two · tr"]
    assert figure.data[0].line.color == figure.data[1].line.color != figure.data[2].line.color


def test_one_epoch_runs_are_bars_with_their_values_not_lone_dots() -> None:
    from cnnviz.figures import compare_curves

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

    from cnnviz.figures import roc_figure

    figure = roc_figure({"cat": (np.array([0, 0, 1]), np.array([0, 1, 1]), 1.0)},
                        {"fpr": "f", "tpr": "t", "chance": "c"})
    assert [trace.name for trace in figure.data] == ["cat (1.000)", "c"]


def test_embedding_classes_get_distinct_colours() -> None:
    import numpy as np

    from cnnviz.figures import class_colours, embedding_scatter

    groups = ["circle", "cross", "line", "square", "star", "triangle"] * 5
    figure = embedding_scatter(np.random.default_rng(0).normal(size=(30, 2)), groups, groups)
    colours = [trace.marker.color for trace in figure.data]
    assert len(set(colours)) == 6 and colours == class_colours(6)
    assert len(set(class_colours(10))) == 10 and len(set(class_colours(26))) == 26
