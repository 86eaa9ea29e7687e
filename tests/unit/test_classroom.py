"""The fair queue for a class: per-session limit, class-mode caps, queue places, the teacher's
switch and the class board (core functions, then the pages through AppTest)."""

from __future__ import annotations

import json
import time

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cnnviz import classroom, identity, runs
from cnnviz.analysis.class_board import (NOT_YET, board_cells, board_table, sorted_board,
                                         state_counts)
from cnnviz.classroom import ClassLimits, QueuePlace
from cnnviz.presets import SHAPES_QUICK_TRAINING
from cnnviz.ui.classroom import PASSWORD_KEY
from cnnviz.ui.identity import TEACHER_KEY
from cnnviz.ui.state import RUN_KEY, RUN_PICKER_KEY
from tests.helpers.identity import joined_student, open_as
from tests.helpers.run_folders import make_run
from tests.pages.test_pages import APP, open_page, texts

START = "Start training"


def a_run(run_id: str, state: str, owner: str = "", **status) -> dict:
    return {"run_id": run_id, "owner": owner, "name": "", "metrics": None,
            "status": {"state": state, **status}}


def test_session_limit_counts_only_this_sessions_waiting_and_training_runs() -> None:
    listed = [a_run("a", "queued", "me"), a_run("b", "running", "me"),
              a_run("c", "finished", "me"), a_run("d", "queued", "someone else")]
    classroom.check_session_limit("me", listed, 3)
    with pytest.raises(classroom.SessionRunLimitError):
        classroom.check_session_limit("me", listed, 2)


