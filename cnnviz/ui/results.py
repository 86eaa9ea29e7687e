"""What the results pages share: the open run's test predictions, or a clear reason why
there are none yet."""

from __future__ import annotations

import streamlit as st

from cnnviz.analysis.evaluation_data import Evaluation
from cnnviz.errors import CnnvizError
from cnnviz.ui.cached import run_evaluation
from cnnviz.ui.i18n import t
from cnnviz.ui.state import current_run


def evaluated_run() -> tuple[str, Evaluation]:
    """The current run and its evaluation; otherwise explain why, offer the training page and
    stop the page."""
    run_id = current_run()
    try:
        if not run_id:
            raise CnnvizError(t("evaluation.no_run"))
        return run_id, run_evaluation(run_id)
    except CnnvizError as error:
        st.info(t("evaluation.no_results", reason=str(error)))
        st.page_link("pages/train.py", label=t("evaluation.go_train"),
                     icon=":material/monitoring:")
        st.stop()
