"""Pixel attribution: which pixels of one image raise a class score, by three gradient methods
that sit beside Grad-CAM and occlusion on the Look inside page.

- Saliency (Simonyan et al. 2014): the gradient of the class score with respect to the pixels.
- SmoothGrad (Smilkov et al. 2017): the gradient averaged over noisy copies of the image, which
  removes much of the plain gradient's speckle.
- Integrated Gradients (Sundararajan et al. 2017): the gradient averaged along the straight path
  from a baseline (a black image) to the image, times the difference. Its attributions add up
  to ``score(image) - score(baseline)`` (completeness), which the page shows and a test checks.

The class score is the ``predictions`` layer's value before its softmax, as in Grad-CAM: the
gradient of a saturated probability vanishes. Pixels are in the network's input range, 0..255.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

# Images per forward and backward pass: bounds memory for a 128x128 transfer model.
BATCH_SIZE = 32
# SmoothGrad's noise, as a share of the pixel range (the paper finds 10-20 % works best).
SMOOTHGRAD_NOISE = 0.15
SMOOTHGRAD_SAMPLES = 25
INTEGRATED_STEPS = 50
# The page doubles the steps until completeness holds within this share (or the most steps).
COMPLETENESS_TOLERANCE = 0.01
MOST_INTEGRATED_STEPS = 400

ClassScores = Callable[[tf.Tensor], tf.Tensor]


def class_scores(model: keras.Model) -> ClassScores:
    """A differentiable function from images (k, height, width, channels) float32 in 0..255 to
    the class scores before the softmax (k, classes), computed from the input and the weights
    of ``predictions`` (whose own output may already be a probability)."""
    dense = model.get_layer("predictions")
    features = keras.Model(model.inputs, dense.input, name=f"{model.name}_features")

    def scores(images: tf.Tensor) -> tf.Tensor:
        return tf.matmul(features([images], training=False), dense.kernel) + dense.bias

    return scores


def score_gradients(scores: ClassScores, images: np.ndarray,
                    class_index: int) -> tuple[np.ndarray, np.ndarray]:
    """Gradients (k, height, width, channels) of ``class_index``'s score with respect to each
    of ``images`` (k, height, width, channels), and the scores (k,), a batch at a time."""
    gradients, values = [], []
    for start in range(0, len(images), BATCH_SIZE):
        batch = tf.convert_to_tensor(images[start:start + BATCH_SIZE], tf.float32)
        with tf.GradientTape() as tape:
            tape.watch(batch)
            score = scores(batch)[:, class_index]  # (batch,)
        gradients.append(tape.gradient(score, batch).numpy())
        values.append(score.numpy())
    return np.concatenate(gradients), np.concatenate(values)


def saliency(scores: ClassScores, image: np.ndarray, class_index: int) -> np.ndarray:
    """The plain gradient of the score (height, width, channels) at one image."""
    return score_gradients(scores, image[np.newaxis].astype(np.float32), class_index)[0][0]


def smoothgrad(scores: ClassScores, image: np.ndarray, class_index: int,
               samples: int = SMOOTHGRAD_SAMPLES, noise: float = SMOOTHGRAD_NOISE,
               seed: int = 0) -> np.ndarray:
    """The gradient (height, width, channels) averaged over ``samples`` copies of the image
    with Gaussian noise of ``noise`` times the pixel range (fixed ``seed``: the same image
    gives the same map on every rerun)."""
    rng = np.random.default_rng(seed)
    noisy = image[np.newaxis].astype(np.float32) + rng.normal(
        0.0, noise * 255.0, (samples, *image.shape)).astype(np.float32)
    return score_gradients(scores, noisy, class_index)[0].mean(axis=0)


@dataclass(frozen=True)
class IntegratedGradients:
    """Integrated Gradients of one image and what completeness compares them with."""

    attributions: np.ndarray  # (height, width, channels): one share of the score per value
    score: float  # the class score of the image
    baseline_score: float  # the class score of the baseline

    @property
    def total(self) -> float:
        """The attributions' sum; completeness says it equals ``score - baseline_score``."""
        return float(self.attributions.sum())

    @property
    def completeness_gap(self) -> float:
        """``|total - (score - baseline_score)|`` relative to ``|score - baseline_score|``."""
        difference = self.score - self.baseline_score
        return abs(self.total - difference) / max(abs(difference), 1e-12)


def integrated_gradients(scores: ClassScores, image: np.ndarray, class_index: int,
                         steps: int = INTEGRATED_STEPS,
                         baseline: np.ndarray | None = None) -> IntegratedGradients:
    """Integrated Gradients from ``baseline`` (black by default) to ``image`` with ``steps``
    intervals of the trapezoid rule (``steps + 1`` gradients, one batched pass): the path
    integral's error falls with the square of the step for a smooth path."""
    if steps < 1:
        raise ValueError("Integrated Gradients needs at least one step")
    image = image.astype(np.float32)
    baseline = np.zeros_like(image) if baseline is None else baseline.astype(np.float32)
    alphas = np.linspace(0.0, 1.0, steps + 1, dtype=np.float32)[:, None, None, None]
    path = baseline[np.newaxis] + alphas * (image - baseline)[np.newaxis]  # (steps+1, h, w, c)
    gradients, values = score_gradients(scores, path, class_index)
    average = ((gradients[:-1] + gradients[1:]) / 2.0).mean(axis=0)  # trapezoid rule
    return IntegratedGradients((image - baseline) * average, float(values[-1]), float(values[0]))


def complete_integrated_gradients(scores: ClassScores, image: np.ndarray, class_index: int,
                                  steps: int = INTEGRATED_STEPS,
                                  tolerance: float = COMPLETENESS_TOLERANCE,
                                  most_steps: int = MOST_INTEGRATED_STEPS) -> \
        tuple[IntegratedGradients, int]:
    """Integrated Gradients with ``steps`` doubled until completeness holds within
    ``tolerance`` or ``most_steps`` is reached, and the steps used: the completeness gap
    measures the integral's own error, so a page can show attributions that really add up."""
    result = integrated_gradients(scores, image, class_index, steps)
    while result.completeness_gap > tolerance and steps * 2 <= most_steps:
        steps *= 2
        result = integrated_gradients(scores, image, class_index, steps)
    return result, steps


def pixel_map(attributions: np.ndarray) -> np.ndarray:
    """Attributions (height, width, channels) as one map (height, width) in [0, 1]: the
    largest absolute value over the channels, scaled by the image's largest (the usual way
    of drawing saliency maps: the sign of a pixel's gradient says little on its own)."""
    strength = np.abs(attributions).max(axis=-1)
    top = float(strength.max())
    return (strength / top if top > 0 else strength).astype(np.float32)
