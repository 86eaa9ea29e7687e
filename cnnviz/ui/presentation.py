"""Presentation mode, for a projector in front of a class: larger text and figures, the
sidebar folded away. Kept in the session, so it holds on every page."""

from __future__ import annotations

import streamlit as st

PRESENTATION_KEY = "presentation_mode"
PICKER_KEY = "presentation_picker"

# Streamlit sizes its text in rem, so one root size scales every page; charts and images grow
# with the wider main column.
PRESENTATION_CSS = """
<style>
html { font-size: 21px; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 2rem;
  padding-right: 2rem; }
</style>
"""


def presenting() -> bool:
    return bool(st.session_state.get(PRESENTATION_KEY, False))


def presentation_toggle() -> None:
    """The sidebar switch; it reruns at once so the sidebar folds away."""
    st.toggle(_label(), value=presenting(), key=PICKER_KEY, on_change=_remember)


def apply_presentation() -> None:
    """Enlarge the page when presenting (call once per run, after the page config)."""
    if presenting():
        # Markdown, not st.html: a style-only st.html is sent once and then kept by the
        # browser, so switching the mode off would not take the style away.
        st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)


def _remember() -> None:
    st.session_state[PRESENTATION_KEY] = st.session_state[PICKER_KEY]


def _label() -> str:
    from cnnviz.ui.i18n import t

    return t("sidebar.presentation")
