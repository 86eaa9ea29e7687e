"""One frame of the live camera: prepared like the training images, classified, and drawn
back with its Grad-CAM overlay and the top three classes, at the camera's own resolution.

Pure NumPy/OpenCV around a :class:`~cnnviz.training.inference.RunModel`: the page's video
callback calls :func:`annotate_frame` for each frame it receives and measures the rate with
:class:`FrameRate`; nothing here knows about Streamlit or WebRTC.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

from cnnviz.analysis.examples import top_predictions
from cnnviz.inside.gradcam import overlay
from cnnviz.preprocessing import ImageFormat

if TYPE_CHECKING:
    from cnnviz.training.inference import RunModel

TOP_K = 3
TEXT_SCALE_PER_PIXEL = 1 / 480  # OpenCV font scale per pixel of frame height
TEXT_COLOUR = (255, 255, 255)
TEXT_BACKGROUND = (0, 0, 0)


@dataclass(frozen=True)
class AnnotatedFrame:
    """A frame drawn over, and what was drawn."""

    frame: np.ndarray  # (height, width, 3) uint8 RGB, the camera's size
    top: list[tuple[str, float]]  # the top classes and their probabilities, best first


def seen_region(frame_height: int, frame_width: int,
                image_format: ImageFormat) -> tuple[int, int, int, int]:
    """(top, left, height, width) of the part of the frame the network sees: the whole frame
    when it is stretched or padded, the centre that a crop keeps otherwise."""
    if image_format.resize_mode != "crop":
        return 0, 0, frame_height, frame_width
    scale = max(image_format.height / frame_height, image_format.width / frame_width)
    height = min(frame_height, round(image_format.height / scale))
    width = min(frame_width, round(image_format.width / scale))
    return (frame_height - height) // 2, (frame_width - width) // 2, height, width


def heat_for_region(heat: np.ndarray, region_height: int, region_width: int,
                    image_format: ImageFormat) -> np.ndarray:
    """The Grad-CAM map without the black borders a padded image has around the frame."""
    if image_format.resize_mode != "pad":
        return heat
    scale = min(image_format.height / region_height, image_format.width / region_width)
    kept_height = min(1.0, region_height * scale / image_format.height)
    kept_width = min(1.0, region_width * scale / image_format.width)
    rows, columns = heat.shape
    top = int(round(rows * (1 - kept_height) / 2))
    left = int(round(columns * (1 - kept_width) / 2))
    return heat[top:rows - top, left:columns - left]


def annotate_frame(model: RunModel, frame: np.ndarray, class_names: list[str],
                   opacity: float = 0.4) -> AnnotatedFrame:
    """Classify ``frame`` (height, width, 3) uint8 RGB and draw on a copy: the Grad-CAM map
    of the predicted class over the part of the frame the network sees (none for a network
    without convolutions) and the top three classes in the top-left corner."""
    image = model.image_format.prepare(frame)  # (h, w, c) as the network was trained on
    probabilities = model.probabilities(image[np.newaxis])[0]
    top = top_predictions(probabilities, class_names, TOP_K)
    drawn = np.ascontiguousarray(frame, dtype=np.uint8).copy()
    if model.cam_probe is not None:
        heat = model.gradcam(image, int(np.argmax(probabilities)))
        top_row, left, height, width = seen_region(*frame.shape[:2], model.image_format)
        region = drawn[top_row:top_row + height, left:left + width]
        drawn[top_row:top_row + height, left:left + width] = overlay(
            region, heat_for_region(heat, height, width, model.image_format), opacity)
    draw_top_classes(drawn, top)
    return AnnotatedFrame(drawn, top)


def draw_top_classes(frame: np.ndarray, top: list[tuple[str, float]]) -> None:
    """Write ``1. cat 87%`` lines in the top-left corner of ``frame`` (in place), white on a
    black box so they read over any picture; the text grows with the frame."""
    scale = max(0.4, frame.shape[0] * TEXT_SCALE_PER_PIXEL)
    thickness = max(1, round(scale * 2))
    padding = max(3, round(6 * scale))
    lines = [f"{position + 1}. {name} {probability:.0%}"
             for position, (name, probability) in enumerate(top)]
    sizes = [cv2.getTextSize(line, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness) for line in lines]
    line_height = max(height + baseline for (_, height), baseline in sizes) + padding
    box_width = max(width for (width, _), _ in sizes) + 2 * padding
    cv2.rectangle(frame, (0, 0), (box_width, line_height * len(lines) + padding),
                  TEXT_BACKGROUND, cv2.FILLED)
    for position, (line, ((_, height), _)) in enumerate(zip(lines, sizes)):
        bottom = padding + position * line_height + height
        cv2.putText(frame, line, (padding, bottom), cv2.FONT_HERSHEY_SIMPLEX, scale,
                    TEXT_COLOUR, thickness, cv2.LINE_AA)


class FrameRate:
    """Frames per second over the last :attr:`window` seconds, and the latest prediction.

    The video callback runs in another thread than the page; both sides go through a lock.
    """

    def __init__(self, window: float = 3.0) -> None:
        self.window = window
        self._times: deque[float] = deque()
        self._lock = threading.Lock()
        self._top: list[tuple[str, float]] = []

    def tick(self, top: list[tuple[str, float]], now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._times.append(now)
            while self._times and self._times[0] < now - self.window:
                self._times.popleft()
            self._top = list(top)

    def per_second(self, now: float | None = None) -> float:
        """Frames per second; 0 before two frames arrived or once frames stopped coming."""
        now = time.monotonic() if now is None else now
        with self._lock:
            recent = [moment for moment in self._times if moment >= now - self.window]
        if len(recent) < 2:
            return 0.0
        return (len(recent) - 1) / max(recent[-1] - recent[0], 1e-9)

    def latest(self) -> list[tuple[str, float]]:
        with self._lock:
            return list(self._top)
