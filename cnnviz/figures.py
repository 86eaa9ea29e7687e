"""Plotly figures from plain data: data in, ``go.Figure`` out. No Streamlit, no model.

Text shown on a figure is passed in by the caller (already translated), so the same function
draws the English and the Spanish page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

SPLIT_COLOURS = {"train": "#2563eb", "validation": "#f59e0b", "test": "#10b981"}
TRAIN_COLOUR, VALIDATION_COLOUR = "#2563eb", "#f59e0b"


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
                         legend_orientation="h", margin=dict(t=30, b=10), height=360)
    return figure


def training_curve(
    epochs: pd.DataFrame,
    batches: pd.DataFrame,
    metric: str,
    labels: Mapping[str, str],
    best_epoch: int | None = None,
) -> go.Figure:
    """Training and validation ``metric`` per epoch, with the per-batch running value behind.

    ``labels`` gives the shown names of ``train``, ``validation``, ``batches``, ``epoch``,
    ``best`` and the metric itself (key ``metric``).
    """
    figure = go.Figure()
    if metric in batches and not batches.empty:
        figure.add_scatter(x=batches["position"], y=batches[metric], mode="lines",
                           name=labels["batches"], line=dict(color=TRAIN_COLOUR, width=1),
                           opacity=0.35)
    if metric in epochs and not epochs.empty:
        figure.add_scatter(x=epochs["epoch"], y=epochs[metric], mode="lines+markers",
                           name=labels["train"], line=dict(color=TRAIN_COLOUR, width=3))
    validation = f"val_{metric}"
    if validation in epochs and not epochs.empty and epochs[validation].notna().any():
        figure.add_scatter(x=epochs["epoch"], y=epochs[validation], mode="lines+markers",
                           name=labels["validation"],
                           line=dict(color=VALIDATION_COLOUR, width=3))
    if best_epoch is not None:
        figure.add_vline(x=best_epoch, line_dash="dash", line_color="#64748b",
                         annotation_text=labels["best"], annotation_position="top")
    figure.update_layout(xaxis_title=labels["epoch"], yaxis_title=labels["metric"],
                         legend_orientation="h", margin=dict(t=30, b=10), height=340)
    return figure


def shape_diagram(
    names: Sequence[str], shapes: Sequence[Sequence[int]], labels: Mapping[str, str]
) -> go.Figure:
    """How the feature map shrinks and deepens: width and height (bars) and channels (line)
    of every layer, input first. Vector layers (dense, flatten) show their size as channels."""
    sides = [shape[0] if len(shape) == 3 else 1 for shape in shapes]
    widths = [shape[1] if len(shape) == 3 else 1 for shape in shapes]
    channels = [shape[-1] for shape in shapes]
    figure = go.Figure()
    figure.add_bar(x=list(names), y=sides, name=labels["height"], marker_color="#93c5fd")
    figure.add_bar(x=list(names), y=widths, name=labels["width"], marker_color="#2563eb")
    figure.add_scatter(x=list(names), y=channels, name=labels["channels"], yaxis="y2",
                       mode="lines+markers", line=dict(color="#f59e0b", width=3))
    figure.update_layout(
        barmode="group", height=360, margin=dict(t=30, b=10), legend_orientation="h",
        yaxis=dict(title=labels["pixels"]),
        yaxis2=dict(title=labels["channels"], overlaying="y", side="right", type="log", dtick=1),
    )
    return figure
