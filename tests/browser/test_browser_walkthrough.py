"""What a new user met in the walkthrough of issue 21, checked in real Chromium: a copied
address keeps the language and the run, nothing is fetched from the internet (the page icon
ships with the app), the Model page shows every layer, and Play moves the convolution window."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers.browser import (CHROMIUM, DESKTOP, chromium_page, private_folders,
                                   running_app, wait_until_idle)
from tests.helpers.run_folders import make_evaluated_run

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
                       reason="Debian's chromium is not installed"),
]


@pytest.fixture
def app_with_a_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from cnnviz.datasets.spec import DatasetSpec

    environment = private_folders(tmp_path, monkeypatch)
    run_id = make_evaluated_run(DatasetSpec(source="shapes", shapes_per_class=30,
                                            image_size=(32, 32)))
    with running_app(environment) as url:
        yield url, run_id


def default_model_layers() -> int:
    """Rows of the Model page's layer table for a newcomer: the quick start's network."""
    from cnnviz.models.build import build_model
    from cnnviz.models.layers import layer_table
    from cnnviz.presets import QUICK_START_SHAPES

    config = QUICK_START_SHAPES.config
    image_shape = (*config.dataset.image_size, config.dataset.channels or 3)
    return len(layer_table(build_model(config.model, image_shape, 6).model))


def slider_value(page, key: str) -> int:
    return int(page.locator(f'.st-key-{key} input[type="range"]').first.input_value())


def test_a_walk_through_the_pages_stays_offline_and_in_the_chosen_language(app_with_a_run):
    url, run_id = app_with_a_run
    outside: list[str] = []
    with chromium_page(DESKTOP) as page:
        page.on("request", lambda request: outside.append(request.url)
                if not request.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
        page.goto(f"{url}/model")
        page.get_by_text("Layers", exact=True).wait_for(timeout=180_000)
        wait_until_idle(page)
        # The layer table comes last, after the builder's block editor.
        table = page.locator('[data-testid="stDataFrame"]').last.bounding_box()
        assert table["height"] >= 35 * (default_model_layers() + 1)  # every layer and the header

        page.get_by_role("link", name="Convolution").click()
        page.get_by_text("Step of the window").wait_for()
        wait_until_idle(page)
        assert slider_value(page, "explain_step") == 1
        page.get_by_text("Play: step the window by itself").click()
        # One step a second, each step drawing five charts: on a busy machine, allow more.
        page.wait_for_function(
            "() => Number(document.querySelector('.st-key-explain_step input').value) >= 3",
            timeout=30_000)
        page.get_by_text("Play: step the window by itself").click()
        wait_until_idle(page)
        stopped = slider_value(page, "explain_step")
        page.wait_for_timeout(3000)
        assert slider_value(page, "explain_step") == stopped

        page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="Español").click()
        page.get_by_role("link", name="Evaluación").wait_for()
        page.get_by_role("link", name="Evaluación").click()
        page.get_by_text("Parejas más confundidas").wait_for(timeout=120_000)
        wait_until_idle(page)
        assert "lang=es" in page.url and f"run={run_id}" in page.url
        shared = page.url
    with chromium_page(DESKTOP) as other:  # the copied address, in a new browser
        other.goto(shared)
        other.get_by_text("Parejas más confundidas").wait_for(timeout=120_000)
    assert outside == []
