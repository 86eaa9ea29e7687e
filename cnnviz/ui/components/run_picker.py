"""Choosing a run: the sidebar's picker, shared by every page, and a page's own choice among
some runs (the GAN page's GANs, the Train page's list), both opening on the current run."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from cnnviz.ui.i18n import t
from cnnviz.ui.state import RUN_PICKER_KEY, current_run, keep_run_in_url, set_current_run


def sidebar_run_picker(run_ids: list[str], own_run_ids: list[str]) -> None:
    """The sidebar's run picker: the run it shows is the current run of every page. Without
    one, it opens on the newest of ``own_run_ids`` (the runs this person may act on), or on
    none: a new student's current run is never a classmate's, whose training would turn
    their Start off and whose results they did not ask for."""
    _show_current_run_in_picker(run_ids, own_run_ids)
    st.selectbox(t("sidebar.run"), run_ids, key=RUN_PICKER_KEY, on_change=_pick_run,
                 placeholder=t("sidebar.pick_run"))
    if st.session_state[RUN_PICKER_KEY] != current_run():
        set_current_run(st.session_state[RUN_PICKER_KEY])
    keep_run_in_url()


def run_picker(label: str, run_ids: list[str], format_func: Callable[[str], str] = str,
               becomes_current: bool = False) -> str:
    """A choice among ``run_ids`` that opens on the current run, or the first when the current
    run is not among them; with ``becomes_current`` the pick is the current run from then on
    (and the picker follows the current run when another page or the sidebar changes it)."""
    key = f"run_picker.{label}"
    chosen = current_run()
    if becomes_current or st.session_state.get(key) not in run_ids:
        st.session_state[key] = chosen if chosen in run_ids else run_ids[0]
    picked = st.selectbox(label, run_ids, key=key, format_func=format_func,
                          on_change=_pick_run_of if becomes_current else None, args=(key,))
    if becomes_current and picked != chosen:
        set_current_run(picked)
    return picked


def _show_current_run_in_picker(run_ids: list[str], own_run_ids: list[str]) -> None:
    """Before the picker is drawn: show the current run (set by a link, the class board or a
    page), or this person's newest run when there is none or it was deleted."""
    chosen = current_run()
    if chosen not in run_ids:
        chosen = st.session_state.get(RUN_PICKER_KEY)
    if chosen not in run_ids:
        chosen = next(iter(own_run_ids), None)
    st.session_state[RUN_PICKER_KEY] = chosen


def _pick_run() -> None:
    """The student picked a run in the sidebar: it becomes the current run."""
    _pick_run_of(RUN_PICKER_KEY)


def _pick_run_of(key: str) -> None:
    """The student picked a run in the picker keyed ``key``: it becomes the current run before
    the page is drawn again, so the picker, opened on the current run, shows the pick."""
    set_current_run(st.session_state[key])
