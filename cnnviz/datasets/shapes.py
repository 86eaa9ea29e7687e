"""A generated dataset of simple shapes: the first dataset a new user sees.

It needs no download, builds in well under a second, and its classes differ by outline only
(never by colour, size or position, which are random for every class), so the first
convolution layers learn edges and corners a class can see in the feature maps. The same seed
always gives the same bytes, so a run trained on it can be rebuilt anywhere.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from cnnviz.datasets.raw import RawImages
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import InvalidSpecError

SHAPE_CLASSES: tuple[str, ...] = ("circle", "square", "triangle", "star", "cross", "line")

DEFAULT_SHAPES_SIZE = (64, 64)

# Fraction of the shorter image side the shape's enclosing circle spans: large enough to read
# at 32x32, small enough to leave background around it.
_SMALLEST_EXTENT = 0.3
_LARGEST_EXTENT = 0.8
# Foreground and background luminances differ at least this much (0..255), so every shape
# stays visible after conversion to grayscale and under the added noise.
_MINIMUM_CONTRAST = 80.0
_NOISE_STANDARD_DEVIATION = (3.0, 12.0)
# Coordinates are passed to OpenCV with this many fractional bits, so shapes move and turn
# smoothly instead of snapping to whole pixels.
_SUBPIXEL_BITS = 4
_LUMINANCE_WEIGHTS = np.array([0.299, 0.587, 0.114])


def generate_shapes(
    per_class: int, size: tuple[int, int] = DEFAULT_SHAPES_SIZE, seed: int = 0
) -> RawImages:
    """``per_class`` RGB images of each of :data:`SHAPE_CLASSES`; ``size`` is (height, width).

    Samples are interleaved (circle, square, ..., line, circle, ...), so any prefix holds every
    class about equally. One shape per image, fully inside it, on a noisy plain background.
    """
    height, width = size
    if per_class < 1:
        raise InvalidSpecError("error.shapes.shapes_dataset_needs_least", per_class=per_class)
    if height < 4 or width < 4:
        raise InvalidSpecError("error.shapes.shapes_need_least_x", height=height, width=width)
    rng = np.random.default_rng(seed)
    count = per_class * len(SHAPE_CLASSES)
    labels = np.tile(np.arange(len(SHAPE_CLASSES), dtype=np.int64), per_class)

    shorter_side = min(height, width)
    radii = rng.uniform(_SMALLEST_EXTENT, _LARGEST_EXTENT, count) * shorter_side / 2
    centres_x = rng.uniform(radii, width - radii)
    centres_y = rng.uniform(radii, height - radii)
    angles = rng.uniform(0.0, 2 * math.pi, count)
    backgrounds, foregrounds = _contrasting_colours(rng, count)

    images = np.empty((count, height, width, 3), dtype=np.uint8)
    images[:] = backgrounds[:, np.newaxis, np.newaxis, :]
    for index in range(count):
        _draw_shape(
            images[index],
            SHAPE_CLASSES[labels[index]],
            (centres_x[index], centres_y[index]),
            radii[index],
            angles[index],
            tuple(int(channel) for channel in foregrounds[index]),
        )

    # One noise value per pixel shared by the three channels (brightness noise): a third of the
    # random numbers of colour noise, which would take most of the generation time.
    deviations = rng.uniform(*_NOISE_STANDARD_DEVIATION, count).astype(np.float32)
    brightness_noise = rng.standard_normal((count, height, width, 1), dtype=np.float32)
    brightness_noise *= deviations[:, np.newaxis, np.newaxis, np.newaxis]
    noisy = images + brightness_noise
    np.clip(noisy, 0, 255, out=noisy)
    images = np.rint(noisy, out=noisy).astype(np.uint8)

    return RawImages(
        class_names=list(SHAPE_CLASSES),
        labels=labels,
        arrays=images,
        sizes=np.tile(np.array([height, width], dtype=np.int64), (count, 1)),
        given_split=None,
        native_channels=3,
    )


def read_shapes(spec: DatasetSpec) -> RawImages:
    """The shapes dataset a spec describes, drawn at the spec's size (no resizing blur)."""
    size = spec.image_size or DEFAULT_SHAPES_SIZE
    return generate_shapes(spec.shapes_per_class, size, spec.seed)


