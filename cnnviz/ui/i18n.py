"""``t(key)``: a message in the language chosen in the sidebar."""

from __future__ import annotations

import streamlit as st

from cnnviz.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate

LANGUAGE_KEY = "language"
# The sidebar widget keeps its own key: Streamlit forgets a widget's value in a run that does not
# draw it, and the chosen language must survive such a run.
PICKER_KEY = "language_picker"


def language() -> str:
    """The session's language (``?lang=es`` in the URL chooses it for a shared link)."""
    if LANGUAGE_KEY not in st.session_state:
        chosen = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state[LANGUAGE_KEY] = chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE
    return st.session_state[LANGUAGE_KEY]


def language_picker() -> None:
    """The sidebar's language switch."""
    codes = list(LANGUAGES)
    st.selectbox(t("sidebar.language"), codes, index=codes.index(language()),
                 format_func=LANGUAGES.get, key=PICKER_KEY, on_change=_remember_choice)


def _remember_choice() -> None:
    st.session_state[LANGUAGE_KEY] = st.session_state[PICKER_KEY]


def t(key: str, **values: object) -> str:
    return translate(key, language(), **values)
