"""Resize modes and channel conversion: the one path every image goes through."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.errors import InvalidSpecError
from cnnviz.preprocessing import ImageFormat, convert_channels, prepare_image, resize_image


def bar_image(height: int, width: int) -> np.ndarray:
    """A wide image: white left third, black middle, white right third."""
    image = np.zeros((height, width, 3), dtype=np.uint8)
    image[:, : width // 3] = 255
    image[:, 2 * width // 3 :] = 255
    return image


def test_stretch_keeps_every_column() -> None:
    resized = resize_image(bar_image(20, 60), (30, 30), "stretch")
    assert resized.shape == (30, 30, 3)
    assert resized[:, 0].min() == 255 and resized[:, -1].min() == 255
    assert resized[:, 15].max() == 0


def test_crop_keeps_aspect_and_cuts_the_sides() -> None:
    resized = resize_image(bar_image(20, 60), (20, 20), "crop")
    assert resized.shape == (20, 20, 3)
    assert resized.max() == 0  # only the black middle third survives the centre crop


def test_pad_keeps_the_whole_image_with_black_borders() -> None:
    resized = resize_image(bar_image(20, 60), (30, 30), "pad")
    assert resized.shape == (30, 30, 3)
    assert resized[:5].max() == 0 and resized[-5:].max() == 0  # padding rows
    assert resized[15, 0].min() == 255 and resized[15, -1].min() == 255


def test_unknown_mode_is_a_clear_error() -> None:
    with pytest.raises(InvalidSpecError, match="stretch, crop or pad"):
        resize_image(bar_image(4, 4), (2, 2), "squash")


def test_channels_convert_both_ways() -> None:
    gray = np.full((3, 3, 1), 100, dtype=np.uint8)
    assert (convert_channels(gray, 3) == 100).all() and convert_channels(gray, 3).shape[2] == 3
    red = np.zeros((3, 3, 3), dtype=np.uint8)
    red[..., 0] = 255
    assert convert_channels(red, 1).shape == (3, 3, 1)
    assert convert_channels(red, 1)[0, 0, 0] == 76  # ITU-R 601 luminance of pure red


def test_prepare_accepts_two_dimensional_and_single_channel() -> None:
    image = np.arange(64, dtype=np.uint8).reshape(8, 8)
    prepared = prepare_image(image, (4, 4), channels=1)
    assert prepared.shape == (4, 4, 1)
    upscaled = ImageFormat(16, 12, 3, "crop").prepare(image[..., None])
    assert upscaled.shape == (16, 12, 3) and upscaled.dtype == np.uint8
