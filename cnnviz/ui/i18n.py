"""``t(key)``: a message in the language chosen in the sidebar."""

from __future__ import annotations

import streamlit as st

from cnnviz.errors import CnnvizError
from cnnviz.i18n import DEFAULT_LANGUAGE, has_message, languages, translate
from cnnviz.training.device import CPU_ONLY

LANGUAGE_KEY = "language"
# The sidebar widget keeps its own key: Streamlit forgets a widget's value in a run that does not
# draw it, and the chosen language must survive such a run.
PICKER_KEY = "language_picker"


def language() -> str:
    """The session's language (``?lang=es`` in the URL chooses it for a shared link)."""
    if LANGUAGE_KEY not in st.session_state:
        chosen = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state[LANGUAGE_KEY] = chosen if chosen in languages() else DEFAULT_LANGUAGE
    return st.session_state[LANGUAGE_KEY]


def keep_language_in_url() -> None:
    """Write the language into the address (beside ``?run=ID``) so that a copied link opens
    in it; English, the default, needs no parameter."""
    chosen = language()
    if chosen != DEFAULT_LANGUAGE and st.query_params.get("lang") != chosen:
        st.query_params["lang"] = chosen
    elif chosen == DEFAULT_LANGUAGE and "lang" in st.query_params:
        del st.query_params["lang"]


def language_picker() -> None:
    """The sidebar's language switch."""
    names = languages()
    codes = list(names)
    st.selectbox(t("sidebar.language"), codes, index=codes.index(language()),
                 format_func=names.get, key=PICKER_KEY, on_change=_remember_choice)


def _remember_choice() -> None:
    st.session_state[LANGUAGE_KEY] = st.session_state[PICKER_KEY]


def t(key: str, **values: object) -> str:
    return translate(key, language(), **values)


def shown_error(error: Exception) -> str:
    """An error's message as a page shows it: a core error in the session's language; any
    other (a converter's or the system's own words) as it is."""
    return error.message(language()) if isinstance(error, CnnvizError) else str(error)


def shown_class_names(names: list[str], source: str) -> list[str]:
    """Class names as a page shows them: the generated shapes' names in the session's
    language, any other dataset's (a student's own folders) exactly as they are."""
    if source != "shapes":
        return list(names)
    return [t(f"shape.{name}") if has_message(f"shape.{name}") else name for name in names]


def shown_reason(status: dict, fallback_key: str) -> str:
    """Why a run failed or was interrupted, in the session's language (runs of older versions
    hold the English ``error`` only; ``fallback_key`` when there is no reason at all)."""
    by_language = status.get("error_messages") or {}
    return by_language.get(language()) or status.get("error") or t(fallback_key)


def shown_device(device: str) -> str:
    """A run's device as the worker described it, in the session's language."""
    return device.replace(CPU_ONLY, t("device.cpu"))
