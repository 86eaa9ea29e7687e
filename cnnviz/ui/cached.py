"""Cached calls into the core, keyed by specs as JSON text (stable and cheap to hash)."""

from __future__ import annotations

import importlib
import logging
import threading
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import streamlit as st

from cnnviz import runs
from cnnviz.analysis.evaluation_data import Evaluation, load_evaluation
from cnnviz.datasets.dataset import Dataset
from cnnviz.datasets.spec import Augmentation, DatasetSpec
from cnnviz.datasets.summary import DatasetSummary
from cnnviz.errors import CnnvizError
from cnnviz.gan.checks import MemorisationCheck, memorisation_check
from cnnviz.gan.data import REAL_IMAGES_COMPARED, real_images
from cnnviz.models.spec import ModelSpec
from cnnviz.runs import RunConfig
from cnnviz.specs import spec_from_json, spec_to_json
from cnnviz.training.config import TrainConfig

_LOG = logging.getLogger(__name__)

if TYPE_CHECKING:  # the model types need TensorFlow, which the pages import only when used
    from cnnviz.gan.generator import Generator
    from cnnviz.training.inference import RunModel


def dataset_summary(spec: DatasetSpec) -> tuple[DatasetSummary, list[str], tuple[int, int, int]]:
    """Load (from the on-disk cache after the first time) and summarise a dataset."""
    return _dataset_summary(spec_to_json(spec))


@st.cache_data(max_entries=8, show_spinner=False)
def _dataset_summary(spec_json: str) -> tuple[DatasetSummary, list[str], tuple[int, int, int]]:
    from cnnviz.datasets import load_dataset
    from cnnviz.datasets.summary import summarize

    dataset = load_dataset(spec_from_json(DatasetSpec, spec_json))
    return summarize(dataset), dataset.class_names, dataset.image_shape


@st.cache_data(max_entries=16, show_spinner=False)
def attribute_names(path: str) -> list[str]:
    from cnnviz.datasets.attributes import list_attributes

    return list_attributes(path)


def augmentation_examples(image: np.ndarray, augmentation: Augmentation) -> np.ndarray:
    return _augmentation_examples(image, spec_to_json(augmentation))


@st.cache_data(max_entries=8, show_spinner=False)
def _augmentation_examples(image: np.ndarray, augmentation_json: str) -> np.ndarray:
    from cnnviz.datasets.pipeline import augmentation_preview

    return augmentation_preview(image, spec_from_json(Augmentation, augmentation_json), count=7)


# Finished runs whose model the server loads before anyone asks: run_model keeps two.
WARMED_RUNS = 2


@st.cache_resource(max_entries=1, show_spinner=False)
def warm_up_server() -> threading.Thread:
    """Once per server, in the background: import Keras (TensorFlow, ten seconds on two busy
    cores), then load the newest finished runs' models, datasets and test predictions into the
    shared caches.

    Called by app.py once the first page is drawn, so no student's script thread imports
    TensorFlow or loads the class's model while thirty others wait for the GIL: the first Look
    inside of a class measured 16.6 s with the import on its script thread. A page that needs
    the same model meanwhile waits for this load (the cache computes a key once) instead of
    starting another.
    """
    thread = threading.Thread(target=_warm_shared_caches, name="cnnviz-warm-up", daemon=True)
    thread.start()
    return thread


def _warm_shared_caches() -> None:
    importlib.import_module("keras")
    try:
        finished = [run["run_id"] for run in runs.list_runs()
                    if run["kind"] == "classifier"
                    and run["status"].evaluated]
    except OSError as error:  # no runs folder yet: nothing to warm
        _LOG.info("No runs to warm: %s", error)
        return
    for run_id in finished[:WARMED_RUNS]:
        try:
            run_model(run_id)
            run_evaluation(run_id)
        except (CnnvizError, OSError) as error:  # the page that opens the run says why
            _LOG.info("Not warmed %s: %s", run_id, error)


