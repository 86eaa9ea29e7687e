"""Look inside's feature visualisation tabs: what each filter of a layer looks for, with the
test images that excite it most, and what input each class score likes most.

The gradient ascent takes seconds to minutes, so it runs on a background thread (one per run,
layer and set of filters, shared by every session) while a fragment redraws its progress; the
result is kept in the run folder and read from there afterwards.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import numpy as np
import streamlit as st

from cnnviz import runs
from cnnviz.analysis.evaluation_data import row_images
from cnnviz.datasets.dataset import Dataset
from cnnviz.errors import CnnvizError
from cnnviz.inside.background import BackgroundJob
from cnnviz.inside.display import enlarge
from cnnviz.inside.feature_store import (CLASSES, EXAMPLE_LIMIT, EXAMPLES, LayerPictures,
                                         compute_class_pictures, compute_filter_pictures,
                                         examples_montage, merged, read_pictures,
                                         write_pictures)
from cnnviz.inside.feature_vis import conv_layer_names, filter_count, readable
from cnnviz.ui.cached import run_evaluation
from cnnviz.ui.components.image_rows import image_grid
from cnnviz.ui.i18n import shown_error, t

if TYPE_CHECKING:
    from cnnviz.training.inference import RunModel

LAYER_KEY = "inside_features_layer"
COUNT_KEY = "inside_features_count"
PROGRESS_SECONDS = 0.5
PATTERN_SIDE = 144


@st.cache_resource(max_entries=1, show_spinner=False)
def _jobs() -> tuple[dict[tuple, BackgroundJob], threading.Lock]:
    """The server's running and finished computations, so that two sessions (or two reruns)
    asking for the same pictures share one thread."""
    return {}, threading.Lock()


def model_stamp(run_id: str) -> int:
    """The saved model's modification time: pictures of an older model are stale."""
    return runs.run_folder(run_id).model.stat().st_mtime_ns


def running_job(key: tuple) -> BackgroundJob | None:
    jobs, lock = _jobs()
    with lock:
        return jobs.get(key)


def _show_progress(key: tuple) -> None:
    """A bar that follows the job and reruns the page once it ends."""

    @st.fragment(run_every=PROGRESS_SECONDS)
    def bar() -> None:
        job = running_job(key)
        st.progress(job.share_done if job else 0.0, text=t("inside.features_working"))
        if job is None or job.finished:
            st.rerun()

    bar()


def example_images(run_id: str, dataset: Dataset) -> tuple[np.ndarray, str]:
    """The first test images of the run's evaluation (n, h, w, c) uint8, or none and why."""
    try:
        evaluation = run_evaluation(run_id)
        rows = np.arange(min(EXAMPLE_LIMIT, len(evaluation.y_true)))
        return row_images(dataset, evaluation, rows), ""
    except CnnvizError as error:
        return np.zeros((0, *dataset.image_shape), np.uint8), shown_error(error)


def _pictures(run_id: str, layer: str, targets: tuple[int, ...], compute) -> \
        LayerPictures | None:
    """The stored pictures when they cover ``targets``; otherwise a button that starts the
    computation (or its progress bar while it runs), and None."""
    folder = runs.run_path(run_id)
    stamp = model_stamp(run_id)
    stored = read_pictures(folder, layer, stamp)
    if stored is not None and stored.covers(targets):
        return stored
    key = (run_id, layer, targets, stamp)
    job = running_job(key)
    if job is not None and job.finished and job.error is not None:
        st.error(t("inside.features_failed", reason=str(job.error)))
    if job is not None and not job.finished:
        _show_progress(key)
        return None
    if st.button(t("inside.features_compute"), key=f"inside_features_compute_{layer}"):
        missing = [target for target in targets
                   if stored is None or target not in stored.targets.tolist()]

        def work(progress) -> None:
            new = compute(missing, stamp, progress)
            write_pictures(folder, merged(read_pictures(folder, layer, stamp), new))

        jobs, lock = _jobs()
        with lock:
            jobs[key] = BackgroundJob(work, name=f"cnnviz-features-{layer}")
        _show_progress(key)
    return None


def filter_patterns(run_id: str, model: RunModel, dataset: Dataset) -> None:
    """The tab "What filters look for": a layer, how many of its filters, and per filter the
    input that excites it most beside the test images that excite it most."""
    layers = conv_layer_names(model.model)
    if not layers:
        st.info(t("inside.no_filters"))
        return
    st.caption(t("inside.features_caption"))
    left, right = st.columns(2)
    layer = left.selectbox(t("inside.layer"), layers, key=LAYER_KEY)
    total = filter_count(model.model, layer)
    count = (right.slider(t("inside.features_count"), 1, total, min(total, 8), key=COUNT_KEY)
             if total > 1 else 1)
    examples, missing_reason = example_images(run_id, dataset)
    shape = (model.image_format.height, model.image_format.width, model.image_format.channels)

    def compute(filters, stamp, progress) -> LayerPictures:
        return compute_filter_pictures(model.model, layer, filters, shape, examples, stamp,
                                       progress=progress)

    pictures = _pictures(run_id, layer, tuple(range(count)), compute)
    if pictures is None:
        return
    if missing_reason:
        st.info(t("inside.features_no_examples", reason=missing_reason))
    images, captions = [], []
    for target in range(count):
        position = pictures.position(target)
        images.append(enlarge(readable(pictures.pictures[position]), PATTERN_SIDE))
        captions.append(t("inside.features_pattern", number=target))
        rows = pictures.example_rows[position]
        shown = rows[rows >= 0]
        if len(shown):
            images.append(examples_montage(examples[shown],
                                           pictures.example_maps[position][:len(shown)],
                                           float(pictures.example_peaks[position].max())))
            captions.append(t("inside.features_examples", number=target, count=len(shown)))
    image_grid(images, captions, columns=4 if len(images) > count else 6)
    st.caption(t("inside.features_searched", count=len(examples), limit=EXAMPLES))


def class_pictures(run_id: str, model: RunModel, names: list[str]) -> None:
    """The tab "What classes look like": the input that maximises each class score."""
    st.caption(t("inside.classes_caption"))
    shape = (model.image_format.height, model.image_format.width, model.image_format.channels)

    def compute(classes, stamp, progress) -> LayerPictures:
        return compute_class_pictures(model.model, classes, shape, stamp, progress=progress)

    pictures = _pictures(run_id, CLASSES, tuple(range(len(names))), compute)
    if pictures is None:
        return
    image_grid([enlarge(readable(pictures.pictures[pictures.position(index)]), PATTERN_SIDE)
                for index in range(len(names))], list(names), columns=6)

