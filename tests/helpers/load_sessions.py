"""Thirty students on one server, simulated: a real ``streamlit run app.py`` on loopback and
thirty Chromium sessions (browser contexts) driven at once, with the real run queue and real
training workers.

Used by ``benchmarks/bench_load.py`` (figures); the class journey borrows its helpers. Each
student opens the Train page and presses "Start training" (the default shapes run), then
uploads an image on the Look inside page of a trained run and waits for the prediction.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import statistics
import threading
import time
from dataclasses import dataclass

import numpy as np
from PIL import Image

from cnnviz import runs
from cnnviz.datasets.spec import DatasetSpec
from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS

SMALL_DATASET = DatasetSpec(source="shapes", shapes_per_class=10, image_size=(16, 16))
START = "Start training"
SETTINGS = "Hyper-parameters"
PREDICTED = "The network says"
# The Train page shows the session's new run as "**<id>** — queued" (or running).
OWN_RUN_SHOWN = re.compile(r"\d{8}-\d{6}-[0-9a-f]{6} — (queued|running)")
TIMEOUT_MS = 240_000


@dataclass
class LoadResult:
    """What the simulated class did and saw."""

    sessions: int
    render_seconds: list[float]  # Train page, address typed to its settings drawn
    prediction_seconds: list[float]  # Look inside, image chosen to prediction drawn
    errors: list[str]
    most_running: int  # largest number of running runs seen while the class worked


def a_photo(index: int) -> bytes:
    """A different small PNG per student: a bright square at a varying place."""
    pixels = np.zeros((40, 40, 3), np.uint8)
    pixels[index % 20:index % 20 + 16, 8:24] = 255
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


async def settings_drawn(page) -> None:
    """Wait until the Train page has drawn its settings (folded away once a run is current)."""
    await page.get_by_text(SETTINGS).first.wait_for(timeout=TIMEOUT_MS)


async def open_train_page(browser, url: str):
    """A new session opens the Train page: (context, page, seconds until its settings are
    drawn). The caller closes the context."""
    context = await browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)  # thirty tabs on two cores load slowly
    page = await context.new_page()
    started = time.perf_counter()
    await page.goto(f"{url}/train?lang=en")
    await settings_drawn(page)
    return context, page, time.perf_counter() - started


async def train_page_seconds(browser, url: str) -> float:
    """A new session opens the Train page: seconds until its Start button is drawn."""
    context, _, seconds = await open_train_page(browser, url)
    await context.close()
    return seconds


async def student(browser, url: str, index: int, trained_run: str) -> tuple[float, float]:
    """One student: Train page, Start training, then an upload on Look inside."""
    context, page, rendered = await open_train_page(browser, url)
    try:
        button = page.get_by_role("button", name=START)
        if not await button.count():
            await page.locator('[data-testid="stExpander"] summary').first.click()
        await button.click()
        await page.get_by_text(OWN_RUN_SHOWN).first.wait_for(timeout=TIMEOUT_MS)
        await page.goto(f"{url}/inside?run={trained_run}&lang=en")
        upload = page.locator('input[type="file"]').first
        await upload.wait_for(state="attached", timeout=TIMEOUT_MS)
        started = time.perf_counter()
        await upload.set_input_files(
            {"name": f"photo-{index}.png", "mimeType": "image/png", "buffer": a_photo(index)})
        await page.get_by_text(PREDICTED).first.wait_for(timeout=TIMEOUT_MS)
        return rendered, time.perf_counter() - started
    finally:
        await context.close()


def watch_the_queue(stop: threading.Event, seen: list[int]) -> None:
    """Sample how many runs are running, as the queue itself counts them, until ``stop``."""
    while not stop.is_set():
        statuses = [run["status"].get("state") for run in runs.list_runs()]
        seen.append(sum(state in runs.RunState.WORKING for state in statuses))
        stop.wait(0.25)


async def drive_the_class(url: str, sessions: int, trained_run: str, alone: int):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            await train_page_seconds(browser, url)  # warm-up: the server's first imports
            quiet = [await train_page_seconds(browser, url) for _ in range(alone)]
            visits = await asyncio.gather(
                *(student(browser, url, index, trained_run) for index in range(sessions)),
                return_exceptions=True)
        finally:
            await browser.close()
    return quiet, visits


def simulate_class(url: str, sessions: int, trained_run: str,
                   alone: int = 5) -> tuple[list[float], LoadResult]:
    """Render times alone, then ``sessions`` students at once; the queue watched meanwhile."""
    stop, seen = threading.Event(), [0]
    monitor = threading.Thread(target=watch_the_queue, args=(stop, seen), daemon=True)
    monitor.start()
    try:
        quiet, visits = asyncio.run(drive_the_class(url, sessions, trained_run, alone))
    finally:
        stop.set()
        monitor.join()
    done = [visit for visit in visits if not isinstance(visit, BaseException)]
    errors = [f"{type(visit).__name__}: {visit}" for visit in visits
              if isinstance(visit, BaseException)]
    return quiet, LoadResult(sessions, [rendered for rendered, _ in done],
                             [predicted for _, predicted in done], errors, max(seen))


def end_every_run() -> None:
    """Queued runs never start; running workers are stopped (SIGTERM, then SIGKILL)."""
    for run in runs.list_runs():
        if run["status"].get("state") == "queued":
            runs.request_stop(run["run_id"])
    for run in runs.list_runs():
        if run["status"].get("state") in runs.RunState.WORKING:
            runs.kill_run(run["run_id"], grace_seconds=5)


def server_megabytes() -> float:
    """Resident memory of the ``streamlit run`` server this process started."""
    import psutil

    servers = [child for child in psutil.Process(os.getpid()).children(recursive=True)
               if "streamlit" in " ".join(child.cmdline())]
    return sum(server.memory_info().rss for server in servers) / 2**20


def percentile(values: list[float], share: float) -> float:
    return float(np.percentile(values, share * 100)) if values else float("nan")


def summary(values: list[float]) -> str:
    if not values:
        return "no values"
    return (f"median {statistics.median(values) * 1000:.0f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:.0f} ms (n={len(values)})")
