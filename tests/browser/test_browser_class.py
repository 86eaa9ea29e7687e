"""A class on one server in real Chromium: two students and the teacher, each in a browser
context of their own (their own cookies), with class mode on and a teacher password.

Ana joins and starts a run (capped, owned, placed in the queue); her Start is then off with the
reason, and stays so after a reload and in a new tab. Luis joins: his Start is on (Ana's run is
not his current run), he cannot stop, resume or delete Ana's run (off, with her name; the core
refuses too), his GAN is capped, owned and counted, and his study is the teacher's to start.
The teacher logs in, stops, deletes and restores Ana's run on the class board. Screenshots go to
``CNNVIZ_SCREENSHOTS`` (default: a temporary folder) for a person to look at."""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from cnnviz import classroom, identity, run_actions, runs
from cnnviz.errors import RunPermissionError
from cnnviz.run_actions import Actor
from cnnviz.runs import RunState, trash
from tests.helpers.browser import (CHROMIUM, CHROMIUM_ARGS, DESKTOP, private_folders,
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
    """A server in class mode with a teacher password and a queue one run wide, kept full by
    a stand-in run of the command line that keeps beating: the students' runs wait in the
    queue, however slowly the server starts."""
    class_settings = {"CNNVIZ_CLASS_MODE": "1", "CNNVIZ_TEACHER_PASSWORD": "chalk",
                      "CNNVIZ_MAX_CONCURRENT_RUNS": "1"}
    for name, value in class_settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CNNVIZ_CLASS_CODE", raising=False)
    environment = {**private_folders(tmp_path, monkeypatch), **class_settings}
    running = make_run("running", name="The teacher's demo")
    try:
        with beating(running), running_app(environment, port=PORT) as url:
            yield url
    finally:
        for run in runs.list_runs():
            if run["status"].get("state") == RunState.QUEUED:
                runs.request_stop(run["run_id"])
        stop_sleepers()


@contextlib.contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def person(browser):
    """A browser context of its own: one person's cookies."""
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(60_000)
    return context


def join(page, url: str, name: str) -> None:
    page.goto(f"{url}/?lang=en")
    page.get_by_text("Join the class", exact=True).wait_for()
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    page.get_by_text(f"You: {name}").wait_for()
    wait_until_idle(page)


def open_train(page, url: str) -> None:
    """The Train page with its hyper-parameters unfolded (folded while a run is current)."""
    page.goto(f"{url}/train?lang=en")
    wait_until_idle(page)
    settings = page.locator("details").filter(has_text="Hyper-parameters").first
    if settings.get_attribute("open") is None:
        settings.locator("summary").click()
    page.get_by_role("button", name="Start training").wait_for()


def pick(page, label: str, option: str) -> None:
    """Choose ``option`` (a part of its text) in the main area's select box ``label``."""
    box = page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has_text=label).last
    box.scroll_into_view_if_needed()
    box.click()
    page.get_by_role("option").filter(has_text=option).first.click()
    wait_until_idle(page)


def runs_of(name: str) -> list[dict]:
    return [run for run in runs.list_runs() if run["owner_name"] == name]


