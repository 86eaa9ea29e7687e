"""The generated shapes dataset: reproducible, balanced, and every shape visible."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.datasets.shapes import SHAPE_CLASSES, generate_shapes, read_shapes
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import InvalidSpecError


def test_same_seed_gives_the_same_bytes() -> None:
    first, second = generate_shapes(20, seed=5), generate_shapes(20, seed=5)
    assert first.arrays.tobytes() == second.arrays.tobytes()
    assert np.array_equal(first.labels, second.labels)


def test_another_seed_gives_other_images() -> None:
    first, second = generate_shapes(20, seed=0), generate_shapes(20, seed=1)
    assert not np.array_equal(first.arrays, second.arrays)


def test_every_class_gets_its_count_as_rgb_uint8() -> None:
    raw = generate_shapes(7)
    count = 7 * len(SHAPE_CLASSES)
    assert raw.arrays.shape == (count, 64, 64, 3) and raw.arrays.dtype == np.uint8
    assert raw.labels.dtype == np.int64
    assert raw.class_names == list(SHAPE_CLASSES)
    counts = np.bincount(raw.labels, minlength=len(SHAPE_CLASSES))
    assert counts.tolist() == [7] * len(SHAPE_CLASSES)
    assert raw.native_channels == 3 and raw.given_split is None
    assert raw.sizes.tolist() == [[64, 64]] * count


@pytest.mark.parametrize("size", [(32, 48), (24, 24), (96, 40)])
def test_requested_size_is_drawn(size: tuple[int, int]) -> None:
    raw = generate_shapes(2, size=size)
    assert raw.arrays.shape[1:] == (*size, 3)
    assert (raw.sizes == size).all()


def test_shapes_stand_out_from_a_plain_background() -> None:
    raw = generate_shapes(30, seed=3)
    luminance = raw.arrays.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    # Shapes stay inside the circle inscribed in the image, so corners are always background.
    corners = np.stack(
        [luminance[:, rows, columns]
         for rows in (slice(0, 3), slice(-3, None)) for columns in (slice(0, 3), slice(-3, None))],
        axis=1,
    ).reshape(len(luminance), -1)
    background = np.median(corners, axis=1)
    # Foreground differs by at least 80 levels; noise rarely passes 40.
    foreground = np.abs(luminance - background[:, np.newaxis, np.newaxis]) > 40
    fractions = foreground.mean(axis=(1, 2))
    assert fractions.min() > 0.01, "a shape is too small or too faint to see"
    assert fractions.max() < 0.6, "a shape fills most of its image"
    # Background is noisy, not flat, so the network cannot rely on perfectly uniform regions.
    assert all(np.std(row) > 1 for row in corners)


def test_classes_are_not_told_apart_by_colour() -> None:
    raw = generate_shapes(100, seed=2)
    mean_colour = raw.arrays.reshape(len(raw), -1, 3).mean(axis=1)
    per_class = np.array([mean_colour[raw.labels == label].mean(axis=0)
                          for label in range(len(SHAPE_CLASSES))])
    assert np.ptp(per_class, axis=0).max() < 30


def test_read_shapes_follows_the_spec() -> None:
    spec = DatasetSpec(shapes_per_class=3, seed=7, image_size=(32, 40))
    raw = read_shapes(spec)
    assert np.array_equal(raw.arrays, generate_shapes(3, (32, 40), seed=7).arrays)
    assert read_shapes(DatasetSpec(shapes_per_class=2)).arrays.shape[1:3] == (64, 64)


@pytest.mark.parametrize(("per_class", "size"), [(0, (64, 64)), (5, (3, 64))])
def test_impossible_requests_are_refused(per_class: int, size: tuple[int, int]) -> None:
    with pytest.raises(InvalidSpecError):
        generate_shapes(per_class, size)