def test_class_mode_from_the_environment_or_the_teachers_switch(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.delenv("CNNVIZ_CLASS_MODE", raising=False)
    monkeypatch.delenv("CNNVIZ_RUNS_PER_SESSION", raising=False)
    assert not classroom.class_mode_on() and classroom.runs_per_session() == 3
    classroom.set_class_mode(True)
    assert classroom.class_mode_on() and classroom.runs_per_session() == 1
    classroom.set_class_mode(False)
    monkeypatch.setenv("CNNVIZ_CLASS_MODE", "1")
    assert classroom.class_mode_on()


def test_teacher_password_must_match(monkeypatch) -> None:
    monkeypatch.delenv("CNNVIZ_TEACHER_PASSWORD", raising=False)
    assert not classroom.is_teacher_password("")
    monkeypatch.setenv("CNNVIZ_TEACHER_PASSWORD", "chalk")
    assert classroom.is_teacher_password("chalk") and not classroom.is_teacher_password("chal")


def test_board_table_shows_state_epoch_accuracy_and_queue() -> None:
    running = a_run("r", "running", "abcd1234", epochs_total=3, steps_per_epoch=10)
    lines = [{"type": "batch", "epoch": 2, "batch": 5, "batches": 10, "time": 1.0},
             {"type": "epoch", "epoch": 1, "val_accuracy": 0.6}]
    finished = {**a_run("f", "finished"), "metrics": {"accuracy": 0.9}}
    table = board_table([running, a_run("q", "queued"), finished], {"r": lines},
                        {"q": QueuePlace(1, 42.0)}, now=2.0)
    rows = table.set_index("run_id")
    assert rows.loc["r", "student"] == "ABCD" and rows.loc["r", "epoch"] == "1/3"
    assert rows.loc["r", "accuracy"] == 0.6 and rows.loc["f", "accuracy"] == 0.9
    assert rows.loc["q", "queue"] == 1 and rows.loc["q", "starts_in"] == 42


def test_board_cells_show_a_dash_where_a_run_has_no_value_yet() -> None:
    running = a_run("r", "running", "abcd1234", epochs_total=3, steps_per_epoch=10)
    finished = {**a_run("f", "finished"), "metrics": {"accuracy": 0.9}}
    table = board_table([running, a_run("q", "queued"), finished], {},
                        {"q": QueuePlace(2, 42.4)}, now=2.0)
    rows = board_cells(table).set_index("run_id")
    assert "None" not in rows.to_string() and "nan" not in rows.to_string()
    assert rows.loc["r", "accuracy"] == NOT_YET and rows.loc["r", "queue"] == NOT_YET
    assert rows.loc["r", "epoch"] == "0/3" and rows.loc["q", "epoch"] == NOT_YET
    assert rows.loc["r", "student"] == "ABCD" and rows.loc["q", "student"] == NOT_YET
    assert rows.loc["f", "accuracy"] == "90.0%" and rows.loc["f", "starts_in"] == NOT_YET
    assert rows.loc["q", "queue"] == "2" and rows.loc["q", "starts_in"] == "42 s"


def rerun_through_shell(app: AppTest) -> AppTest:
    """Rerun with app.py's sidebar: AppTest reruns only the page otherwise (see first_run)."""
    del app.session_state["shell_seen"]
    return app.run()


def test_sidebar_pick_survives_a_classmates_new_run(folders) -> None:
    make_run("finished", name="one")
    make_run("finished", name="two")
    app = open_page()
    picker = app.selectbox(key=RUN_PICKER_KEY)
    picked = next(run_id for run_id in picker.options if run_id != picker.value)
    picker.set_value(picked)
    rerun_through_shell(app)
    assert app.session_state[RUN_KEY] == picked and app.query_params["run"] == picked
    widget_id = app.selectbox(key=RUN_PICKER_KEY).id
    classmate = make_run("running", name="classmate's")
    rerun_through_shell(app)
    picker = app.selectbox(key=RUN_PICKER_KEY)
    assert classmate in picker.options and picker.value == picked
    assert picker.id == widget_id and app.session_state[RUN_KEY] == picked


@pytest.fixture
def class_mode(folders, monkeypatch):
    monkeypatch.setenv("CNNVIZ_CLASS_MODE", "1")
    monkeypatch.delenv("CNNVIZ_RUNS_PER_SESSION", raising=False)
    monkeypatch.delenv("CNNVIZ_TEACHER_PASSWORD", raising=False)
    return folders


def press_start(app: AppTest, showing: str | None = None) -> AppTest:
    """Press Start; with ``showing``, first show that (ended) run, as a student who picks a
    finished run in the sidebar does: Start is disabled while the shown run is active."""
    if showing:
        app.session_state[RUN_KEY] = showing
        app.run()
    next(button for button in app.button if button.label == START).click().run()
    assert not app.exception, app.exception
    return app


def test_class_mode_caps_the_run_and_allows_one_per_session(class_mode) -> None:
    _, started = class_mode
    app = open_as(joined_student("Ana"), "pages/train.py")
    assert "Class mode: your run trains for at most 42 s" in texts(app)
    press_start(app)
    assert len(started) == 1
    config = json.loads(runs.run_folder(started[0]).config.read_text())
    assert config["training"]["time_budget_minutes"] == ClassLimits().classifier_minutes
    assert config["training"]["epochs"] == SHAPES_QUICK_TRAINING.epochs
    assert config["owner"]
    assert "Place 1 in the queue: expected to start in about" in texts(app)
    # Showing a classmate's finished run, Start stays off: this student's own run waits.
    app.session_state[RUN_KEY] = make_run("finished")
    app.run()
    start = next(button for button in app.button if button.label == START)
    assert start.disabled and f"Your run {started[0]} is waiting or training" in start.help
    assert len(started) == 1 and len(runs.list_runs()) == 2


def test_a_reload_keeps_the_limit_of_the_browser(class_mode) -> None:
    """A reload or a new tab is a new session holding the browser's token (from its cookie:
    tests/browser/test_browser_identity.py); the run's owner is the token's public id."""
    _, started = class_mode
    token = joined_student("Ana")
    app = open_as(token, "pages/train.py")
    press_start(app)
    owner = runs.list_runs()[0]["owner"]
    assert len(started) == 1 and owner == identity.owner_id(token) and owner not in token
    finished = make_run("finished")
    reloaded = open_as(token, "pages/train.py")
    reloaded.session_state[RUN_KEY] = finished
    reloaded.run()
    start = next(button for button in reloaded.button if button.label == START)
    assert start.disabled and f"Your run {started[0]} is waiting or training" in start.help
    stranger = open_as(joined_student("Luis"), "pages/train.py")  # another browser
    press_start(stranger, showing=finished)
    # A recorded spawn leaves its run queued, so the queue (two wide in class mode) records
    # the first run again beside the stranger's: count the runs.
    assert len(set(started)) == 2


def test_outside_class_mode_the_limit_comes_from_the_environment(folders, monkeypatch) -> None:
    _, started = folders
    monkeypatch.delenv("CNNVIZ_CLASS_MODE", raising=False)
    monkeypatch.setenv("CNNVIZ_RUNS_PER_SESSION", "2")
    app = open_page("pages/train.py")
    assert "Class mode" not in texts(app)
    finished = make_run("finished")
    for _ in range(2):
        press_start(app, showing=finished)
    app.session_state[RUN_KEY] = finished
    app.run()
    start = next(button for button in app.button if button.label == START)
    assert start.disabled and "a session may have 2 at once" in start.help
    assert len(started) == 2
    config = json.loads(runs.run_folder(started[0]).config.read_text())
    assert config["training"]["time_budget_minutes"] is None


def first_run(page_state: dict) -> AppTest:
    """A new session with ``page_state`` in its session state, run once: AppTest draws
    app.py's sidebar on a session's first run only."""
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params["lang"] = "en"
    for key, value in page_state.items():
        app.session_state[key] = value
    return app.run()


def test_board_is_locked_until_the_teacher_password(folders, monkeypatch) -> None:
    monkeypatch.setenv("CNNVIZ_TEACHER_PASSWORD", "chalk")
    monkeypatch.delenv("CNNVIZ_CLASS_MODE", raising=False)
    make_run("running", name="Ana's run")
    app = open_page("pages/class_board.py")
    assert "The class board is for the teacher" in texts(app) and not app.dataframe
    app = open_page()
    app.text_input(key=PASSWORD_KEY).input("wrong").run()
    assert "That is not the teacher password." in texts(rerun_through_shell(app))
    assert "class_mode_switch" not in [toggle.key for toggle in app.toggle]
    app = first_run({TEACHER_KEY: identity.teacher_token(time.time())})
    app.toggle(key="class_mode_switch").set_value(True).run()
    assert not app.exception and classroom.class_mode_on()
    app.switch_page("pages/class_board.py").run()
    assert not app.exception and "Ana's run" in app.dataframe[0].value.to_string()


def test_board_sorts_and_a_picked_run_goes_to_the_projector(folders, monkeypatch) -> None:
    monkeypatch.delenv("CNNVIZ_TEACHER_PASSWORD", raising=False)
    low = make_run("finished", name="low")
    high = make_run("finished", name="high")
    runs.run_folder(low).final_metrics.write_text(json.dumps({"accuracy": 0.3}))
    queued = make_run("queued", epochs_done=0, name="waiting")
    app = open_page("pages/class_board.py")
    app.selectbox(key="board_sort").set_value("accuracy").run()
    names = list(app.dataframe[0].value["Name"])
    assert names[:2] == ["high", "low"] and names[-1] == "waiting"
    assert "Place in queue" in app.dataframe[0].value.columns
    app.session_state["run_id"] = high  # what a click on its row leaves behind
    app.session_state["board_show"] = high
    app.run()
    assert not app.exception and "Evaluation" in [title.value for title in app.title]
    assert high in texts(app)
    assert queued in {run["run_id"] for run in runs.list_runs()}


def test_the_board_sorts_runs_without_a_value_last_and_counts_states() -> None:
    table = pd.DataFrame({"run_id": ["a", "b", "c", "d"], "accuracy": [0.5, None, 0.9, 0.5],
                          "state": ["finished", "running", "finished", "queued"]})
    assert list(sorted_board(table, "accuracy", descending=True)["run_id"]) == ["c", "a", "d", "b"]
    assert list(sorted_board(table, "accuracy", descending=False)["run_id"]) == ["a", "d", "c", "b"]
    assert state_counts(table, ("running", "queued", "finished", "failed")) == {
        "running": 1, "queued": 1, "finished": 2, "failed": 0}
