"""Plotly figures from plain data: data in, ``go.Figure`` out. No Streamlit, no model.

Text shown on a figure is passed in by the caller (already translated), so the same function
draws the English and the Spanish page.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from cnnviz.analysis.history import smoothed

SPLIT_COLOURS = {"train": "#2563eb", "validation": "#f59e0b", "test": "#10b981"}
TRAIN_COLOUR, VALIDATION_COLOUR, BEST_COLOUR = "#2563eb", "#f59e0b", "#64748b"

# Every legend sits above the plot, from its left edge, below a strip kept free for Plotly's
# toolbar (which appears on hover at the top right). Plotly's default place for a horizontal
# legend, just under the plot, covers the x-axis title; a legend in the top margin ran under the
# toolbar. Placed from the top of the whole figure ("container"), the legend makes Plotly push
# the plot down by its own height, however many rows a narrow (phone) chart wraps it onto.
TOOLBAR_PIXELS = 32
TOP_MARGIN_WITH_LEGEND = 30


# Per-batch points drawn per series at most (TensorBoard keeps about a thousand per chart).
MAX_BATCH_POINTS = 500


def thinned(count: int, most: int) -> np.ndarray:
    """Indices of at most ``most`` of ``count`` points, evenly spread, first and last kept."""
    if count <= most:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, most).round().astype(int))


def legend_above(height: int) -> dict:
    """The legend layout of a figure ``height`` pixels tall (see TOOLBAR_PIXELS)."""
    return dict(orientation="h", x=0, xanchor="left", yref="container",
                y=1 - TOOLBAR_PIXELS / height, yanchor="top")


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
                         legend=legend_above(360), margin=dict(t=TOP_MARGIN_WITH_LEGEND, b=10),
                         height=360)
    return figure


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
    (``table`` from ``gan_latent.class_balance``; ``labels``: ``generated``, ``real``,
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


# The thumbnail shown on hover, in screen pixels (small images are scaled up, sharp).
HOVER_THUMBNAIL_PIXELS = 84

_HOVER_SCRIPT = """
var plot = document.getElementById('{plot_id}');
var sheet = 'data:image/png;base64,__SHEET__';
var tip = document.createElement('div');
tip.style.cssText = 'position:fixed;display:none;pointer-events:none;z-index:10;background:#fff;'
  + 'border:1px solid #94a3b8;border-radius:6px;padding:6px;font:12px sans-serif;'
  + 'box-shadow:0 2px 8px rgba(0,0,0,.15);max-width:220px';
var picture = document.createElement('div');
var scale = __SIZE__ / __TILE_H__;
picture.style.cssText = 'width:' + (__TILE_W__ * scale) + 'px;height:__SIZE__px;'
  + 'image-rendering:pixelated;background-repeat:no-repeat;'
  + 'background-size:' + (__COLUMNS__ * __TILE_W__ * scale) + 'px auto;'
  + 'background-image:url(' + sheet + ')';
var label = document.createElement('div');
label.style.marginTop = '4px';
tip.appendChild(picture); tip.appendChild(label); document.body.appendChild(tip);
plot.on('plotly_hover', function (data) {
  var point = data.points[0];
  if (point.customdata === undefined || point.customdata === null) { return; }
  var index = Number(point.customdata);
  var column = index % __COLUMNS__, row = Math.floor(index / __COLUMNS__);
  picture.style.backgroundPosition = (-column * __TILE_W__ * scale) + 'px '
    + (-row * __TILE_H__ * scale) + 'px';
  label.innerHTML = point.text || '';
  var event = data.event || {clientX: 0, clientY: 0};
  var left = event.clientX + 14, top = event.clientY + 14;
  if (left + 230 > window.innerWidth) { left = event.clientX - 240; }
  if (top + 140 > window.innerHeight) { top = event.clientY - 150; }
  tip.style.left = left + 'px'; tip.style.top = top + 'px'; tip.style.display = 'block';
});
plot.on('plotly_unhover', function () { tip.style.display = 'none'; });
"""


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
    script = (_HOVER_SCRIPT.replace("__SHEET__", base64.b64encode(sheet_png).decode())
              .replace("__COLUMNS__", str(columns)).replace("__TILE_H__", str(tile[0]))
              .replace("__TILE_W__", str(tile[1]))
              .replace("__SIZE__", str(HOVER_THUMBNAIL_PIXELS)))
    return shown.to_html(full_html=True, include_plotlyjs=plotly_js, post_script=script,
                         config={"displaylogo": False, "responsive": True})


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
