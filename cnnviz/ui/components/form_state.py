"""Settings widgets that keep every edit: keyed, and seeded from the session's choice.

A widget without a key is known by its arguments, its default value among them. Fed the value
the session chose at the last rerun, such a widget became a new one at the next rerun, which
starts from its default and drops what the user had just typed: every second edit of a
setting was lost. Keyed widgets keep their identity; this module puts the chosen values into
their keys when a page draws them for the first time in a visit, or when a preset replaces
them all. A widget a page draws only for some choices (the MLP's hidden units, a folder's path)
is drawn with ``persist_state="page"``: hidden and shown again in one visit, it shows its last
value, not the one it was seeded with.
"""

from __future__ import annotations

from typing import Any

import streamlit as st


class FormState:
    """The keys of one form's widgets, ``prefix.name``, and their seeding."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}"

    def seed(self, values: dict[str, Any], again: bool = False) -> None:
        """Give each widget named in ``values`` its value there unless it holds one already;
        ``again`` overwrites them all (a preset was picked)."""
        for name, value in values.items():
            key = self.key(name)
            if again or key not in st.session_state:
                st.session_state[key] = value

    def options_with_value(self, name: str, options: list) -> list:
        """``options`` and the value widget ``name`` holds (a size or width chosen elsewhere,
        such as a report's, that the usual choices lack), in order."""
        return sorted({*options, st.session_state[self.key(name)]})
