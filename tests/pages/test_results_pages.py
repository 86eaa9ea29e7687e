"""The results pages through AppTest: no run, running and failed runs, a finished run, a run
with 250 classes and a binary run."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.datasets.spec import DatasetSpec
from tests.helpers.imagefiles import make_class_folder
from tests.helpers.run_folders import make_evaluated_run, make_run
from tests.pages.test_pages import texts

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SHAPES = DatasetSpec(source="shapes", shapes_per_class=30, image_size=(16, 16))


def open_run(page: str, run_id: str | None, language: str = "en") -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params["lang"] = language
    if run_id:
        app.query_params["run"] = run_id
    app.run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def open_tab(app: AppTest, label: str) -> AppTest:
    """The Evaluation page runs only its open tab; choose another like a click would."""
    app.session_state["evaluation_tab"] = label
    app.run()
    assert not app.exception, app.exception
    return app


def images_shown(app: AppTest) -> int:
    return len(app.get("image"))


@pytest.mark.parametrize("state", [None, "running", "failed", "finished"])
def test_evaluation_page_without_results_explains_why(folders, state) -> None:
    run_id = make_run(state) if state else None
    app = open_run("pages/evaluation.py", run_id)
    assert "Nothing to evaluate yet" in texts(app)
    assert not app.error


def test_evaluation_page_of_a_finished_run(folders) -> None:
    run_id = make_evaluated_run(SHAPES, accuracy=0.7)
    app = open_run("pages/evaluation.py", run_id)
    assert not app.error
    assert len(app.get("plotly_chart")) == 1  # only the open tab runs
    # The cell shown first is the most confused pair: the wrong answers go to the next class.
    true_box, predicted_box = (box for box in app.selectbox if box.key in ("cell_true",
                                                                          "cell_predicted"))
    assert (true_box.value + 1) % 6 == predicted_box.value
    shown = images_shown(app)
    assert shown > 0
    true_box.set_value(2).run()
    predicted_box = next(box for box in app.selectbox if box.key == "cell_predicted")
    predicted_box.set_value(2).run()
    assert not app.exception
    assert "**triangle** predicted as **triangle**: **" in texts(app)
    open_tab(app, "Metrics")
    assert app.get("download_button")
    metric_labels = [metric.label for metric in app.metric]
    assert "Accuracy" in metric_labels and "Top-3 accuracy" in metric_labels
    assert len(app.get("plotly_chart")) == 1  # the ROC curves
    open_tab(app, "Per class")
    assert "3 best classes" in texts(app) and "3 worst classes" in texts(app)  # 6 shapes
    assert len(app.dataframe[0].value) == 3
    # The shapes are balanced: accuracy against the amount of data would be a column of dots.
    assert len(app.get("plotly_chart")) == 1 and "about as many training images" in texts(app)
    open_tab(app, "Training history")
    assert len(app.get("plotly_chart")) == 2  # loss and accuracy
    open_tab(app, "Examples")
    app.radio[0].set_value("typical_correct").run()
    assert not app.exception and images_shown(app) > 0


def test_evaluation_page_in_spanish(folders) -> None:
    run_id = make_evaluated_run(SHAPES)
    app = open_run("pages/evaluation.py", run_id, language="es")
    assert "Parejas más confundidas" in texts(app)


def test_evaluation_page_with_250_classes(folders) -> None:
    make_class_folder(folders[0] / "sketches", {f"class {index:03d}": 3 for index in range(250)},
                      size=(8, 8))
    spec = DatasetSpec(source="folder", path="sketches", image_size=(8, 8),
                       validation_fraction=0.0, test_fraction=0.34)
    run_id = make_evaluated_run(spec, accuracy=0.6)
    app = open_run("pages/evaluation.py", run_id)
    assert not app.error
    order = next(radio for radio in app.radio if radio.label == "Class order")
    assert order.value == "confusion"
    open_tab(app, "Per class")
    assert "10 worst classes" in texts(app)
    best = app.dataframe[0].value
    assert len(best) == 10


def test_evaluation_page_of_a_binary_run(folders) -> None:
    make_class_folder(folders[0] / "faces", {"not smiling": 12, "smiling": 12}, size=(8, 8))
    spec = DatasetSpec(source="folder", path="faces", image_size=(8, 8))
    run_id = make_evaluated_run(spec)
    app = open_tab(open_run("pages/evaluation.py", run_id), "Metrics")
    assert "Attribute “smiling” (report E's table)" in texts(app)


def test_compare_page_needs_two_runs_then_overlays_them(folders) -> None:
    app = open_run("pages/compare.py", None)
    assert "Choose at least two runs" in texts(app)
    first = make_evaluated_run(SHAPES, name="simple", accuracy=0.6)
    app = open_run("pages/compare.py", first)
    assert "Choose at least two runs" in texts(app)
    second = make_evaluated_run(DatasetSpec(source="shapes", shapes_per_class=30,
                                            image_size=(24, 24)), name="resnet", accuracy=0.9)
    app = open_run("pages/compare.py", first)
    assert not app.error
    assert app.multiselect(key="compare_runs_").value == [first, second]
    figure = app.get("plotly_chart")[0].proto.spec
    assert "simple" in figure and "resnet" in figure
    shown = app.dataframe[0].value  # settings named in words, not by their keys
    assert "Image size" in shown.index and "Epochs" not in shown.index
    assert not any("." in label for label in shown.index)
    app.toggle[0].set_value(False).run()
    shown = app.dataframe[0].value
    assert "Epochs" in shown.index and "Batch size" in shown.index
    assert set(shown.loc["Data source"]) == {"Shapes (generated, offline)"}
    assert set(shown.loc["Early stopping"]) == {"no"}
    app = open_run("pages/compare.py", first, language="es")
    assert "Configuración y resultados" in texts(app)
    assert "Tamaño de imagen" in app.dataframe[0].value.index


def test_every_setting_a_run_can_have_is_named_in_words() -> None:
    from cnnviz.analysis.comparison import RESULT_ROWS, flatten
    from cnnviz.i18n import has_message
    from cnnviz.models.spec import ModelSpec
    from cnnviz.specs import spec_to_dict
    from cnnviz.training.config import TrainConfig

    keys = list(flatten({"dataset": spec_to_dict(DatasetSpec()), "model": spec_to_dict(ModelSpec()),
                         "training": spec_to_dict(TrainConfig())}))
    keys += [f"result.{key}" for key in RESULT_ROWS]
    assert [key for key in keys if not has_message(f"setting.{key}")] == []


def test_embedding_page(folders) -> None:
    app = open_run("pages/embedding.py", None)
    assert "Nothing to evaluate yet" in texts(app)
    run_id = make_evaluated_run(SHAPES, accuracy=0.7)
    app = open_run("pages/embedding.py", run_id)
    assert not app.error
    assert len(app.get("plotly_chart")) == 1
    assert "Draw a lasso" in texts(app)
    app.toggle[0].set_value(True).run()
    assert not app.exception and len(app.get("plotly_chart")) == 2
    assert "**Before learning**: raw pixels" in texts(app)
    app.radio[0].set_value("correct").run()
    assert not app.exception
    app = open_run("pages/embedding.py", run_id, language="es")
    assert "Lo que aprendió la red (t-SNE)" in texts(app)


def test_embedding_page_with_images_on_hover(folders) -> None:
    run_id = make_evaluated_run(SHAPES, accuracy=0.7)
    app = open_run("pages/embedding.py", run_id)
    app.toggle[1].set_value(True).run()
    assert not app.exception and not app.error
    assert not app.get("plotly_chart")  # the hover map replaces the selectable chart
    frames = app.get("iframe")
    assert len(frames) == 1
    html = frames[0].proto.srcdoc
    assert "/app/static/plotly.min.js" in html and "plotly_hover" in html
    assert "data:image/png;base64," in html
    assert "Switch off “Images on hover”" in texts(app)


def test_training_history_shows_auc_when_the_run_logged_it(folders) -> None:
    import json

    from cnnviz import runs

    run_id = make_evaluated_run(SHAPES, accuracy=0.7)
    metrics_file = runs.run_folder(run_id).metrics_log
    rows = [json.loads(line) for line in metrics_file.read_text().splitlines()]
    for row in rows:
        if row["type"] == "epoch":
            row.update(auc=0.8 + 0.05 * row["epoch"], val_auc=0.75 + 0.05 * row["epoch"])
    metrics_file.write_text("".join(json.dumps(row) + "\n" for row in rows))
    app = open_tab(open_run("pages/evaluation.py", run_id), "Training history")
    charts = app.get("plotly_chart")
    assert len(charts) == 3  # loss, accuracy and ROC AUC
    assert "ROC AUC" in charts[2].proto.spec
