"""Look inside: give the current run's network an image (upload, photo, drawing or a test
image) and see its prediction, the feature maps of every layer, its first filters, Grad-CAM,
occlusion sensitivity, and how an edited copy changes all of it."""

import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from cnnviz import runs
from cnnviz.analysis.evaluation_data import row_images, shown_rows
from cnnviz.analysis.examples import prediction_text, top_predictions
from cnnviz.datasets.images import UPLOAD_TYPES
from cnnviz.errors import CnnvizError
from cnnviz.figures.inside import map_heatmap, top_k_bars
from cnnviz.image_edits import ImageEdit, apply_edit
from cnnviz.inside.activations import (channel_order, first_conv_filters, silent_channels,
                                       strip_image, tile_maps)
from cnnviz.inside.display import (SOURCES, enlarge, image_fingerprint, ink_is_light, is_blank,
                                   is_unsure, layer_caption, predicted_class)
from cnnviz.inside.gradcam import overlay
from cnnviz.inside.occlusion import drop_per_pixel, evidence, patch_choices, stride_choices
from cnnviz.ui.cached import run_dataset, run_evaluation, run_model
from cnnviz.ui.components.choices import translated
from cnnviz.ui.components.image_rows import image_grid
from cnnviz.ui.i18n import shown_class_names, shown_error, t
from cnnviz.ui.inside_attribution import CLASS_KEY as ATTRIBUTION_CLASS_KEY, attribution_views
from cnnviz.ui.inside_features import class_pictures, filter_patterns
from cnnviz.ui.inside_timeline import probe_timeline
from cnnviz.ui.live_camera import live_camera
from cnnviz.ui.results import near_chance_notice
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import current_run

TAB_KEY = "inside_tab"
IMAGE_KEY = "inside_image"
# Class choices that start at the prediction of the image they were made for.
CLASS_KEYS = ("inside_cam_class", "inside_occlusion_class", ATTRIBUTION_CLASS_KEY)
TOP_K = 5
CANVAS_SIDE = 280

require_shell()
st.title(t("inside.title"))
st.caption(t("inside.caption"))

run_id = current_run()
if run_id:
    probe_timeline(run_id)
try:
    if not run_id:
        raise CnnvizError("evaluation.no_run")
    with st.spinner(t("inside.loading")):
        model = run_model(run_id)
        dataset = run_dataset(run_id)
except CnnvizError as error:
    st.info(t("inside.no_model", reason=shown_error(error)))
    st.page_link("pages/train.py", label=t("evaluation.go_train"), icon=":material/monitoring:")
    st.stop()
near_chance_notice(run_id)
names = shown_class_names(dataset.class_names, runs.read_config(run_id).dataset.source)
image_format = model.image_format


def uploaded_image(data: bytes | None) -> np.ndarray | None:
    """A file from the uploader or the camera, prepared like the training images."""
    if data is None:
        return None
    try:
        return model.prepare(data)
    except CnnvizError as error:
        st.error(t("inside.bad_image", reason=shown_error(error)))
        return None


def drawn_image() -> np.ndarray | None:
    """The canvas, in the dataset's colours (light ink on dark for MNIST-like data)."""
    light_ink = ink_is_light(dataset.train.batch(np.arange(min(256, len(dataset.train)))))
    st.caption(t("inside.draw_hint"))
    canvas = st_canvas(stroke_width=st.slider(t("inside.brush"), 6, 40, 20),
                       stroke_color="#FFFFFF" if light_ink else "#000000",
                       background_color="#000000" if light_ink else "#FFFFFF",
                       width=CANVAS_SIDE, height=CANVAS_SIDE, return_image_data=True,
                       key="inside_canvas")
    data = canvas.image_bytes if canvas is not None and canvas.json_data else None
    image = uploaded_image(data)
    if image is not None and is_blank(image):
        return None
    return image


def test_image() -> tuple[np.ndarray | None, str]:
    """An image of the run's test set, all of them or only the mistakes."""
    try:
        evaluation = run_evaluation(run_id)
    except CnnvizError as error:
        st.info(t("inside.no_test", reason=shown_error(error)))
        return None, ""
    left, right = st.columns([1, 2])
    only_mistakes = left.toggle(t("inside.only_mistakes"))
    rows = shown_rows(evaluation, only_mistakes)
    if not len(rows):
        st.info(t("inside.no_mistakes"))
        return None, ""
    position = right.number_input(t("inside.test_number", count=len(rows)), 1, len(rows), 1)
    row = int(rows[position - 1])
    try:
        image = row_images(dataset, evaluation, np.array([row]))[0]
    except CnnvizError as error:
        st.warning(t("evaluation.images_unavailable", reason=shown_error(error)))
        return None, ""
    return image, t("inside.true_class", name=names[int(evaluation.y_true[row])])


