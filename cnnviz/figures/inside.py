"""The Inside page's figures: an image's top classes, one map of a layer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go


def top_k_bars(predictions: Sequence[tuple[str, float]], labels: Mapping[str, str]) -> go.Figure:
    """The most probable classes of one image, most probable on top (``predictions`` as from
    ``top_predictions``; ``labels``: ``probability``)."""
    names = [name for name, _ in predictions][::-1]
    values = [probability for _, probability in predictions][::-1]
    figure = go.Figure(go.Bar(
        x=values, y=names, orientation="h", text=[f"{value:.1%}" for value in values],
        textposition="auto", marker_color=["#2563eb"] * (len(values) - 1) + ["#10b981"],
        hovertemplate="%{y}: %{x:.1%}<extra></extra>",
    ))
    figure.update_layout(xaxis=dict(title=labels["probability"], tickformat=".0%", range=[0, 1]),
                         margin=dict(t=10, b=10, l=10, r=10),
                         height=max(180, 34 * len(values) + 70))
    return figure


def map_heatmap(values: np.ndarray, title: str, colour_scale: str = "Viridis",
                zero_middle: bool = False) -> go.Figure:
    """One 2-D map (a feature-map channel, an occlusion map) with its values on hover, rows
    top-down like the image. ``zero_middle`` centres a diverging scale on zero."""
    bound = float(np.abs(values).max()) or 1.0
    figure = go.Figure(go.Heatmap(
        z=values, colorscale=colour_scale, zmid=0 if zero_middle else None,
        zmin=-bound if zero_middle else None, zmax=bound if zero_middle else None,
        hovertemplate="x %{x}, y %{y}: %{z:.3f}<extra></extra>",
    ))
    figure.update_layout(title=title, margin=dict(t=40, b=10, l=10, r=10), height=360,
                         yaxis=dict(autorange="reversed", scaleanchor="x", showticklabels=False),
                         xaxis=dict(showticklabels=False, constrain="domain"))
    return figure
