"""cnnviz: the entry point only navigates and draws the shared sidebar."""

import streamlit as st

from cnnviz import run_actions, runs, settings
from cnnviz.ui.cached import warm_up_server
from cnnviz.ui.classroom import teacher_controls
from cnnviz.ui.components.run_picker import sidebar_run_picker
from cnnviz.ui.i18n import keep_language_in_url, language, language_picker, t
from cnnviz.ui.identity import (identity_caption, join_form, keep_identity_in_cookies,
                                must_join)
from cnnviz.ui.run_buttons import own_runs
from cnnviz.ui.presentation import apply_presentation, presentation_toggle, presenting
from cnnviz.ui.server_gc import freeze_after_tensorflow, keep_keras_state_between_runs
from cnnviz.ui.shell import PAGE_ICON

st.set_page_config(page_title="cnnviz", page_icon=str(PAGE_ICON), layout="wide",
                   initial_sidebar_state="collapsed" if presenting() else "auto")


@st.cache_resource(max_entries=1)
def restart_queue() -> list[str]:
    """Once per server start: mark runs whose worker died with the server, start queued ones,
    and empty the trash of runs deleted more than ``CNNVIZ_TRASH_DAYS`` ago."""
    run_actions.empty_expired_trash()
    return runs.schedule()


@st.cache_resource(max_entries=1)
def device_names() -> list[str]:
    return settings.gpu_names()


restart_queue()
keep_keras_state_between_runs()
freeze_after_tensorflow()
language()

pages = [
    st.Page("pages/home.py", title=t("nav.home"), icon=":material/home:", default=True),
    st.Page("pages/dataset.py", title=t("nav.dataset"), icon=":material/image:"),
    st.Page("pages/model.py", title=t("nav.model"), icon=":material/account_tree:"),
    st.Page("pages/train.py", title=t("nav.train"), icon=":material/monitoring:"),
    st.Page("pages/evaluation.py", title=t("nav.evaluation"), icon=":material/grid_on:"),
    st.Page("pages/export.py", title=t("nav.export"), icon=":material/ios_share:"),
    st.Page("pages/compare.py", title=t("nav.compare"), icon=":material/compare_arrows:"),
    st.Page("pages/embedding.py", title=t("nav.embedding"), icon=":material/scatter_plot:"),
    st.Page("pages/inside.py", title=t("nav.inside"), icon=":material/visibility:"),
    st.Page("pages/gan.py", title=t("nav.gan"), icon=":material/auto_awesome:"),
    st.Page("pages/explainer.py", title=t("nav.explainer"), icon=":material/grid_4x4:"),
    st.Page("pages/reports.py", title=t("nav.reports"), icon=":material/history_edu:"),
    st.Page("pages/class_board.py", title=t("nav.class_board"), icon=":material/groups:"),
]

with st.sidebar:
    language_picker()
    keep_language_in_url()
    listed = runs.list_runs()
    if listed:
        sidebar_run_picker([run["run_id"] for run in listed], own_runs(listed))
    else:
        st.caption(t("sidebar.no_runs"))
    presentation_toggle()
    teacher_controls()
    identity_caption()
    gpus = device_names()
    st.caption(t("sidebar.device", device=", ".join(gpus) if gpus else t("device.cpu")))
    keep_identity_in_cookies()  # before the page, which may stop or rerun the script

apply_presentation()
joining = must_join()  # class mode: a student gives a name before any page
# Thirteen pages: by default Streamlit folds the last three under "View 3 more", out of one
# click. Expanded and without section headers, every link fits above the sidebar's run picker
# on a 1280x800 screen.
navigation = st.navigation(pages, expanded=True, position="hidden" if joining else "sidebar")
if joining:
    join_form()
else:
    navigation.run()
warm_up_server()  # last: the first page a student opens draws before TensorFlow's import
