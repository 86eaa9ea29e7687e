"""Home page benchmark: how fast cnnviz's Home draws in a real browser, against a bare
Streamlit page with one Plotly chart served in the same run (the floor any Streamlit app pays).

    python benchmarks/bench_home.py [--repeats 7]

Both servers run from this checkout with the same Python and Streamlit; the runs folder holds
a finished shapes quick-start run, so Home draws its recent-runs table. Each visit loads the
page's address (a new browser session: Streamlit's scripts are parsed again). The pages are
visited in turn, after one visit each to fill the caches, and the figures are medians, so load
from other processes falls on both alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.folders import private_folders

BARE_PAGE = '''"""A bare Streamlit page with one Plotly chart: the baseline of bench_home.py."""
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="bare", layout="wide")
st.title("Bare page")
st.plotly_chart(go.Figure(go.Scatter(x=[0, 1, 2, 3], y=[1, 3, 2, 4])))
'''
HOME_READY = ['[data-testid="stHeading"] h1', 'text=Recent runs',
              '[data-testid="stMarkdownContainer"] table']
BARE_READY = ['[data-testid="stHeading"] h1', ".js-plotly-plot .scatterlayer"]


def finished_quick_run() -> str:
    from cnnviz import runs
    from cnnviz.presets import QUICK_START_SHAPES

    run_id = runs.start_run(QUICK_START_SHAPES.config)
    while runs.read_status(run_id).get("state") not in runs.RunState.ENDED:
        time.sleep(1)
    return run_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    arguments = parser.parse_args()
    work, environment = private_folders("cnnviz-bench-home-")
    bare = work / "bare_page.py"
    bare.write_text(BARE_PAGE)
    from benchmarks.bench_pages import seconds_to_draw
    from tests.helpers.browser import DESKTOP, chromium_page, running_app, running_script

    finished_quick_run()
    with running_app(environment) as home_url, running_script(bare, environment) as bare_url, \
            chromium_page(DESKTOP) as page:
        seconds_to_draw(page, home_url, HOME_READY)
        seconds_to_draw(page, bare_url, BARE_READY)
        home_times, bare_times = [], []
        for _ in range(arguments.repeats):
            home_times.append(seconds_to_draw(page, home_url, HOME_READY))
            bare_times.append(seconds_to_draw(page, bare_url, BARE_READY))
    home, bare_median = statistics.median(home_times), statistics.median(bare_times)
    print(f"load average: {os.getloadavg()[0]:.2f}")
    print(f"home page, warm (median of {arguments.repeats}):        {home:6.2f} s  "
          f"(min {min(home_times):.2f}, max {max(home_times):.2f})")
    print(f"bare page + 1 chart (median of {arguments.repeats}):    {bare_median:6.2f} s  "
          f"(min {min(bare_times):.2f}, max {max(bare_times):.2f})")
    print(f"home / bare:                             {home / bare_median:6.2f}")


if __name__ == "__main__":
    main()
