"""Home: what cnnviz does, a short tour, three quick starts that train (the last the ten-minute
Fashion-MNIST preset), and the recent runs."""

import dataclasses

import streamlit as st

from cnnviz import runs
from cnnviz.analysis.run_table import run_table
from cnnviz.classroom import capped_in_class, class_limits, quick_start_minutes
from cnnviz.models.spec import ModelSpec
from cnnviz.presets import (
    QUICK_START_FASHION,
    QUICK_START_FASHION_BEST,
    QUICK_START_SHAPES,
    QuickStart,
)
from cnnviz.ui.classroom import is_teacher
from cnnviz.ui.i18n import t
from cnnviz.ui.run_buttons import start_for_session
from cnnviz.ui.shell import require_shell
from cnnviz.ui.state import choose, set_current_run
from cnnviz.ui.tables import show_run_list

# The recent-runs table keeps the columns a newcomer reads; all of them are on the Train page.
HOME_COLUMNS = ["name", "status", "dataset", "model", "test_accuracy", "duration"]


def start_quick(quick: QuickStart, name_key: str) -> None:
    """Train the quick start at once and watch it on the Train page, whose settings then hold
    the same choices for the student's next run. Like the Train page's Start, it counts
    against the session's run limit and takes class mode's caps."""
    config = quick.config
    choose(config.dataset, config.model, config.training)
    started = start_for_session([dataclasses.replace(config, name=t(name_key))])
    if started:
        set_current_run(started[0])
        st.switch_page("pages/train.py")


require_shell()
st.title(t("app.title"))
st.markdown(f"{t('home.tagline')}  \n{t('home.line2')}  \n{t('home.line3')}")

listed = runs.list_runs()
with st.expander(t("home.tour"), icon=":material/tour:", expanded=not listed):
    st.markdown(t("home.tour_steps"))

shapes, fashion = st.columns(2)
capped = capped_in_class(is_teacher())  # the buttons say a student's class-mode times
if shapes.button(t("home.start_shapes_training_class" if capped else "home.start_shapes_training",
                   minutes=quick_start_minutes(QUICK_START_SHAPES, capped)),
                 type="primary", width="stretch", icon=":material/play_arrow:"):
    start_quick(QUICK_START_SHAPES, "home.quick_shapes_name")
if fashion.button(t("home.start_fashion_class" if capped else "home.start_fashion",
                    minutes=quick_start_minutes(QUICK_START_FASHION, capped)),
                  type="primary", width="stretch", icon=":material/play_arrow:"):
    start_quick(QUICK_START_FASHION, "home.quick_fashion_name")
if st.button(t("home.start_fashion_best_class" if capped else "home.start_fashion_best",
               minutes=quick_start_minutes(QUICK_START_FASHION_BEST, capped)),
             width="stretch", icon=":material/trophy:",
             help=(t("home.start_fashion_best_help_class",
                     seconds=round(class_limits().classifier_minutes * 60)) if capped
                   else t("home.start_fashion_best_help"))):
    start_quick(QUICK_START_FASHION_BEST, "home.quick_fashion_best_name")
explore, builder = st.columns(2)
if explore.button(t("home.start_shapes"), width="stretch"):
    choose(QUICK_START_SHAPES.config.dataset)
    st.switch_page("pages/dataset.py")
if builder.button(t("home.start_builder"), width="stretch"):
    choose(model=ModelSpec(architecture="builder"))
    st.switch_page("pages/model.py")

st.subheader(t("home.recent_runs"))
table = run_table(listed[:10], name_template=t("runs.default_name"))
if table.empty:
    st.info(t("home.no_runs"))
else:
    show_run_list(table, HOME_COLUMNS)
