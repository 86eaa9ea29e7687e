"""The heap is frozen once, and only after TensorFlow is in the server (cnnviz/ui/server_gc.py).
Run in a fresh interpreter: freezing pytest's own heap would outlive the test."""

import subprocess
import sys

CHECK = """
import gc, sys, types
from cnnviz.ui.server_gc import freeze_after_tensorflow
assert not freeze_after_tensorflow() and gc.get_freeze_count() == 0
sys.modules["tensorflow"] = types.ModuleType("tensorflow")
assert freeze_after_tensorflow() and gc.get_freeze_count() > 0
assert not freeze_after_tensorflow()
"""


def test_heap_frozen_once_after_tensorflow() -> None:
    subprocess.run([sys.executable, "-c", CHECK], check=True, timeout=60)


def test_script_runs_leave_keras_state_and_still_close_figures(monkeypatch) -> None:
    """After every script run Streamlit cleans 'problem modules': Keras's session must stay
    (every session's model shares it), Matplotlib's figures still go."""
    import types

    from streamlit.runtime.scriptrunner import script_runner

    from cnnviz.ui.server_gc import keep_keras_state_between_runs

    calls = []
    keras = types.SimpleNamespace(backend=types.SimpleNamespace(
        clear_session=lambda: calls.append("keras")))
    pyplot = types.SimpleNamespace(close=lambda which: calls.append(f"pyplot {which}"))
    monkeypatch.setitem(sys.modules, "keras", keras)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", pyplot)
    monkeypatch.setattr(script_runner, "_clean_problem_modules",
                        script_runner._clean_problem_modules)  # an AppTest may have run app.py
    keep_keras_state_between_runs()
    keep_keras_state_between_runs()
    script_runner._clean_problem_modules()
    assert calls == ["pyplot all"]


def test_server_start_loads_the_newest_finished_models_in_the_background(folders,
                                                                          monkeypatch) -> None:
    """app.py's warm-up: Keras imported and the newest finished classifiers' models and test
    predictions in the shared caches before a student opens them, off any script thread; a
    run whose model cannot be read is left to its page."""
    import threading

    from cnnviz import runs
    from cnnviz.errors import NoEvaluationError
    from cnnviz.training import inference
    from cnnviz.ui import cached
    from tests.helpers.run_folders import make_run

    for name in ("a", "b", "c"):
        make_run("finished", name=name)
    make_run("running", name="live")
    newest, broken, older = (run["run_id"] for run in runs.list_runs()
                             if run["status"]["state"] == "finished")
    loaded: list[tuple[str, str]] = []

    def load_model(run_id: str, image_format) -> str:
        loaded.append((run_id, threading.current_thread().name))
        if run_id == broken:
            raise NoEvaluationError("no model")
        return f"model of {run_id}"

    monkeypatch.setattr(inference, "load_run_model", load_model)
    monkeypatch.setattr(cached, "load_evaluation", lambda folder: f"evaluation of {folder.name}")
    for cache in (cached.warm_up_server, cached.run_model, cached._run_evaluation,
                  cached.run_dataset):
        cache.clear()
    monkeypatch.setattr(cached, "run_dataset", lambda run_id: type(
        "Dataset", (), {"train": type("Split", (), {"image_format": None})})())
    cached.warm_up_server().join(timeout=120)
    assert "keras" in sys.modules
    assert loaded == [(newest, "cnnviz-warm-up"), (broken, "cnnviz-warm-up")]
    assert cached.run_model(newest) == f"model of {newest}"
    assert cached.run_evaluation(newest) == f"evaluation of {newest}"
    assert len(loaded) == 2 and older not in dict(loaded)  # shared, not loaded again
