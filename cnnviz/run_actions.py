"""Who may do what with a run: the one way to start, stop, resume, delete and restore runs.

Every button of every page and every command of the command line comes here with the person
who asks (an :class:`Actor`). This module records the owner of a new run, applies the session
limit and class mode's caps to every kind of run, and refuses, with a typed error, an action on
someone else's run; the pages only grey out what this module would refuse.

The rules:

- a run's Stop, Resume and Delete are its owner's and the teacher's. On an open server (no
  teacher password and class mode off: one person on a laptop) there is no class to protect,
  and everyone may act on every run;
- a student may have ``classroom.runs_per_session()`` runs waiting or training at once, and
  in class mode each run of theirs is capped (``classroom.capped_run``);
- a plan of several runs (a hyper-parameter study, a report's experiments) is the teacher's
  only in class mode: it would hold several places of the one queue the class shares, and the
  class allows a student one run at a time. Outside class mode a student may queue a plan when
  none of their runs waits or trains; its runs then count against their limit until they end;
- Delete moves a run to the trash (``cnnviz.runs.trash``), which only the teacher restores or
  empties: nothing is lost by one click.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from cnnviz import classroom, runs
from cnnviz.identity import student_code
from cnnviz.atomic import file_lock
from cnnviz.errors import RunPermissionError
from cnnviz.runs import RunConfig, RunStatus
from cnnviz.runs import trash


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


def open_server() -> bool:
    """No teacher password and class mode off: one person on a laptop, no class to protect."""
    return not classroom.teacher_password_set() and not classroom.class_mode_on()


def manages_class(actor: Actor) -> bool:
    """Whether ``actor`` may act on every run, restore and empty the trash."""
    return actor.teacher or open_server()


def may_change(actor: Actor, owner: str) -> bool:
    """Whether ``actor`` may stop, resume or delete a run started by ``owner``."""
    return manages_class(actor) or bool(owner) and owner == actor.owner


def start_runs(actor: Actor, configs: Sequence[RunConfig]) -> list[str]:
    """Queue ``configs`` for ``actor`` and return their ids: the owner recorded, the session
    limit and, in class mode, the caps applied for a student (the teacher has neither).
    Raises ``SessionRunLimitError`` or ``RunPermissionError``."""
    configs = list(configs)
    if not actor.teacher:
        if len(configs) > 1 and classroom.class_mode_on():
            raise RunPermissionError("error.runs.plan_is_teachers", runs=len(configs))
        if classroom.class_mode_on():
            limits = classroom.class_limits()
            configs = [classroom.capped_run(config, limits)[0] for config in configs]
    # One student's two tabs pressing Start together must not both pass the limit.
    with _starts_lock():
        if not actor.teacher:
            # A plan needs a session with nothing waiting or training; one run, a free place.
            limit = 1 if len(configs) > 1 else classroom.runs_per_session()
            classroom.check_session_limit(actor.owner, runs.list_runs(), limit)
        return [runs.start_run(config, actor.owner, actor.name) for config in configs]


def start_run(actor: Actor, config: RunConfig) -> str:
    """Queue one run for ``actor`` (see :func:`start_runs`)."""
    return start_runs(actor, [config])[0]


def stop_run(actor: Actor, run_id: str, force: bool = False) -> RunStatus:
    """Ask ``actor``'s run to stop (``force``: SIGTERM, then SIGKILL)."""
    _check_owner(actor, run_id)
    return runs.kill_run(run_id) if force else runs.request_stop(run_id)


def resume_run(actor: Actor, run_id: str) -> RunStatus:
    """Queue ``actor``'s stopped or interrupted run again. For a student it counts against the
    session limit, and in class mode the run must be within the caps (it was, if it started in
    class mode; a run from before class mode would skip them)."""
    _check_owner(actor, run_id)
    with _starts_lock():
        if not actor.teacher:
            classroom.check_session_limit(actor.owner, runs.list_runs(),
                                          classroom.runs_per_session())
            config = runs.read_config(run_id)
            if (classroom.class_mode_on()
                    and classroom.capped_run(config, classroom.class_limits())[0] != config):
                raise RunPermissionError("error.runs.resume_over_class_caps", run_id=run_id)
        return runs.resume_run(run_id)


def delete_run(actor: Actor, run_id: str) -> None:
    """Move ``actor``'s run to the trash (a run that trains must be stopped first)."""
    _check_owner(actor, run_id)
    trash.move_to_trash(run_id, actor.name or student_code(actor.owner))


def restore_run(actor: Actor, run_id: str) -> None:
    """Put a deleted run back (the teacher's)."""
    _check_manager(actor)
    trash.restore_from_trash(run_id)


def empty_trash(actor: Actor, run_ids: Sequence[str] | None = None) -> list[str]:
    """Delete for good the trashed ``run_ids`` (all of them when None); the teacher's."""
    _check_manager(actor)
    removed = [run.run_id for run in trash.trashed_runs()] if run_ids is None else list(run_ids)
    for run_id in removed:
        trash.remove_from_trash(run_id)
    return removed


def empty_expired_trash(now: float | None = None) -> list[str]:
    """Delete for good the runs trashed longer ago than ``trash.trash_days()`` (run when the
    server starts, by no one in particular)."""
    expired = trash.expired_runs(time.time() if now is None else now, trash.trash_days())
    for run_id in expired:
        trash.remove_from_trash(run_id)
    return expired


def refusal(actor: Actor, run: dict[str, Any]) -> str | None:
    """Why ``actor`` may not stop, resume or delete ``run`` (a catalogue key, with the owner's
    name as ``{owner}``), or None when they may: for a page to grey out the button and say why."""
    if may_change(actor, run.get("owner", "")):
        return None
    return "runs.not_yours" if run.get("owner") else "runs.teachers_run"


def _check_owner(actor: Actor, run_id: str) -> None:
    """Raise ``RunPermissionError`` unless ``actor`` may act on the run."""
    owner, owner_name = runs.read_owner(run_id)
    if not may_change(actor, owner):
        raise RunPermissionError("error.runs.not_your_run", run_id=run_id,
                                 owner=owner_name or student_code(owner) or "—")


def _starts_lock() -> AbstractContextManager[None]:
    """Held while a start or resume checks the session limit and queues: every process of
    the server waits its turn, so one student's two tabs cannot both pass the limit."""
    return file_lock(runs.runs_root() / ".starts.lock")


def _check_manager(actor: Actor) -> None:
    if not manages_class(actor):
        raise RunPermissionError("error.runs.teachers_only")
