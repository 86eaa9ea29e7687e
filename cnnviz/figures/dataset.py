"""The Dataset page's figure: images per class and split."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from cnnviz.figures.layout import TOP_MARGIN_WITH_LEGEND, legend_above


SPLIT_COLOURS = {"train": "#2563eb", "validation": "#f59e0b", "test": "#10b981"}


def class_distribution(
    counts: pd.DataFrame, split_labels: Mapping[str, str], axis_labels: tuple[str, str]
) -> go.Figure:
    """Grouped bars of images per class and split (report B's first figure).

    ``counts`` has one row per class and a column per split; ``split_labels`` maps each split
    column to its shown name.
    """
    figure = go.Figure()
    for split, label in split_labels.items():
        figure.add_bar(x=counts.index.astype(str), y=counts[split], name=label,
                       marker_color=SPLIT_COLOURS.get(split))
    figure.update_layout(barmode="group", xaxis_title=axis_labels[0], yaxis_title=axis_labels[1],
                         legend=legend_above(360), margin=dict(t=TOP_MARGIN_WITH_LEGEND, b=10),
                         height=360)
    return figure
