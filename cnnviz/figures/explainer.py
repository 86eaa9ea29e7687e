"""The Explainer page's figure: a small matrix drawn cell by cell with its numbers."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go


def number_grid(values: np.ndarray, title: str, window: tuple[int, int, int] | None = None,
                hidden: np.ndarray | None = None, colour_scale: str = "Blues",
                zero_middle: bool = False) -> go.Figure:
    """A small matrix drawn cell by cell with its numbers: the explainer's input, kernel and
    output. ``window`` = (top, left, size) outlines the cells under the sliding window;
    ``hidden`` (same shape, True = not computed yet) leaves those cells blank."""
    values = np.asarray(values, dtype=float)
    shown = np.where(hidden, np.nan, values) if hidden is not None else values
    text = np.where(np.isnan(shown), "", np.vectorize(lambda value: f"{value:.3g}")(
        np.nan_to_num(shown)))
    bound = float(np.nanmax(np.abs(values))) if values.size and np.isfinite(values).any() else 1.0
    figure = go.Figure(go.Heatmap(
        z=shown, text=text, texttemplate="%{text}", textfont=dict(size=13),
        colorscale="RdBu" if zero_middle else colour_scale, showscale=False,
        zmin=-bound if zero_middle else None, zmax=bound if zero_middle else None, xgap=2, ygap=2,
        hovertemplate="row %{y}, column %{x}: %{z:.3g}<extra></extra>",
    ))
    if window is not None:
        top, left, size = window
        figure.add_shape(type="rect", x0=left - 0.5, x1=left + size - 0.5, y0=top - 0.5,
                         y1=top + size - 0.5, line=dict(color="#ef4444", width=4))
    rows, columns = values.shape
    figure.update_layout(
        title=dict(text=title, font=dict(size=14)), margin=dict(t=40, b=10, l=10, r=10),
        height=max(160, min(420, 46 * rows + 60)),
        xaxis=dict(visible=False, range=[-0.5, columns - 0.5], constrain="domain"),
        yaxis=dict(visible=False, autorange="reversed", scaleanchor="x"),
    )
    return figure
