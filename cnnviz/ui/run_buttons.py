"""The buttons that act on runs — Start, Stop, Resume, Delete — as every page draws them: each
calls ``cnnviz.run_actions`` with the person in this browser, greys out what the core would
refuse and says why, and shows a refusal as a message instead of a traceback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from cnnviz import classroom, run_actions, runs
from cnnviz.identity import owner_label
from cnnviz.errors import CnnvizError
from cnnviz.runs import RunConfig, RunState
from cnnviz.ui.identity import current_actor
from cnnviz.ui.i18n import shown_error, t


def start_for_session(configs: Sequence[RunConfig]) -> list[str]:
    """Queue ``configs`` for this browser's person; an empty list, with the reason shown as a
    warning, when the core refuses (the session limit, a plan that is the teacher's)."""
    try:
        return run_actions.start_runs(current_actor(), configs)
    except classroom.SessionRunLimitError:
        st.warning(session_limit_message(), icon=":material/block:")
    except CnnvizError as error:
        st.warning(shown_error(error), icon=":material/block:")
    return []


def session_limit_message() -> str:
    return t("train.session_limit", limit=classroom.runs_per_session())


def own_runs(listed: list[dict[str, Any]]) -> list[str]:
    """The runs this person may act on (their own; every run for the teacher), newest first."""
    actor = current_actor()
    return [run["run_id"] for run in listed if run_actions.may_change(actor, run["owner"])]


def start_refusal(listed: list[dict[str, Any]], current: str | None) -> str | None:
    """Why Start is off for this person (a sentence), or None: only their own run waiting or
    training turns it off — the current run when it is theirs (a second click would queue a
    copy of it), or as many of their runs as the session may have."""
    actor = current_actor()
    active = classroom.active_runs_of(actor.owner, listed)
    if not active:
        return None
    if current in active:
        return t("train.start_busy_own", run=current)
    if not actor.teacher and len(active) >= classroom.runs_per_session():
        return t("train.start_busy_limit", run=active[0], limit=classroom.runs_per_session())
    return None


def refusal_text(run: dict[str, Any]) -> str | None:
    """Why this person may not stop, resume or delete ``run``, or None when they may."""
    key = run_actions.refusal(current_actor(), run)
    return t(key, owner=owner_label(run)) if key else None


def stop_button(run: dict[str, Any], key: str, place: DeltaGenerator | None = None) -> bool:
    """Stop for a run that waits or trains (off while it stops, or when it is someone else's);
    when clicked it asks the core and returns True."""
    state = run["status"].get("state")
    if state not in RunState.ACTIVE:
        return False
    refused = refusal_text(run)
    if not (place or st).button(t("train.stop"), key=key, width="stretch",
                                disabled=state == RunState.STOPPING or refused is not None,
                                help=refused):
        return False
    return _act(run_actions.stop_run, run["run_id"])


def resume_button(run: dict[str, Any], key: str, place: DeltaGenerator | None = None) -> bool:
    """Resume for a stopped or interrupted run (off when it is someone else's)."""
    refused = refusal_text(run)
    if not (place or st).button(t("train.resume"), key=key, width="stretch",
                                disabled=not run["status"].resumable or refused is not None,
                                help=refused):
        return False
    return _act(run_actions.resume_run, run["run_id"])


def delete_button(run: dict[str, Any], key: str, place: DeltaGenerator | None = None) -> bool:
    """Delete, behind a confirmation: the run goes to the trash, which the teacher restores
    from. Off while the run trains, and when it is someone else's."""
    refused = refusal_text(run)
    working = run["status"].working
    with (place or st).popover(t("train.delete"), width="stretch",
                               disabled=working or refused is not None,
                               help=refused or (t("train.delete_stop_first") if working else None)):
        st.markdown(t("train.delete_confirm", run=run["run_id"]))
        if not st.button(t("train.delete_yes"), key=key, type="primary"):
            return False
    return _act(run_actions.delete_run, run["run_id"])


def restore_button(run_id: str, key: str, place: DeltaGenerator | None = None) -> bool:
    """Restore a deleted run (the teacher's)."""
    if not (place or st).button(t("board.restore"), key=key, width="stretch",
                                disabled=not run_actions.manages_class(current_actor()),
                                help=t("error.runs.teachers_only")):
        return False
    return _act(run_actions.restore_run, run_id)


def empty_trash_button(key: str) -> bool:
    """Empty the trash for good, behind a confirmation (the teacher's)."""
    with st.popover(t("board.empty_trash"), icon=":material/delete_forever:",
                    disabled=not run_actions.manages_class(current_actor())):
        st.markdown(t("board.empty_trash_confirm"))
        if not st.button(t("board.empty_trash_yes"), key=key, type="primary"):
            return False
    try:
        run_actions.empty_trash(current_actor())
    except CnnvizError as error:
        st.error(shown_error(error))
        return False
    return True


def _act(action, run_id: str) -> bool:
    """Run ``action`` for this person; a refusal of the core shows as an error."""
    try:
        action(current_actor(), run_id)
    except CnnvizError as error:
        st.error(shown_error(error))
        return False
    return True


def listed_run(run_id: str) -> dict[str, Any]:
    """``run_id`` as ``runs.list_runs`` gives it (its owner and status), for the buttons."""
    owner, owner_name = runs.read_owner(run_id)
    return {"run_id": run_id, "owner": owner, "owner_name": owner_name,
            "status": runs.read_status(run_id)}
