"""Hyper-parameter studies: the grid of runs, their names, the best run, and the Compare
page that queues three tiny runs and marks the best."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz import runs
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import InvalidSpecError
from cnnviz.models.spec import ModelSpec
from cnnviz.study import MAX_STUDY_RUNS, best_run, study_configs, study_names, study_runs
from cnnviz.training.config import TrainConfig
from tests.pages.test_pages import texts
from tests.pages.test_results_pages import APP

BASE = runs.RunConfig(DatasetSpec(source="shapes", shapes_per_class=10, image_size=(16, 16)),
                      ModelSpec(architecture="fashion_cnn"), TrainConfig(epochs=2))


def test_one_run_per_combination_with_everything_else_kept() -> None:
    configs = study_configs(BASE, "Study 1", [1e-3, 1e-5, 1e-3], [64, 1000])
    assert [(config.training.learning_rate, config.training.batch_size) for config in configs] \
        == [(1e-5, 64), (1e-5, 1000), (1e-3, 64), (1e-3, 1000)]
    assert configs[0].name == "Study 1: lr 1e-05 · batch 64"
    assert all(config.training.epochs == 2 and config.dataset == BASE.dataset
               for config in configs)


@pytest.mark.parametrize("name, rates, sizes", [
    ("", [1e-3], [64]), ("S", [], [64]), ("S", [1e-3], []),
    ("S", [1e-5, 1e-4, 1e-3, 1e-2], [16, 32, 64, 128]),
])
def test_impossible_studies_are_clear_errors(name, rates, sizes) -> None:
    with pytest.raises(InvalidSpecError):
        study_configs(BASE, name, rates, sizes)
    assert MAX_STUDY_RUNS < 16


def test_finding_studies_and_the_best_run() -> None:
    listed = [{"run_id": "c", "name": "B: lr 0.01 · batch 64"},
              {"run_id": "b", "name": "A: lr 0.001 · batch 64"},
              {"run_id": "a", "name": "A: lr 0.0001 · batch 64"},
              {"run_id": "z", "name": "plain run"}]
    assert study_names(listed) == ["B", "A"]
    assert study_runs(listed, "A") == ["a", "b"]
    assert best_run({"a": 0.7, "b": None, "c": 0.9}) == "c"
    assert best_run({"a": None, "b": float("nan")}) is None


def test_the_compare_page_queues_a_study_and_marks_its_best(folders) -> None:
    _, started = folders
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    app.session_state["dataset_spec"] = BASE.dataset
    app.switch_page("pages/compare.py").run()
    app.multiselect[0].set_value([1e-2, 1e-3, 1e-4]).run()
    next(button for button in app.button if button.label == "Queue 3 runs").click().run()
    assert not app.exception
    queued = [run for run in runs.list_runs() if run["name"].startswith("Study 1: lr ")]
    assert len(queued) == 3 and started  # the queue started the first one
    for run, accuracy in zip(queued, (0.5, 0.8, 0.6)):
        line = {"type": "epoch", "phase": 1, "epoch": 1, "val_accuracy": accuracy,
                "val_loss": 1 - accuracy, "loss": 1.0, "accuracy": accuracy, "time": 0}
        runs.run_folder(run["run_id"]).metrics_log.write_text(json.dumps(line) + "\n")
    app.run()
    assert "Best so far: **" in texts(app)
    best = next(run for run, accuracy in zip(queued, (0.5, 0.8, 0.6)) if accuracy == 0.8)
    assert best["name"] in texts(app) or best["run_id"] in texts(app)
    assert len(app.get("plotly_chart")) == 1  # their curves on one chart