def test_two_students_and_the_teacher(class_server, shots: Path) -> None:
    url = class_server
    with chromium() as browser:
        ana = person(browser)
        page = ana.new_page()
        join(page, url, "Ana")
        open_train(page, url)
        page.get_by_role("button", name="Start training").click()
        page.get_by_test_id("stAlert").filter(has_text="Place 1 in the queue").wait_for()
        wait_until_idle(page)
        [anas_run] = [run["run_id"] for run in runs_of("Ana")]
        config = runs.read_config(anas_run)
        assert config == classroom.capped_run(config, classroom.class_limits())[0]
        open_train(page, url)
        start = page.get_by_role("button", name="Start training")
        assert start.is_disabled()
        page.get_by_text(f"Your run {anas_run} is waiting or training").first.wait_for()
        page.screenshot(path=shots / "class-ana-train.png", full_page=True)

        page.reload()  # a reload, then a new tab: the same student, the same limit
        wait_until_idle(page)
        page.get_by_text("You: Ana").wait_for()
        second_tab = ana.new_page()
        open_train(second_tab, url)
        second_tab.get_by_text("You: Ana").wait_for()
        assert second_tab.get_by_role("button", name="Start training").is_disabled()
        assert len(runs_of("Ana")) == 1

        luis = person(browser).new_page()
        join(luis, url, "Luis")
        open_train(luis, url)
        assert luis.get_by_role("button", name="Start training").is_enabled()
        pick(luis, "Run", anas_run)
        luis.get_by_text("This is Ana's run: only they and the teacher").wait_for()
        assert luis.get_by_role("button", name="Stop").last.is_disabled()
        assert luis.get_by_role("button", name="Resume").is_disabled()
        assert luis.get_by_role("button", name="Delete").is_disabled()
        luis.screenshot(path=shots / "class-luis-sees-anas-run.png", full_page=True)
        luis_actor = Actor(owner=identity.owner_id(next(
            cookie["value"] for cookie in luis.context.cookies()
            if cookie["name"] == "cnnviz_student")), name="Luis")
        with pytest.raises(RunPermissionError):  # the core refuses too, not only the page
            run_actions.stop_run(luis_actor, anas_run)

        luis.goto(f"{url}/gan?lang=en")
        wait_until_idle(luis)
        luis.get_by_role("button", name="Train the GAN").click()
        wait_until_idle(luis)
        [gan] = runs_of("Luis")
        assert gan["kind"] == "gan" and gan["owner"] == luis_actor.owner
        gan_config = runs.read_config(gan["run_id"])
        assert gan_config == classroom.capped_run(gan_config, classroom.class_limits())[0]
        luis.goto(f"{url}/compare?lang=en")
        wait_until_idle(luis)
        luis.get_by_text("Hyper-parameter study").first.click()
        luis.get_by_role("button", name="Queue 2 runs").click()
        luis.get_by_text("is for the teacher to start").wait_for()
        luis.screenshot(path=shots / "class-luis-study-refused.png", full_page=True)
        assert len(runs_of("Luis")) == 1

        teacher = person(browser).new_page()
        teacher.goto(f"{url}/class_board?lang=en")
        teacher.get_by_text("Join the class", exact=True).wait_for()  # the teacher logs in
        teacher.get_by_text("Teacher", exact=True).click()
        teacher.get_by_label("Teacher password").fill("chalk")
        teacher.get_by_label("Teacher password").press("Enter")
        teacher.locator('[data-testid="stDataFrame"]').wait_for()
        wait_until_idle(teacher)
        teacher.screenshot(path=shots / "class-board.png", full_page=True)
        pick(teacher, "Run to act on", anas_run)
        teacher.get_by_test_id("stMain").get_by_role("button", name="Stop").click()
        wait_until_idle(teacher)
        assert runs.read_status(anas_run).state == RunState.INTERRUPTED
        teacher.get_by_test_id("stMain").get_by_role("button", name="Delete").click()
        teacher.get_by_role("button", name="Yes, delete").click()
        wait_until_idle(teacher)
        assert anas_run not in {run["run_id"] for run in runs.list_runs()}
        assert [run.run_id for run in trash.trashed_runs()] == [anas_run]
        teacher.get_by_text("Trash (1)").click()
        teacher.screenshot(path=shots / "class-board-trash.png", full_page=True)
        teacher.get_by_role("button", name="Restore").click()
        wait_until_idle(teacher)
        assert anas_run in {run["run_id"] for run in runs.list_runs()}
        assert json.loads(runs.run_folder(anas_run).config.read_text())["owner_name"] == "Ana"
        teacher.reload()  # the teacher's login survives a reload
        wait_until_idle(teacher)
        teacher.locator('[data-testid="stDataFrame"]').wait_for()
