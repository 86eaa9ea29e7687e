"""Garbage collection in a server that holds TensorFlow.

Streamlit runs a full collection after every script run of every session (``runner.postScriptGC``,
and ``keras.backend.clear_session()`` once Keras is imported, which this module turns off),
with the GIL held. Once the
server has imported TensorFlow its heap holds some 400 000 long-lived objects, and each of
those collections scans all of them: 0.5 s per click on a busy two-core machine, during which
no other session's script moves. Profiled with thirty protocol students, this was the largest
share of the server's time (docs/RELIABILITY.md).

TensorFlow's modules and the shared models never become garbage, so the first script run
after TensorFlow arrived moves everything then alive to the permanent generation
(``gc.freeze``); later collections scan only what was made since. Done once per server
process: freezing again would keep whatever turns into garbage later (an evicted model).
"""

from __future__ import annotations

import gc
import sys

from streamlit.runtime.scriptrunner import script_runner

_state = {"frozen": False}


def freeze_after_tensorflow() -> bool:
    """Freeze the heap once, the first time it is called after TensorFlow was imported;
    returns whether this call froze it."""
    if _state["frozen"] or "tensorflow" not in sys.modules:
        return False
    gc.collect()
    gc.freeze()
    _state["frozen"] = True
    return True


def keep_keras_state_between_runs() -> None:
    """Stop Streamlit from calling ``keras.backend.clear_session()`` after every script run.

    Streamlit's script runner does it (``_clean_problem_modules``) for every session once Keras
    is imported, because a one-user script that builds a model per run leaks Keras's global
    state. Here the models are shared by every session (``st.cache_resource``), and the call
    resets TensorFlow's default graph, empties the eager kernel cache under every other
    session's model and runs a full collection with the GIL held. Only the Keras part goes:
    Matplotlib's figures are still closed as Streamlit does.
    """
    script_runner._clean_problem_modules = _close_pyplot_figures


def _close_pyplot_figures() -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