source = st.segmented_control(t("inside.source"), SOURCES, default="upload", key="inside_source",
                              format_func=translated("inside.source_{}"))
truth = ""
if source == "upload":
    upload = st.file_uploader(t("inside.upload"), type=list(UPLOAD_TYPES), key="inside_upload")
    image = uploaded_image(upload.getvalue() if upload is not None else None)
elif source == "camera":
    photo = st.camera_input(t("inside.camera"), key="inside_camera")
    image = uploaded_image(photo.getvalue() if photo is not None else None)
elif source == "live":
    live_camera(model, names)
    st.stop()
elif source == "draw":
    image = drawn_image()
elif source == "test":
    image, truth = test_image()
else:
    image = None
if image is None:
    st.info(t("inside.waiting"))
    st.stop()
if st.session_state.get(IMAGE_KEY) != image_fingerprint(image):
    st.session_state[IMAGE_KEY] = image_fingerprint(image)
    for key in CLASS_KEYS:  # a new image: Grad-CAM and occlusion start at its own prediction
        st.session_state.pop(key, None)

maps, probabilities = model.layer_maps(image)
predicted = predicted_class(probabilities)

seen, prediction = st.columns([1, 2])
seen.image(enlarge(image), caption=t("inside.seen", height=image_format.height,
                                     width=image_format.width,
                                     channels=image_format.channels), clamp=True)
if truth:
    seen.caption(truth)
prediction.markdown(t("inside.prediction", name=names[predicted],
                      probability=f"{probabilities[predicted]:.0%}"))
prediction.plotly_chart(top_k_bars(top_predictions(probabilities, names, TOP_K),
                                   {"probability": t("inside.probability")}),
                        width="stretch", key="top_k")
if is_unsure(probabilities):
    prediction.warning(t("inside.unsure"))

(maps_tab, strip_tab, filters_tab, cam_tab, occlusion_tab, edit_tab, features_tab, classes_tab,
 attribution_tab) = st.tabs([
    t("inside.tab_maps"), t("inside.tab_strip"), t("inside.tab_filters"), t("inside.tab_cam"),
    t("inside.tab_occlusion"), t("inside.tab_edit"), t("inside.tab_features"),
    t("inside.tab_classes"), t("inside.tab_attribution"),
], key=TAB_KEY, on_change="rerun")  # only the open tab runs

with maps_tab:
    if maps_tab.open and not maps:
        st.info(t("inside.no_maps"))
    elif maps_tab.open:
        captions = [layer_caption(layer) for layer in maps]
        chosen = (st.select_slider(t("inside.layer"), list(range(len(maps))),
                                   format_func=lambda index: maps[index].name,
                                   key="inside_layer") if len(maps) > 1 else 0)
        layer = maps[chosen]
        left, right = st.columns(2)
        shared = left.toggle(t("inside.shared_scale"), help=t("inside.shared_scale_help"))
        channels = layer.maps.shape[-1]
        shown = right.slider(t("inside.channels_shown"), 1, channels, min(channels, 64))
        order = channel_order(layer.maps)[:shown]
        st.image(enlarge(tile_maps(layer.maps, order, columns=min(16, shown),
                                   shared_scale=shared), 900),
                 caption=t("inside.tiles", layer=captions[chosen], shown=shown), width="stretch")
        silent = silent_channels(layer.maps, order)
        if silent:
            st.info(t("inside.zero_maps", count=silent, shown=shown))
        channel = st.selectbox(t("inside.enlarge"), order, key="inside_channel",
                               format_func=translated("inside.channel", placeholder="number"))
        st.plotly_chart(map_heatmap(layer.maps[..., channel],
                                    f"{layer.name} · {t('inside.channel', number=channel)}"),
                        width="stretch", key="channel_map")

with strip_tab:
    if strip_tab.open and not maps:
        st.info(t("inside.no_maps"))
    elif strip_tab.open:
        st.caption(t("inside.strip_caption"))
        image_grid([enlarge(strip_image(layer.maps), 128) for layer in maps],
                   [layer_caption(layer) for layer in maps])

