"""The Export page through AppTest: nothing to export, a finished run's downloads, a format a
converter refused, a conversion in a child process, and run archives imported, good and bad,
in both languages."""

from __future__ import annotations

import io
import zipfile

import pytest

from cnnviz import run_actions, runs
from cnnviz.run_actions import COMMAND_LINE
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.exports.prepared import FAILURE_SUFFIX, exports_folder, prepare
from tests.helpers.run_folders import make_run, make_trained_run
from tests.pages.test_pages import texts
from tests.pages.test_results_pages import open_run

SHAPES = DatasetSpec(source="shapes", shapes_per_class=10, image_size=(16, 16))
PAGE = "pages/export.py"


def downloads(app) -> dict[str, object]:
    return {button.proto.label: button for button in app.get("download_button")}


def buttons(app) -> list[str]:
    return [button.key for button in app.button]


def import_zip(app, data: bytes):
    app.file_uploader(key="import_upload").set_value(("run.zip", data, "application/zip"))
    app.run()
    app.button(key="import_button").click().run()
    assert not app.exception, app.exception
    return app


def test_without_a_run_the_page_explains_and_still_imports(folders) -> None:
    app = open_run(PAGE, None)
    assert "No run is open" in texts(app)
    assert app.file_uploader(key="import_upload") is not None


def test_a_running_run_is_not_offered(folders) -> None:
    app = open_run(PAGE, make_run("running"))
    assert "cannot be exported yet" in texts(app) and not app.get("download_button")


def test_a_finished_run_offers_every_export(folders) -> None:
    run_id = make_trained_run(SHAPES)
    (exports_folder(run_id)).mkdir(parents=True)
    refusal = "The onnx converter cannot convert this model: an operation it does not know"
    (exports_folder(run_id) / f"onnx{FAILURE_SUFFIX}").write_text(refusal)
    app = open_run(PAGE, run_id)
    assert not app.error
    assert len(app.get("download_button")) == 2  # the archive and the .keras file at once
    assert buttons(app)[:3] == ["prepare_tensorboard", "prepare_savedmodel", "prepare_tflite"]
    assert "Not available for this model: " + refusal in texts(app)
    archive = zipfile.ZipFile(exports_folder(run_id) / f"{run_id}-run.zip")
    assert "model.keras" in archive.namelist()


@pytest.mark.slow
def test_prepare_converts_in_a_child_process_and_offers_the_download(folders) -> None:
    run_id = make_trained_run(SHAPES)
    app = open_run(PAGE, run_id)
    app.button(key="prepare_tflite").click().run()
    assert not app.exception and not app.error
    assert "prepare_tflite" not in buttons(app) and len(app.get("download_button")) == 3
    assert prepare(run_id, "tflite").read_bytes()[4:8] == b"TFL3"


def test_an_archive_imports_and_opens(folders) -> None:
    run_id = make_trained_run(SHAPES)
    data = prepare(run_id, "archive").read_bytes()
    run_actions.delete_run(COMMAND_LINE, run_id)
    app = import_zip(open_run(PAGE, None), data)
    assert f"Run {run_id} imported" in texts(app) and not app.error
    assert runs.read_status(run_id)["state"] == "finished"
    import_zip(app, data)
    assert "This run is already here" in app.error[0].value


@pytest.mark.parametrize("language, expected", [
    ("en", "This ZIP is refused because it is unsafe"),
    ("es", "Este ZIP se rechaza por ser peligroso"),
])
def test_an_unsafe_archive_gets_a_translated_message(folders, language, expected) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("../../config.json", "{}")
    app = import_zip(open_run(PAGE, None, language), buffer.getvalue())
    assert app.error[0].value.startswith(expected)
    assert [path.name for path in runs.runs_root().iterdir()] in ([], [".queue.lock"])


def test_a_zip_that_is_not_a_run_is_explained_in_spanish(folders) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("cats/1.png", b"png")
    app = import_zip(open_run(PAGE, None, "es"), buffer.getvalue())
    assert app.error[0].value.startswith("Este ZIP no es una ejecución terminada de cnnviz")


@pytest.mark.slow
def test_a_tensorboard_log_without_the_runs_images_says_what_it_left_out(folders) -> None:
    import shutil

    from tests.helpers.imagefiles import make_class_folder

    make_class_folder(folders[0] / "pets", {"cat": 12, "dog": 12}, size=(16, 16))
    run_id = make_trained_run(DatasetSpec(source="folder", path="pets", image_size=(16, 16)))
    shutil.rmtree(folders[0] / "pets")  # as on a machine the run was imported to
    app = open_run(PAGE, run_id)
    app.button(key="prepare_tensorboard").click().run()
    assert not app.exception and not app.error
    assert "Left out: The embedding has no pictures" in texts(app)
    log = zipfile.ZipFile(exports_folder(run_id) / f"{run_id}-tensorboard.zip").namelist()
    assert f"{run_id}/train/projector_config.pbtxt" in log
    assert f"{run_id}/train/embedding_sprite.png" not in log
