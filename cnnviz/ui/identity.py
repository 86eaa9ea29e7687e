"""Who this browser is, in the pages: the student's token and the teacher's login kept in
cookies, class mode's join form, and "You: Ana · code 3F2A" in the sidebar (the rules are in
cnnviz/identity.py).

Streamlit reads the cookies a browser sent when its session opened (``st.context.cookies``) but
cannot set one, so a small script in the page writes them; the session keeps its own copy in
``st.session_state`` for the runs before a reload reads the cookie back. A reload and a new tab
of the same browser send the cookie, so they are the same student, and the teacher stays
logged in until the signed login expires.
"""

from __future__ import annotations

import json
import re
import time
from email.utils import formatdate

import streamlit as st

from cnnviz import classroom, identity
from cnnviz.run_actions import Actor
from cnnviz.ui.i18n import shown_error, t

STUDENT_COOKIE = "cnnviz_student"
TEACHER_COOKIE = "cnnviz_teacher"
STUDENT_KEY = "student_token"
TEACHER_KEY = "teacher_token"  # "" once logged out: the cookie this session was sent is void
STUDENT_COOKIE_SECONDS = 180 * 24 * 3600  # a school term and more
JOIN_NAME_KEY = "join_name"
JOIN_CODE_KEY = "join_code"
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def student_token() -> str:
    """This browser's secret token: the session's, else the cookie's, else a new one (a
    malformed cookie is replaced)."""
    token = st.session_state.get(STUDENT_KEY)
    if token is None:
        sent = _sent_cookie(STUDENT_COOKIE)
        token = sent if identity.valid_token(sent) else identity.new_token()
        st.session_state[STUDENT_KEY] = token
    return token


def session_owner() -> str:
    """This browser's public id, written into the runs it starts (never the token)."""
    return identity.owner_id(student_token())


def teacher_login() -> str:
    """The teacher token this session holds, from its login or the cookie ("" when none)."""
    token = st.session_state.get(TEACHER_KEY)
    if token is None:
        token = _sent_cookie(TEACHER_COOKIE)
        st.session_state[TEACHER_KEY] = token
    return token


def is_teacher() -> bool:
    """Whether the teacher is logged in here: a signed login of this server, not expired, for
    the current password."""
    return identity.teacher_token_valid(teacher_login(), time.time())


def log_in_teacher(password: str) -> bool:
    """Log the teacher in for the lesson if ``password`` is right; whether it was. Raises
    ``TooManyAttemptsError`` while this client (its address) must wait after wrong
    passwords."""
    now = time.time()
    client = st.context.ip_address
    right = identity.check_teacher_password(password, now,
                                            client if isinstance(client, str) else "")
    if right:
        st.session_state[TEACHER_KEY] = identity.teacher_token(now)
    return right


def log_out_teacher() -> None:
    st.session_state[TEACHER_KEY] = ""


def teacher_until() -> str:
    """When the teacher's login ends, as the server's clock reads it (HH:MM)."""
    return time.strftime("%H:%M", time.localtime(identity.teacher_token_expiry(teacher_login())))


def current_actor() -> Actor:
    """The person behind this session's requests."""
    owner = session_owner()
    return Actor(owner=owner, name=identity.student_name(owner), teacher=is_teacher())


def must_join() -> bool:
    """In class mode a student joins with a name before any page; the teacher does not."""
    return (classroom.class_mode_on() and not is_teacher()
            and not identity.student_name(session_owner()))


def join_form() -> None:
    """"Join the class": a name, and the class code when the teacher set one."""
    st.title(t("join.title"))
    st.caption(t("join.intro"))
    with st.form("join_class", enter_to_submit=True, width=480):
        st.text_input(t("join.name"), key=JOIN_NAME_KEY, max_chars=identity.LONGEST_NAME)
        if identity.class_code_set():
            st.text_input(t("join.class_code"), key=JOIN_CODE_KEY, help=t("join.class_code_help"))
        joined = st.form_submit_button(t("join.submit"), type="primary")
    if classroom.teacher_password_set():
        st.caption(t("join.teacher_hint"))
    if joined:
        try:
            identity.join_class(student_token(), st.session_state.get(JOIN_NAME_KEY, ""),
                                st.session_state.get(JOIN_CODE_KEY, ""))
        except identity.IdentityError as error:
            st.error(shown_error(error), icon=":material/error:")
        else:
            st.rerun()


def identity_caption() -> None:
    """Sidebar: this student's name and board code (the code only, before joining)."""
    owner = session_owner()
    name = identity.student_name(owner)
    code = identity.student_code(owner)
    st.caption(t("sidebar.you", name=MARKDOWN_SPECIALS.sub(r"\\\1", name), code=code) if name
               else t("sidebar.your_code", code=code))


def keep_identity_in_cookies() -> None:
    """Write the student token and the teacher login into the browser's cookies where they
    differ from what the browser sent (nothing, most runs)."""
    writes = []
    student = student_token()
    if _sent_cookie(STUDENT_COOKIE) != student:
        writes.append(f"{STUDENT_COOKIE}={student}; max-age={STUDENT_COOKIE_SECONDS}")
    teacher = teacher_login()
    if _sent_cookie(TEACHER_COOKIE) != teacher:
        ends = (f"expires={formatdate(identity.teacher_token_expiry(teacher), usegmt=True)}"
                if teacher else "max-age=0")
        writes.append(f"{TEACHER_COOKIE}={teacher}; {ends}")
    if writes:
        st.html(_cookie_script(writes), unsafe_allow_javascript=True, width="content")


def _sent_cookie(name: str) -> str:
    """The cookie ``name`` as the browser sent it when the session opened ("" if it did not;
    AppTest's context answers with mocks, which count as not sent)."""
    value = st.context.cookies.get(name, "")
    return value if isinstance(value, str) else ""


def _cookie_script(cookies: list[str]) -> str:
    """A script setting ``cookies`` for the whole site, sent to no other site (and only over
    https when the page is). A block of its own: the page runs it again whenever it changes,
    and a second top-level ``const`` of one name would fail."""
    lines = "".join(f"document.cookie = {json.dumps(cookie + '; path=/; SameSite=Strict')}"
                    " + secure;" for cookie in cookies)
    return ('<script>{const secure = window.location.protocol === "https:" ? "; Secure" : "";'
            f"{lines}}}</script>")
