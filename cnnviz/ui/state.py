"""What the pages share within a session: the chosen dataset, model and training settings.

Declared in one place (CNN Explainer's rule), with the defaults a new user starts from: the
home page's shapes quick start, whose network is clearly right (over 95 % on the test images)
within a minute on a 2-core laptop.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.datasets.spec import DatasetSpec
from cnnviz.models.spec import ModelSpec
from cnnviz.presets import QUICK_START_SHAPES
from cnnviz.training.config import TrainConfig

DATASET_KEY = "dataset_spec"
MODEL_KEY = "model_spec"
TRAINING_KEY = "train_config"
RUN_KEY = "run_id"
# The sidebar's run picker: a fixed key keeps its widget, and the student's pick, when a
# classmate's new run changes its options.
RUN_PICKER_KEY = "sidebar_run"

DEFAULT_DATASET = QUICK_START_SHAPES.config.dataset
DEFAULT_MODEL = QUICK_START_SHAPES.config.model
DEFAULT_TRAINING = QUICK_START_SHAPES.config.training


def dataset_spec() -> DatasetSpec:
    return st.session_state.setdefault(DATASET_KEY, DEFAULT_DATASET)


def model_spec() -> ModelSpec:
    return st.session_state.setdefault(MODEL_KEY, DEFAULT_MODEL)


def train_config() -> TrainConfig:
    return st.session_state.setdefault(TRAINING_KEY, DEFAULT_TRAINING)


def choose(dataset: DatasetSpec | None = None, model: ModelSpec | None = None,
           training: TrainConfig | None = None) -> None:
    """Replace any of the shared choices (a preset button sets all three)."""
    if dataset is not None:
        st.session_state[DATASET_KEY] = dataset
    if model is not None:
        st.session_state[MODEL_KEY] = model
    if training is not None:
        st.session_state[TRAINING_KEY] = training


def current_run() -> str | None:
    """The run the result pages show: the sidebar's choice, shared through ``?run=ID``."""
    return st.session_state.get(RUN_KEY) or st.query_params.get("run")


def set_current_run(run_id: str | None) -> None:
    st.session_state[RUN_KEY] = run_id
    if run_id:
        st.query_params["run"] = run_id
    elif "run" in st.query_params:
        del st.query_params["run"]


def keep_run_in_url() -> None:
    """Write the current run into the address on every page, so that a copied link opens it."""
    run_id = current_run()
    if run_id and st.query_params.get("run") != run_id:
        st.query_params["run"] = run_id
