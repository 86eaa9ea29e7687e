"""The class queue and the class board in real Chromium: a student in class mode presses Start
(capped run, place in the queue), presses again (the session limit), and the teacher unlocks
the board in the sidebar, sees the class and clicks a run onto the projector. Screenshots go to
``CNNVIZ_SCREENSHOTS`` (default: a temporary folder) for a person to look at."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from cnnviz import runs
from tests.helpers.browser import (CHROMIUM, DESKTOP, chromium_page, private_folders,
                                   running_app, wait_until_idle)
from tests.helpers.run_folders import beating, make_run, stop_sleepers

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
                       reason="Debian's chromium is not installed"),
]
PORT = 8651


@pytest.fixture
def class_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A server in class mode with a teacher password; one run "training" (a live stand-in
    process that keeps beating, so the student's run waits in the queue however slowly the
    server starts) and one finished."""
    class_settings = {"CNNVIZ_CLASS_MODE": "1", "CNNVIZ_TEACHER_PASSWORD": "chalk",
                      "CNNVIZ_MAX_CONCURRENT_RUNS": "1"}
    for name, value in class_settings.items():
        monkeypatch.setenv(name, value)
    environment = {**private_folders(tmp_path, monkeypatch), **class_settings}
    running = make_run("running", name="Ana's run")
    finished = make_run("finished", name="Luis's run")
    try:
        with beating(running), running_app(environment, port=PORT) as url:
            yield url, running, finished
    finally:
        for run in runs.list_runs():
            if run["status"].get("state") == "queued":
                runs.request_stop(run["run_id"])
        stop_sleepers()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CNNVIZ_SCREENSHOTS", tmp_path / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_settings(page) -> None:
    """Unfold the hyper-parameters (folded while a run is current)."""
    if not page.get_by_role("button", name="Start training").is_visible():
        page.get_by_text("Hyper-parameters").first.click()


def test_student_queue_and_teacher_board(class_server, shots: Path) -> None:
    url, running, finished = class_server
    with chromium_page(DESKTOP) as page:
        # The newest run (the class's running one) would be shown, with Start disabled: the
        # student opens the Train page on a finished run, as from a shared link.
        page.goto(f"{url}/train?lang=en&run={finished}")
        wait_until_idle(page)
        open_settings(page)
        page.get_by_text("Class mode: your run trains at most 2 epochs").wait_for()
        page.get_by_role("button", name="Start training").click()
        page.get_by_test_id("stAlert").filter(has_text="Place 1 in the queue").wait_for()
        wait_until_idle(page)
        # Start is disabled while the shown run waits: show the finished run, as a student
        # who picks it in the sidebar, and press again.
        picker = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").nth(1)
        picker.scroll_into_view_if_needed()  # a click that scrolls the sidebar does not open it
        picker.click()
        page.get_by_role("option", name=finished).click()
        wait_until_idle(page)
        open_settings(page)
        page.get_by_role("button", name="Start training").click()
        page.get_by_text("You already have 1 run(s) waiting or training").wait_for()
        wait_until_idle(page)
        page.screenshot(path=shots / "class-student-train.png", full_page=True)
    students = [run for run in runs.list_runs() if run["run_id"] not in (running, finished)]
    assert len(students) == 1
    config = json.loads(runs.run_folder(students[0]["run_id"]).config.read_text())
    assert config["training"]["epochs"] == 2 and config["owner"]

    with chromium_page(DESKTOP) as page:
        page.goto(f"{url}/class_board?lang=en")
        wait_until_idle(page)
        page.get_by_text("The class board is for the teacher").wait_for()
        page.get_by_text("Teacher", exact=True).click()
        page.get_by_label("Teacher password").fill("chalk")
        page.get_by_label("Teacher password").press("Enter")
        page.get_by_text("Class mode", exact=True).wait_for()
        page.locator('[data-testid="stDataFrame"]').wait_for()
        wait_until_idle(page)
        page.screenshot(path=shots / "class-board.png", full_page=True)
        frame = page.locator('[data-testid="stDataFrame"]')
        box = frame.bounding_box()
        # The grid draws on a canvas: click the selection column of the first data row.
        page.mouse.click(box["x"] + 12, box["y"] + 52)
        page.get_by_role("heading", name="Evaluation").or_(
            page.get_by_role("heading", name="Train")).first.wait_for()
        wait_until_idle(page)
        page.screenshot(path=shots / "class-board-projector.png", full_page=True)
