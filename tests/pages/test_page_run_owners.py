"""Whose run it is, through AppTest, in English and Spanish: two students and the teacher on a
class server. Buttons on a classmate's run are off with the owner's name, the core refuses the
click anyway, a delete asks first and goes to the trash the teacher restores, a stopped run says
so, a new student's current run is none of a classmate's, and a student's GAN, study and report
starts obey the class rules."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz import classroom, identity, runs
from cnnviz.runs import RunState, trash
from cnnviz.ui.identity import STUDENT_KEY
from cnnviz.ui.state import RUN_PICKER_KEY
from tests.helpers.identity import (class_mode_pages, every_run_through_the_shell,
                                    joined_student, open_as)
from tests.helpers.run_folders import make_run
from tests.pages.test_pages import APP, texts

NOT_YOURS = {"en": "This is Ana's run: only they and the teacher can stop, resume or delete it.",
             "es": "Es la ejecución de Ana: solo esa persona y el docente pueden detenerla"}


@pytest.fixture
def class_server(class_mode_pages):
    """Class mode with a teacher password; Ana and Luis have joined, Ana has a finished run."""
    ana, luis = joined_student("Ana"), joined_student("Luis")
    anas_run = make_run("finished", owner=identity.owner_id(ana), owner_name="Ana")
    return ana, luis, anas_run, class_mode_pages[1]


def open_on(token: str, page: str, run_id: str, language: str = "en") -> AppTest:
    """``page`` opened by the browser holding ``token`` on a link to ``run_id``."""
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params.update({"lang": language, "run": run_id})
    app.session_state[STUDENT_KEY] = token
    app.run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def button(app: AppTest, key: str):
    return next(widget for widget in app.button if widget.key == key)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_classmates_run_cannot_be_stopped_resumed_or_deleted(class_server, language) -> None:
    _, luis, anas_run, _ = class_server
    app = open_on(luis, "pages/train.py", anas_run, language)
    assert NOT_YOURS[language] in texts(app)
    resume = next(widget for widget in app.button if widget.label in ("Resume", "Reanudar"))
    assert resume.disabled and NOT_YOURS[language].split(":")[0] in resume.help


def test_the_core_refuses_a_classmates_delete_pressed_anyway(class_server) -> None:
    """The delete popover is off in a browser; its confirmation, pressed anyway, is refused by
    the core: the run stays."""
    _, luis, anas_run, _ = class_server
    app = open_on(luis, "pages/train.py", anas_run)
    button(app, "list_delete").click().run()
    assert anas_run in {run["run_id"] for run in runs.list_runs()}
    assert ("Ana" in app.error[0].value) and trash.trashed_runs() == []


@pytest.mark.parametrize("language, trashed, restored", [
    ("en", "Trash (1)", "Restore"), ("es", "Papelera (1)", "Recuperar")])
def test_a_delete_goes_to_the_trash_and_the_teacher_restores_it(class_server, language,
                                                                trashed, restored) -> None:
    ana, _, anas_run, _ = class_server
    app = open_on(ana, "pages/train.py", anas_run)
    assert NOT_YOURS["en"] not in texts(app)
    button(app, "list_delete").click().run()
    assert anas_run not in {run["run_id"] for run in runs.list_runs()}
    board = open_as(page="pages/class_board.py", language=language, teacher=True)
    assert any(expander.label == trashed for expander in board.expander)
    restore = next(widget for widget in board.button if widget.label == restored)
    assert not restore.disabled
    if language == "en":  # AppTest reruns a Spanish page with English select-box values
        restore.click().run()
        assert not board.exception and anas_run in {run["run_id"] for run in runs.list_runs()}


def test_the_board_counts_every_state_and_names_the_students(class_server) -> None:
    _, _, anas_run, _ = class_server
    runs.update_status(anas_run, state=RunState.STOPPED)
    board = open_as(page="pages/class_board.py", teacher=True)
    counts = {metric.label: metric.value for metric in board.metric}
    assert counts == {"queued": "0", "running": "0", "stopping": "0", "finished": "0",
                      "stopped": "1", "failed": "0", "interrupted": "0"}
    assert "Ana" in list(board.dataframe[0].value.iloc[:, 1])


@pytest.mark.parametrize("language, stopped", [
    ("en", "Stopped on request after epoch 2 of 3"),
    ("es", "Detenida a petición tras la época 2 de 3")])
def test_a_stopped_run_says_so_with_its_epochs(class_server, language, stopped) -> None:
    ana, _, anas_run, _ = class_server
    runs.update_status(anas_run, state=RunState.STOPPED)
    metrics = runs.run_folder(anas_run).final_metrics
    metrics.write_text('{"accuracy": 0.8, "epochs_trained": 2, "stopped_by_user": true}')
    app = open_on(ana, "pages/train.py", anas_run, language)
    assert stopped in texts(app)
    resume = next(widget for widget in app.button if widget.label in ("Resume", "Reanudar"))
    assert not resume.disabled


def test_a_new_students_current_run_is_never_a_classmates(class_server) -> None:
    newcomer = joined_student("Eva")
    app = open_as(newcomer, "pages/train.py")
    assert app.selectbox(key=RUN_PICKER_KEY).value is None  # the sidebar's: "Pick a run"
    start = next(widget for widget in app.button if widget.label == "Start training")
    assert not start.disabled


@pytest.mark.parametrize("language, refused", [
    ("en", "this plan of 2 runs is for the teacher to start"),
    ("es", "este plan de 2 ejecuciones lo inicia el docente")])
def test_a_students_study_is_the_teachers_in_class_mode(class_server, language, refused) -> None:
    _, luis, _, started = class_server
    app = open_as(luis, "pages/compare.py", language)
    next(widget for widget in app.button if widget.label.startswith(("Queue", "Poner"))) \
        .click().run()
    assert refused in texts(app) and started == []


def test_a_students_gan_is_capped_owned_and_counted(class_server) -> None:
    _, luis, _, started = class_server
    app = open_as(luis, "pages/gan.py")
    next(widget for widget in app.button if widget.label == "Train the GAN").click().run()
    assert not app.exception and len(started) == 1
    config = runs.read_config(started[0])
    assert config.kind == "gan"
    assert config == classroom.capped_run(config, classroom.class_limits())[0]
    assert runs.read_owner(started[0]) == (identity.owner_id(luis), "Luis")
    train = open_as(luis, "pages/train.py")
    assert next(widget for widget in train.button if widget.label == "Start training").disabled


@pytest.mark.parametrize("language, empty_in", [
    ("en", "The queue should be empty in about"), ("es", "La cola debería quedar vacía en unos")])
def test_the_board_says_when_the_queue_will_be_empty(class_server, language, empty_in) -> None:
    make_run("running", owner=identity.owner_id(joined_student("Eva")), owner_name="Eva")
    make_run("queued", epochs_done=0, owner=identity.owner_id(joined_student("Max")))
    board = open_as(page="pages/class_board.py", language=language, teacher=True)
    assert empty_in in texts(board)
    for run in runs.list_runs():
        runs.update_status(run["run_id"], state=RunState.FINISHED)
    board = open_as(page="pages/class_board.py", language=language, teacher=True)
    assert empty_in not in texts(board)
