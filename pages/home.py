"""Home: what cnnviz does, a short tour, three ways to start, and the recent runs."""

import streamlit as st

from cnnviz import runs
from cnnviz.analysis.run_table import run_table
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.models.spec import ModelSpec
from cnnviz.training.config import TrainConfig
from cnnviz.ui.i18n import t
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import choose
from cnnviz.ui.tables import show_run_table

require_shell()
st.title(t("app.title"))
st.markdown(f"{t('home.tagline')}  \n{t('home.line2')}  \n{t('home.line3')}")

listed = runs.list_runs()
with st.expander(t("home.tour"), icon=":material/tour:", expanded=not listed):
    st.markdown(t("home.tour_steps"))

fashion, shapes, builder = st.columns(3)
if fashion.button(t("home.start_fashion"), type="primary", width="stretch"):
    choose(DatasetSpec(source="fashion_mnist"), ModelSpec(architecture="fashion_cnn"),
           TrainConfig(epochs=3, batch_size=128))
    st.switch_page("pages/train.py")
if shapes.button(t("home.start_shapes"), width="stretch"):
    choose(DatasetSpec(source="shapes", shapes_per_class=300, image_size=(32, 32)))
    st.switch_page("pages/dataset.py")
if builder.button(t("home.start_builder"), width="stretch"):
    choose(model=ModelSpec(architecture="builder"))
    st.switch_page("pages/model.py")

st.subheader(t("home.recent_runs"))
table = run_table(listed[:10])
if table.empty:
    st.info(t("home.no_runs"))
else:
    show_run_table(table)
