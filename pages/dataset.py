"""Dataset: choose a source and how to prepare it, then see its classes, samples and sizes."""

import dataclasses

import numpy as np
import streamlit as st

from cnnviz.datasets.spec import FILE_SOURCES, SOURCES, Augmentation, DatasetSpec
from cnnviz.errors import CnnvizError
from cnnviz.figures.dataset import class_distribution
from cnnviz.ui.cached import attribute_names, augmentation_examples, dataset_summary
from cnnviz.ui.components.choices import translated
from cnnviz.ui.components.data_input import uploaded_zip
from cnnviz.ui.components.image_rows import labelled_image_row
from cnnviz.ui.i18n import shown_class_names, shown_error, t
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import choose, dataset_spec

require_shell()
st.title(t("dataset.title"))
current = dataset_spec()

source = st.selectbox(t("dataset.source"), SOURCES, index=SOURCES.index(current.source),
                      format_func=translated("source.{}"), help=t("dataset.source_help"))
st.caption(t(f"source.{source}.about"))
changes: dict = {"source": source}

if source == "shapes":
    changes["shapes_per_class"] = st.slider(t("dataset.per_class"), 20, 2000,
                                            current.shapes_per_class, step=20)
if source == "archive":
    uploaded = uploaded_zip(t("dataset.upload"), help=t("dataset.upload_help"))
    if uploaded or current.source == "archive":
        changes["path"] = uploaded or current.path
elif source in FILE_SOURCES:
    changes["path"] = st.text_input(t("dataset.path"), current.path or "",
                                    help=t(f"dataset.path_help.{source}"))
if source == "attributes" and changes.get("path"):
    try:
        names = attribute_names(changes["path"])
        default = names.index(current.attribute) if current.attribute in names else 0
        changes["attribute"] = st.selectbox(t("dataset.attribute"), names, index=default)
    except CnnvizError as error:
        st.error(shown_error(error))
    train_size, validation_size, test_size = current.attribute_split_sizes
    columns = st.columns(3)
    changes["attribute_split_sizes"] = (
        columns[0].number_input(t("split.train"), 2, 200_000, train_size, step=100),
        columns[1].number_input(t("split.validation"), 2, 50_000, validation_size, step=100),
        columns[2].number_input(t("split.test"), 2, 50_000, test_size, step=100),
    )

with st.expander(t("dataset.preparation"), expanded=False):
    left, right = st.columns(2)
    sized = left.checkbox(t("dataset.resize"), current.image_size is not None,
                          help=t("dataset.resize_help"))
    side = left.select_slider(t("dataset.size"), [8, 16, 28, 32, 48, 64, 96, 128, 160, 224],
                              value=(current.image_size or (64, 64))[0], disabled=not sized)
    changes["image_size"] = (side, side) if sized else None
    changes["resize_mode"] = left.radio(
        t("dataset.resize_mode"), ["stretch", "crop", "pad"],
        index=["stretch", "crop", "pad"].index(current.resize_mode),
        format_func=translated("resize.{}"), horizontal=True)
    changes["channels"] = left.radio(
        t("dataset.channels"), [None, 1, 3], index=[None, 1, 3].index(current.channels),
        format_func=translated("channels.{}"), horizontal=True)
    changes["validation_fraction"] = right.slider(t("dataset.validation"), 0.0, 0.4,
                                                  current.validation_fraction, 0.05)
    changes["test_fraction"] = right.slider(t("dataset.test"), 0.0, 0.4, current.test_fraction,
                                            0.05, help=t("dataset.test_help"))
    changes["balancing"] = right.selectbox(
        t("dataset.balancing"), ["none", "undersample", "oversample", "class_weights"],
        index=["none", "undersample", "oversample", "class_weights"].index(current.balancing),
        format_func=translated("balance.{}"), help=t("dataset.balancing_help"))
    capped = right.checkbox(t("dataset.cap"), current.max_per_class is not None)
    changes["max_per_class"] = (right.number_input(t("dataset.max_per_class"), 2, 100_000,
                                                   current.max_per_class or 500)
                                if capped else None)
    changes["seed"] = int(right.number_input(t("dataset.seed"), 0, 1_000_000, current.seed))

if source in FILE_SOURCES and not changes.get("path"):
    st.info(t(f"dataset.need_path.{source}"))
    st.stop()
