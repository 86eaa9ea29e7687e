"""The Model page's figure: how the feature map shrinks and deepens layer by layer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from cnnviz.figures.layout import TOP_MARGIN_WITH_LEGEND, legend_above


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
        barmode="group", height=360, margin=dict(t=TOP_MARGIN_WITH_LEGEND, b=10),
        legend=legend_above(360), yaxis=dict(title=labels["pixels"]),
        yaxis2=dict(title=labels["channels"], overlaying="y", side="right", type="log", dtick=1),
    )
    return figure
