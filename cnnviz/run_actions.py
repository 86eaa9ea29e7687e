"""Who may do what with a run: the one way to start, stop, resume, delete and restore runs.

Every button of every page and every command of the command line comes here with the person
who asks (an :class:`Actor`); this module records the owner of a new run, applies the session
limit and class mode's caps, and refuses, with a typed error, an action on someone else's run.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The person behind a request.

    ``owner`` is public: the id written into the runs this person starts (a hash of the
    browser's secret token, never the token itself, so a run archive or the class board cannot
    give anyone the token). ``name`` is what the class board shows. ``teacher`` is the teacher
    logged in, or the command line (whoever runs it holds the server's files anyway).
    """

    owner: str
    name: str = ""
    teacher: bool = False


COMMAND_LINE = Actor(owner="", name="", teacher=True)
