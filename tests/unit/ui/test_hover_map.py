"""Images on hover: the sprite sheet, the HTML page with its hover script, and the plotly.js
file the app serves."""

from __future__ import annotations

import io

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from cnnviz.analysis.sprites import png_bytes, sprite_sheet
from cnnviz.figures.embedding import embedding_scatter, hover_thumbnails_html


def numbered(count: int, size: int, channels: int = 1) -> np.ndarray:
    """Images whose every pixel holds the image's own number."""
    return np.stack([np.full((size, size, channels), index, np.uint8) for index in range(count)])


def test_each_image_sits_in_its_cell() -> None:
    sheet, columns, tile = sprite_sheet(numbered(10, 8))
    assert columns == 4 and tile == (8, 8) and sheet.shape == (3 * 8, 4 * 8, 1)
    for index in range(10):
        row, column = divmod(index, columns)
        cell = sheet[row * 8:(row + 1) * 8, column * 8:(column + 1) * 8]
        assert (cell == index).all()
    assert (sheet[16:, 16:] == 0).all()  # the two unused cells stay black


def test_large_images_are_shrunk_to_the_tile_side() -> None:
    images = numbered(3, 64, channels=3)
    sheet, columns, tile = sprite_sheet(images, side=32)
    assert tile == (32, 32) and sheet.shape == (2 * 32, 2 * 32, 3)
    assert (sheet[:32, 32:64] == 1).all()  # a flat image stays flat when shrunk


def test_a_sprite_needs_a_batch() -> None:
    with pytest.raises(ValueError):
        sprite_sheet(np.zeros((8, 8, 1), np.uint8))


def test_png_round_trip() -> None:
    image = np.random.default_rng(0).integers(0, 256, (5, 7, 3), dtype=np.uint8)
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png_bytes(image)))), image)


def test_the_page_turns_plotly_hover_into_thumbnails() -> None:
    coordinates = np.random.default_rng(0).normal(size=(6, 2))
    figure = embedding_scatter(coordinates, ["a", "b", "a", "b", "a", "b"],
                               [f"image {index}" for index in range(6)])
    html = hover_thumbnails_html(figure, b"PNG", columns=3, tile=(28, 20),
                                 plotly_js="/app/static/plotly.min.js")
    assert 'src="/app/static/plotly.min.js"></script>' in html
    assert "data:image/png;base64,UE5H" in html  # b"PNG" in base64
    assert "index % 3" in html
    for placeholder in ("__SHEET__", "__COLUMNS__", "__TILE_H__", "__TILE_W__", "__SIZE__"):
        assert placeholder not in html
    assert "plotly_hover" in html and "plotly_unhover" in html
    # The figure passed in is left as it was: Streamlit's own chart keeps its hover text.
    assert all(trace.hovertemplate == "%{text}<extra></extra>" for trace in figure.data)
    assert isinstance(figure, go.Figure)


def test_plotly_js_is_copied_once_into_the_static_folder(tmp_path, monkeypatch) -> None:
    from cnnviz.ui import hover_map

    monkeypatch.setattr(hover_map, "STATIC_FOLDER", tmp_path / "static")
    assert hover_map.plotly_js_url() == "/app/static/plotly.min.js"
    copied = tmp_path / "static" / "plotly.min.js"
    assert copied.stat().st_size > 1_000_000
    stamp = copied.stat().st_mtime_ns
    hover_map.plotly_js_url()
    assert copied.stat().st_mtime_ns == stamp
