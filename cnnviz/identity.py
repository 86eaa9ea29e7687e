"""Who is who in a class on one server: students' tokens, the class roster and the teacher's
login.

A browser holds a secret token (256 random bits); runs, the roster and the class board only
ever see its public id, a hash of it, so neither a run archive nor the board's short code lets
anyone act as that student. The roster maps public ids to names. The teacher's login is a
token signed with a server secret that carries its expiry, so it survives a reload for the
lesson; wrong teacher passwords are slowed down per client. Everything shared lives in the
runs folder, which every server process sees.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import re
import secrets
import tempfile
import unicodedata
from pathlib import Path

from cnnviz import settings
from cnnviz.atomic import file_lock, read_json, write_json_atomic
from cnnviz.errors import CnnvizError

TOKEN_BYTES = 32  # 256 random bits
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
OWNER_ID_LENGTH = 32  # hex digits: 128 bits of the hash
CODE_LENGTH = 4
LONGEST_NAME = 40
ROSTER_FILE = "students.json"
SECRET_FILE = ".identity_secret"
ATTEMPTS_FILE = ".teacher_attempts.json"
ROSTER_LOCK, ATTEMPTS_LOCK = ".students.lock", ".teacher_attempts.lock"
LESSON_HOURS = 4.0
FREE_FAILURES = 3  # wrong passwords before the first wait
FIRST_WAIT_SECONDS = 5.0  # then doubled at every further failure ...
LONGEST_WAIT_SECONDS = 900.0  # ... up to a quarter of an hour
FORGET_FAILURES_SECONDS = 24 * 3600.0
# Characters that reorder the text around them: a name could show on the board as another's.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
EXPIRY_PATTERN = re.compile(r"[0-9]{1,12}")


class IdentityError(CnnvizError):
    """A student cannot join the class as asked."""


class InvalidNameError(IdentityError):
    """The name is empty, too long, or holds line breaks or other control characters."""


class NameTakenError(IdentityError):
    """Another student of the class joined with this name."""


class WrongClassCodeError(IdentityError):
    """The class code typed is not the teacher's ``CNNVIZ_CLASS_CODE``."""


class TooManyAttemptsError(CnnvizError):
    """Too many wrong teacher passwords from this client: ``seconds`` to wait."""

    def __init__(self, key: str, seconds: int) -> None:
        super().__init__(key, seconds=seconds)
        self.seconds = seconds


