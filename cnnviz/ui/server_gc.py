"""Garbage collection in a server that holds TensorFlow.

Streamlit runs a full collection after every script run of every session (``runner.postScriptGC``,
and ``keras.backend.clear_session()`` once Keras is imported), with the GIL held. Once the
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
