"""Who is who: the browser's secret token and its public id, the class roster, the teacher's
signed login and the slowdown of wrong teacher passwords (core only; the pages are in
tests/pages/test_page_identity.py, the cookies in tests/browser/test_browser_identity.py)."""

from __future__ import annotations

import base64
import json
import os
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest

from cnnviz import classroom, identity, settings
from cnnviz.identity import (InvalidNameError, NameTakenError, TooManyAttemptsError,
                             WrongClassCodeError)

NOW = 1_800_000_000.0
HOUR = 3600.0


@pytest.fixture(autouse=True)
def runs_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNNVIZ_TEACHER_PASSWORD", "chalk")
    for name in ("CNNVIZ_CLASS_CODE", "CNNVIZ_TEACHER_HOURS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "runs"


def test_a_token_holds_256_random_bits_in_a_cookie_safe_form() -> None:
    tokens = {identity.new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    token = tokens.pop()
    assert identity.valid_token(token)
    assert len(base64.urlsafe_b64decode(token + "=")) * 8 >= 128


@pytest.mark.parametrize("token", ["", "short", "a" * 42, "a" * 44, "a" * 42 + "!",
                                   "a" * 42 + ";", "0123456789abcdef" * 2])
def test_a_malformed_token_has_no_owner(token: str) -> None:
    assert not identity.valid_token(token)
    with pytest.raises(ValueError):
        identity.owner_id(token)


def test_the_owner_id_is_public_and_says_nothing_of_the_token() -> None:
    token = identity.new_token()
    owner = identity.owner_id(token)
    assert owner == identity.owner_id(token) and len(owner) == 32
    assert int(owner, 16) >= 0 and owner not in token and token not in owner
    assert not identity.valid_token(owner)  # the public id is no token: it cannot log in
    assert identity.owner_id(identity.new_token()) != owner


def test_the_board_code_comes_from_the_public_id() -> None:
    owner = identity.owner_id(identity.new_token())
    code = identity.student_code(owner)
    assert code == owner[:4].upper() and len(code) == 4
    assert identity.student_code("") == ""
    assert identity.owner_label({"owner": owner, "owner_name": ""}) == code  # the board's
    assert identity.owner_label({"owner": owner, "owner_name": "Ana"}) == "Ana"


def test_a_student_joins_with_a_name_and_may_rename() -> None:
    token = identity.new_token()
    owner = identity.join_class(token, "  Ana  ", "")
    assert owner == identity.owner_id(token) and identity.student_name(owner) == "Ana"
    assert identity.join_class(token, "Ana María", "") == owner
    assert identity.student_name(owner) == "Ana María"
    assert identity.student_name(identity.owner_id(identity.new_token())) == ""


def test_the_roster_lives_in_the_runs_folder_and_holds_no_token(runs_folder) -> None:
    token = identity.new_token()
    owner = identity.join_class(token, "Luis", "")
    roster = (runs_folder / identity.ROSTER_FILE).read_text()
    assert json.loads(roster) == {owner: "Luis"} and token not in roster


def test_two_students_may_not_take_one_name() -> None:
    identity.join_class(identity.new_token(), "Ana", "")
    with pytest.raises(NameTakenError) as raised:
        identity.join_class(identity.new_token(), " ana ", "")
    assert raised.value.key == "error.identity.name_taken"
    assert "already joined as ana" in str(raised.value)
    assert "ya se unió como ana" in raised.value.message("es")


@pytest.mark.parametrize("name, key", [("", "error.identity.name_empty"),
                                       ("   ", "error.identity.name_empty"),
                                       ("x" * 41, "error.identity.name_too_long"),
                                       ("Ana\nLuis", "error.identity.name_control"),
                                       ("Ana\u202eLuis", "error.identity.name_control")])
def test_a_name_must_show_as_a_name(name: str, key: str) -> None:
    with pytest.raises(InvalidNameError) as raised:
        identity.join_class(identity.new_token(), name, "")
    assert raised.value.key == key


def test_names_of_any_language_and_forty_characters_join() -> None:
    for name in ("José Ñúñez", "Zoë", "李小龍", "x" * 40):
        owner = identity.join_class(identity.new_token(), name, "")
        assert identity.student_name(owner) == name


def test_a_malformed_token_cannot_join() -> None:
    with pytest.raises(ValueError):
        identity.join_class("forged", "Ana", "")


def test_the_class_code_is_asked_only_when_the_teacher_sets_one(monkeypatch) -> None:
    assert identity.join_class(identity.new_token(), "Ana", "anything")
    monkeypatch.setenv("CNNVIZ_CLASS_CODE", "Owl-7")
    with pytest.raises(WrongClassCodeError) as raised:
        identity.join_class(identity.new_token(), "Luis", "owl-8")
    assert raised.value.message("es") == "Ese no es el código de la clase: pídeselo a tu docente."
    with pytest.raises(WrongClassCodeError):
        identity.join_class(identity.new_token(), "Luis", "")
    owner = identity.join_class(identity.new_token(), "Luis", " owl-7 ")
    assert identity.student_name(owner) == "Luis"


def test_thirty_students_join_at_once_and_none_is_lost() -> None:
    tokens = [identity.new_token() for _ in range(30)]
    with ThreadPoolExecutor(8) as pool:
        owners = list(pool.map(lambda pair: identity.join_class(pair[1], f"Student {pair[0]}",
                                                                ""), enumerate(tokens)))
    assert [identity.student_name(owner) for owner in owners] == [
        f"Student {index}" for index in range(30)]


def test_a_teacher_token_is_valid_for_the_lesson_then_expires() -> None:
    token = identity.teacher_token(NOW)
    assert identity.teacher_token_valid(token, NOW)
    assert identity.teacher_token_valid(token, NOW + 4 * HOUR - 1)
    assert not identity.teacher_token_valid(token, NOW + 4 * HOUR)
    assert identity.teacher_token_expiry(token) == NOW + 4 * HOUR


def test_the_lesson_length_comes_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("CNNVIZ_TEACHER_HOURS", "1.5")
    token = identity.teacher_token(NOW)
    assert identity.teacher_token_valid(token, NOW + 1.5 * HOUR - 1)
    assert not identity.teacher_token_valid(token, NOW + 1.5 * HOUR)


def test_a_tampered_teacher_token_is_refused() -> None:
    token = identity.teacher_token(NOW)
    expiry, signature = token.split(".")
    later = f"{int(expiry) + 10 * 24 * 3600}.{signature}"
    flipped = f"{expiry}.{signature[:-1]}{'0' if signature[-1] != '0' else '1'}"
    for forged in (later, flipped, expiry, f"{expiry}.", "", "x.y", f"²{expiry}.{signature}",
                   identity.new_token()):
        assert not identity.teacher_token_valid(forged, NOW), forged


def test_a_token_of_another_server_is_refused(runs_folder, monkeypatch, tmp_path) -> None:
    token = identity.teacher_token(NOW)
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "other-server"))
    assert not identity.teacher_token_valid(token, NOW)


