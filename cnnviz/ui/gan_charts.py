"""The two charts of a GAN run (its losses; D(x) against D(G(z))), shared by the Train and GAN
pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cnnviz.gan.figures import metric_curves
from cnnviz.ui.i18n import t


def gan_curves(epochs: pd.DataFrame, batches: pd.DataFrame, keys: tuple[str, str]) -> None:
    """Both charts side by side; ``keys`` keep them in place while a live view redraws them."""
    labels = {"epoch": t("curve.epoch"), "value": t("gan.value")}
    for column, metrics, key in zip(st.columns(2), (
            {"d_loss": t("gan.d_loss"), "g_loss": t("gan.g_loss")},
            {"d_real": t("gan.d_real"), "d_fake": t("gan.d_fake")}), keys):
        column.plotly_chart(metric_curves(epochs, batches, metrics, labels), width="stretch",
                            key=key)
    st.caption(t("gan.curves_hint"))
