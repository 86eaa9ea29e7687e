"""Who is who, through AppTest: class mode's join form, the name and code in the sidebar, and
the teacher's login with its slowdown and Log out, in English and Spanish."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz import identity, settings
from cnnviz.ui.classroom import PASSWORD_KEY
from cnnviz.ui.identity import JOIN_CODE_KEY, JOIN_NAME_KEY, STUDENT_KEY, TEACHER_KEY
from tests.helpers.identity import (class_mode_pages, every_run_through_the_shell,
                                    joined_student, open_as)
from tests.pages.test_pages import texts

SHAPES_START = "Train a CNN on shapes"


@pytest.fixture
def class_mode(class_mode_pages):
    return class_mode_pages


def shows_home(app: AppTest) -> bool:
    return any(button.label.startswith(SHAPES_START) for button in app.button)


def join(app: AppTest, name: str, code: str | None = None) -> AppTest:
    app.text_input(key=JOIN_NAME_KEY).input(name)
    if code is not None:
        app.text_input(key=JOIN_CODE_KEY).input(code)
    app.button[0].click().run()
    assert not app.exception, app.exception
    return app


def roster() -> dict[str, str]:
    return json.loads((settings.runs_dir() / identity.ROSTER_FILE).read_text())


def test_a_student_joins_before_the_page_then_sees_it(class_mode) -> None:
    app = open_as(page="pages/train.py")
    assert app.title[0].value == "Join the class" and not shows_home(app)
    assert "Teacher? Log in under Teacher in the sidebar." in texts(app)
    assert {field.label for field in app.text_input} == {"Teacher password", "Your name"}
    join(app, "  Ana  ")
    assert app.title[0].value == "Train" and "Start training" in [b.label for b in app.button]
    token = app.session_state[STUDENT_KEY]
    owner = identity.owner_id(token)
    assert roster() == {owner: "Ana"}
    assert f"You: Ana · code {owner[:4].upper()}" in texts(app)


def test_the_join_form_in_spanish_says_what_is_wrong(class_mode) -> None:
    joined_student("Ana")
    app = open_as(language="es")
    assert app.title[0].value == "Únete a la clase"
    join(app, "   ")
    assert "Escribe tu nombre para unirte a la clase." in texts(app)
    join(app, "ana")
    assert "Alguien de la clase ya se unió como ana: añade tu apellido o su inicial." in texts(app)
    join(app, "Ana G.")
    assert "Únete a la clase" not in texts(app) and app.title[0].value == "cnnviz"
    assert "Tú: Ana G\\. · código" in texts(app)


def test_the_class_code_is_asked_when_the_teacher_set_one(class_mode, monkeypatch) -> None:
    monkeypatch.setenv("CNNVIZ_CLASS_CODE", "owl-7")
    app = open_as()
    assert "Class code" in [field.label for field in app.text_input]
    join(app, "Luis", "owl-8")
    assert "That is not the class code: ask your teacher for it." in texts(app)
    assert not (settings.runs_dir() / identity.ROSTER_FILE).exists()
    join(app, "Luis", "OWL-7")
    assert shows_home(app) and list(roster().values()) == ["Luis"]


def test_a_reload_with_the_browser_token_is_the_same_student(class_mode) -> None:
    """What the cookie gives a new session (the cookie itself: the Chromium test)."""
    token = joined_student("Ana")
    code = identity.owner_id(token)[:4].upper()
    app = open_as(token)
    assert shows_home(app) and f"You: Ana · code {code}" in texts(app)
    app = open_as(token, "pages/train.py")
    assert f"Your code on the class board: **{code}**" in texts(app)
    assert f"You: Ana · code {code}" in texts(app)
    assert open_as().title[0].value == "Join the class"  # another browser


def test_outside_class_mode_nobody_joins(folders, monkeypatch) -> None:
    monkeypatch.delenv("CNNVIZ_CLASS_MODE", raising=False)
    app = open_as()
    owner = identity.owner_id(app.session_state[STUDENT_KEY])
    assert shows_home(app) and f"Your code: {owner[:4].upper()}" in texts(app)


def test_the_teacher_logs_in_from_the_join_form_and_out(class_mode) -> None:
    app = open_as()
    app.text_input(key=PASSWORD_KEY).input("chalk").run()
    assert not app.exception and shows_home(app)
    assert identity.teacher_token_valid(app.session_state[TEACHER_KEY], 0)
    assert "You are logged in as the teacher until" in texts(app)
    assert "class_mode_switch" in [toggle.key for toggle in app.toggle]
    assert PASSWORD_KEY not in [field.key for field in app.text_input]
    app.button(key="teacher_log_out").click().run()
    assert app.session_state[TEACHER_KEY] == "" and app.title[0].value == "Join the class"


def test_the_teacher_stays_logged_in_on_a_reload(class_mode) -> None:
    """A new session holding the signed login, as the cookie gives it."""
    app = open_as(page="pages/class_board.py", teacher=True)
    assert "You are logged in as the teacher until" in texts(app)
    assert "The class board is for the teacher" not in texts(app)


def test_wrong_passwords_are_slowed_down(class_mode) -> None:
    app = open_as()
    for _ in range(3):
        app.text_input(key=PASSWORD_KEY).input("guess").run()
        assert "That is not the teacher password." in texts(app)
    app.text_input(key=PASSWORD_KEY).input("chalk").run()
    assert "Too many wrong passwords: try again in 5 s." in texts(app)
    assert app.session_state[TEACHER_KEY] == "" and app.title[0].value == "Join the class"


def test_wrong_passwords_in_spanish(class_mode) -> None:
    app = open_as(language="es")
    app.text_input(key=PASSWORD_KEY).input("guess").run()
    assert "Esa no es la contraseña docente." in texts(app)
    for _ in range(3):
        app.text_input(key=PASSWORD_KEY).input("guess").run()
    assert "Demasiadas contraseñas incorrectas: inténtalo de nuevo en" in texts(app)
    app = open_as(language="es", teacher=True)
    assert "Has entrado como docente hasta las" in texts(app)
    assert "Cerrar sesión" in [button.label for button in app.button]