def model_layers(spec: ModelSpec, input_shape: tuple[int, int, int],
                 num_classes: int) -> tuple[pd.DataFrame, list[str]]:
    """The layer table (with shapes) and build notices of ``spec`` for the current dataset."""
    return _model_layers(spec_to_json(spec), tuple(input_shape), num_classes)


@st.cache_data(max_entries=16, show_spinner=False)
def _model_layers(spec_json: str, input_shape: tuple[int, int, int],
                  num_classes: int) -> tuple[pd.DataFrame, list[str]]:
    from cnnviz.models.build import build_model
    from cnnviz.models.layers import layer_table

    built = build_model(spec_from_json(ModelSpec, spec_json), input_shape, num_classes)
    return layer_table(built.model), list(built.notices)


def run_evaluation(run_id: str) -> Evaluation:
    """The run's test predictions; re-read when the worker rewrites them (re-evaluation)."""
    path = runs.run_folder(run_id).evaluation
    return _run_evaluation(run_id, path.stat().st_mtime_ns if path.exists() else 0)


@st.cache_resource(max_entries=4, show_spinner=False)
def _run_evaluation(run_id: str, modified: int) -> Evaluation:
    return load_evaluation(runs.run_path(run_id))


@st.cache_resource(max_entries=2, show_spinner=False)
def run_dataset(run_id: str) -> Dataset:
    """The dataset a run trained on (shared, never copied: it can hold a whole image set)."""
    from cnnviz.datasets import load_dataset

    return load_dataset(runs.read_config(run_id).dataset)


@st.cache_resource(max_entries=2, show_spinner=False)
def run_model(run_id: str) -> RunModel:
    """The run's best model (TensorFlow is imported here, on first use only)."""
    from cnnviz.training.inference import load_run_model

    return load_run_model(run_id, run_dataset(run_id).train.image_format)


def run_generator(run_id: str) -> Generator:
    """A GAN run's latest generator; re-read when the worker saves a newer one."""
    path = runs.run_folder(run_id).generator
    return _run_generator(run_id, path.stat().st_mtime_ns if path.exists() else 0)


@st.cache_resource(max_entries=2, show_spinner=False)
def _run_generator(run_id: str, modified: int) -> Generator:
    from cnnviz.gan.generator import load_generator

    return load_generator(run_id)


def gan_check(run_id: str, seed: int, samples: int) -> MemorisationCheck:
    """Memorisation and collapse figures of a GAN run's current generator, checked again when
    the worker saves a newer one."""
    path = runs.run_folder(run_id).generator
    return _gan_check(run_id, path.stat().st_mtime_ns if path.exists() else 0, seed, samples)


@st.cache_data(max_entries=4, show_spinner=False)
def _gan_check(run_id: str, modified: int, seed: int, samples: int) -> MemorisationCheck:
    generator = run_generator(run_id)
    real, _ = real_images(run_dataset(run_id), runs.read_config(run_id).model.gan_class,
                          REAL_IMAGES_COMPARED)
    return memorisation_check(generator.generate, generator.latent_dim, real, samples, seed)


def step_seconds(config: RunConfig, input_shape: tuple[int, int, int], num_classes: int) -> float:
    """Seconds of one training step of ``config`` on this machine, measured once per network
    and batch size for every session (a preset page shows several)."""
    return _step_seconds(spec_to_json(config.model), spec_to_json(config.training), config.kind,
                         tuple(input_shape), num_classes)


@st.cache_data(max_entries=64, show_spinner=False)
def _step_seconds(model_json: str, training_json: str, kind: str,
                  input_shape: tuple[int, int, int], num_classes: int) -> float:
    from cnnviz.training.timing import step_seconds as measure

    config = RunConfig(DatasetSpec(), spec_from_json(ModelSpec, model_json),
                       spec_from_json(TrainConfig, training_json), kind=kind)
    return measure(config, input_shape, num_classes)
