"""Class board: every run of the class, live (state, epoch, accuracy, place in the queue,
when the queue will be empty), sortable; a click on a row shows that run on the projector.
The teacher stops, resumes and deletes any run here, and restores deleted runs from the
trash."""

import time

import streamlit as st

from cnnviz import runs
from cnnviz.analysis.class_board import (BOARD_COLUMNS, BOARD_STATES, board_cells, board_table,
                                         sorted_board, state_counts)
from cnnviz.runs import RunState
from cnnviz.classroom import queue_forecast_now
from cnnviz.identity import owner_label
from cnnviz.training.timing import format_duration
from cnnviz.ui.classroom import board_open
from cnnviz.ui.components.run_picker import run_picker
from cnnviz.runs.trash import trashed_runs
from cnnviz.ui.run_buttons import (delete_button, empty_trash_button, restore_button,
                                   resume_button, stop_button)
from cnnviz.ui.components.choices import translated
from cnnviz.ui.i18n import t
from cnnviz.ui.presentation import PICKER_KEY, PRESENTATION_KEY
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import set_current_run

TABLE_KEY = "board_table"
ORDER_KEY = "board_order"  # the run ids in the order the table shows them
SHOW_KEY = "board_show"  # the run picked for the projector, switched to on the next run
SORT_KEY = "board_sort"
SORTABLE = ("run_id", "student", "state", "progress", "accuracy", "queue")

require_shell()
st.title(t("board.title"))
if not board_open():
    st.info(t("board.locked"), icon=":material/lock:")
    st.stop()

picked = st.session_state.pop(SHOW_KEY, None)
if picked:
    state = runs.read_status(picked).get("state") if picked in {
        run["run_id"] for run in runs.list_runs()} else None
    if state is not None:
        st.switch_page("pages/evaluation.py" if state in RunState.EVALUATED else "pages/train.py")

st.caption(t("board.caption"))
left, right = st.columns([2, 1])
sort_by = left.selectbox(t("board.sort"), SORTABLE, key=SORT_KEY,
                         format_func=translated("board.{}"))
descending = right.toggle(t("board.descending"), value=sort_by in ("progress", "accuracy"))


def show_on_projector() -> None:
    """Row clicked: that run becomes the current run, presentation mode goes on, and the next
    run opens its page (live training or its evaluation)."""
    rows = st.session_state[TABLE_KEY].selection.rows
    order = st.session_state.get(ORDER_KEY, [])
    if rows and rows[0] < len(order):
        set_current_run(order[rows[0]])
        st.session_state[PRESENTATION_KEY] = st.session_state[PICKER_KEY] = True
        st.session_state[SHOW_KEY] = order[rows[0]]


@st.fragment(run_every=2.0)
def live_board() -> None:
    """Re-read every run folder every two seconds; the table keeps its key."""
    if SHOW_KEY in st.session_state:  # a row was clicked: the whole page opens that run
        st.rerun(scope="app")
    listed = runs.list_runs()
    if not listed:
        st.info(t("home.no_runs"))
        return
    metrics = {run["run_id"]: runs.read_metrics(run["run_id"]) for run in listed}
    forecast = queue_forecast_now(listed)
    table = board_table(listed, metrics, forecast.places, time.time(),
                        name_template=t("runs.default_name"))
    table = sorted_board(table, sort_by, descending)
    st.session_state[ORDER_KEY] = list(table["run_id"])
    for column, (state, count) in zip(st.columns(len(BOARD_STATES)),
                                      state_counts(table).items()):
        column.metric(t(f"state.{state}"), count)
    shown = board_cells(table).assign(state=[t(f"state.{state}") for state in table["state"]])
    st.dataframe(
        shown.rename(columns={column: t(f"board.{column}") for column in BOARD_COLUMNS}),
        hide_index=True, width="stretch", key=TABLE_KEY, on_select=show_on_projector,
        selection_mode="single-row",
        column_config={
            t("board.progress"): st.column_config.ProgressColumn(min_value=0, max_value=1,
                                                                 format="percent"),
        })
    if forecast.drain_seconds > 0:
        st.caption(t("board.queue_empty_in", wait=format_duration(forecast.drain_seconds),
                     time=time.strftime("%H:%M", time.localtime(time.time()
                                                                + forecast.drain_seconds))))
    st.caption(t("board.click_hint"))


live_board()


def run_actions_of_the_board() -> None:
    """Stop, resume or delete any run of the class (the teacher's; a student who opens an
    unlocked board still gets only what the core allows them)."""
    listed = runs.list_runs()
    if not listed:
        return
    st.subheader(t("board.actions"))
    by_id = {run["run_id"]: run for run in listed}

    # The label leaves the state out: a label that changes when the run stops would make
    # Streamlit take the picker for a new widget and fall back to the newest run.
    picked = run_picker(t("board.pick_run"), list(by_id),
                        format_func=lambda key: f"{key} — {owner_label(by_id[key]) or '—'}")
    stop, resume, delete = st.columns(3)
    if (stop_button(by_id[picked], "board_stop", stop)
            or resume_button(by_id[picked], "board_resume", resume)
            or delete_button(by_id[picked], "board_delete", delete)):
        st.rerun()


def trash_section() -> None:
    """The deleted runs: restore one, or empty the trash for good."""
    trashed = trashed_runs()
    with st.expander(t("board.trash", count=len(trashed)), icon=":material/delete:"):
        if not trashed:
            st.caption(t("board.trash_empty"))
            return
        for run in trashed:
            name, restore = st.columns([4, 1], vertical_alignment="center")
            name.markdown(t("board.trashed_run", run=run.run_id, name=run.name or "—",
                            owner=run.owner_name or "—", by=run.trashed_by or "—"))
            if restore_button(run.run_id, f"restore_{run.run_id}", restore):
                st.rerun()
        if empty_trash_button("board_empty_trash"):
            st.rerun()


run_actions_of_the_board()
trash_section()
