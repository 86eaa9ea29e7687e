"""Saliency, SmoothGrad and Integrated Gradients checked against the methods' own guarantees on
a really trained CNN: IG's completeness, the gradient itself by finite differences, and the
model randomisation sanity check of Adebayo et al. (2018)."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from cnnviz.inside.attribution import (class_scores, complete_integrated_gradients,
                                       integrated_gradients, pixel_map, saliency,
                                       smoothgrad)
from tests.helpers.trained_models import trained_shapes_cnn

IMAGES = 4  # test images checked
COMPLETE_STEPS = 300  # Integrated Gradients steps for the completeness check


def rank_correlation(first: np.ndarray, second: np.ndarray) -> float:
    """Spearman's rank correlation of two maps of the same shape (ties broken by position),
    the measure of Adebayo et al.'s sanity checks: near 1 when both rank pixels alike."""
    if first.shape != second.shape:
        raise ValueError(f"Maps of shapes {first.shape} and {second.shape} cannot be compared")
    ranks = [np.argsort(np.argsort(values.ravel(), kind="stable"), kind="stable")
             for values in (first, second)]
    return float(np.corrcoef(ranks[0], ranks[1])[0, 1])


@pytest.fixture(scope="module")
def trained():
    model, images, labels = trained_shapes_cnn()
    return model, class_scores(model), images[:IMAGES]


def predicted(model, image: np.ndarray) -> int:
    return int(np.argmax(model(image[np.newaxis].astype(np.float32), training=False)[0]))


def test_integrated_gradients_add_up_to_the_change_of_the_score(trained) -> None:
    """Completeness within 1 % with enough steps of the trapezoid rule (the page's 50 steps
    are printed: a ReLU network's path has kinks, which cost accuracy at few steps)."""
    model, scores, images = trained
    for image in images:
        target = predicted(model, image)
        result = integrated_gradients(scores, image, target, steps=COMPLETE_STEPS)
        page = integrated_gradients(scores, image, target).completeness_gap
        print(f"IG completeness gap: {result.completeness_gap:.3%} at {COMPLETE_STEPS} steps, "
              f"{page:.3%} at 50")
        difference = result.score - result.baseline_score
        assert abs(difference) > 1.0, "a trained model's score moves between black and a shape"
        assert result.completeness_gap < 0.01, (result.total, difference)
        black = float(scores(tf.zeros((1, *image.shape)))[0, target])
        assert result.baseline_score == pytest.approx(black, abs=1e-4)


def test_the_page_doubles_the_steps_until_the_attributions_add_up(trained) -> None:
    model, scores, images = trained
    used = []
    for image in images:
        result, steps = complete_integrated_gradients(scores, image, predicted(model, image))
        assert result.completeness_gap <= 0.01 and 50 <= steps <= 400
        used.append(steps)
    print(f"steps the page uses: {used}")
    assert max(used) > 50  # some image of a ReLU network needs more than 50


def test_one_step_of_integrated_gradients_is_not_enough(trained) -> None:
    """The check can fail: a single trapezoid misses the curve of a ReLU network's path."""
    model, scores, images = trained
    gaps = [integrated_gradients(scores, image, predicted(model, image), steps=1)
            .completeness_gap for image in images]
    assert max(gaps) > 0.01


def test_the_scores_are_the_logits_before_the_softmax(trained) -> None:
    model, scores, images = trained
    logits = scores(tf.constant(images, tf.float32)).numpy()
    probabilities = model(images.astype(np.float32), training=False).numpy()
    assert np.allclose(keras.ops.convert_to_numpy(keras.ops.softmax(logits)), probabilities,
                       atol=1e-5)


def test_saliency_is_the_gradient_by_finite_differences(trained) -> None:
    model, scores, images = trained
    image = images[0]
    target = predicted(model, image)
    gradient = saliency(scores, image, target)
    pixel = np.unravel_index(np.argmax(np.abs(gradient)), gradient.shape)
    step = 0.25
    moved = np.repeat(image[np.newaxis].astype(np.float32), 2, axis=0)
    moved[(0, *pixel)] += step
    moved[(1, *pixel)] -= step
    plus, minus = scores(tf.constant(moved)).numpy()[:, target]
    assert (plus - minus) / (2 * step) == pytest.approx(gradient[pixel], rel=0.05)


def test_smoothgrad_is_reproducible_and_averages_noise(trained) -> None:
    model, scores, images = trained
    image, target = images[0], predicted(model, images[0])
    first = smoothgrad(scores, image, target, seed=3)
    assert np.array_equal(first, smoothgrad(scores, image, target, seed=3))
    assert not np.allclose(first, saliency(scores, image, target))


METHODS = {
    "saliency": lambda scores, image, target: saliency(scores, image, target),
    "smoothgrad": lambda scores, image, target: smoothgrad(scores, image, target),
    "integrated gradients": lambda scores, image, target:
        integrated_gradients(scores, image, target).attributions,
}


@pytest.mark.parametrize("method", list(METHODS))
def test_a_randomised_model_gets_different_attributions(trained, method) -> None:
    """Adebayo et al.'s model randomisation test: re-initialise every weight; an explanation
    of the model (not of the image alone) must change. Compared as signed maps (summed over
    the colour channels); the absolute maps are reported, as the paper does, for reference."""
    model, scores, images = trained
    keras.utils.set_random_seed(1)
    random_scores = class_scores(keras.models.clone_model(model))
    attribute = METHODS[method]
    signed, absolute, repeat = [], [], []
    for image in images:
        target = predicted(model, image)
        trained_map = attribute(scores, image, target)
        random_map = attribute(random_scores, image, target)
        signed.append(rank_correlation(trained_map.sum(-1), random_map.sum(-1)))
        absolute.append(rank_correlation(pixel_map(trained_map), pixel_map(random_map)))
        repeat.append(rank_correlation(trained_map.sum(-1),
                                       attribute(scores, image, target).sum(-1)))
    print(f"{method}: rank correlation trained / randomised, signed {np.round(signed, 3)}, "
          f"absolute {np.round(absolute, 3)}")
    assert np.mean(repeat) > 0.99  # the same model gives the same map: the measure can fail
    assert abs(np.mean(signed)) < 0.2
    assert max(abs(value) for value in signed) < 0.35


def test_rank_correlation() -> None:
    values = np.arange(12.0).reshape(3, 4)
    assert rank_correlation(values, values * 10 + 3) == pytest.approx(1.0)
    assert rank_correlation(values, -values) == pytest.approx(-1.0)
    with pytest.raises(ValueError):
        rank_correlation(values, values.ravel())


def test_integrated_gradients_need_a_step(trained) -> None:
    _, scores, images = trained
    with pytest.raises(ValueError):
        integrated_gradients(scores, images[0], 0, steps=0)