try:
    spec = dataclasses.replace(current, **changes) if changes.get("source") == current.source \
        else DatasetSpec(**changes)
except (CnnvizError, TypeError) as error:
    st.error(shown_error(error))
    st.stop()

try:
    with st.spinner(t("dataset.loading")):
        summary, class_names, image_shape = dataset_summary(spec)
except CnnvizError as error:
    st.error(shown_error(error))
    st.stop()

shown_names = dict(zip(class_names, shown_class_names(class_names, spec.source)))
with st.expander(t("dataset.classes"), expanded=False):
    merged_from = st.multiselect(t("dataset.merge"), class_names, format_func=shown_names.get,
                                 help=t("dataset.merge_help"))
    merged_name = st.text_input(t("dataset.merge_name"), merged_from[0] if merged_from else "")
    if st.button(t("dataset.merge_button"), disabled=len(merged_from) < 2 or not merged_name):
        spec = dataclasses.replace(spec, merge=spec.merge + ((merged_name, tuple(merged_from)),))
        choose(dataset=spec)
        st.rerun()
    if spec.merge and st.button(t("dataset.merge_clear")):
        choose(dataset=dataclasses.replace(spec, merge=()))
        st.rerun()
    kept = st.multiselect(t("dataset.keep"), class_names, format_func=shown_names.get,
                          default=[name for name in spec.classes if name in class_names])
    if tuple(kept) != spec.classes and (len(kept) >= 2 or not kept):
        spec = dataclasses.replace(spec, classes=tuple(kept))
        choose(dataset=spec)
        st.rerun()

choose(dataset=spec)
st.success(t("dataset.selected", count=summary.total_images, classes=len(class_names),
             shape="x".join(map(str, image_shape)), storage=t(f"storage.{summary.storage}")))

st.subheader(t("dataset.distribution"))
splits = {name: t(f"split.{name}") for name in ("train", "validation", "test")}
st.plotly_chart(class_distribution(summary.class_counts.rename(index=shown_names), splits,
                                   (t("dataset.class"), t("dataset.images"))),
                width="stretch", key="class_distribution")

st.subheader(t("dataset.samples"))
for name, images in summary.samples.items():
    labelled_image_row(shown_names.get(name, name), images)

left, right = st.columns(2)
with left:
    st.subheader(t("dataset.sizes"))
    st.caption(t("dataset.sizes_help"))
    st.dataframe(summary.size_statistics.rename(index=lambda row: t(f"size.{row}"),
                                                columns=lambda column: t(f"size.{column}")),
                 width="stretch")
with right:
    st.subheader(t("dataset.skipped", count=len(summary.skipped)))
    if summary.skipped:
        st.dataframe({t("dataset.file"): [item.path for item in summary.skipped],
                      t("dataset.reason"): [item.reason for item in summary.skipped]},
                     hide_index=True, width="stretch")
    else:
        st.caption(t("dataset.none_skipped"))

with st.expander(t("dataset.augmentation")):
    augmentation = spec.augmentation
    columns = st.columns(5)
    flip = columns[0].selectbox(t("augment.flip"), ["none", "horizontal", "vertical",
                                                    "horizontal_and_vertical"],
                                index=["none", "horizontal", "vertical",
                                       "horizontal_and_vertical"].index(augmentation.flip),
                                format_func=translated("flip.{}"))
    rotation = columns[1].slider(t("augment.rotation"), 0.0, 0.5, augmentation.rotation, 0.05)
    translation = columns[2].slider(t("augment.translation"), 0.0, 0.3,
                                    augmentation.translation, 0.05)
    zoom = columns[3].slider(t("augment.zoom"), 0.0, 0.5, augmentation.zoom, 0.05)
    contrast = columns[4].slider(t("augment.contrast"), 0.0, 0.9, augmentation.contrast, 0.1)
    chosen = Augmentation(flip, rotation, translation, zoom, contrast)
    if chosen != augmentation:
        choose(dataset=dataclasses.replace(spec, augmentation=chosen))
    first_class = next(iter(summary.samples.values()))
    if chosen.enabled and len(first_class):
        examples = augmentation_examples(first_class[0], chosen)
        st.image(list(np.concatenate([first_class[:1], examples])), width=72,
                 caption=[t("augment.original")] + [""] * len(examples), clamp=True)

