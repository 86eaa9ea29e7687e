"""Tables shared by several pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cnnviz.analysis.comparison import display_value
from cnnviz.ui.i18n import t

HIGHLIGHT = "background-color: #fef3c7"


def show_run_table(table: pd.DataFrame, columns: list[str] | None = None) -> None:
    """The run table with translated headers and states, accuracies as percentages;
    ``columns`` (of ``run_table``'s) keeps only those, so a narrow page shows its last one."""
    shown = (table[columns] if columns else table).copy()
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


# A markdown table wider than a phone overflowed the page and its last columns were out of
# reach: its box scrolls sideways instead.
SCROLLING_TABLES_CSS = """
<style>
[data-testid="stMarkdownContainer"]:has(> table) { overflow-x: auto; }
</style>
"""

# Characters that would turn a run's name into markdown (a link, emphasis, a table cell end).
_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~")


def show_run_list(table: pd.DataFrame, columns: list[str]) -> None:
    """``columns`` of the run table as a plain markdown table: no interactive grid, so the
    page loads without the data grid's half a megabyte of script, and the cells wrap instead
    of hiding the last column on a narrow screen."""
    def cell(column: str, value: object) -> str:
        if column == "status":
            return t(f"state.{value}")
        if column == "dataset":
            return t(f"source.{value}") if value else ""
        if column == "model":
            return t(f"arch.{value}.title") if value else ""
        if column in ("best_val_accuracy", "test_accuracy"):
            return "—" if pd.isna(value) else f"{value:.1%}"
        return "".join(f"\\{char}" if char in _MARKDOWN_SPECIAL else char
                       for char in str(value))

    lines = ["| " + " | ".join(t(f"runs.{column}") for column in columns) + " |",
             "|" + "|".join(" ---: " if column in ("best_val_accuracy", "test_accuracy")
                            else " --- " for column in columns) + "|"]
    for _, row in table.iterrows():
        lines.append("| " + " | ".join(cell(column, row[column]) for column in columns) + " |")
    st.markdown(SCROLLING_TABLES_CSS, unsafe_allow_html=True)
    st.markdown("\n".join(lines))
