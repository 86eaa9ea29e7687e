"""Every page runs inside ``app.py``'s shell (navigation, sidebar, language).

Streamlit still knows the old "pages/ folder" mode: until some session has called
``st.navigation``, a browser that opens a page's address directly (a shared
``/evaluation?run=ID`` link right after the server started) gets that page script run on its
own, without the shell. The guard at the top of each page switches the server to
``st.navigation`` and reruns once, so the shell draws and routes to the same page.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_SHELL_SEEN_KEY = "shell_seen"
# The browser tab's icon ships with the app: a Material icon name would make the browser fetch
# the picture from Google's font server, which a classroom without internet cannot reach.
PAGE_ICON = Path(__file__).with_name("page_icon.png")


def require_shell() -> None:
    """Rerun through ``app.py`` when a session's first page was started without it.

    Only then: a rerun drops the click that started the run, and a harness that returns to the
    old mode on every run (Streamlit's AppTest does) must not lose every click.
    """
    seen = st.session_state.get(_SHELL_SEEN_KEY, False)
    st.session_state[_SHELL_SEEN_KEY] = True
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if not seen:
            st.rerun()
