"""Every page through Streamlit's AppTest: no runs, running, finished and failed runs, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz import runs
from tests.helpers.imagefiles import make_class_folder
from tests.helpers.run_folders import make_run

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_page(page: str | None = None, language: str = "en") -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params["lang"] = language
    app.run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def texts(app: AppTest) -> str:
    parts = [element.value for kind in ("markdown", "caption", "info", "success", "warning",
                                        "error", "title", "subheader")
             for element in getattr(app, kind)]
    return "\n".join(str(part) for part in parts)


@pytest.mark.parametrize("page", [None, "pages/dataset.py", "pages/model.py", "pages/train.py",
                                  "pages/evaluation.py", "pages/compare.py"])
def test_every_page_opens_with_no_runs(folders, page) -> None:
    app = open_page(page)
    assert not app.error


def test_home_offers_the_starts_and_lists_runs(folders) -> None:
    app = open_page()
    assert "No run yet" in texts(app)
    labels = [button.label for button in app.button]
    assert "Train a CNN on shapes: 1 min" in labels
    make_run("finished", name="my first run")
    table = next(element.value for element in open_page().markdown
                 if element.value.startswith("| Name |"))
    assert "| my first run | finished |" in table


def test_home_button_prepares_fashion_mnist_and_opens_training(folders) -> None:
    app = open_page()
    next(button for button in app.button if "Fashion-MNIST" in button.label).click().run()
    assert not app.exception
    assert "Dataset: Fashion-MNIST. Model: Your own network." in texts(app)
    assert "The next run trains: Fashion-MNIST, Your own network." in texts(app)


def test_everything_in_spanish(folders) -> None:
    app = open_page(language="es")
    assert "Entrena una CNN con formas: 1 min" in [b.label for b in app.button]
    app = open_page("pages/train.py", language="es")
    assert "Empezar a entrenar" in [button.label for button in app.button]


def test_dataset_page_shows_the_shapes_dataset(folders) -> None:
    app = open_page("pages/dataset.py")
    assert "4800 images in 6 classes, 32x32x3" in texts(app)
    assert len(app.get("plotly_chart")) == 1
    assert len(app.get("image")) == 6 * 8


def test_dataset_page_explains_bad_folders(folders) -> None:
    data, _ = folders
    (data / "empty").mkdir()
    make_class_folder(data / "one", {"cats": 3})
    app = open_page("pages/dataset.py")
    app.selectbox[0].set_value("folder").run()
    assert "Type the folder" in texts(app)
    for path, message in (("empty", "No images were found"), ("one", "at least two classes"),
                          ("../../etc", "outside the folders"), ("missing", "not a folder")):
        app.text_input[0].set_value(path).run()
        assert not app.exception
        assert message in "\n".join(error.value for error in app.error), path


def spanish_error_script() -> None:
    import streamlit as st

    from cnnviz.errors import DatasetError
    from cnnviz.ui.i18n import shown_error

    st.session_state["language"] = "es"
    st.error(shown_error(DatasetError("error.folder.not_folder", root="gatos")))
    st.warning(shown_error(OSError("disk full")))


def test_a_core_error_reaches_a_spanish_page_in_spanish() -> None:
    """Pages show errors through shown_error (AppTest cannot drive a Spanish page's widgets:
    it formats their values in English)."""
    app = AppTest.from_function(spanish_error_script).run()
    assert [app.error[0].value, app.warning[0].value] == ["gatos no es una carpeta", "disk full"]
    ui_files = [Path(APP), *Path(APP).parent.joinpath("pages").glob("*.py"),
                *Path(APP).parent.joinpath("cnnviz", "ui").glob("*.py")]
    assert [path.name for path in ui_files if "str(error)" in path.read_text()
            and path.name != "i18n.py"] == []


def test_dataset_page_reads_a_real_folder(folders) -> None:
    data, _ = folders
    make_class_folder(data / "pets", {"cats": 6, "dogs": 6})
    (data / "pets" / "dogs" / "notes.txt").write_text("x")
    app = open_page("pages/dataset.py")
    app.selectbox[0].set_value("folder").run()
    app.text_input[0].set_value("pets").run()
    assert "12 images in 2 classes, 32x32x3" in texts(app)
    assert "Skipped files (1)" in texts(app)


def test_model_page_shows_layers_and_explains_bad_designs(folders) -> None:
    app = open_page("pages/model.py")
    assert [metric.label for metric in app.metric][:1] == ["Parameters"]
    # The default network is the shapes quick start's, from the builder: its blocks come first,
    # the layer table after.
    table = app.dataframe[-1].value
    assert "conv1" in table.to_string() and "predictions" in table.to_string()
    app.selectbox[0].set_value("art_cnn").run()
    assert not app.exception and "needs images of at least" in app.error[0].value


def test_train_page_starts_a_run(folders) -> None:
    _, started = folders
    app = open_page("pages/train.py")
    next(button for button in app.button if button.label == "Start training").click().run()
    assert not app.exception and len(started) == 1
    assert runs.read_status(started[0])["state"] == "queued" or started


def test_train_page_with_a_running_run_can_stop_it(folders) -> None:
    run_id = make_run("running")
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params["run"] = run_id
    app.run()
    app.switch_page("pages/train.py").run()
    assert not app.exception
    assert "Epoch 2 of 3, batch 10 of 10" in str(app.get("progress")[0].proto)
    assert len(app.get("plotly_chart")) == 2
    next(button for button in app.button if button.key == "stop_run").click().run()
    assert runs.read_status(run_id)["state"] == "stopping"


def test_train_page_lists_runs_in_a_table_that_wraps_every_column(folders) -> None:
    """The data grid cut its last columns off a narrow page; a markdown table wraps instead."""
    make_run("finished", name="my first run")
    app = open_page("pages/train.py")
    table = next(element.value for element in app.markdown if element.value.startswith("| Run |"))
    header = table.splitlines()[0]
    assert header == ("| Run | Name | Student | Status | Epochs | Dataset | Model "
                      "| Best val. accuracy | Test accuracy | Duration |")
    assert "| my first run |  | finished |  |" in table  # no test metrics: no epochs yet
    assert not app.dataframe


def test_a_run_whose_worker_died_says_so_in_the_session_language(folders) -> None:
    from tests.helpers.run_folders import stop_sleepers

    run_id = make_run("running")
    stop_sleepers()  # its worker dies: the next read of its status marks it interrupted
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params.update(run=run_id, lang="es")
    app.run()
    app.switch_page("pages/train.py").run()
    assert not app.exception
    assert [warning.value for warning in app.warning] == [
        "El proceso de entrenamiento terminó de forma inesperada."]
    assert runs.read_status(run_id)["error"] == "The training process ended unexpectedly."


def test_train_page_with_finished_and_failed_runs(folders) -> None:
    finished, failed = make_run("finished"), make_run("failed")
    for run_id, expected in ((finished, "Test accuracy: 87.5%"), (failed, "diverged at epoch 2")):
        app = AppTest.from_file(APP, default_timeout=120)
        app.query_params["run"] = run_id
        app.run()
        app.switch_page("pages/train.py").run()
        assert not app.exception
        assert expected in texts(app)
    assert "Traceback" in str(app.get("code")[0].value)


def test_a_failed_runs_reason_is_shown_in_the_session_language(folders) -> None:
    from cnnviz.errors import TrainingDiverged
    from cnnviz.i18n import languages
    from cnnviz.training.worker import describe_failure

    run_id = make_run("failed")
    reason, _ = describe_failure(TrainingDiverged(2, 7, "loss"))
    runs.update_status(run_id, error=str(reason),
                       error_messages={code: reason.message(code) for code in languages()})
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params.update(run=run_id, lang="es")
    app.run()
    app.switch_page("pages/train.py").run()
    assert not app.exception
    assert [error.value for error in app.error] == [reason.message("es")]
    assert "El entrenamiento divergió en la época 2, lote 7" in texts(app)


def test_train_page_names_the_device_in_the_session_language(folders) -> None:
    run_id = make_run("finished")
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params.update(run=run_id, lang="es")
    app.run()
    app.switch_page("pages/train.py").run()
    assert not app.exception
    status_line = next(text for text in texts(app).splitlines() if text.startswith(f"**{run_id}"))
    assert status_line.endswith("— Solo CPU") and "CPU only" not in texts(app)


def test_train_page_says_how_long_a_run_will_take_here(folders) -> None:
    app = open_page("pages/train.py")
    next(button for button in app.button if button.label.startswith("How long")).click().run()
    assert not app.exception
    assert app.info[0].value.startswith("About ") and "on this machine" in app.info[0].value


def test_train_page_sets_a_time_limit_and_starts_the_run_with_it(folders) -> None:
    _, started = folders
    app = open_page("pages/train.py")

    def limit():
        return next(box for box in app.number_input if box.label == "Time limit (minutes)")

    assert limit().value == 0
    limit().set_value(5.0).run()
    assert app.session_state["train_config"].time_budget_minutes == 5.0
    limit().set_value(0.0).run()
    assert app.session_state["train_config"].time_budget_minutes is None
    limit().set_value(9.0).run()
    assert not app.exception
    next(button for button in app.button if button.label == "Start training").click().run()
    assert runs.read_config(started[0]).training.time_budget_minutes == 9.0


def test_a_run_with_a_time_limit_shows_its_epochs_as_a_ceiling_and_why_it_stopped(folders):
    import time

    from cnnviz.training.config import TrainConfig

    budgeted = TrainConfig(epochs=40, schedule="cosine", time_budget_minutes=9.0)
    running = make_run("running", training=budgeted)
    runs.update_status(running, time_budget_seconds=540.0, budget_ends=time.time() + 60)
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params.update(run=running, lang="es")
    app.run()
    app.switch_page("pages/train.py").run()
    assert not app.exception
    bar = str(app.get("progress")[0].proto)
    assert "Época 2 (como mucho 40), lote 10 de 10" in bar and "quedan" in bar

    finished = make_run("finished", training=budgeted)
    metrics = runs.read_final_metrics(finished)
    runs.run_folder(finished).final_metrics.write_text(json.dumps(
        {**metrics, "stopped_by_time_budget": True, "epochs_trained": 2}))
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params["run"] = finished
    app.run()
    app.switch_page("pages/train.py").run()
    assert "Training stopped when its 9 minutes were up, after 2 epochs." in texts(app)


def test_the_ten_minute_preset_offers_its_own_dataset_and_network(folders) -> None:
    from cnnviz.presets import FASHION_MNIST_BEST, TRAINING_PRESETS

    _, started = folders
    app = open_page("pages/train.py")
    offer = "Use its dataset and network too"
    assert offer not in [button.label for button in app.button]
    next(box for box in app.selectbox if box.label == "Preset").set_value("fashion_best").run()
    assert "reached 93.7 % on average with their own dataset and network" in texts(app)
    assert app.session_state["train_config"] == TRAINING_PRESETS["fashion_best"]
    next(button for button in app.button if button.label == offer).click().run()
    assert not app.exception
    assert (app.session_state["dataset_spec"], app.session_state["model_spec"]) == (
        FASHION_MNIST_BEST.dataset, FASHION_MNIST_BEST.model)
    assert offer not in [button.label for button in app.button]
    assert "The next run trains: Fashion-MNIST" in texts(app)
    next(button for button in app.button if button.label == "Start training").click().run()
    config = runs.read_config(started[0])
    assert (config.dataset, config.model) == (FASHION_MNIST_BEST.dataset, FASHION_MNIST_BEST.model)
    assert config.training.time_budget_minutes == 9.5

