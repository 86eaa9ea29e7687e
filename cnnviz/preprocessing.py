"""Bringing any image to the size and channels a model expects.

:func:`prepare_image` is the single code path used when a dataset is loaded, when it is
streamed during training and when a user uploads an image to classify, so the network always
sees images prepared the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from cnnviz.errors import InvalidSpecError


@dataclass(frozen=True)
class ImageFormat:
    """The shape every image of a dataset is brought to, and how."""

    height: int
    width: int
    channels: int  # 1 or 3
    resize_mode: str = "stretch"  # "stretch", "crop" (keep aspect, centre-crop) or "pad"

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.height, self.width, self.channels)

    def prepare(self, image: np.ndarray) -> np.ndarray:
        """(h, w, c) uint8 of any size and 1/3 channels -> this format, uint8."""
        return prepare_image(image, (self.height, self.width), self.channels, self.resize_mode)


def prepare_image(
    image: np.ndarray, size: tuple[int, int], channels: int, resize_mode: str = "stretch"
) -> np.ndarray:
    """Resize ``image`` (height, width, channels) to ``size`` and convert its channels."""
    if image.ndim == 2:
        image = image[..., np.newaxis]
    resized = resize_image(image, size, resize_mode)
    return convert_channels(resized, channels)


def resize_image(image: np.ndarray, size: tuple[int, int], mode: str = "stretch") -> np.ndarray:
    """Resize (h, w, c) uint8 to ``size`` = (height, width) by one of three modes.

    - ``stretch``: scale each side independently (distorts; report B's first attempt).
    - ``crop``: scale the shortest side to fit, then cut the centre (report B's final choice).
    - ``pad``: scale the longest side to fit, then pad with black (keeps the whole image).
    """
    target_height, target_width = size
    height, width = image.shape[:2]
    if mode == "stretch":
        return _resize(image, target_height, target_width)
    if mode == "crop":
        scale = max(target_height / height, target_width / width)
        new_height = max(target_height, round(height * scale))
        new_width = max(target_width, round(width * scale))
        scaled = _resize(image, new_height, new_width)
        top = (new_height - target_height) // 2
        left = (new_width - target_width) // 2
        return scaled[top : top + target_height, left : left + target_width]
    if mode == "pad":
        scale = min(target_height / height, target_width / width)
        new_height = min(target_height, max(1, round(height * scale)))
        new_width = min(target_width, max(1, round(width * scale)))
        scaled = _resize(image, new_height, new_width)
        canvas = np.zeros((target_height, target_width, image.shape[2]), dtype=image.dtype)
        top = (target_height - new_height) // 2
        left = (target_width - new_width) // 2
        canvas[top : top + new_height, left : left + new_width] = scaled
        return canvas
    raise InvalidSpecError("error.preprocessing.unknown_resize_mode_use", mode=mode)


def convert_channels(image: np.ndarray, channels: int) -> np.ndarray:
    """(h, w, 1 or 3) -> (h, w, ``channels``): gray is repeated, colour uses luminance."""
    current = image.shape[2]
    if current == channels:
        return image
    if channels == 3 and current == 1:
        return np.repeat(image, 3, axis=2)
    if channels == 1 and current == 3:
        return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)[..., np.newaxis]
    raise InvalidSpecError(
        "error.preprocessing.cannot_convert_channels", current=current, channels=channels)


def _resize(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """OpenCV resize that keeps the channel axis; area averaging when shrinking avoids aliasing."""
    if image.shape[:2] == (height, width):
        return image
    shrinking = height < image.shape[0] or width < image.shape[1]
    interpolation = cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR
    resized = cv2.resize(image, (width, height), interpolation=interpolation)
    if resized.ndim == 2:
        resized = resized[..., np.newaxis]
    return resized
