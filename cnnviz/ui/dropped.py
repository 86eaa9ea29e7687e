"""What a run really trained on: the split sizes, and the images a streamed split could not
decode (shared by the Train and Evaluation pages)."""

from __future__ import annotations

import streamlit as st

from cnnviz import runs
from cnnviz.ui.i18n import t


def show_split_sizes_and_dropped(run_id: str, status: dict) -> None:
    """A caption with the images each split gave the model; a warning and the list of files
    when some could not be decoded."""
    sizes = status.get("split_sizes")
    if sizes:
        st.caption(t("train.split_sizes", **{name: f"{count:,}" for name, count in sizes.items()}))
    counts = status.get("dropped_images") or {}
    if not sum(counts.values()):
        return
    st.warning(t("train.dropped", count=f"{sum(counts.values()):,}",
                 **{name: f"{count:,}" for name, count in counts.items()}))
    with st.expander(t("train.dropped_list")):
        listed = runs.read_dropped_images(run_id)
        st.dataframe({t("train.dropped_split"): [t(f"split.{item['split']}") for item in listed],
                      t("dataset.file"): [item["path"] for item in listed],
                      t("dataset.reason"): [item["reason"] for item in listed]},
                     hide_index=True)
