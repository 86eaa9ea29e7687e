"""Occlusion sensitivity (Zeiler & Fergus 2014): slide a grey patch over the image and record
how much the probability of a class drops at each position. Model-agnostic, so it checks
Grad-CAM with no gradients involved."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

GREY = 128
# Forward passes one occlusion map may take.
MAX_POSITIONS = 4096


def occluded_copies(image: np.ndarray, patch: int, stride: int, first: int = 0,
                    last: int | None = None) -> tuple[np.ndarray, int, int]:
    """Copies of ``image`` (height, width, channels) with a ``patch`` x ``patch`` grey square
    at the stride steps ``first`` to ``last`` (row by row; all by default):
    (count, height, width, channels), and the rows and columns of the whole grid of steps."""
    if patch < 1 or stride < 1:
        raise ValueError("The patch and the stride must be at least one pixel")
    height, width = image.shape[:2]
    patch = min(patch, height, width)
    tops = range(0, height - patch + 1, stride)
    lefts = range(0, width - patch + 1, stride)
    positions = [(top, left) for top in tops for left in lefts][first:last]
    copies = np.repeat(image[np.newaxis], len(positions), axis=0)
    for index, (top, left) in enumerate(positions):
        copies[index, top:top + patch, left:left + patch] = GREY
    return copies, len(tops), len(lefts)


def smallest_stride(height: int, width: int, patch: int,
                    max_positions: int = MAX_POSITIONS) -> int:
    """The smallest stride that keeps the patch positions within ``max_positions`` (a large
    photo with a stride of 1 would need tens of thousands of forward passes)."""
    stride = 1
    while (((height - min(patch, height)) // stride + 1)
           * ((width - min(patch, width)) // stride + 1)) > max_positions:
        stride += 1
    return stride


def patch_choices(height: int, width: int) -> tuple[int, int, int]:
    """The patch side's slider for an image of ``height`` x ``width``: (smallest, largest,
    start). Up to half the shorter side, a sixth to start; never below 2 pixels."""
    smallest = min(height, width)
    return 2, max(2, smallest // 2), max(2, smallest // 6)


def stride_choices(height: int, width: int, patch: int) -> tuple[int, int, int]:
    """The stride's slider for ``patch``: (smallest, largest, start). From the smallest stride
    within MAX_POSITIONS to the patch itself (wider strides skip pixels), half a patch to start."""
    fewest = smallest_stride(height, width, patch)
    return fewest, max(fewest + 1, patch), max(fewest, patch // 2)


def occlusion_map(predict: Callable[[np.ndarray], np.ndarray], image: np.ndarray,
                  class_index: int, patch: int, stride: int,
                  batch_size: int = 256) -> np.ndarray:
    """Drop in the probability of ``class_index`` (rows, columns) when each position is covered;
    ``predict`` maps prepared images (k, h, w, c) uint8 to probabilities (k, classes).

    Positive values: covering there hurts the class (the evidence is there). Negative: covering
    there helps it. Copies are made one batch at a time, so memory stays at one batch; more
    than :data:`MAX_POSITIONS` positions raise ``ValueError`` (see :func:`smallest_stride`).
    """
    original = float(predict(image[np.newaxis])[0, class_index])
    _, rows, columns = occluded_copies(image, patch, stride, 0, 0)
    if rows * columns > MAX_POSITIONS:
        raise ValueError(f"{rows * columns} patch positions is too many: use a stride of at "
                         f"least {smallest_stride(*image.shape[:2], patch)}")
    covered = [predict(occluded_copies(image, patch, stride, first, first + batch_size)[0])
               [:, class_index] for first in range(0, rows * columns, batch_size)]
    return (original - np.concatenate(covered)).reshape(rows, columns).astype(np.float32)


def drop_per_pixel(drop: np.ndarray, image_shape: tuple[int, ...], patch: int,
                   stride: int) -> np.ndarray:
    """The drops of :func:`occlusion_map` (rows, columns) spread back onto the image (height,
    width): each pixel gets the mean drop of the patch positions that covered it (0 where none
    did), so the map lines up with the image under it."""
    height, width = image_shape[:2]
    patch = min(patch, height, width)
    total = np.zeros((height, width), np.float64)
    covered = np.zeros((height, width), np.int64)
    rows, columns = drop.shape
    for row in range(rows):
        for column in range(columns):
            top, left = row * stride, column * stride
            total[top:top + patch, left:left + patch] += drop[row, column]
            covered[top:top + patch, left:left + patch] += 1
    return np.divide(total, covered, out=np.zeros_like(total),
                     where=covered > 0).astype(np.float32)


def evidence(drop: np.ndarray) -> np.ndarray:
    """Where covering hurts the class, scaled to [0, 1] for an overlay (the largest drop is 1;
    places where covering helps count as none)."""
    positive = np.clip(drop, 0, None)
    top = float(positive.max())
    return (positive / top if top > 0 else positive).astype(np.float32)
