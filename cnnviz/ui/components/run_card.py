"""The run card: a run's name and state, why it ended and its progress, as the Train and GAN
pages show them (its Stop button is ``cnnviz.ui.run_buttons.stop_button``)."""

from __future__ import annotations

import streamlit as st

from cnnviz.analysis.progress import Progress
from cnnviz.runs import RunState
from cnnviz.ui.i18n import shown_device, shown_reason, t


def run_heading(run_id: str, status: dict, with_device: bool = False) -> None:
    """``**run id** — state`` (and the device it trains on, when asked and known)."""
    state = status.get("state", RunState.QUEUED)
    device = f" — {shown_device(status['device'])}" if with_device and status.get("device") else ""
    st.markdown(f"**{run_id}** — {t(f'state.{state}')}" + device)


def run_ending(status: dict, with_details: bool = False) -> None:
    """Why a failed or interrupted run ended (with the failure's traceback when asked)."""
    state = status.get("state")
    if state == RunState.FAILED:
        st.error(shown_reason(status, "train.failed"))
        if with_details:
            with st.expander(t("train.details")):
                st.code(status.get("error_detail") or "", language=None)
    elif state == RunState.INTERRUPTED:
        st.warning(shown_reason(status, "state.interrupted"))


def progress_bar(progress: Progress, suffix: str = "") -> None:
    """Epoch and batch of a run with an epoch count, ``suffix`` after them (the time left);
    with a time budget the epochs are only the most it trains."""
    if progress.epochs:
        key = "train.progress" if progress.axis_epochs else "train.progress_budgeted"
        st.progress(progress.fraction, text=t(key, epoch=progress.epoch,
                                               epochs=progress.epochs, batch=progress.batch,
                                               batches=progress.batches) + suffix)
