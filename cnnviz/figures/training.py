"""The Train page's learning curves: per epoch, with the per-batch values behind."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cnnviz.analysis.history import smoothed
from cnnviz.figures.layout import TOP_MARGIN_WITH_LEGEND, legend_above


TRAIN_COLOUR, VALIDATION_COLOUR, BEST_COLOUR = "#2563eb", "#f59e0b", "#64748b"

# Per-batch points drawn per series at most (TensorBoard keeps about a thousand per chart).
MAX_BATCH_POINTS = 500


def thinned(count: int, most: int) -> np.ndarray:
    """Indices of at most ``most`` of ``count`` points, evenly spread, first and last kept."""
    if count <= most:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, most).round().astype(int))


def training_curve(
    epochs: pd.DataFrame,
    batches: pd.DataFrame,
    metric: str,
    labels: Mapping[str, str],
    best_epoch: int | None = None,
    smoothing: float = 0.0,
    log_scale: bool = False,
    epochs_total: int | None = None,
) -> go.Figure:
    """Training and validation ``metric`` per epoch, with the per-batch running value behind.

    ``labels`` gives the shown names of ``train``, ``validation``, ``batches``, ``epoch``,
    ``best`` and the metric itself (key ``metric``). ``smoothing`` (0 to 1, TensorBoard's
    slider) draws the per-batch values smoothed over the raw ones, which stay faint behind;
    ``log_scale`` puts the y axis on a log scale; ``epochs_total`` fixes the x axis to the
    whole run, so a chart with only the first batches does not stretch them over the width.
    The best epoch is a dashed line named in the legend (a label on the line itself sat under
    Plotly's toolbar).
    """
    figure = go.Figure()
    if metric in batches and not batches.empty and batches[metric].notna().any():
        # Markers while there are few points: a lone point of a line draws nothing.
        few = len(batches) < 3
        # Smoothed over every logged batch, then thinned for drawing: a long run logs
        # thousands of lines, and the browser redraws the live chart every second.
        values = smoothed(batches[metric].to_numpy(dtype=float), smoothing)
        kept = thinned(len(batches), MAX_BATCH_POINTS)
        positions = batches["position"].to_numpy()[kept]
        if smoothing > 0:
            figure.add_scatter(x=positions, y=batches[metric].to_numpy()[kept], mode="lines",
                               line=dict(color=TRAIN_COLOUR, width=1), opacity=0.2,
                               showlegend=False, hoverinfo="skip")
        figure.add_scatter(x=positions, y=values[kept],
                           mode="lines+markers" if few else "lines", name=labels["batches"],
                           line=dict(color=TRAIN_COLOUR, width=1.5 if smoothing > 0 else 1),
                           opacity=0.8 if smoothing > 0 else 0.45)
    if metric in epochs and not epochs.empty:
        figure.add_scatter(x=epochs["epoch"], y=epochs[metric], mode="lines+markers",
                           name=labels["train"], line=dict(color=TRAIN_COLOUR, width=3))
    validation = f"val_{metric}"
    if validation in epochs and not epochs.empty and epochs[validation].notna().any():
        figure.add_scatter(x=epochs["epoch"], y=epochs[validation], mode="lines+markers",
                           name=labels["validation"],
                           line=dict(color=VALIDATION_COLOUR, width=3))
    if best_epoch is not None:
        figure.add_vline(x=best_epoch, line_dash="dash", line_color=BEST_COLOUR)
        figure.add_scatter(x=[None], y=[None], mode="lines", name=labels["best"],
                           line=dict(color=BEST_COLOUR, dash="dash"), hoverinfo="skip")
    x_axis: dict = dict(title=labels["epoch"])
    if epochs_total:
        x_axis.update(range=[0, epochs_total + 0.1], dtick=1 if epochs_total <= 20 else None)
    figure.update_layout(xaxis=x_axis,
                         yaxis=dict(title=labels["metric"], type="log" if log_scale else None),
                         legend=legend_above(340), margin=dict(t=TOP_MARGIN_WITH_LEGEND, b=10),
                         height=340)
    return figure
