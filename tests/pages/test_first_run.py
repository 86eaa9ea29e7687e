"""A newcomer's first minutes through AppTest (issues 20 and 21): quick starts that train, a
run table that names its runs, a Train page about the run it shows, and a word when a run has
not learnt."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from cnnviz import classroom, identity, runs
from cnnviz.analysis.metrics import classification_metrics
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.presets import QUICK_START_FASHION, QUICK_START_FASHION_BEST, QUICK_START_SHAPES
from cnnviz.ui.state import RUN_KEY
from tests.helpers.identity import joined_student, open_as
from tests.helpers.run_folders import make_evaluated_run, make_run, make_trained_run
from tests.pages.test_pages import open_page, texts
from tests.pages.test_results_pages import open_run

SHAPES = DatasetSpec(source="shapes", shapes_per_class=20, image_size=(32, 32))


@pytest.mark.parametrize("label, quick, name", [
    ("Train a CNN on shapes: 1 min", QUICK_START_SHAPES, "Quick start: shapes"),
    (f"Train a CNN on Fashion-MNIST: {QUICK_START_FASHION.minutes} min", QUICK_START_FASHION,
     "Quick start: Fashion-MNIST"),
    ("Fashion-MNIST's best network here: 10 min", QUICK_START_FASHION_BEST,
     "Fashion-MNIST: best in 10 minutes"),
])
def test_a_quick_start_starts_its_run_and_shows_it_training(folders, label, quick, name) -> None:
    _, started = folders
    app = open_page()
    next(button for button in app.button if button.label == label).click().run()
    assert not app.exception, app.exception
    assert len(started) == 1
    config = runs.read_config(started[0])
    assert (config.dataset, config.model, config.training) == (
        quick.config.dataset, quick.config.model, quick.config.training)
    assert config.name == name
    # The Train page shows the new run, not a settings form with Start folded away.
    assert started[0] in texts(app)
    assert app.session_state["run_id"] == started[0]


def test_quick_start_labels_in_spanish(folders) -> None:
    labels = [button.label for button in open_page(language="es").button]
    assert "Entrena una CNN con formas: 1 min" in labels
    assert f"Entrena una CNN con Fashion-MNIST: {QUICK_START_FASHION.minutes} min" in labels
    assert "La mejor red para Fashion-MNIST aquí: 10 min" in labels


def test_a_quick_start_counts_against_the_sessions_run_limit(folders, monkeypatch) -> None:
    _, started = folders
    monkeypatch.setenv("CNNVIZ_RUNS_PER_SESSION", "1")
    app = open_page()
    next(button for button in app.button if button.label.startswith("Train a CNN on shapes"))\
        .click().run()
    assert len(started) == 1
    app.switch_page("pages/home.py").run()
    next(button for button in app.button if button.label.startswith("Fashion-MNIST's best"))\
        .click().run()
    assert not app.exception
    assert len(started) == 1
    assert any("1 run(s) waiting or training" in warning.value and "on the Train page"
               in warning.value for warning in app.warning), [w.value for w in app.warning]


def test_a_quick_start_in_class_mode_takes_the_class_caps(folders, monkeypatch) -> None:
    _, started = folders
    monkeypatch.setenv("CNNVIZ_CLASS_MODE", "1")
    app = open_as(joined_student("Ana"))  # class mode: a student joins before any page
    next(button for button in app.button if button.label.startswith("Fashion-MNIST's best"))\
        .click().run()
    assert not app.exception
    config = runs.read_config(started[0])
    own_minutes = QUICK_START_FASHION_BEST.config.training.time_budget_minutes
    assert config.training.time_budget_minutes == classroom.class_limits().classifier_minutes
    assert config.training.time_budget_minutes < own_minutes
    assert config.name == "Fashion-MNIST: best in 10 minutes"


def test_the_best_fashion_button_says_what_it_reached(folders) -> None:
    app = open_page()
    best = next(button for button in app.button if button.label.startswith("Fashion-MNIST's best"))
    assert "93.56 to 93.77 % in four runs" in best.help


def test_the_home_table_names_every_run_and_keeps_few_columns(folders) -> None:
    make_run("finished")  # make_run names a run after its state ...
    runs.create_run(runs.RunConfig(SHAPES, QUICK_START_SHAPES.config.model,
                                   QUICK_START_SHAPES.config.training))  # ... this one: nothing
    header, rule, *rows = run_list(open_page(), "| Name |").splitlines()
    assert header == "| Name | Status | Dataset | Model | Test accuracy | Duration |"
    assert sorted(row.split(" | ")[0] for row in rows) == [
        "| 6 epochs, rate 0\\.003, batch 32", "| finished"]
    assert any(row.endswith(" | 87.5% | 1:00 |") for row in rows)  # the last column is there
    spanish = run_list(open_page(language="es"), "| Nombre |")
    assert "| 6 épocas, tasa 0\\.003, lote 32 |" in spanish


def run_list(app, header: str) -> str:
    """The home page's run table, a markdown table."""
    return next(element.value for element in app.markdown if element.value.startswith(header))


