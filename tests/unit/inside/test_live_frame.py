"""The live camera's frame processing: prepare, predict, draw the Grad-CAM overlay and the top
three classes, on real (untrained) Keras models; the region a crop or a pad keeps; the rate."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.inside.live_frame import (FrameRate, annotate_frame, heat_for_region,
                                      seen_region)
from cnnviz.models.build import build_model
from cnnviz.models.spec import ModelSpec
from cnnviz.preprocessing import ImageFormat
from cnnviz.training.inference import run_model_from

NAMES = ["circle", "square", "triangle", "star"]


def run_model(architecture: str, resize_mode: str = "stretch"):
    model = build_model(ModelSpec(architecture=architecture), (28, 28, 1), len(NAMES),
                        seed=0).model
    return run_model_from(model, False, ImageFormat(28, 28, 1, resize_mode))


def camera_frame() -> np.ndarray:
    """A 240x320 colour frame: a bright square on a dark, slightly noisy background."""
    frame = np.random.default_rng(0).integers(0, 40, (240, 320, 3)).astype(np.uint8)
    frame[80:160, 120:200] = (250, 240, 230)
    return frame


def test_a_frame_is_classified_and_drawn_over() -> None:
    model = run_model("fashion_cnn")
    frame = camera_frame()
    annotated = annotate_frame(model, frame, NAMES)
    assert annotated.frame.shape == frame.shape and annotated.frame.dtype == np.uint8
    expected = model.probabilities(model.image_format.prepare(frame)[np.newaxis])[0]
    assert [name for name, _ in annotated.top] == [NAMES[i] for i in np.argsort(-expected)[:3]]
    assert [p for _, p in annotated.top] == pytest.approx(sorted(expected, reverse=True)[:3],
                                                          abs=1e-6)
    changed = np.any(annotated.frame != frame, axis=-1)
    assert changed[:40, :100].mean() > 0.2  # the text box in the top-left corner
    heat = model.gradcam(model.image_format.prepare(frame), int(np.argmax(expected)))
    if heat.any():  # the overlay colours the frame far from the text too
        assert changed[120:, :].mean() > 0.5
    assert np.array_equal(frame, camera_frame())  # the camera's frame is left as it was


def test_a_network_without_convolutions_gets_the_classes_only() -> None:
    model = run_model("mlp")
    frame = camera_frame()
    annotated = annotate_frame(model, frame, NAMES)
    assert len(annotated.top) == 3
    changed = np.any(annotated.frame != frame, axis=-1)
    assert changed[:40, :100].any() and not changed[120:, :].any()


def test_a_crop_overlays_the_centre_the_network_sees() -> None:
    assert seen_region(240, 320, ImageFormat(32, 32, 1, "crop")) == (0, 40, 240, 240)
    assert seen_region(240, 320, ImageFormat(32, 32, 1, "stretch")) == (0, 0, 240, 320)
    model = run_model("fashion_cnn", "crop")
    frame = camera_frame()
    annotated = annotate_frame(model, frame, NAMES)
    # Outside the centred square the frame is untouched (below the text box).
    assert np.array_equal(annotated.frame[120:, :40], frame[120:, :40])
    assert np.array_equal(annotated.frame[120:, 280:], frame[120:, 280:])


def test_a_pad_drops_the_heat_of_the_black_borders() -> None:
    heat = np.arange(64, dtype=np.float32).reshape(8, 8)
    kept = heat_for_region(heat, 240, 320, ImageFormat(32, 32, 1, "pad"))
    assert kept.shape == (6, 8)  # the frame fills 3/4 of the padded image's height
    np.testing.assert_array_equal(kept, heat[1:7])
    assert heat_for_region(heat, 240, 320, ImageFormat(32, 32, 1, "crop")) is heat


def test_the_frame_rate_counts_the_last_seconds() -> None:
    rate = FrameRate(window=2.0)
    assert rate.per_second(now=0.0) == 0.0
    for frame in range(11):
        rate.tick([("circle", 0.9)], now=frame * 0.1)
    assert rate.per_second(now=1.0) == pytest.approx(10.0)
    assert rate.latest() == [("circle", 0.9)]
    assert rate.per_second(now=10.0) == 0.0  # the camera stopped
