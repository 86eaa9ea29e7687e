"""Who is who in real Chromium, where the cookies are real: a student joins the class, reloads
and opens a second tab (the same name and code, no second join), another browser is another
student; the teacher logs in, reloads (still the teacher), logs out and reloads (logged out).
Screenshots go to ``CNNVIZ_SCREENSHOTS`` (default: a temporary folder)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from cnnviz import identity
from tests.helpers.browser import CHROMIUM, DESKTOP, chromium_page, private_folders, running_app

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
                       reason="Debian's chromium is not installed"),
]
YOU = re.compile(r"You: (.+) · code ([0-9A-F]{4})")
HOME = "Train a CNN on shapes"


@pytest.fixture
def class_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A server in class mode with a teacher password."""
    class_settings = {"CNNVIZ_CLASS_MODE": "1", "CNNVIZ_TEACHER_PASSWORD": "chalk"}
    for name, value in class_settings.items():
        monkeypatch.setenv(name, value)
    environment = {**private_folders(tmp_path, monkeypatch), **class_settings}
    with running_app(environment) as url:
        yield url


def settle(page) -> None:
    """Wait until no script run is in progress (the status widget gone for a second, twice)."""
    for _ in range(2):
        page.wait_for_timeout(1000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
            timeout=120_000)


def whoami(page) -> tuple[str, str]:
    """The sidebar's "You: NAME · code CODE", once the page shows it."""
    caption = page.get_by_test_id("stSidebar").get_by_text(YOU)
    caption.wait_for(timeout=120_000)
    return YOU.search(caption.inner_text()).groups()


def roster(environment_runs: str) -> dict[str, str]:
    return json.loads((Path(environment_runs) / identity.ROSTER_FILE).read_text())


def test_a_student_stays_the_same_after_a_reload_and_in_a_new_tab(class_server, shots) -> None:
    url = class_server
    with chromium_page(DESKTOP) as first:
        browser = first.context.browser.new_context(viewport=DESKTOP)
        page = browser.new_page()
        page.goto(f"{url}/train?lang=en")
        page.get_by_role("heading", name="Join the class").wait_for(timeout=120_000)
        page.get_by_label("Your name").wait_for()  # the widgets' code loads after the heading
        settle(page)
        page.screenshot(path=shots / "join-form.png", full_page=True)
        page.get_by_label("Your name").fill("Ana")
        page.get_by_role("button", name="Join").click()
        name, code = whoami(page)
        page.get_by_role("heading", name="Train").wait_for()
        settle(page)
        page.screenshot(path=shots / "joined-train.png", full_page=True)
        cookie = next(cookie for cookie in browser.cookies() if cookie["name"] == "cnnviz_student")
        assert identity.valid_token(cookie["value"]) and cookie["sameSite"] == "Strict"
        assert cookie["expires"] > 0  # kept when the browser closes
        owner = identity.owner_id(cookie["value"])
        assert (name, code) == ("Ana", identity.student_code(owner))
        assert roster(os.environ["CNNVIZ_RUNS_DIR"]) == {owner: "Ana"}
        assert cookie["value"] not in page.url

        page.reload()
        assert whoami(page) == ("Ana", code)
        assert page.get_by_role("heading", name="Join the class").count() == 0
        second_tab = browser.new_page()
        second_tab.goto(f"{url}/?lang=en")
        assert whoami(second_tab) == ("Ana", code)
        second_tab.get_by_text(HOME).first.wait_for()

        other_browser = first  # a context of its own: no cookie
        other_browser.goto(f"{url}/?lang=en")
        other_browser.get_by_role("heading", name="Join the class").wait_for(timeout=120_000)
        other_browser.get_by_label("Your name").fill("ana")
        other_browser.get_by_role("button", name="Join").click()
        other_browser.get_by_text("Someone in the class already joined as ana").wait_for()
    assert list(roster(os.environ["CNNVIZ_RUNS_DIR"]).values()) == ["Ana"]


def test_the_teacher_stays_logged_in_after_a_reload_until_log_out(class_server, shots) -> None:
    url = class_server
    with chromium_page(DESKTOP) as page:
        page.goto(f"{url}/?lang=en")
        page.get_by_role("heading", name="Join the class").wait_for(timeout=120_000)
        settle(page)
        page.get_by_text("Teacher", exact=True).click()
        page.get_by_label("Teacher password").fill("chalk")
        page.get_by_label("Teacher password").press("Enter")
        page.get_by_text("You are logged in as the teacher until").wait_for()
        page.get_by_text(HOME).first.wait_for()
        settle(page)
        page.screenshot(path=shots / "teacher-logged-in.png", full_page=True)
        cookie = next(cookie for cookie in page.context.cookies()
                      if cookie["name"] == "cnnviz_teacher")
        assert identity.teacher_token_valid(cookie["value"], cookie["expires"] - 60)
        assert cookie["sameSite"] == "Strict"

        page.reload()
        page.get_by_text(HOME).first.wait_for(timeout=120_000)
        page.get_by_text("Teacher", exact=True).click()
        page.get_by_text("You are logged in as the teacher until").wait_for()
        page.goto(f"{url}/class_board?lang=en")
        page.get_by_role("heading", name="Class board").wait_for(timeout=120_000)
        settle(page)
        assert page.get_by_text("The class board is for the teacher").count() == 0

        page.get_by_text("Teacher", exact=True).click()
        page.get_by_role("button", name="Log out").click()
        page.get_by_role("heading", name="Join the class").wait_for()
        settle(page)
        assert "cnnviz_teacher" not in {cookie["name"] for cookie in page.context.cookies()}
        page.reload()
        page.get_by_role("heading", name="Join the class").wait_for(timeout=120_000)
