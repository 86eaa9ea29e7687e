"""The explainer's numbers against scipy.signal.correlate2d and real Keras layers."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from scipy.signal import correlate2d

from cnnviz.explainer import (KERNEL_PRESETS, REPORT_D_GRID, convolution_formula,
                              convolution_steps, digit_image, output_size, pooling_formula,
                              pooling_steps, relu, same_padding)


def keras_convolution(image: np.ndarray, kernel: np.ndarray, stride: int, padding: str):
    layer = keras.layers.Conv2D(1, kernel.shape[0], strides=stride, padding=padding,
                                use_bias=False)
    layer.build((1, *image.shape, 1))
    layer.set_weights([kernel[:, :, np.newaxis, np.newaxis]])
    return keras.ops.convert_to_numpy(layer(image[np.newaxis, :, :, np.newaxis]))[0, :, :, 0]


@pytest.mark.parametrize("preset", list(KERNEL_PRESETS))
def test_every_preset_matches_scipy_and_keras(preset) -> None:
    kernel = KERNEL_PRESETS[preset]
    output, steps = convolution_steps(REPORT_D_GRID, kernel)
    np.testing.assert_allclose(output, correlate2d(REPORT_D_GRID, kernel, mode="valid"))
    np.testing.assert_allclose(output, keras_convolution(REPORT_D_GRID, kernel, 1, "valid"),
                               atol=1e-5)
    assert len(steps) == 9 and [(step.row, step.column) for step in steps][:3] == \
        [(0, 0), (0, 1), (0, 2)]


def test_same_padding_matches_keras_at_stride_one() -> None:
    image = digit_image(5)
    kernel = np.random.default_rng(1).normal(size=(3, 3))
    output, _ = convolution_steps(image, kernel, 1, same_padding(3))
    np.testing.assert_allclose(output, keras_convolution(image, kernel, 1, "same"), atol=1e-5)
    np.testing.assert_allclose(output, correlate2d(image, kernel, mode="same"), atol=1e-12)


def test_padding_on_every_side_with_a_stride_of_two() -> None:
    """The explainer pads the same amount on every side, as the formula says; Keras' "same"
    at stride 2 pads only the bottom and right of an even input, so it is compared with an
    explicit ZeroPadding2D instead."""
    image = digit_image(5)
    kernel = np.random.default_rng(1).normal(size=(3, 3))
    output, _ = convolution_steps(image, kernel, 2, 1)
    padded = keras.ops.convert_to_numpy(keras.layers.ZeroPadding2D(1)(
        image[np.newaxis, :, :, np.newaxis]))[0, :, :, 0]
    np.testing.assert_allclose(output, keras_convolution(padded, kernel, 2, "valid"), atol=1e-5)
    assert output.shape == (4, 4)


def test_each_step_is_the_sum_of_its_products() -> None:
    kernel = KERNEL_PRESETS["diagonal"]
    output, steps = convolution_steps(REPORT_D_GRID, kernel)
    centre = steps[4]  # the middle of the X: the diagonal kernel sees three ones
    assert (centre.row, centre.column, centre.top, centre.left) == (1, 1, 1, 1)
    np.testing.assert_array_equal(centre.products, centre.window * kernel)
    assert centre.value == output[1, 1] == 3.0
    assert convolution_formula(centre, kernel).endswith("= 3")
    assert convolution_formula(centre, KERNEL_PRESETS["vertical_edges"]).count("×(") == 3


@pytest.mark.parametrize("size, kernel, stride, padding, expected", [
    (5, 3, 1, 0, 3), (5, 3, 2, 0, 2), (28, 3, 1, 1, 28), (28, 5, 2, 2, 14), (7, 2, 2, 0, 3),
])
def test_output_size_formula(size, kernel, stride, padding, expected) -> None:
    assert output_size(size, kernel, stride, padding) == expected


def test_a_window_larger_than_the_input_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        output_size(2, 3, 1, 0)


@pytest.mark.parametrize("mode, layer", [("max", keras.layers.MaxPooling2D),
                                         ("average", keras.layers.AveragePooling2D)])
def test_pooling_matches_keras(mode, layer) -> None:
    values = np.random.default_rng(2).normal(size=(6, 7))
    pooled, steps = pooling_steps(values, 2, 2, mode)
    expected = keras.ops.convert_to_numpy(layer(2)(values[np.newaxis, :, :, np.newaxis]))
    np.testing.assert_allclose(pooled, expected[0, :, :, 0], atol=1e-6)
    assert len(steps) == pooled.size == 9
    assert pooling_formula(steps[0], mode).startswith("max(" if mode == "max" else "mean(")


def test_relu_keeps_the_positive_values() -> None:
    np.testing.assert_array_equal(relu(np.array([[-2.0, 0.0, 3.5]])), [[0.0, 0.0, 3.5]])


def test_digits_are_real_images_in_zero_to_one() -> None:
    image = digit_image(0)
    assert image.shape == (8, 8) and 0 <= image.min() and image.max() <= 1 and image.std() > 0
