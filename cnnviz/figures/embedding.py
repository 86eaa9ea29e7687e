"""The Embedding page's map: one colour per class, and its images on hover."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative


def class_colours(count: int) -> list[str]:
    """``count`` colours that tell classes apart at a glance: Tableau's 10 for up to ten
    classes, then Plotly's 26 "Alphabet" colours, repeated past that. (Streamlit's own chart
    theme pairs a dark and a light shade of each hue, so neighbouring classes looked alike.)"""
    palette = qualitative.T10 if count <= len(qualitative.T10) else qualitative.Alphabet
    return [palette[index % len(palette)] for index in range(count)]


def embedding_scatter(
    coordinates: np.ndarray, groups: Sequence[str], hover: Sequence[str],
    extra_points: np.ndarray | None = None, extra_label: str = "",
) -> go.Figure:
    """A 2-D map (t-SNE) with one colour per group; each point's ``customdata`` is its position
    in ``coordinates`` so that a selection maps back to images. ``extra_points`` (e.g. an
    uploaded image placed on the map) are drawn as large stars on top."""
    figure = go.Figure()
    groups = np.asarray(groups)
    hover = np.asarray(hover)
    names = sorted(set(groups.tolist()), key=str)
    colours = class_colours(len(names))
    for group, colour in zip(names, colours):
        rows = np.flatnonzero(groups == group)
        figure.add_scattergl(
            x=coordinates[rows, 0], y=coordinates[rows, 1], mode="markers", name=str(group),
            customdata=rows, text=hover[rows], hovertemplate="%{text}<extra></extra>",
            marker=dict(size=5, opacity=0.8, color=colour),
        )
    if extra_points is not None and len(extra_points):
        figure.add_scatter(x=extra_points[:, 0], y=extra_points[:, 1], mode="markers",
                           name=extra_label, marker=dict(symbol="star", size=22, color="#111827",
                                                         line=dict(color="white", width=2)))
    figure.update_layout(xaxis=dict(visible=False), yaxis=dict(visible=False, scaleanchor="x"),
                         legend=dict(itemsizing="constant", orientation="h"),
                         margin=dict(t=10, b=10, l=10, r=10), height=560, dragmode="lasso")
    return figure


# The thumbnail shown on hover, in screen pixels (small images are scaled up, sharp).
HOVER_THUMBNAIL_PIXELS = 84

# The hover script, a template read when a page is built (see its own header).
HOVER_SCRIPT_FILE = Path(__file__).resolve().parents[2] / "static" / "hover_thumbnails.js"


def hover_thumbnails_html(figure: go.Figure, sheet_png: bytes, columns: int,
                          tile: tuple[int, int], plotly_js: str) -> str:
    """A whole HTML page with ``figure`` where hovering a point shows its image, cut from a
    sprite sheet (``sheet_png``, ``columns`` per row, tiles of ``tile`` = (height, width)) by
    the point's ``customdata`` (its position in the sheet). ``plotly_js`` is the URL of
    plotly.js; Plotly's built-in hover box is turned off in favour of the thumbnail box."""
    shown = go.Figure(figure)
    shown.update_traces(hoverinfo="none", hovertemplate=None)
    # Explicit template: outside Streamlit's chart element its theme (and colours) is absent.
    shown.update_layout(hovermode="closest", dragmode="zoom", template="plotly_white")
    script = (HOVER_SCRIPT_FILE.read_text()
              .replace("__SHEET__", base64.b64encode(sheet_png).decode())
              .replace("__COLUMNS__", str(columns)).replace("__TILE_H__", str(tile[0]))
              .replace("__TILE_W__", str(tile[1]))
              .replace("__SIZE__", str(HOVER_THUMBNAIL_PIXELS)))
    return shown.to_html(full_html=True, include_plotlyjs=plotly_js, post_script=script,
                         config={"displaylogo": False, "responsive": True})
