"""Tables shared by several pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cnnviz.analysis.comparison import display_value
from cnnviz.ui.i18n import t

HIGHLIGHT = "background-color: #fef3c7"


def show_run_table(table: pd.DataFrame) -> None:
    """The run table with translated headers and states, accuracies as percentages."""
    shown = table.copy()
    shown["status"] = [t(f"state.{state}") for state in shown["status"]]
    shown["dataset"] = [t(f"source.{source}") if source else "" for source in shown["dataset"]]
    shown["model"] = [t(f"arch.{model}.title") if model else "" for model in shown["model"]]
    shown = shown.rename(columns={column: t(f"runs.{column}") for column in shown.columns})
    st.dataframe(
        shown, hide_index=True, width="stretch",
        column_config={
            t("runs.best_val_accuracy"): st.column_config.NumberColumn(format="percent"),
            t("runs.test_accuracy"): st.column_config.NumberColumn(format="percent"),
        },
    )


def show_comparison_table(table: pd.DataFrame, differs: pd.Series) -> None:
    """Runs' settings and results side by side (one column per run), each row named in words
    rather than by its key (``training.batch_size``), the rows that differ highlighted."""
    shown = table.map(_setting_text)
    for key, message in (("dataset.source", "source.{}"), ("model.architecture", "arch.{}.title")):
        if key in shown.index:
            shown.loc[key] = [t(message.format(value)) if value else value
                              for value in table.loc[key]]
    highlighted = {label: bool(differs[key]) for key, label in
                   zip(shown.index, [t(f"setting.{key}") for key in shown.index])}
    shown.index = list(highlighted)
    st.dataframe(shown.style.apply(
        lambda row: [HIGHLIGHT if highlighted[row.name] else ""] * len(row), axis=1),
        width="stretch")


def _setting_text(value: object) -> str:
    if isinstance(value, bool):
        return t("setting.yes" if value else "setting.no")
    return display_value(value)
