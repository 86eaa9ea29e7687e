"""Several runs' curves on one chart (the Compare and Reports pages)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from cnnviz.figures.layout import TOP_MARGIN_WITH_LEGEND, legend_above


def compare_curves(
    histories: Mapping[str, pd.DataFrame], metric: str, labels: Mapping[str, str]
) -> go.Figure:
    """Several runs' ``metric`` per epoch on one chart: training solid, validation dashed, one
    colour per run (``labels``: ``train``, ``validation``, ``epoch``, ``metric``).

    A run of one epoch has no curve, only a point per split: when no run has more, the chart
    is bars with their values written; beside longer runs its points are large and labelled.
    """
    palette = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9", "#84cc16"]
    longest = max((len(table) for table in histories.values()), default=0)
    if longest == 1:
        return _one_epoch_bars(histories, metric, labels, palette)
    figure = go.Figure()
    for position, (name, table) in enumerate(histories.items()):
        colour = palette[position % len(palette)]
        for column, split, dash in ((metric, "train", None), (f"val_{metric}", "validation",
                                                              "dash")):
            if column not in table or not table[column].notna().any():
                continue
            single = len(table) == 1
            figure.add_scatter(
                x=table["epoch"], y=table[column], name=f"{name} · {labels[split]}",
                mode="markers+text" if single else "lines+markers",
                text=[f"{value:.3g}" for value in table[column]] if single else None,
                textposition="top center", line=dict(color=colour, dash=dash),
                # A lone validation point is hollow: it has no dashed line to tell it apart.
                marker=dict(size=12 if single else 6,
                            symbol="circle-open" if single and dash else "circle",
                            line=dict(width=2 if single and dash else 0)))
    # Run names are long and a legend of two runs takes two rows: above the plot it cannot
    # cover the axis title (the top margin grows with its rows).
    # One tick per epoch reads well up to about 20 epochs; past that Plotly's own spacing does.
    figure.update_layout(xaxis=dict(title=labels["epoch"], dtick=1 if longest <= 20 else None),
                         yaxis_title=labels["metric"], legend=legend_above(420),
                         margin=dict(t=TOP_MARGIN_WITH_LEGEND, b=10), height=420)
    return figure


def _one_epoch_bars(histories: Mapping[str, pd.DataFrame], metric: str,
                    labels: Mapping[str, str], palette: Sequence[str]) -> go.Figure:
    """Runs of a single epoch: one bar per run and split, its value written on it."""
    figure = go.Figure()
    for position, (name, table) in enumerate(histories.items()):
        splits = [(labels[split], table[column].iloc[0]) for column, split in
                  ((metric, "train"), (f"val_{metric}", "validation"))
                  if column in table and len(table) and pd.notna(table[column].iloc[0])]
        figure.add_bar(x=[split for split, _ in splits], y=[value for _, value in splits],
                       name=name, marker_color=palette[position % len(palette)],
                       text=[f"{value:.3g}" for _, value in splits], textposition="outside",
                       cliponaxis=False)
    figure.update_layout(barmode="group", yaxis_title=labels["metric"],
                         legend=dict(orientation="h", yanchor="bottom", y=1.02),
                         margin=dict(t=60, b=10), height=420)
    return figure
