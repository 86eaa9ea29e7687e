"""Results-page benchmark: how fast the Evaluation page of a finished Fashion-MNIST run draws
in a real browser, warm, against the home page measured in the same run.

    python benchmarks/bench_pages.py [--repeats 5]

It trains the Fashion CNN for one epoch on the real Fashion-MNIST through the engine (a real
run folder: 10,000 test predictions and embeddings), starts ``streamlit run app.py`` and drives
Debian's Chromium. A page counts as drawn when its main figure and, for the Evaluation page,
the images of the first confusion cell are on screen. The first visit fills the caches; the
figures are medians of the following visits, both by loading the page's address and by
clicking its link in the app's navigation.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.folders import private_folders


def finished_fashion_run() -> str:
    from cnnviz import runs
    from cnnviz.datasets.spec import DatasetSpec
    from cnnviz.models.spec import ModelSpec
    from cnnviz.training.config import TrainConfig

    run_id = runs.start_run(runs.RunConfig(
        DatasetSpec(source="fashion_mnist"), ModelSpec(architecture="fashion_cnn"),
        TrainConfig(epochs=1, batch_size=128), name="benchmark: evaluation page"))
    while runs.read_status(run_id).get("state") not in runs.RunState.ENDED:
        time.sleep(1)
    if runs.read_status(run_id)["state"] != runs.RunState.FINISHED:
        raise SystemExit(f"the benchmark run ended {runs.read_status(run_id)['state']}")
    return run_id


def seconds_to_draw(page, url: str, ready: list[str]) -> float:
    """Seconds from loading the address (a new browser session: Streamlit's scripts and
    Plotly's library are parsed again) to every selector in ``ready`` being visible."""
    started = time.perf_counter()
    page.goto(url)
    for selector in ready:
        page.locator(selector).first.wait_for(state="visible", timeout=120_000)
    return time.perf_counter() - started


def seconds_to_switch(page, link: str, ready: list[str], hidden: str) -> float:
    """Seconds from a click on the navigation ``link`` (the app already loaded in the tab, as
    a student moves between pages) to the previous page's ``hidden`` element being gone and
    every selector in ``ready`` being visible."""
    started = time.perf_counter()
    page.get_by_role("link", name=link).click()
    page.locator(hidden).first.wait_for(state="detached", timeout=120_000)
    for selector in ready:
        page.locator(selector).first.wait_for(state="visible", timeout=120_000)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args()
    _, environment = private_folders("cnnviz-bench-pages-")
    from tests.helpers.browser import DESKTOP, chromium_page, running_app

    run_id = finished_fashion_run()
    home = ["text=Recent runs"]
    evaluation = [".js-plotly-plot .heatmaplayer", '[data-testid="stImage"] img']
    with running_app(environment) as url, chromium_page(DESKTOP) as page:
        cold = seconds_to_draw(page, f"{url}/evaluation?run={run_id}", evaluation)
        seconds_to_draw(page, f"{url}/?run={run_id}", home)
        home_times, evaluation_times, switch_times = [], [], []
        for _ in range(arguments.repeats):
            home_times.append(seconds_to_draw(page, f"{url}/?run={run_id}", home))
            evaluation_times.append(
                seconds_to_draw(page, f"{url}/evaluation?run={run_id}", evaluation))
        for _ in range(arguments.repeats):
            seconds_to_switch(page, "Home", home, ".js-plotly-plot")
            switch_times.append(
                seconds_to_switch(page, "Evaluation", evaluation, "text=Recent runs"))
    home_median = statistics.median(home_times)
    evaluation_median = statistics.median(evaluation_times)
    print(f"evaluation page, first visit:        {cold:6.2f} s")
    print(f"evaluation page, warm (median of {arguments.repeats}): {evaluation_median:6.2f} s")
    print(f"home page, warm (median of {arguments.repeats}):       {home_median:6.2f} s")
    print(f"evaluation page from the navigation (median of {arguments.repeats}): "
          f"{statistics.median(switch_times):6.2f} s")
    print(f"evaluation / home:                   {evaluation_median / home_median:6.2f}")


if __name__ == "__main__":
    main()
