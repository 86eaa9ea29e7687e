"""Class board: every run of the class, live (state, epoch, accuracy, place in the queue),
sortable; a click on a row shows that run on the projector."""

import time

import streamlit as st

from cnnviz import runs
from cnnviz.analysis.class_board import (BOARD_COLUMNS, board_cells, board_table, sorted_board,
                                         state_counts)
from cnnviz.runs import RunState
from cnnviz.ui.classroom import board_open, queue_places_now
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
    table = board_table(listed, metrics, queue_places_now(listed), time.time())
    table = sorted_board(table, sort_by, descending)
    st.session_state[ORDER_KEY] = list(table["run_id"])
    counts = state_counts(table, (RunState.RUNNING, RunState.QUEUED, RunState.FINISHED,
                                RunState.FAILED))
    for column, (state, count) in zip(st.columns(4), counts.items()):
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
    st.caption(t("board.click_hint"))


live_board()
