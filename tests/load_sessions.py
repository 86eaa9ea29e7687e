"""Thirty students on one server, simulated: AppTest sessions in threads of one process (the
server), sharing its caches and its run queue, with real training workers.

Used by ``tests/test_load.py`` (assertions) and ``benchmarks/bench_load.py`` (figures).
Each session opens the home, Dataset and Train pages, uploads an image on the Look inside
page of a trained run, and presses "Start training" on a small run.
"""

from __future__ import annotations

import io
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image
from streamlit.testing.v1 import AppTest

from cnnviz import runs
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.models.spec import ModelSpec
from cnnviz.training.config import TrainConfig

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SMALL_DATASET = DatasetSpec(source="shapes", shapes_per_class=10, image_size=(16, 16))
SMALL_MODEL = ModelSpec(architecture="fashion_cnn")
SMALL_TRAINING = TrainConfig(epochs=1)
# The page each render time is measured on: the Train page reads the run list and the queue.
MEASURED_PAGE = "pages/train.py"


@dataclass
class LoadResult:
    """What the simulated class did and saw."""

    sessions: int
    started_runs: list[str]
    render_seconds: list[float]  # every measured page render under load
    errors: list[str]
    most_running: int  # largest number of running runs seen by the queue monitor
    lost_runs: list[str] = field(default_factory=list)


def page_render_seconds(page: str = MEASURED_PAGE) -> float:
    """Seconds for a new session to render ``page`` (home first, then a switch, as a student
    follows a link); only the switch is timed."""
    app = AppTest.from_file(APP, default_timeout=300)
    app.query_params["lang"] = "en"
    app.run()
    started = time.perf_counter()
    app.switch_page(page).run()
    elapsed = time.perf_counter() - started
    if app.exception:
        raise AssertionError(app.exception)
    return elapsed


def a_photo(index: int) -> bytes:
    """A different small PNG per student: a bright square at a varying place."""
    pixels = np.zeros((40, 40, 3), np.uint8)
    pixels[index % 20:index % 20 + 16, 8:24] = 255
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def student(index: int, trained_run: str) -> tuple[list[float], list[str], str | None]:
    """One student's visit; returns render times, problems seen, and the run they started."""
    problems: list[str] = []
    times: list[float] = []
    app = AppTest.from_file(APP, default_timeout=300)
    app.query_params["lang"] = "en"
    app.session_state["dataset_spec"] = SMALL_DATASET
    app.session_state["model_spec"] = SMALL_MODEL
    app.session_state["train_config"] = SMALL_TRAINING
    app.run()
    for page in ("pages/dataset.py", MEASURED_PAGE):
        started = time.perf_counter()
        app.switch_page(page).run()
        if page == MEASURED_PAGE:
            times.append(time.perf_counter() - started)
        problems += [f"{page}: {error.value}" for error in app.exception]
    before = set(run["run_id"] for run in runs.list_runs())
    start_buttons = [button for button in app.button if button.label == "Start training"]
    if not start_buttons:
        shown = [title.value for title in app.title] + [error.value for error in app.error]
        return times, problems + [f"student {index}: no Start button on {shown}"], None
    start_buttons[0].click().run()
    problems += [f"start: {error.value}" for error in app.exception]
    mine = app.session_state["run_id"] if "run_id" in app.session_state else None
    if mine is None or mine in before:
        problems.append(f"student {index}: no new run after Start training")
    inside = AppTest.from_file(APP, default_timeout=300)
    inside.query_params["lang"] = "en"
    inside.query_params["run"] = trained_run
    inside.run()
    inside.switch_page("pages/inside.py").run()
    inside.file_uploader(key="inside_upload").set_value(
        (f"photo-{index}.png", a_photo(index), "image/png"))
    inside.run()
    problems += [f"inside: {error.value}" for error in inside.exception]
    problems += [f"inside: {error.value}" for error in inside.error]
    return times, problems, mine


def watch_the_queue(stop: threading.Event, seen: list[int]) -> None:
    """Sample how many runs are running, as the queue itself counts them, until ``stop``."""
    while not stop.is_set():
        statuses = [run["status"].get("state") for run in runs.list_runs()]
        seen.append(sum(state in ("running", "stopping") for state in statuses))
        stop.wait(0.25)


def simulate_class(sessions: int, trained_run: str) -> LoadResult:
    """``sessions`` students at once in a thread pool; the queue watched all the while."""
    stop, seen = threading.Event(), [0]
    monitor = threading.Thread(target=watch_the_queue, args=(stop, seen), daemon=True)
    monitor.start()
    with ThreadPoolExecutor(sessions) as pool:
        visits = list(pool.map(lambda index: student(index, trained_run), range(sessions)))
    stop.set()
    monitor.join()
    started = [run_id for _, _, run_id in visits if run_id]
    stored = {run["run_id"]: run["status"].get("state") for run in runs.list_runs()}
    lost = [run_id for run_id in started
            if stored.get(run_id) not in ("queued", "running", "stopping", "finished")]
    return LoadResult(sessions, started, [t for times, _, _ in visits for t in times],
                      [problem for _, problems, _ in visits for problem in problems],
                      max(seen), lost)


def end_every_run() -> None:
    """Queued runs never start; running workers are stopped (SIGTERM, then SIGKILL)."""
    for run in runs.list_runs():
        if run["status"].get("state") == "queued":
            runs.request_stop(run["run_id"])
    for run in runs.list_runs():
        if run["status"].get("state") in ("running", "stopping"):
            runs.kill_run(run["run_id"], grace_seconds=5)


def resident_megabytes() -> float:
    import psutil

    return psutil.Process(os.getpid()).memory_info().rss / 2**20


def percentile(values: list[float], share: float) -> float:
    return float(np.percentile(values, share * 100)) if values else float("nan")


def summary(values: list[float]) -> str:
    return (f"median {statistics.median(values) * 1000:.0f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:.0f} ms (n={len(values)})")
