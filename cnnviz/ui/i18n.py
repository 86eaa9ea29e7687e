"""``t(key)``: a message in the language chosen in the sidebar."""

from __future__ import annotations

import streamlit as st

from cnnviz.i18n import DEFAULT_LANGUAGE, translate

LANGUAGE_KEY = "language"


def language() -> str:
    """The session's language (``?lang=es`` in the URL chooses it for a shared link)."""
    if LANGUAGE_KEY not in st.session_state:
        st.session_state[LANGUAGE_KEY] = st.query_params.get("lang", DEFAULT_LANGUAGE)
    return st.session_state[LANGUAGE_KEY]


def t(key: str, **values: object) -> str:
    return translate(key, language(), **values)
