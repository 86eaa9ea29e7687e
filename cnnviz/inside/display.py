"""Turning one image's network views into what a projector shows: enlarged pixels, captions,
the drawing canvas's colours and the checks on an input before the network sees it."""

from __future__ import annotations

import hashlib

import cv2
import numpy as np

from cnnviz.inside.activations import LayerMaps

# Below this top probability the page warns that the network is unsure.
LOW_CONFIDENCE = 0.5
# Source choices of the page, in the order they are offered.
SOURCES = ("upload", "camera", "draw", "test", "live")


def enlarge(image: np.ndarray, side: int = 224) -> np.ndarray:
    """``image`` (height, width[, channels]) uint8 scaled up by a whole factor with nearest
    neighbours, so each network pixel stays a sharp square on a projector."""
    factor = max(1, side // max(image.shape[:2]))
    if factor == 1:
        return image
    enlarged = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_NEAREST)
    return enlarged[..., np.newaxis] if image.ndim == 3 and enlarged.ndim == 2 else enlarged


def is_blank(image: np.ndarray) -> bool:
    """True for an image of one flat colour: an empty canvas or a lens cap, nothing to see."""
    return int(image.max()) == int(image.min())


def ink_is_light(images: np.ndarray) -> bool:
    """Whether a dataset's shapes are light on a dark background (MNIST, Fashion-MNIST): the
    canvas then draws white on black, so a drawing looks like the training images."""
    return float(np.mean(images)) < 128


def is_unsure(probabilities: np.ndarray) -> bool:
    """True when the most probable class is below :data:`LOW_CONFIDENCE`."""
    return float(np.max(probabilities)) < LOW_CONFIDENCE


def predicted_class(probabilities: np.ndarray) -> int:
    """The index of the most probable class."""
    return int(np.argmax(probabilities))


def layer_caption(layer: LayerMaps) -> str:
    """``conv2 · Conv2D · 11×11×64``: what a layer is and the shape of its maps."""
    height, width, channels = layer.maps.shape
    return f"{layer.name} · {layer.kind} · {height}×{width}×{channels}"


def image_fingerprint(image: np.ndarray) -> str:
    """A short digest of a prepared image: the page notices a new input (another upload, a
    drawing) and resets the class choices made for the previous one."""
    return hashlib.sha1(image.tobytes() + str(image.shape).encode()).hexdigest()[:16]
