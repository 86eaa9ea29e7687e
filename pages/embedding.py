"""Embedding: a t-SNE map of what the network learned, beside the map of raw pixels; select
points to see their images and how often they were misclassified."""

import numpy as np
import streamlit as st

from cnnviz import runs
from cnnviz.analysis.embedding import map_sizes, start_size
from cnnviz.analysis.evaluation_data import row_images
from cnnviz.analysis.examples import prediction_caption, prediction_text
from cnnviz.analysis.maps import (COLOUR_MODES, error_rate, feature_map, pixel_map,
                                  place_on_feature_map, point_groups, point_labels)
from cnnviz.datasets.images import UPLOAD_TYPES
from cnnviz.errors import CnnvizError
from cnnviz.figures.embedding import embedding_scatter
from cnnviz.ui.cached import run_dataset, run_model
from cnnviz.ui.components.choices import translated
from cnnviz.ui.components.image_rows import image_grid
from cnnviz.ui.hover_map import hover_map
from cnnviz.ui.i18n import shown_error, t
from cnnviz.ui.results import evaluated_run
from cnnviz.ui.shell import require_shell

MAX_SELECTED_IMAGES = 24
MAX_HOVER_POINTS = 2000  # every point's thumbnail travels to the browser in one sprite sheet

require_shell()
st.title(t("embedding.title"))
run_id, evaluation = evaluated_run()

st.caption(t("embedding.caption"))
available = len(evaluation.embedding_rows)
sizes = map_sizes(available)
# The toggles' column fits "Imágenes al pasar el ratón" and its help icon on one line.
left, middle, right = st.columns([1.6, 2, 2])
if len(sizes) > 1:
    count = left.select_slider(t("embedding.points"), sizes,
                               value=start_size(sizes))
else:
    count = available
    left.metric(t("embedding.points"), available)
mode = middle.radio(t("embedding.colour"), COLOUR_MODES, horizontal=True,
                    format_func=translated("colour.{}"))
compare_pixels = right.toggle(t("embedding.pixels"), value=False)
show_on_hover = right.toggle(t("embedding.hover"), value=False, help=t("embedding.hover_help"))
if show_on_hover and count > MAX_HOVER_POINTS:
    count = MAX_HOVER_POINTS
    st.caption(t("embedding.hover_capped", points=MAX_HOVER_POINTS))

folder = runs.run_path(run_id)
try:
    with st.spinner(t("embedding.computing", points=count)):
        rows, coordinates = feature_map(folder, evaluation, count)
        pixels = (pixel_map(folder, run_dataset(run_id), evaluation, rows)
                  if compare_pixels else None)
except CnnvizError as error:
    st.error(t("embedding.failed", reason=shown_error(error)))
    st.stop()

placed, placed_caption = None, ""
with st.expander(t("embedding.place"), icon=":material/add_photo_alternate:"):
    upload = st.file_uploader(t("embedding.upload"), type=list(UPLOAD_TYPES), key="place_upload")
    if upload is not None:
        try:
            with st.spinner(t("embedding.placing")):
                model = run_model(run_id)
                image = model.prepare(upload.getvalue())
                features, probabilities = model.predict(image[None])
                placed = place_on_feature_map(evaluation, coordinates, features)
        except CnnvizError as error:
            st.error(t("embedding.place_failed", reason=shown_error(error)))
        else:
            placed_caption = t("embedding.placed", prediction=prediction_text(
                probabilities[0], evaluation.class_names))
            st.image(image, caption=placed_caption, width=160, clamp=True)

groups = point_groups(evaluation, rows, mode, t("colour.right"), t("colour.wrong"))
hover = point_labels(evaluation, rows)
figure = embedding_scatter(coordinates, groups, hover, placed, t("embedding.your_image"))
if pixels is not None:
    pixel_column, feature_column = st.columns(2)
    pixel_column.markdown(t("embedding.pixels_title"))
    pixel_column.plotly_chart(embedding_scatter(pixels, groups, hover), width="stretch",
                              key="pixel_map")
    feature_column.markdown(t("embedding.features_title"))
    target = feature_column
else:
    target = st.container()
if show_on_hover:
    try:
        thumbnails = row_images(run_dataset(run_id), evaluation, rows)
    except CnnvizError as error:
        st.warning(t("evaluation.images_unavailable", reason=shown_error(error)))
        st.stop()
    with target:
        hover_map(figure, thumbnails)
    st.caption(t("embedding.hover_hint"))
    st.stop()
event = target.plotly_chart(figure, on_select="rerun", selection_mode=("points", "box", "lasso"),
                            key="feature_map", width="stretch")

chosen = [int(figure.data[point["curve_number"]].customdata[point["point_index"]])
          for point in (event.selection.points if event else [])
          if figure.data[point["curve_number"]].customdata is not None]
if not chosen:
    st.caption(t("embedding.select_hint"))
else:
    selected = rows[np.array(chosen)]
    st.markdown(t("embedding.selected", images=len(selected),
                  errors=f"{error_rate(evaluation, selected):.0%}"))
    shown = selected[:MAX_SELECTED_IMAGES]
    try:
        images = row_images(run_dataset(run_id), evaluation, shown)
    except CnnvizError as error:
        st.warning(t("evaluation.images_unavailable", reason=shown_error(error)))
    else:
        image_grid(images, [prediction_caption(evaluation.y_prob[row], evaluation.class_names,
                                               evaluation.y_true[row]) for row in shown])
