"""The GAN page's figures: losses and D outputs, generated images played in turn, class balance
(data in, ``go.Figure`` out, with the layout helpers of ``cnnviz.figures``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cnnviz.figures.layout import TOP_MARGIN_WITH_LEGEND, legend_above


GAN_COLOURS = ("#2563eb", "#f59e0b", "#10b981", "#ef4444")


def metric_curves(epochs: pd.DataFrame, batches: pd.DataFrame, metrics: Mapping[str, str],
                  labels: Mapping[str, str]) -> go.Figure:
    """Several metrics on one chart (a GAN's two losses, or D(x) against D(G(z))): per epoch as
    lines with markers, the per-batch values faint behind. ``metrics`` maps a column to its
    shown name; ``labels`` gives ``epoch`` and ``value``.

    Before the first epoch ends only the per-batch lines exist: they carry the names in the
    legend then, so the two lines of a chart can be told apart from the first batch."""
    figure = go.Figure()
    for colour, (column, name) in zip(GAN_COLOURS, metrics.items()):
        per_epoch = column in epochs and not epochs.empty
        if column in batches and not batches.empty:
            figure.add_scatter(x=batches["position"], y=batches[column], mode="lines",
                               name=name, legendgroup=column, showlegend=not per_epoch,
                               line=dict(color=colour, width=1), opacity=0.3 if per_epoch else 0.7,
                               hoverinfo="skip")
        if per_epoch:
            figure.add_scatter(x=epochs["epoch"], y=epochs[column], mode="lines+markers",
                               name=name, legendgroup=column, line=dict(color=colour, width=3))
    # Plotly hides the legend of a single line: a chart of one metric would lose its name.
    figure.update_layout(xaxis_title=labels["epoch"], yaxis_title=labels["value"],
                         showlegend=True,
                         legend=legend_above(340), margin=dict(t=TOP_MARGIN_WITH_LEGEND, b=10),
                         height=340)
    return figure


def image_animation(frames: np.ndarray, frame_names: Sequence[str],
                    labels: Mapping[str, str]) -> go.Figure:
    """Images (n, height, width, 1 or 3) uint8 played as an animation with a slider and a play
    button (``labels``: ``play``, ``pause``, ``frame``)."""
    colour = frames if frames.shape[-1] == 3 else np.repeat(frames, 3, axis=-1)
    figure = go.Figure(
        data=[go.Image(z=colour[0], hoverinfo="skip")],
        frames=[go.Frame(data=[go.Image(z=image, hoverinfo="skip")], name=name)
                for image, name in zip(colour, frame_names)],
    )
    step_time = {"frame": {"duration": 300, "redraw": True}, "transition": {"duration": 0}}
    figure.update_layout(
        margin=dict(t=10, b=10, l=10, r=10), height=min(620, colour.shape[1] * 2 + 150),
        xaxis=dict(visible=False), yaxis=dict(visible=False, scaleanchor="x"),
        updatemenus=[dict(type="buttons", direction="left", x=0, y=0, xanchor="left",
                          yanchor="top", pad=dict(t=30), buttons=[
                              dict(label=labels["play"], method="animate",
                                   args=[None, {**step_time, "fromcurrent": True}]),
                              dict(label=labels["pause"], method="animate",
                                   args=[[None], {"mode": "immediate", **step_time}])])],
        sliders=[dict(active=0, x=0.15, len=0.85, y=0, yanchor="top", pad=dict(t=20),
                      currentvalue=dict(prefix=f"{labels['frame']}: "),
                      steps=[dict(label=name, method="animate",
                                  args=[[name], {"mode": "immediate", **step_time}])
                             for name in frame_names])],
    )
    return figure


def class_balance_bars(table: pd.DataFrame, class_names: Sequence[str],
                       labels: Mapping[str, str]) -> go.Figure:
    """Share of each class among generated images against the real training images
    (``table`` from ``gan.checks.class_balance``; ``labels``: ``generated``, ``real``,
    ``share``)."""
    names = [class_names[int(index)] for index in table["class"]]
    figure = go.Figure([
        go.Bar(x=names, y=table["real_share"], name=labels["real"], marker_color="#94a3b8"),
        go.Bar(x=names, y=table["generated_share"], name=labels["generated"],
               marker_color="#2563eb"),
    ])
    figure.update_layout(barmode="group", yaxis=dict(title=labels["share"], tickformat=".0%"),
                         legend=legend_above(340), margin=dict(t=TOP_MARGIN_WITH_LEGEND, b=10),
                         height=340)
    return figure