def new_token() -> str:
    """A browser's secret: whoever holds it is that student."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def valid_token(token: str) -> bool:
    """Whether ``token`` has the form :func:`new_token` gives (a cookie may hold anything)."""
    return bool(TOKEN_PATTERN.fullmatch(token or ""))


def owner_id(token: str) -> str:
    """The public id of the holder of ``token``, written into their runs.

    A hash: the id tells nothing about the token, which has far too many bits to be guessed
    from it. Raises ``ValueError`` for a malformed token (the caller makes a new one).
    """
    if not valid_token(token):
        raise ValueError("malformed identity token")
    digest = hashlib.sha256(b"cnnviz-owner:" + token.encode()).hexdigest()
    return digest[:OWNER_ID_LENGTH]


def student_code(owner: str) -> str:
    """The short code a student sees in the sidebar and the teacher on the board: for display
    only, it is part of the public id."""
    return owner[:CODE_LENGTH].upper() if owner else ""


def owner_label(run: dict) -> str:
    """Who started ``run`` (a ``runs.list_runs`` row), as lists and the board show it: the
    name the student joined with, else the short code; "" for the command line."""
    return run.get("owner_name") or student_code(run.get("owner", ""))


def class_code_set() -> bool:
    """Whether the teacher set a class code (``CNNVIZ_CLASS_CODE``) that joining asks for."""
    return bool(os.environ.get("CNNVIZ_CLASS_CODE", "").strip())


def join_class(token: str, name: str, class_code: str) -> str:
    """Record the holder of ``token`` in the roster as ``name``; their public id.

    Joining again renames. Raises ``WrongClassCodeError`` when the teacher set a class code
    and ``class_code`` is not it, ``InvalidNameError``, and ``NameTakenError`` when another
    student has the name (case and surrounding spaces ignored).
    """
    expected = os.environ.get("CNNVIZ_CLASS_CODE", "").strip()
    typed = class_code.strip()
    if expected and not hmac.compare_digest(typed.casefold().encode(),
                                            expected.casefold().encode()):
        raise WrongClassCodeError("error.identity.wrong_class_code")
    name = checked_name(name)
    owner = owner_id(token)
    with file_lock(_shared(ROSTER_LOCK)):
        roster = read_json(_shared(ROSTER_FILE), {})
        if any(other != owner and taken.casefold() == name.casefold()
               for other, taken in roster.items()):
            raise NameTakenError("error.identity.name_taken", name=name)
        roster[owner] = name
        write_json_atomic(_shared(ROSTER_FILE), roster)
    return owner


def student_name(owner: str) -> str:
    """The name the student with public id ``owner`` joined with ("" if they have not)."""
    return str(read_json(_shared(ROSTER_FILE), {}).get(owner, ""))


def checked_name(name: str) -> str:
    """``name`` without surrounding spaces; raises ``InvalidNameError`` if it cannot be shown
    on the board as a name."""
    name = name.strip()
    if not name:
        raise InvalidNameError("error.identity.name_empty")
    if len(name) > LONGEST_NAME:
        raise InvalidNameError("error.identity.name_too_long", longest=LONGEST_NAME)
    if any(unicodedata.category(character) in ("Cc", "Zl", "Zp") or character in BIDI_CONTROLS
           for character in name):
        raise InvalidNameError("error.identity.name_control")
    return name


def teacher_password() -> str:
    """``CNNVIZ_TEACHER_PASSWORD`` ("" when the server has no teacher)."""
    return os.environ.get("CNNVIZ_TEACHER_PASSWORD", "")


def password_matches(text: str) -> bool:
    """Whether ``text`` is the teacher password (compared in constant time)."""
    expected = teacher_password()
    return bool(expected) and hmac.compare_digest(text.encode(), expected.encode())


def check_teacher_password(text: str, now: float, client: str = "") -> bool:
    """Whether ``text`` is the teacher password, slowed down for guessing.

    After ``FREE_FAILURES`` wrong passwords from ``client`` (the browser's address), every
    attempt before a wait is over raises ``TooManyAttemptsError`` without looking at the
    password, and each further failure doubles the wait. Nothing sleeps: the server thread
    answers at once. Kept per client, so a student guessing does not lock the teacher out.
    """
    with file_lock(_shared(ATTEMPTS_LOCK)):
        attempts = {who: entry for who, entry in read_json(_shared(ATTEMPTS_FILE), {}).items()
                    if now - entry["last"] < FORGET_FAILURES_SECONDS}
        entry = attempts.get(client, {"failures": 0, "until": 0.0, "last": now})
        if now < entry["until"]:
            raise TooManyAttemptsError("error.identity.too_many_attempts",
                                       seconds=math.ceil(entry["until"] - now))
        right = password_matches(text)
        if right:
            attempts.pop(client, None)
        else:
            failures = entry["failures"] + 1
            attempts[client] = {"failures": failures, "until": now + wait_after(failures),
                                "last": now}
        write_json_atomic(_shared(ATTEMPTS_FILE), attempts)
    return right


def wait_after(failures: int) -> float:
    """Seconds a client waits after its ``failures``-th wrong password in a row."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(FIRST_WAIT_SECONDS * 2 ** (failures - FREE_FAILURES), LONGEST_WAIT_SECONDS)


def teacher_token(now: float) -> str:
    """The teacher's login for the lesson: ``EXPIRY.SIGNATURE``, valid until ``EXPIRY``
    (``CNNVIZ_TEACHER_HOURS`` after ``now``, 4 by default). Raises ``ValueError`` on a server
    without a teacher password."""
    if not teacher_password():
        raise ValueError("the server has no teacher password")
    hours = float(os.environ.get("CNNVIZ_TEACHER_HOURS", LESSON_HOURS))
    expiry = int(now + hours * 3600)
    return f"{expiry}.{_signature(expiry)}"


def teacher_token_valid(token: str, now: float) -> bool:
    """Whether ``token`` is a teacher login this server signed, not yet expired, for the
    current teacher password (changing the password logs every teacher out)."""
    expiry, _, signature = (token or "").partition(".")
    if not teacher_password() or not EXPIRY_PATTERN.fullmatch(expiry) or now >= int(expiry):
        return False
    return hmac.compare_digest(signature.encode(), _signature(int(expiry)).encode())


def teacher_token_expiry(token: str) -> int:
    """When a teacher token (already checked) ends, in seconds since the epoch."""
    return int(token.partition(".")[0])


def _signature(expiry: int) -> str:
    password = hashlib.sha256(teacher_password().encode()).hexdigest()
    content = f"cnnviz-teacher:{expiry}:{password}".encode()
    return hmac.new(_server_secret(), content, hashlib.sha256).hexdigest()


def _server_secret() -> bytes:
    """The key of the teacher's signatures: random, made on first use, readable by the server's
    user only. Written aside and linked into place, so concurrent first uses agree."""
    path = _shared(SECRET_FILE)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=".secret-")  # mode 0600
        with os.fdopen(handle, "w") as written:
            written.write(secrets.token_hex(32))
        try:
            os.link(name, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(name)
    return path.read_bytes()


def _shared(name: str) -> Path:
    return settings.runs_dir() / name

