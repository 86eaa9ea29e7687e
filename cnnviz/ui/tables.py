"""Tables shared by several pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cnnviz.ui.i18n import t


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
