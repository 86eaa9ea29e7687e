"""A student who joined the class, and a page opened as them or as the teacher: what a
browser's cookies give a new session (AppTest has no cookies, so the token goes straight into
the session; tests/browser/test_browser_identity.py checks the cookies themselves)."""

from __future__ import annotations

import time

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from cnnviz import identity
from cnnviz.ui.identity import STUDENT_KEY, TEACHER_KEY
from tests.pages.test_pages import APP


@pytest.fixture
def every_run_through_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let AppTest run app.py on every run, as a server does once a session has called
    ``st.navigation``. AppTest returns to the old "pages/ folder" mode before each run, which
    runs the page a run ended on without app.py: no sidebar, and no join form."""
    original = PagesManager.__init__

    def shell_mode(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", shell_mode)


def joined_student(name: str = "Ana") -> str:
    """The token of a browser whose student joined as ``name``."""
    token = identity.new_token()
    identity.join_class(token, name, "")
    return token


def open_as(token: str = "", page: str | None = None, language: str = "en",
            teacher: bool = False) -> AppTest:
    """``page`` opened by the browser holding ``token`` (a new one if ""), logged in as the
    teacher with ``teacher``."""
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params["lang"] = language
    app.session_state[STUDENT_KEY] = token or identity.new_token()
    if teacher:
        app.session_state[TEACHER_KEY] = identity.teacher_token(time.time())
    app.run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


@pytest.fixture
def class_mode_pages(folders, every_run_through_the_shell, monkeypatch: pytest.MonkeyPatch):
    """Page tests on a class server: class mode on, a teacher password, no class code, the
    default session limit; ``folders``' (data folder, started runs)."""
    monkeypatch.setenv("CNNVIZ_CLASS_MODE", "1")
    monkeypatch.setenv("CNNVIZ_TEACHER_PASSWORD", "chalk")
    for name in ("CNNVIZ_CLASS_CODE", "CNNVIZ_RUNS_PER_SESSION"):
        monkeypatch.delenv(name, raising=False)
    return folders
