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
