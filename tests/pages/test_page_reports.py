"""The page of report presets through AppTest: stand-ins and the user's copies, durations
measured before starting, the runs queued exactly as the presets say, and the report's
figures beside a finished run's."""

from __future__ import annotations

import json
import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from cnnviz import runs
from cnnviz.reports.experiments import EXPERIMENTS
from cnnviz.reports.plan import experiment_configs
from tests.helpers.imagefiles import make_class_folder
from tests.pages.test_pages import APP, open_page, texts

PAGE = "pages/reports.py"


def reports_page(report: str):
    app = open_page(PAGE)
    app.radio(key="report").set_value(report).run()
    assert not app.exception, app.exception
    return app


def data_choice(app, choice: str):
    radio = next(radio for radio in app.radio if radio.key and radio.key.startswith("data_"))
    radio.set_value(choice).run()
    assert not app.exception, app.exception
    return app


def start_button(app):
    return next(button for button in app.button if button.label.startswith(("Start the",
                                                                            "Iniciar las")))


def queued_configs(prefix: str) -> list[dict]:
    """The runs named ``prefix...`` in the order they were created (and will start)."""
    listed = sorted(runs.list_runs(), key=lambda run: run["created"])
    return [runs.read_config(run["run_id"]) for run in listed if run["name"].startswith(prefix)]


