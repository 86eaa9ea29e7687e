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
from cnnviz.ui.components.form_state import FormState
from cnnviz.ui.components.image_rows import labelled_image_row
from cnnviz.ui.i18n import shown_class_names, shown_error, t
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import choose, dataset_spec

FORM = FormState("dataset_form")
FLIP_MODES = ["none", "horizontal", "vertical", "horizontal_and_vertical"]
SIZES = [8, 16, 28, 32, 48, 64, 96, 128, 160, 224]


def widget_values(spec: DatasetSpec) -> dict:
    """The settings widgets' values for ``spec`` (an unset size or cap shows its usual value)."""
    augmentation = spec.augmentation
    return {
        "source": spec.source, "shapes_per_class": spec.shapes_per_class,
        "path": spec.path or "",
        **dict(zip(("train_size", "validation_size", "test_size"), spec.attribute_split_sizes)),
        "resized": spec.image_size is not None, "size": (spec.image_size or (64, 64))[0],
        "resize_mode": spec.resize_mode, "channels": spec.channels,
        "validation_fraction": spec.validation_fraction, "test_fraction": spec.test_fraction,
        "balancing": spec.balancing, "capped": spec.max_per_class is not None,
        "max_per_class": spec.max_per_class or 500, "seed": spec.seed,
        "flip": augmentation.flip, "rotation": augmentation.rotation,
        "translation": augmentation.translation, "zoom": augmentation.zoom,
        "contrast": augmentation.contrast,
    }


require_shell()
st.title(t("dataset.title"))
current = dataset_spec()
FORM.seed(widget_values(current))
key = FORM.key

source = st.selectbox(t("dataset.source"), SOURCES, key=key("source"),
                      format_func=translated("source.{}"), help=t("dataset.source_help"))
st.caption(t(f"source.{source}.about"))
changes: dict = {"source": source}

if source == "shapes":
    changes["shapes_per_class"] = st.slider(t("dataset.per_class"), 20, 2000, step=20,
                                            key=key("shapes_per_class"), persist_state="page")
if source == "archive":
    uploaded = uploaded_zip(t("dataset.upload"), help=t("dataset.upload_help"))
    if uploaded or current.source == "archive":
        changes["path"] = uploaded or current.path
elif source in FILE_SOURCES:
    changes["path"] = st.text_input(t("dataset.path"), key=key("path"), persist_state="page",
                                    help=t(f"dataset.path_help.{source}"))
if source == "attributes" and changes.get("path"):
    try:
        names = attribute_names(changes["path"])
        if st.session_state.get(key("attribute")) not in names:
            st.session_state[key("attribute")] = (current.attribute if current.attribute in names
                                                  else names[0])
        changes["attribute"] = st.selectbox(t("dataset.attribute"), names, key=key("attribute"),
                                             persist_state="page")
    except CnnvizError as error:
        st.error(shown_error(error))
    columns = st.columns(3)
    changes["attribute_split_sizes"] = (
        columns[0].number_input(t("split.train"), 2, 200_000, step=100, key=key("train_size"),
                                persist_state="page"),
        columns[1].number_input(t("split.validation"), 2, 50_000, step=100,
                                key=key("validation_size"), persist_state="page"),
        columns[2].number_input(t("split.test"), 2, 50_000, step=100, key=key("test_size"),
                                persist_state="page"),
    )

with st.expander(t("dataset.preparation"), expanded=False):
    left, right = st.columns(2)
    sized = left.checkbox(t("dataset.resize"), key=key("resized"), help=t("dataset.resize_help"))
    side = left.select_slider(t("dataset.size"), FORM.options_with_value("size", SIZES),
                              key=key("size"), disabled=not sized)
    changes["image_size"] = (side, side) if sized else None
    changes["resize_mode"] = left.radio(t("dataset.resize_mode"), ["stretch", "crop", "pad"],
                                        key=key("resize_mode"),
                                        format_func=translated("resize.{}"), horizontal=True)
    changes["channels"] = left.radio(t("dataset.channels"), [None, 1, 3], key=key("channels"),
                                     format_func=translated("channels.{}"), horizontal=True)
    changes["validation_fraction"] = right.slider(t("dataset.validation"), 0.0, 0.4, step=0.05,
                                                  key=key("validation_fraction"))
    changes["test_fraction"] = right.slider(t("dataset.test"), 0.0, 0.4, step=0.05,
                                            key=key("test_fraction"), help=t("dataset.test_help"))
    changes["balancing"] = right.selectbox(
        t("dataset.balancing"), ["none", "undersample", "oversample", "class_weights"],
        key=key("balancing"), format_func=translated("balance.{}"),
        help=t("dataset.balancing_help"))
    capped = right.checkbox(t("dataset.cap"), key=key("capped"))
    changes["max_per_class"] = (right.number_input(t("dataset.max_per_class"), 2, 100_000,
                                                   key=key("max_per_class"), persist_state="page")
                                if capped else None)
    changes["seed"] = int(right.number_input(t("dataset.seed"), 0, 1_000_000, key=key("seed")))

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
    flip = columns[0].selectbox(t("augment.flip"), FLIP_MODES, key=key("flip"),
                                format_func=translated("flip.{}"))
    rotation = columns[1].slider(t("augment.rotation"), 0.0, 0.5, step=0.05, key=key("rotation"))
    translation = columns[2].slider(t("augment.translation"), 0.0, 0.3, step=0.05,
                                    key=key("translation"))
    zoom = columns[3].slider(t("augment.zoom"), 0.0, 0.5, step=0.05, key=key("zoom"))
    contrast = columns[4].slider(t("augment.contrast"), 0.0, 0.9, step=0.1, key=key("contrast"))
    chosen = Augmentation(flip, rotation, translation, zoom, contrast)
    if chosen != augmentation:
        choose(dataset=dataclasses.replace(spec, augmentation=chosen))
    first_class = next(iter(summary.samples.values()))
    if chosen.enabled and len(first_class):
        examples = augmentation_examples(first_class[0], chosen)
        st.image(list(np.concatenate([first_class[:1], examples])), width=72,
                 caption=[t("augment.original")] + [""] * len(examples), clamp=True)

