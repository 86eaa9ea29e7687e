"""Second-tab benchmark (issue 21): a student trains from the Train page in one tab and opens
the run's Train page in a second tab; how long until the second tab shows the run?

    python benchmarks/bench_second_tab.py [--repeats 3] [--port 8681] [--profile OUT.txt]

It starts ``streamlit run app.py``, starts a real shapes quick-start run through the engine
(enough epochs to keep it training during the whole measurement), opens the Train page of
that run in a first tab, then opens the same address in new tabs of the same browser, one
after another. For each second tab it prints the seconds from the address typed to: the page
title, the run's header, and both live charts drawn with their curves; and how many of
Streamlit's grey element placeholders (``stSkeleton``) were still on screen when the title
came; and, from the browser, when Plotly's chunk arrived and how long the main thread was
blocked by long tasks. ``--profile`` records the server with py-spy during the second tabs
(collapsed stacks).
Note ``uptime``'s load average with the figures: the machine is shared.
"""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.folders import private_folders

CHARTS = ".st-key-live_loss .js-plotly-plot .scatterlayer .trace"
# Where the browser's time goes: main-thread long tasks (script parsing, React, Plotly drawing)
# and when Streamlit's Plotly chunk (4.7 MB) arrived.
COUNT_LONG_TASKS = ("window.__long = []; new PerformanceObserver(list => list.getEntries()"
                    ".forEach(task => window.__long.push(task.duration)))"
                    ".observe({entryTypes: ['longtask']});")
BROWSER_TIMES = """() => {
    const chunk = performance.getEntriesByType('resource')
        .filter(entry => entry.name.includes('PlotlyChart'))[0];
    return {long_tasks: window.__long.reduce((sum, duration) => sum + duration, 0) / 1000,
            plotly_chunk: chunk ? chunk.responseEnd / 1000 : NaN};
}"""
SKELETONS = '[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]'


def training_run(epochs: int) -> str:
    """A real shapes quick-start run, waited for until it has drawn its first points."""
    from cnnviz import runs
    from cnnviz.presets import QUICK_START_SHAPES

    config = QUICK_START_SHAPES.config
    run_id = runs.start_run(dataclasses.replace(
        config, training=dataclasses.replace(config.training, epochs=epochs),
        name="benchmark: second tab"))
    while not runs.read_metrics(run_id):
        if runs.read_status(run_id).get("state") in runs.RunState.ENDED:
            raise SystemExit(f"the benchmark run ended {runs.read_status(run_id)['state']}")
        time.sleep(1)
    return run_id


def second_tab(context, address: str, run_id: str) -> dict[str, float]:
    """Seconds from the address typed in a new tab to each milestone of the Train page."""
    page = context.new_page()
    page.set_default_timeout(180_000)
    started = time.perf_counter()
    page.goto(address)
    page.get_by_role("heading", name="Train").first.wait_for()
    title = time.perf_counter() - started
    skeletons = page.locator(SKELETONS).count()
    page.get_by_text(run_id).first.wait_for()
    header = time.perf_counter() - started
    page.locator(CHARTS).first.wait_for()
    page.locator(".st-key-live_accuracy .js-plotly-plot .scatterlayer .trace").first.wait_for()
    charts = time.perf_counter() - started
    browser_times = page.evaluate(BROWSER_TIMES)
    page.close()
    return {"title": title, "header": header, "charts": charts, "skeletons": skeletons,
            **browser_times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--port", type=int, default=8681)
    parser.add_argument("--profile", type=Path)
    arguments = parser.parse_args()
    _, environment = private_folders("cnnviz-bench-tab-")
    run_id = training_run(epochs=60)
    try:
        measure(arguments, environment, run_id)
    finally:
        from cnnviz import runs

        runs.request_stop(run_id)
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


def measure(arguments: argparse.Namespace, environment: dict[str, str], run_id: str) -> None:
    """The first tab on a fresh server, then the second tabs (see the module's docstring)."""
    from playwright.sync_api import sync_playwright

    from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, running_app

    with running_app(environment, port=arguments.port) as url, sync_playwright() as playwright:
        address = f"{url}/train?run={run_id}&lang=en"
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=DESKTOP)
        context.add_init_script(COUNT_LONG_TASKS)
        first = context.new_page()
        first.set_default_timeout(180_000)
        started = time.perf_counter()
        first.goto(address)
        first.locator(CHARTS).first.wait_for()
        print(f"first tab, fresh server: charts in {time.perf_counter() - started:5.1f} s")
        profiler = None
        if arguments.profile:
            server = subprocess.run(["pgrep", "-f", f"server.port {arguments.port}"],
                                    capture_output=True, text=True).stdout.split()[0]
            py_spy = str(Path(sys.executable).parent / "py-spy")
            profiler = subprocess.Popen([py_spy, "record", "--pid", server, "--format", "raw",
                                         "--output", str(arguments.profile), "--rate", "50"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for repeat in range(arguments.repeats):
            times = second_tab(context, address, run_id)
            print(f"second tab {repeat + 1}: title {times['title']:5.1f} s "
                  f"({times['skeletons']:.0f} placeholders), run header {times['header']:5.1f} s,"
                  f" charts {times['charts']:5.1f} s (Plotly's chunk in at"
                  f" {times['plotly_chunk']:4.1f} s, long tasks {times['long_tasks']:4.1f} s)")
        if profiler is not None:
            profiler.send_signal(2)
            profiler.wait(timeout=60)
        browser.close()


if __name__ == "__main__":
    main()
