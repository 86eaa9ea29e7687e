"""Live polling: a view of runs re-read from their folders while any of them is active."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

# Every two seconds: every second was too often, since each rerun sends the charts again and a
# loaded browser redrawing them kept a second tab grey for up to half a minute
# (benchmarks/RESULTS.md).
POLL_SECONDS = 2.0


def live(view: Callable[[], bool], active: bool) -> None:
    """Draw ``view``; while ``active``, again every two seconds in a fragment, so charts with
    a ``key`` update in place. ``view`` returns whether what it shows is still active: when it
    is not, the whole page reruns, which stops the polling."""
    if active:
        _poll(view)
    else:
        view()


@st.fragment(run_every=POLL_SECONDS)
def _poll(view: Callable[[], bool]) -> None:
    if not view():
        st.rerun()