def test_a_new_password_logs_every_teacher_out(monkeypatch) -> None:
    token = identity.teacher_token(NOW)
    monkeypatch.setenv("CNNVIZ_TEACHER_PASSWORD", "chalk2")
    assert not identity.teacher_token_valid(token, NOW)
    monkeypatch.delenv("CNNVIZ_TEACHER_PASSWORD")
    assert not identity.teacher_token_valid(token, NOW)
    with pytest.raises(ValueError):
        identity.teacher_token(NOW)


def test_the_server_secret_is_private_and_made_once(runs_folder) -> None:
    first = identity.teacher_token(NOW)
    secret = runs_folder / identity.SECRET_FILE
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600 and len(secret.read_bytes()) == 64
    assert identity.teacher_token(NOW) == first
    assert [path.name for path in runs_folder.iterdir() if path.name.startswith(".secret-")] == []


def test_wrong_passwords_are_slowed_down_more_and_more() -> None:
    assert not identity.check_teacher_password("a", NOW, "10.0.0.5")
    assert not identity.check_teacher_password("b", NOW + 1, "10.0.0.5")
    assert not identity.check_teacher_password("c", NOW + 2, "10.0.0.5")  # 3rd: wait 5 s
    with pytest.raises(TooManyAttemptsError) as raised:
        identity.check_teacher_password("chalk", NOW + 3, "10.0.0.5")  # not even looked at
    assert raised.value.seconds == 4
    assert raised.value.message("es") == ("Demasiadas contraseñas incorrectas: inténtalo de "
                                          "nuevo en 4 s.")
    assert not identity.check_teacher_password("d", NOW + 7, "10.0.0.5")  # 4th: wait 10 s
    with pytest.raises(TooManyAttemptsError) as raised:
        identity.check_teacher_password("chalk", NOW + 8, "10.0.0.5")
    assert raised.value.seconds == 9
    assert identity.check_teacher_password("chalk", NOW + 17, "10.0.0.5")
    assert not identity.check_teacher_password("e", NOW + 18, "10.0.0.5")  # counted afresh
    assert identity.check_teacher_password("chalk", NOW + 19, "10.0.0.5")


def test_the_wait_doubles_up_to_a_quarter_of_an_hour() -> None:
    assert [identity.wait_after(failures) for failures in range(1, 7)] == [0, 0, 5, 10, 20, 40]
    assert identity.wait_after(40) == 900


def test_a_guessing_student_does_not_lock_the_teacher_out() -> None:
    for second in range(3):
        identity.check_teacher_password("guess", NOW + second, "10.0.0.9")
    with pytest.raises(TooManyAttemptsError):
        identity.check_teacher_password("guess", NOW + 3, "10.0.0.9")
    assert identity.check_teacher_password("chalk", NOW + 3, "10.0.0.2")


def test_failures_are_shared_by_every_server_process(runs_folder) -> None:
    for second in range(3):
        identity.check_teacher_password("guess", NOW + second)
    assert json.loads((runs_folder / identity.ATTEMPTS_FILE).read_text())[""]["failures"] == 3


def test_old_failures_are_forgotten() -> None:
    for second in range(3):
        identity.check_teacher_password("guess", NOW + second)
    assert identity.check_teacher_password("chalk", NOW + 2 * 24 * HOUR)


def test_the_classroom_password_checks_still_answer(monkeypatch) -> None:
    assert classroom.teacher_password_set() and classroom.is_teacher_password("chalk")
    assert not classroom.is_teacher_password("chal")
    monkeypatch.delenv("CNNVIZ_TEACHER_PASSWORD")
    assert not classroom.teacher_password_set() and not classroom.is_teacher_password("")
    assert not identity.check_teacher_password("", NOW)


def test_the_shared_files_lie_in_the_runs_folder(runs_folder) -> None:
    identity.join_class(identity.new_token(), "Ana", "")
    identity.check_teacher_password("guess", NOW)
    identity.teacher_token(NOW)
    assert settings.runs_dir() == runs_folder.resolve()
    assert {identity.ROSTER_FILE, identity.ATTEMPTS_FILE, identity.SECRET_FILE} <= {
        path.name for path in runs_folder.iterdir()}
