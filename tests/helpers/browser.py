"""A real cnnviz server and a real Chromium for journey tests (Playwright, no download)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def running_app(environment: dict[str, str], port: int | None = None):
    """``streamlit run app.py`` on loopback (``port``, or a free one); yields its URL."""
    return running_script(ROOT / "app.py", environment, port)


@contextlib.contextmanager
def running_script(script: Path, environment: dict[str, str],
                   port: int | None = None) -> Iterator[str]:
    """``streamlit run script`` from the checkout's root, on loopback; yields its URL."""
    port = port or free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env={**os.environ, **environment}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        yield url
    finally:
        os.killpg(server.pid, 9)
        server.wait()


@contextlib.contextmanager
def chromium_page(viewport: dict[str, int], extra_args: tuple[str, ...] = ()) -> Iterator:
    """A page of Debian's Chromium with the project's switches (and ``extra_args``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=[*CHROMIUM_ARGS, *extra_args])
        page = browser.new_page(viewport=viewport)
        page.set_default_timeout(60_000)
        try:
            yield page
        finally:
            browser.close()


def wait_until_idle(page) -> None:
    """Wait until the app has drawn its page and no script run is in progress.

    Streamlit shows a status widget while a script runs; it may appear a moment after a click,
    so the page must be quiet for a whole second, twice in a row.
    """
    page.locator('[data-testid="stSidebarNav"], [data-testid="stSidebarCollapsedControl"]') \
        .first.wait_for(state="attached", timeout=120_000)
    for _ in range(2):
        page.wait_for_timeout(1000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
            timeout=120_000)


def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Data and runs folders of this test, for the server and for runs made in the test."""
    environment = {"CNNVIZ_DATA_DIR": str(tmp_path / "data"),
                   "CNNVIZ_RUNS_DIR": str(tmp_path / "runs"),
                   "CNNVIZ_DATA_ROOTS": str(tmp_path / "data")}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "data").mkdir()
    return environment
