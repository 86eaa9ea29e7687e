"""The Evaluation page's figures: confusion matrix, per-class accuracy, ROC curves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go


def confusion_heatmap(
    values: np.ndarray, counts: np.ndarray, class_names: Sequence[str], order: Sequence[int],
    labels: Mapping[str, str],
) -> go.Figure:
    """The confusion matrix in ``order``, coloured by ``values`` (counts, recall or percent).

    Plotly cannot report a click on a heatmap cell, so every non-empty cell also carries an
    invisible marker: clicking it selects the point, whose ``customdata`` is
    (true class, predicted class). ``labels`` names ``true``, ``predicted``, ``images``,
    ``share`` (of the true class) and ``value`` (the colour bar).
    """
    order = np.asarray(order)
    names = [class_names[index] for index in order]
    shown = values[np.ix_(order, order)]
    cell_counts = counts[np.ix_(order, order)]
    totals = np.maximum(cell_counts.sum(axis=1, keepdims=True), 1)
    shares = 100.0 * cell_counts / totals
    written = len(names) <= 30  # counts written in the cells while they stay legible
    figure = go.Figure(go.Heatmap(
        z=shown, x=names, y=names, colorscale="Blues",
        # Square cells leave the matrix narrower than the chart; a bar at the chart's right
        # edge would float far from it, so it lies above the matrix, centred like it.
        colorbar=dict(title=dict(text=labels["value"], side="top"), orientation="h",
                      x=0.5, xanchor="center", y=1.01, yanchor="bottom", len=0.6,
                      thickness=12, nticks=5),
        customdata=np.dstack([cell_counts, shares]), hoverongaps=False,
        # One text array drawn by the heatmap itself (Plotly picks a contrasting colour per
        # cell); an annotation per cell made the figure slow to build and to draw.
        text=np.where(cell_counts > 0, cell_counts.astype(str), "") if written else None,
        texttemplate="%{text}" if written else None, textfont=dict(size=11),
        hovertemplate=(f"{labels['true']}: %{{y}}<br>{labels['predicted']}: %{{x}}<br>"
                       f"{labels['images']}: %{{customdata[0]}}<br>"
                       f"{labels['share']}: %{{customdata[1]:.1f}}%<extra></extra>"),
    ))
    rows, columns = np.nonzero(cell_counts)
    figure.add_scatter(
        x=[names[column] for column in columns], y=[names[row] for row in rows], mode="markers",
        marker=dict(symbol="square", size=max(4, min(40, 600 // max(len(names), 1))),
                    color="rgba(0,0,0,0)"),
        customdata=np.column_stack([order[rows], order[columns]]), hoverinfo="none",
        showlegend=False, name="cells",
    )
    size = max(420, min(900, 28 * len(names) + 160))
    figure.update_layout(
        xaxis=dict(title=labels["predicted"], tickangle=-45, constrain="domain"),
        yaxis=dict(title=labels["true"], autorange="reversed", scaleanchor="x"),
        height=size + 60, margin=dict(t=80, b=10), clickmode="event+select", dragmode="zoom",
    )
    return figure


def per_class_bars(table: pd.DataFrame, labels: Mapping[str, str]) -> go.Figure:
    """Accuracy of every class, sorted from worst to best (``labels``: ``accuracy``,
    ``class``)."""
    ordered = table.dropna(subset=["accuracy"]).sort_values("accuracy")
    figure = go.Figure(go.Bar(
        x=ordered["accuracy"], y=ordered["class"].astype(str), orientation="h",
        marker_color=np.where(ordered["accuracy"] < ordered["accuracy"].mean(), "#f59e0b",
                              "#2563eb"),
        hovertemplate="%{y}: %{x:.1%}<extra></extra>",
    ))
    figure.update_layout(xaxis=dict(title=labels["accuracy"], tickformat=".0%", range=[0, 1]),
                         yaxis_title=labels["class"], margin=dict(t=20, b=10),
                         height=max(300, min(2400, 18 * len(ordered) + 80)))
    return figure


def accuracy_against_data(table: pd.DataFrame, labels: Mapping[str, str]) -> go.Figure:
    """Per-class accuracy against the class's number of training images (``labels``:
    ``accuracy``, ``train_images``)."""
    figure = go.Figure(go.Scatter(
        x=table["train_images"], y=table["accuracy"], mode="markers", text=table["class"],
        marker=dict(size=9, color="#2563eb", opacity=0.75),
        hovertemplate="%{text}<br>%{x} → %{y:.1%}<extra></extra>",
    ))
    figure.update_layout(xaxis_title=labels["train_images"],
                         yaxis=dict(title=labels["accuracy"], tickformat=".0%"),
                         margin=dict(t=20, b=10), height=360)
    return figure


def roc_figure(
    curves: Mapping[str, tuple[np.ndarray, np.ndarray, float]], labels: Mapping[str, str]
) -> go.Figure:
    """One-vs-rest ROC curves, AUC in each legend entry (``labels``: ``fpr``, ``tpr``,
    ``chance``)."""
    figure = go.Figure()
    for name, (false_rate, true_rate, area) in curves.items():
        figure.add_scatter(x=false_rate, y=true_rate, mode="lines", name=f"{name} ({area:.3f})")
    figure.add_scatter(x=[0, 1], y=[0, 1], mode="lines", name=labels["chance"],
                       line=dict(dash="dot", color="#94a3b8"))
    figure.update_layout(xaxis_title=labels["fpr"], yaxis_title=labels["tpr"],
                         margin=dict(t=20, b=10), height=420)
    return figure
