"""The main journey in real Chromium: home -> shapes dataset -> Fashion CNN -> train one epoch
-> live chart -> finished -> run list. Screenshots of every page at desktop and phone width go
to ``CNNVIZ_SCREENSHOTS`` (default: a temporary folder) for a person to look at."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, DESKTOP, PHONE, chromium_page, running_app, wait_until_idle

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
                       reason="Debian's chromium is not installed"),
]


@pytest.fixture
def app_url(tmp_path: Path):
    environment = {"CNNVIZ_DATA_DIR": str(tmp_path / "data"),
                   "CNNVIZ_RUNS_DIR": str(tmp_path / "runs"),
                   "CNNVIZ_DATA_ROOTS": str(tmp_path / "data")}
    with running_app(environment) as url:
        yield url


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CNNVIZ_SCREENSHOTS", tmp_path / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_train_on_shapes_from_the_home_page(app_url: str, shots: Path) -> None:
    with chromium_page(DESKTOP) as page:
        page.goto(app_url)
        wait_until_idle(page)
        page.get_by_role("button", name="Explore the shapes dataset").click()
        page.get_by_text("images in 6 classes").wait_for()
        wait_until_idle(page)
        page.screenshot(path=shots / "dataset-desktop.png", full_page=True)

        page.get_by_role("link", name="Model").click()
        page.get_by_text("How the feature map shrinks").wait_for()
        wait_until_idle(page)
        page.screenshot(path=shots / "model-desktop.png", full_page=True)

        page.get_by_role("link", name="Train").click()
        page.get_by_text("Model: Fashion-MNIST CNN").wait_for()
        epochs = page.get_by_role("spinbutton", name="Epochs")
        epochs.fill("1")
        epochs.press("Enter")
        wait_until_idle(page)
        page.get_by_role("button", name="Start training").click()
        page.locator(".js-plotly-plot .scatterlayer .trace").first.wait_for(timeout=120_000)
        page.screenshot(path=shots / "training-live-desktop.png", full_page=True)
        page.get_by_text("Test accuracy:").wait_for(timeout=180_000)
        wait_until_idle(page)
        assert page.get_by_text("finished").count() >= 1
        page.screenshot(path=shots / "training-finished-desktop.png", full_page=True)

        page.get_by_role("link", name="Home").click()
        page.get_by_text("Recent runs").wait_for()
        wait_until_idle(page)
        page.screenshot(path=shots / "home-desktop.png", full_page=True)

    with chromium_page(PHONE) as phone:
        for name, path in (("home", ""), ("dataset", "dataset"), ("train", "train")):
            phone.goto(f"{app_url}/{path}")
            wait_until_idle(phone)
            phone.screenshot(path=shots / f"{name}-phone.png", full_page=True)
        phone.goto(f"{app_url}/?lang=es")
        phone.get_by_text("Ejecuciones recientes").wait_for()
        wait_until_idle(phone)
        phone.screenshot(path=shots / "home-phone-es.png", full_page=True)