with filters_tab:
    if filters_tab.open:
        try:
            conv_name, filters = first_conv_filters(model.model)
        except ValueError:
            st.info(t("inside.no_filters"))
        else:
            st.caption(t("inside.filters_caption", layer=conv_name, count=len(filters),
                         size=f"{filters.shape[1]}×{filters.shape[2]}"))
            image_grid([enlarge(single, 96) for single in filters],
                       [t("inside.filter", number=number) for number in range(len(filters))],
                       columns=12)

with cam_tab:
    if cam_tab.open and model.cam_layer is None:
        st.info(t("inside.no_maps"))
    elif cam_tab.open:
        st.caption(t("inside.cam_caption", layer=model.cam_layer))
        left, right = st.columns(2)
        target = left.selectbox(t("inside.cam_class"), range(len(names)), index=predicted,
                                format_func=names.__getitem__, key="inside_cam_class")
        opacity = right.slider(t("inside.opacity"), 0.0, 1.0, 0.45, 0.05)
        heat = model.gradcam(image, int(target))
        overlaid, raw = st.columns(2)
        overlaid.image(enlarge(overlay(image, heat, opacity), 320), width="stretch",
                       caption=t("inside.cam_overlay", name=names[int(target)]))
        raw.plotly_chart(map_heatmap(heat, t("inside.cam_raw"), "Jet"), width="stretch",
                         key="cam_map")
        if not heat.any():
            st.info(t("inside.cam_empty", name=names[int(target)]))

with occlusion_tab:
    if occlusion_tab.open:
        st.caption(t("inside.occlusion_caption"))
        left, middle, right = st.columns(3)
        target = left.selectbox(t("inside.cam_class"), range(len(names)), index=predicted,
                                format_func=names.__getitem__, key="inside_occlusion_class")
        patch = middle.slider(t("inside.patch"),
                              *patch_choices(image_format.height, image_format.width))
        stride = right.slider(t("inside.stride"),
                              *stride_choices(image_format.height, image_format.width, patch))
        with st.spinner(t("inside.occluding")):
            drop = drop_per_pixel(model.occlusion(image, int(target), patch, stride),
                                  image.shape, patch, stride)
        shown, chart = st.columns(2)
        shown.image(enlarge(overlay(image, evidence(drop)), 320),
                    width="stretch", caption=t("inside.occlusion_overlay",
                                               name=names[int(target)]))
        chart.plotly_chart(map_heatmap(drop, t("inside.occlusion_raw"), "RdBu_r",
                                       zero_middle=True), width="stretch", key="occlusion_map")

with edit_tab:
    if edit_tab.open:
        st.caption(t("inside.edit_caption"))
        rotation_column, noise_column, blur_column, cover_column = st.columns(4)
        edit = ImageEdit(
            rotation=rotation_column.slider(t("inside.rotation"), -180, 180, 0, 5),
            noise=noise_column.slider(t("inside.noise"), 0, 100, 0, 5),
            blur=blur_column.slider(t("inside.blur"), 0, 5, 0),
            occlusion=cover_column.slider(t("inside.cover"), 0.0, 0.8, 0.0, 0.05),
        )
        edited = apply_edit(image, edit)
        edited_maps, edited_probabilities = model.layer_maps(edited)
        chosen = (st.select_slider(t("inside.layer"), list(range(len(maps))),
                                   format_func=lambda index: maps[index].name,
                                   value=len(maps) // 2, key="inside_edit_layer")
                  if len(maps) > 1 else 0)
        for column, title, picture, layers, probs in zip(
                st.columns(2), (t("inside.original"), t("inside.edited")), (image, edited),
                (maps, edited_maps), (probabilities, edited_probabilities)):
            column.markdown(f"**{title}**")
            column.image(enlarge(picture), clamp=True,
                         caption=prediction_text(probs, names))
            if not layers:
                continue
            layer = layers[chosen]
            order = channel_order(layer.maps)[:16]
            column.image(enlarge(tile_maps(layer.maps, order, columns=8), 480),
                         caption=layer_caption(layer), width="stretch")

with features_tab:
    if features_tab.open:
        filter_patterns(run_id, model, dataset)

with classes_tab:
    if classes_tab.open:
        class_pictures(run_id, model, names)

with attribution_tab:
    if attribution_tab.open:
        attribution_views(run_id, image, names, predicted)