def finish(run_id: str, accuracy: float, parameters: int) -> None:
    """What the worker leaves in a finished run's folder: epoch lines, metrics, status."""
    folder = runs.run_path(run_id)
    lines = [{"type": "epoch", "phase": 1, "epoch": epoch, "loss": 1.0 / epoch,
              "accuracy": accuracy - 0.1 / epoch, "val_loss": 1.2 / epoch,
              "val_accuracy": accuracy - 0.12 / epoch, "time": float(epoch)}
             for epoch in (1, 2, 3)]
    (folder / "metrics.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    (folder / "metrics.json").write_text(json.dumps({"accuracy": accuracy, "seconds": 75.0}))
    runs.update_status(run_id, state="finished", parameters=parameters)


def test_a_newcomer_starts_on_the_stand_in(folders) -> None:
    app = reports_page("A")
    radio = next(radio for radio in app.radio if radio.key == "data_A")
    assert radio.value == "stand_in" and radio.options[0] == radio.format_func("stand_in")
    assert start_button(app) is not None


def test_report_d_starts_its_five_runs_on_the_stand_in_and_sets_the_report_beside_ours(
        folders) -> None:
    _, started = folders
    app = data_choice(reports_page("D"), "stand_in")
    assert "scikit-learn's handwritten digits" in texts(app)
    plan = app.dataframe[0].value
    assert len(plan) == 5 and plan["Expected here"].str.contains("min| s").all()
    assert "Expected on this machine: about" in texts(app)
    start_button(app).click().run()
    assert not app.exception
    queued = queued_configs("Report D: ")
    expected = experiment_configs(EXPERIMENTS["D"], None)
    assert [(config.name, config.model, config.training, config.dataset) for config in queued] \
        == [(config.name, config.model, config.training, config.dataset) for config in expected]
    assert started  # the queue started the first

    first = next(run["run_id"] for run in runs.list_runs()
                 if run["name"] == expected[0].name)
    runs.update_status(first, state="running", epochs_total=5, steps_per_epoch=10)
    runs.run_folder(first).metrics_log.write_text(json.dumps(
        {"type": "batch", "phase": 1, "epoch": 2, "batch": 5, "batches": 10, "time": 1.0}) + "\n")
    app.run()
    assert app.get("progress")[0].proto.text == "Epoch 2 of 5"
    finish(first, 0.851, 1_052_746)
    app.run()
    shown = texts(app)
    assert "Test accuracy: report ~83.0 % — this run 85.1 %" in shown
    assert len(app.get("plotly_chart")) == 1  # the finished run's curves


def test_report_d_on_the_real_fashion_mnist_here(folders) -> None:
    app = reports_page("D")
    assert "Fashion-MNIST is on this machine." in texts(app)
    start_button(app).click().run()
    assert [config.dataset.source for config in queued_configs("Report D: ")] == \
        ["fashion_mnist"] * 5


def test_report_a_reads_a_copy_of_art_images_and_merges_drawings_with_engravings(
        folders) -> None:
    data_dir, _ = folders
    make_class_folder(data_dir / "art", {"drawings": 3, "engraving": 3, "iconography": 5,
                                         "painting": 5, "sculpture": 5})
    app = data_choice(reports_page("A"), "report")
    assert "Give your copy of Art Images" in texts(app)
    app.text_input(key="path_A").set_value("art").run()
    assert not app.exception and not app.error
    assert "Merged as in the report: drawings + engraving." in texts(app)
    start_button(app).click().run()
    queued = queued_configs("Report A: ")
    assert len(queued) == 3
    assert all(config.dataset.merge == (("drawings and engravings", ("drawings", "engraving")),)
               and config.dataset.image_size == (64, 64) for config in queued)


def test_a_path_outside_the_data_folders_is_a_message_not_a_traceback(folders) -> None:
    app = data_choice(reports_page("A"), "report")
    app.text_input(key="path_A").set_value("/etc").run()
    assert not app.exception
    assert "outside the folders this app may read" in app.error[0].value


@pytest.mark.slow  # times report E's DCGAN (about 15 s)
def test_report_e_asks_which_of_its_attributes(folders) -> None:
    data_dir, _ = folders
    root = data_dir / "celeba"
    (root / "img_align_celeba").mkdir(parents=True)
    rng = np.random.default_rng(0)
    lines = ["40", "Eyeglasses Male Smiling"]
    for row in range(40):
        name = f"{row + 1:06d}.jpg"
        Image.fromarray(rng.integers(0, 256, (24, 20, 3), dtype=np.uint8)).save(
            root / "img_align_celeba" / name)
        lines.append(f"{name} {1 if row % 4 == 0 else -1:2d} {1 if row % 2 else -1:2d} "
                     f"{1 if row % 3 == 0 else -1:2d}")
    (root / "list_attr_celeba.txt").write_text("\n".join(lines) + "\n")
    app = data_choice(reports_page("E"), "report")
    app.text_input(key="path_E").set_value("celeba").run()
    assert not app.exception and not app.error
    app.selectbox[0].set_value("Male").run()
    start_button(app).click().run()
    classifier, gan = queued_configs("Report E: ")
    assert classifier.name == "Report E: attribute classifier (Male)"
    assert (classifier.dataset.attribute, classifier.dataset.image_size) == ("Male", (218, 178))
    assert (gan.kind, gan.dataset.image_size) == ("gan", (64, 64))


def test_report_e_without_the_reports_attributes_says_so(folders) -> None:
    data_dir, _ = folders
    root = data_dir / "faces"
    (root / "img_align_celeba").mkdir(parents=True)
    (root / "list_attr_celeba.txt").write_text("1\nBald\n000001.jpg  1\n")
    app = data_choice(reports_page("E"), "report")
    app.text_input(key="path_E").set_value("faces").run()
    assert not app.exception
    assert "none of the report's attributes (Male, Eyeglasses, Smiling)" in app.error[0].value


def test_report_c_needs_its_file_list(folders) -> None:
    app = data_choice(reports_page("C"), "report")
    assert "train.txt" in texts(app)
    assert not any(button.label.startswith("Start the") for button in app.button)
    app.text_input(key="path_C").set_value("missing").run()
    assert not app.exception and app.error


def test_the_page_in_spanish(folders) -> None:
    # Set before the page first runs: AppTest formats a radio's options with the page's
    # format function outside the page, in English, so a Spanish radio cannot be re-sent.
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params["lang"] = "es"
    app.session_state["report"] = "D"
    app.run()
    app.switch_page(PAGE).run()
    shown = texts(app)
    assert "Fashion-MNIST está en esta máquina." in shown and "Previsto en esta máquina" in shown
    assert "Duración prevista aquí" in app.dataframe[0].value.columns


@pytest.mark.slow
@pytest.mark.parametrize("report", ["B", "C", "E"])
def test_the_large_networks_are_timed_before_starting(folders, report: str) -> None:
    app = data_choice(reports_page(report), "stand_in")
    assert not app.error
    plan = app.dataframe[0].value
    assert len(plan) == len(EXPERIMENTS[report].runs)
    assert "Expected on this machine: about" in texts(app)