def _contrasting_colours(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(count, 3) background and foreground RGB colours whose luminances differ enough.

    Hues are independent of the class, so a network cannot tell shapes apart by colour. A
    foreground too close to its background is drawn again.
    """
    backgrounds = rng.integers(0, 256, (count, 3))
    foregrounds = rng.integers(0, 256, (count, 3))
    too_close = _luminance_gap(backgrounds, foregrounds) < _MINIMUM_CONTRAST
    while too_close.any():
        foregrounds[too_close] = rng.integers(0, 256, (int(too_close.sum()), 3))
        too_close = _luminance_gap(backgrounds, foregrounds) < _MINIMUM_CONTRAST
    return backgrounds.astype(np.uint8), foregrounds.astype(np.uint8)


def _luminance_gap(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    return np.abs((first - second) @ _LUMINANCE_WEIGHTS)


def _draw_shape(
    image: np.ndarray,
    shape: str,
    centre: tuple[float, float],
    radius: float,
    angle: float,
    colour: tuple[int, int, int],
) -> None:
    """Draw one anti-aliased shape in place; ``radius`` is that of its enclosing circle."""
    scale = 1 << _SUBPIXEL_BITS
    centre_x, centre_y = centre
    if shape == "circle":
        fixed_centre = (round(centre_x * scale), round(centre_y * scale))
        fixed_radius = round(radius * scale)
        cv2.circle(image, fixed_centre, fixed_radius, colour, -1, cv2.LINE_AA, _SUBPIXEL_BITS)
        return
    if shape == "line":
        # Thickness follows the image, not the shape, so short lines stay as visible as long ones.
        thickness = max(2, round(0.06 * min(image.shape[:2])))
        half_length = max(radius - thickness / 2, 1.0)
        offset_x, offset_y = half_length * math.cos(angle), half_length * math.sin(angle)
        start = (round((centre_x - offset_x) * scale), round((centre_y - offset_y) * scale))
        end = (round((centre_x + offset_x) * scale), round((centre_y + offset_y) * scale))
        cv2.line(image, start, end, colour, thickness, cv2.LINE_AA, _SUBPIXEL_BITS)
        return
    outline = _OUTLINES[shape]
    cosine, sine = math.cos(angle), math.sin(angle)
    rotated = outline @ np.array([[cosine, sine], [-sine, cosine]]) * radius
    points = np.rint((rotated + (centre_x, centre_y)) * scale).astype(np.int32)
    cv2.fillPoly(image, [points], colour, cv2.LINE_AA, _SUBPIXEL_BITS)


def _regular_polygon(corners: int, start_angle: float) -> np.ndarray:
    angles = start_angle + np.arange(corners) * 2 * math.pi / corners
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _star(points: int, inner_ratio: float) -> np.ndarray:
    outer = _regular_polygon(points, -math.pi / 2)
    inner = _regular_polygon(points, -math.pi / 2 + math.pi / points) * inner_ratio
    return np.stack([outer, inner], axis=1).reshape(-1, 2)


def _cross(arm_half_width: float) -> np.ndarray:
    """A plus sign whose arm tips touch the unit circle."""
    width = arm_half_width
    reach = math.sqrt(1 - width**2)
    return np.array(
        [
            (width, -reach), (width, -width), (reach, -width), (reach, width),
            (width, width), (width, reach), (-width, reach), (-width, width),
            (-reach, width), (-reach, -width), (-width, -width), (-width, -reach),
        ]
    )


# Polygon shapes as unit outlines (enclosing circle of radius 1), rotated and scaled per image.
_OUTLINES = {
    "square": _regular_polygon(4, math.pi / 4),
    "triangle": _regular_polygon(3, -math.pi / 2),
    "star": _star(5, inner_ratio=0.42),
    "cross": _cross(arm_half_width=0.3),
}
