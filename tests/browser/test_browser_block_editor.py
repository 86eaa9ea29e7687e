"""The Model page's block table in real Chromium: three edits in a row all count (AppTest
cannot edit a data editor). The table was once given the session's latest blocks at every
rerun, which made it a new widget each time and dropped every edit after the first."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from cnnviz.models.build import build_model
from cnnviz.models.spec import ModelSpec
from cnnviz.presets import SHAPES_QUICK_BLOCKS
from tests.helpers.browser import (CHROMIUM, DESKTOP, chromium_page, private_folders,
                                   running_app, wait_until_idle)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
                       reason="Debian's chromium is not installed"),
]
ROW_HEIGHT = 35  # the data editor's rows, header included
FILTERS_COLUMN_X = 160  # past the row selector and the block kind


def parameters_shown(page) -> int:
    metric = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    return int(metric.replace(",", ""))


def parameters_become(page, expected: int) -> int:
    """The parameter count shown once it is ``expected``, or the last one after 15 s."""
    for _ in range(30):
        if parameters_shown(page) == expected:
            break
        page.wait_for_timeout(500)
    return parameters_shown(page)


def edit_filters(page, row: int, filters: int) -> None:
    """Type ``filters`` into the filters cell of ``row`` like a student: select, Enter, type."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.click(position={"x": FILTERS_COLUMN_X, "y": ROW_HEIGHT * (row + 1.5)})
    page.wait_for_timeout(300)  # the grid selects the cell on the next frame
    page.keyboard.press("Enter")
    editor = page.locator("input.gdg-input")
    editor.fill(str(filters))
    editor.press("Enter")
    editor.wait_for(state="detached")
    wait_until_idle(page)


def test_every_edit_of_the_block_table_counts(tmp_path: Path, monkeypatch) -> None:
    blocks = list(SHAPES_QUICK_BLOCKS)  # the default network, on the shapes (32x32x3, 6)
    conv_rows = [row for row, block in enumerate(blocks) if block.kind == "conv"]
    with running_app(private_folders(tmp_path, monkeypatch)) as url, \
            chromium_page(DESKTOP) as page:
        page.goto(f"{url}/model")
        page.get_by_text("How the feature map shrinks").wait_for()
        wait_until_idle(page)
        assert parameters_become(page, 61_510) == 61_510
        for row, filters in zip(conv_rows, (48, 96, 80)):
            edit_filters(page, row, filters)
            blocks[row] = dataclasses.replace(blocks[row], filters=filters)
            expected = build_model(ModelSpec(architecture="builder", blocks=tuple(blocks)),
                                   (32, 32, 3), 6, seed=0).model.count_params()
            assert parameters_become(page, expected) == expected, (row, filters)
