"""The class queue in the pages: who this session is, the teacher's sidebar switch, Start with
the class limits, and a queued run's place and expected start (rules in cnnviz/classroom.py)."""

from __future__ import annotations

import streamlit as st

from cnnviz import classroom, runs, settings
from cnnviz.errors import CnnvizError
from cnnviz.identity import TooManyAttemptsError
from cnnviz.ui import identity
from cnnviz.ui.i18n import shown_error, t

PASSWORD_KEY = "teacher_password"
LOGIN_PROBLEM_KEY = "teacher_login_problem"  # the last login's refusal, shown under the field
LOG_OUT_KEY = "teacher_log_out"
SWITCH_KEY = "class_mode_switch"


def session_owner() -> str:
    """This browser's public id, written into the runs it starts (the per-session limit counts
    them); kept in a cookie, so a reload or a new tab does not reset the limit."""
    return identity.session_owner()


def is_teacher() -> bool:
    return identity.is_teacher()


def board_open() -> bool:
    """The class board is the teacher's when a teacher password is set, everyone's otherwise
    (one person on a laptop)."""
    return is_teacher() or not classroom.teacher_password_set()


def teacher_controls() -> None:
    """Sidebar: the teacher password, then the class-mode switch and Log out (only when the
    server has a teacher password). The login lasts the lesson, reloads included."""
    if not classroom.teacher_password_set():
        return
    with st.expander(t("sidebar.teacher"), icon=":material/school:"):
        if not is_teacher():
            st.text_input(t("sidebar.teacher_password"), type="password", key=PASSWORD_KEY,
                          on_change=_check_password)
            problem = st.session_state.get(LOGIN_PROBLEM_KEY)
            if problem is not None:
                st.error(shown_error(problem) if isinstance(problem, CnnvizError) else t(problem))
            return
        st.caption(t("sidebar.teacher_logged_in", time=identity.teacher_until()))
        forced = classroom.class_mode_on() and not _switch_file_on()
        st.toggle(t("sidebar.class_mode"), value=classroom.class_mode_on(), key=SWITCH_KEY,
                  disabled=forced, on_change=_switch_class_mode,
                  help=t("sidebar.class_mode_forced") if forced else t("sidebar.class_mode_help"))
        st.button(t("sidebar.teacher_log_out"), key=LOG_OUT_KEY, icon=":material/logout:",
                  on_click=identity.log_out_teacher)


def _check_password() -> None:
    """The typed password through the core's slowed-down check; the field is emptied."""
    typed = st.session_state.get(PASSWORD_KEY, "")
    st.session_state[PASSWORD_KEY] = ""
    if not typed:
        return
    try:
        right = identity.log_in_teacher(typed)
    except TooManyAttemptsError as error:
        st.session_state[LOGIN_PROBLEM_KEY] = error
    else:
        st.session_state[LOGIN_PROBLEM_KEY] = None if right else "sidebar.teacher_wrong"


def _switch_class_mode() -> None:
    classroom.set_class_mode(bool(st.session_state[SWITCH_KEY]))


def _switch_file_on() -> bool:
    from cnnviz.atomic import read_json

    return bool(read_json(settings.runs_dir() / classroom.SWITCH_FILE, {}).get("on", False))


def class_rules_caption() -> None:
    """What class mode does to this student's run, shown beside Start."""
    if classroom.class_mode_on() and not is_teacher():
        limits = classroom.class_limits()
        st.caption(t("train.class_caps", seconds=round(limits.classifier_minutes * 60),
                     side=limits.max_image_side, per_class=limits.max_per_class, code=_code()))


def queue_places_now(listed: list[dict]) -> dict[str, classroom.QueuePlace]:
    """Every queued run's place and expected start, from the expected durations of the runs
    ahead of it (``classroom.queue_forecast``)."""
    return classroom.queue_forecast_now(listed).places


def queue_place_caption(run_id: str) -> None:
    """"Place 3 in the queue, expected to start in about 2 min" under a queued run."""
    from cnnviz.training.timing import format_duration

    place = queue_places_now(runs.list_runs()).get(run_id)
    if place is not None:
        st.info(t("train.queue_place", position=place.position,
                  wait=format_duration(max(place.expected_start_seconds, 1.0))),
                icon=":material/hourglass_top:")


def _code() -> str:
    from cnnviz.identity import student_code

    return student_code(session_owner())
