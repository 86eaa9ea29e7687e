"""Layout shared by the figures of every page: where a legend sits."""

from __future__ import annotations


# Every legend sits above the plot, from its left edge, below a strip kept free for Plotly's
# toolbar (which appears on hover at the top right). Plotly's default place for a horizontal
# legend, just under the plot, covers the x-axis title; a legend in the top margin ran under the
# toolbar. Placed from the top of the whole figure ("container"), the legend makes Plotly push
# the plot down by its own height, however many rows a narrow (phone) chart wraps it onto.
TOOLBAR_PIXELS = 32
TOP_MARGIN_WITH_LEGEND = 30


def legend_above(height: int) -> dict:
    """The legend layout of a figure ``height`` pixels tall (see TOOLBAR_PIXELS)."""
    return dict(orientation="h", x=0, xanchor="left", yref="container",
                y=1 - TOOLBAR_PIXELS / height, yanchor="top")
