"""One real Chromium student beside the protocol class: what a student sees while the class
is on. Run as its own process by ``benchmarks/bench_class.py --browser`` (Playwright must not
share the gevent-patched benchmark process):

    python -m tests.helpers.browser_beside URL TRAINED_RUN SECONDS OUTPUT.json

It opens Home, Evaluation and Look inside of the trained run, in turn, until SECONDS have
passed or it is stopped; each page is timed from the address typed to that page's own content
drawn, and OUTPUT.json is rewritten after every page (so stopping it loses nothing).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from playwright.sync_api import TimeoutError as PageTimeout

from tests.helpers.browser import DESKTOP, chromium_page

PAGES = (("home", "", "Recent runs"), ("evaluation", "evaluation", "Click a cell of the matrix"),
         ("look inside", "inside", "Look inside the network"))


def visit_pages(url: str, trained_run: str, seconds: float,
                output: Path) -> list[tuple[str, float, str]]:
    """(page, seconds, problem) for every page opened until ``seconds`` have passed."""
    timings = []
    deadline = time.monotonic() + seconds
    with chromium_page(DESKTOP) as page:
        page.set_default_timeout(120_000)
        while time.monotonic() < deadline:
            for name, path, marker in PAGES:
                started = time.monotonic()
                try:
                    page.goto(f"{url}/{path}?run={trained_run}&lang=en")
                    page.get_by_text(marker).first.wait_for()
                    timings.append((name, time.monotonic() - started, ""))
                except PageTimeout:  # a page that never came is a figure too
                    timings.append((name, time.monotonic() - started, "timed out"))
                output.write_text(json.dumps(timings))
    return timings


if __name__ == "__main__":
    address, run, duration, output = sys.argv[1:5]
    visit_pages(address, run, float(duration), Path(output))
