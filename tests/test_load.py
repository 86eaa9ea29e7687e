"""A class of thirty at once, simulated with AppTest: thirty processes, one per student, each
opening the home, Evaluation, Look inside (uploading an image), Train (pressing "Start
training") and Reproduce pages at the same moment, against one shared run store with the real
queue and real workers.

AppTest keeps one runtime per process, so the students are processes, not threads. Each page
is timed from the script's start to its end; the same visit by one student alone is the
baseline. The queue must hold: every student's run is in the store, none failed, and never
more than the queue's width run at once. (Thirty real Chromium sessions against one server,
``benchmarks/bench_load.py``, do not fit on two cores beside the server: see
docs/RELIABILITY.md.)"""

from __future__ import annotations

import multiprocessing
import resource
import statistics
import threading
import time
from pathlib import Path

import pytest

from cnnviz import runs
from tests.load_sessions import SMALL_DATASET, a_photo, end_every_run, watch_the_queue
from tests.run_folders import make_trained_run
from tests.test_pages import texts

SESSIONS = 30
APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ("pages/evaluation.py", "pages/inside.py", "pages/train.py", "pages/reports.py")


def student(index: int, trained_run: str) -> dict:
    """One student's visit, in a process of its own: page timings and errors. On Look inside
    the student uploads a PNG of their own; on the Train page they start a run."""
    from streamlit.testing.v1 import AppTest

    seconds: dict[str, float] = {}
    app = AppTest.from_file(APP, default_timeout=600)
    app.query_params["run"] = trained_run
    started = time.perf_counter()
    app.run()
    seconds["home"] = time.perf_counter() - started
    errors = [str(error.value) for error in app.exception]
    for page in PAGES:
        started = time.perf_counter()
        app.switch_page(page).run()
        seconds[page] = time.perf_counter() - started
        errors += [str(error.value) for error in app.exception]
        if page == "pages/inside.py":
            started = time.perf_counter()
            app.file_uploader(key="inside_upload").set_value(
                (f"photo-{index}.png", a_photo(index), "image/png"))
            app.run()
            seconds["upload"] = time.perf_counter() - started
            errors += [str(error.value) for error in app.exception]
            if "The network says" not in texts(app):
                errors.append(f"student {index}: no prediction after the upload")
        if page == "pages/train.py":
            button = next(button for button in app.button if button.label == "Start training")
            started = time.perf_counter()
            button.click().run()
            seconds["start"] = time.perf_counter() - started
            errors += [str(error.value) for error in app.exception]
    return {"seconds": seconds, "errors": errors,
            "megabytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def visit(students: int, trained_run: str) -> list[dict]:
    with multiprocessing.get_context("spawn").Pool(students) as pool:
        return pool.starmap(student, [(index, trained_run) for index in range(students)])


@pytest.fixture
def class_folders(data_dir, tmp_path, monkeypatch):
    """Private folders, a queue of one (a CPU server), and every run ended afterwards."""
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNNVIZ_MAX_CONCURRENT_RUNS", "1")
    yield tmp_path
    end_every_run()


@pytest.mark.slow
def test_thirty_students_at_once(class_folders) -> None:
    trained = make_trained_run(SMALL_DATASET)
    alone = visit(1, trained)[0]
    stop, running_seen = threading.Event(), []
    watcher = threading.Thread(target=watch_the_queue, args=(stop, running_seen), daemon=True)
    watcher.start()
    try:
        visits = visit(SESSIONS, trained)
    finally:
        stop.set()
        watcher.join()
    for name in alone["seconds"]:
        under_load = sorted(result["seconds"][name] for result in visits)
        print(f"{name}: alone {alone['seconds'][name]:.2f} s; {SESSIONS} at once median "
              f"{statistics.median(under_load):.2f} s, slowest {under_load[-1]:.2f} s")
    print(f"largest student process: {max(result['megabytes'] for result in visits):.0f} MB")
    assert alone["errors"] == [] and [result["errors"] for result in visits] == [[]] * SESSIONS
    started = [run for run in runs.list_runs() if run["run_id"] != trained]
    assert len(started) == SESSIONS + 1  # one run each (and the baseline's): none lost
    assert all(run["status"].get("state") in ("queued", "running", "stopping", "finished")
               for run in started)
    assert max(running_seen, default=0) <= 1  # the queue's width, never more
