"""Small edits a student makes to an image to test a network's robustness: rotate it, add
noise, blur it, cover its centre. Pure NumPy/OpenCV on uint8 (height, width, channels)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class ImageEdit:
    """One set of edits; the defaults change nothing."""

    rotation: float = 0.0  # degrees, counter-clockwise, about the centre
    noise: float = 0.0  # standard deviation of Gaussian noise, in pixel levels (0..255)
    blur: int = 0  # radius of the Gaussian blur in pixels
    occlusion: float = 0.0  # side of a grey square over the centre, as a share of the image
    seed: int = 0  # the noise is the same for the same seed


def apply_edit(image: np.ndarray, edit: ImageEdit) -> np.ndarray:
    """``image`` with ``edit`` applied in a fixed order: rotate, blur, noise, occlude."""
    channels = image.shape[-1]
    edited = image.astype(np.float32)
    height, width = image.shape[:2]
    if edit.rotation:
        # OpenCV puts pixel centres on whole coordinates: the image's centre is (w-1)/2.
        turn = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), edit.rotation, 1.0)
        edited = cv2.warpAffine(edited, turn, (width, height), borderMode=cv2.BORDER_REPLICATE)
    if edit.blur > 0:
        side = 2 * edit.blur + 1
        edited = cv2.GaussianBlur(edited, (side, side), 0)
    edited = edited.reshape(height, width, channels)
    if edit.noise > 0:
        edited = edited + np.random.default_rng(edit.seed).normal(0, edit.noise, edited.shape)
    if edit.occlusion > 0:
        side_h = round(height * min(edit.occlusion, 1.0))
        side_w = round(width * min(edit.occlusion, 1.0))
        top, left = (height - side_h) // 2, (width - side_w) // 2
        edited[top:top + side_h, left:left + side_w] = 128
    return np.clip(edited + 0.5, 0, 255).astype(np.uint8)