def test_a_run_name_cannot_format_the_table(folders) -> None:
    make_run("finished", name="[click](http://x) *bold* | cell")
    table = run_list(open_page(), "| Name |")
    assert "\\[click\\]\\(http://x\\) \\*bold\\* \\| cell" in table


def test_start_is_off_only_while_this_students_own_run_trains(folders) -> None:
    """A second click while one's own run trains would queue a copy of it; a classmate's
    training run, shown by a shared link, must not turn this student's Start off."""
    token = identity.new_token()
    app = open_as(token, "pages/train.py")
    own = make_run("running", owner=identity.owner_id(token))
    app.query_params["run"] = own
    app.session_state[RUN_KEY] = own
    app.run()
    start = next(button for button in app.button if button.label == "Start training")
    assert start.disabled and f"Your run {own} is waiting or training" in start.help
    runs.update_status(own, state="finished")
    app.session_state[RUN_KEY] = make_run("running", owner=identity.owner_id(identity.new_token()))
    app.run()
    assert not next(button for button in app.button if button.label == "Start training").disabled


def test_the_run_section_names_the_runs_dataset_not_the_sessions(folders) -> None:
    run_id = make_run("finished", dataset=DatasetSpec(source="digits"))
    shown = texts(open_run("pages/train.py", run_id))
    assert "Dataset: Digits" in shown.split(run_id, 1)[1]
    assert "The next run trains: Shapes" in shown


def values(array) -> np.ndarray:
    """A figure's array from its JSON: a list, or Plotly's base64 typed array."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
    return np.asarray(array)


def test_smoothing_and_log_scale_change_the_live_charts(folders) -> None:
    app = open_run("pages/train.py", make_run("finished", epochs_done=3))
    loss = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert loss["layout"]["yaxis"].get("type") != "log"
    assert [trace.get("showlegend") for trace in loss["data"]][0] is False  # raw, faint
    app.toggle(key="curve_log_scale").set_value(True).run()
    app.slider(key="curve_smoothing").set_value(0.0).run()
    assert not app.exception
    charts = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    assert all(chart["layout"]["yaxis"]["type"] == "log" for chart in charts)
    assert all(chart["data"][0].get("showlegend") is not False for chart in charts)
    # Both charts have the per-batch points (two an epoch here), over the whole run's epochs.
    assert [len(values(chart["data"][0]["x"])) for chart in charts] == [6, 6]
    assert all(chart["layout"]["xaxis"]["range"][1] > 3 for chart in charts)


def near_chance_run() -> str:
    """A finished run whose real (untrained) model guesses, with the worker's metrics."""
    run_id = make_trained_run(SHAPES)
    folder = runs.run_path(run_id)
    evaluation = np.load(folder / "evaluation.npz")
    metrics = classification_metrics(evaluation["y_true"], evaluation["y_prob"],
                                     [str(name) for name in evaluation["class_names"]])
    metrics.update(epochs_trained=3, evaluated_on="test")
    (folder / "metrics.json").write_text(json.dumps(metrics))
    return run_id


NOTICE = "This network has not learnt yet"


@pytest.mark.parametrize("page", ["pages/train.py", "pages/evaluation.py", "pages/inside.py"])
def test_a_run_at_chance_says_so_where_the_student_looks(folders, page) -> None:
    app = open_run(page, near_chance_run())
    warning = next(element.value for element in app.warning if NOTICE in element.value)
    assert "against 17% by guessing" in warning
    assert "more epochs (this run: 3)" in warning and "learning rate (this run: 0.001)" in warning


def test_a_run_that_learnt_gets_no_notice_and_spanish_says_it_too(folders) -> None:
    learnt = make_evaluated_run(SHAPES, accuracy=0.9)
    assert NOTICE not in texts(open_run("pages/evaluation.py", learnt))
    guessing = make_evaluated_run(SHAPES, accuracy=0.1)
    assert NOTICE in texts(open_run("pages/evaluation.py", guessing))
    assert "Esta red aún no ha aprendido" in texts(open_run("pages/evaluation.py", guessing,
                                                           language="es"))
