"""Grad-CAM on networks whose answer is known by hand, on a nested transfer model (checked
against a separate computation from the base's feature map), the layer it reads, and the heat
map overlay."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from cnnviz.inside.gradcam import cam_layer, gradcam, gradcam_probe, overlay
from cnnviz.models.build import build_model
from cnnviz.models.spec import ModelSpec
from cnnviz.preprocessing import ImageFormat
from cnnviz.training.inference import run_model_from


def pixel_model(channels: int = 1, filters: int = 1, scale: float = 1.0) -> keras.Model:
    """image (8, 8, channels) -> 1x1 conv "conv" (no bias) -> global average -> 2-way softmax.

    The conv picks input channel k into filter k; ``predictions`` has no bias. Class scores
    before the softmax are ``scale`` times +/- the channel means (see the tests)."""
    inputs = keras.Input((8, 8, channels), name="image")
    tensor = keras.layers.Conv2D(filters, 1, use_bias=False, name="conv")(inputs)
    tensor = keras.layers.GlobalAveragePooling2D(name="embedding")(tensor)
    outputs = keras.layers.Dense(2, activation="softmax", name="predictions")(tensor)
    model = keras.Model(inputs, outputs, name="pixels")
    model.get_layer("conv").set_weights([np.eye(channels, filters, dtype=np.float32)[None, None]])
    return model


def set_dense(model: keras.Model, kernel) -> None:
    model.get_layer("predictions").set_weights([np.asarray(kernel, np.float32),
                                                np.zeros(2, np.float32)])


def ramp_image(channels: int = 1) -> np.ndarray:
    """A nonnegative (8, 8, channels) uint8 image with distinct values, brightest bottom-right."""
    ramp = 3 * np.arange(64).reshape(8, 8)
    return np.stack([ramp if k % 2 == 0 else ramp[::-1, ::-1] for k in range(channels)],
                    axis=-1).astype(np.uint8)


def heat_of(model: keras.Model, image: np.ndarray, class_index: int) -> np.ndarray:
    return gradcam(model, gradcam_probe(model, cam_layer(model)), image, class_index)


# --- known answers ------------------------------------------------------------------------------

def test_grad_cam_of_a_one_pixel_network_is_the_image_for_the_class_it_supports() -> None:
    model = pixel_model()
    set_dense(model, [[1.0, -1.0]])  # class 0 grows with brightness, class 1 shrinks
    image = ramp_image()
    assert cam_layer(model) == "conv"
    heat = heat_of(model, image, 0)
    assert heat.shape == (8, 8) and heat.dtype == np.float32
    np.testing.assert_allclose(heat, image[..., 0] / image.max(), rtol=1e-5, atol=1e-6)
    against = heat_of(model, image, 1)
    assert against.shape == (8, 8) and not against.any()  # nothing speaks for class 1


def test_grad_cam_weights_each_map_by_its_class_gradient() -> None:
    model = pixel_model(channels=2, filters=2)
    set_dense(model, [[1.0, 0.0], [0.0, 1.0]])  # class 0 reads channel 0, class 1 channel 1
    image = ramp_image(channels=2)  # channel 1 is channel 0 turned round
    for class_index in (0, 1):
        expected = image[..., class_index] / image[..., class_index].max()
        np.testing.assert_allclose(heat_of(model, image, class_index), expected,
                                   rtol=1e-5, atol=1e-6)


def test_grad_cam_uses_the_score_before_the_softmax() -> None:
    """With huge weights the softmax saturates at exactly 1 in float32: the gradient of the
    probability is zero, that of the score is not."""
    model = pixel_model()
    set_dense(model, [[1000.0, -1000.0]])
    image = ramp_image()
    probabilities = keras.ops.convert_to_numpy(model(image[None].astype(np.float32)))[0]
    assert probabilities[0] == 1.0  # saturated
    np.testing.assert_allclose(heat_of(model, image, 0), image[..., 0] / image.max(),
                               rtol=1e-5, atol=1e-6)


def test_a_black_image_gives_a_black_heat_map_not_nan() -> None:
    model = pixel_model()
    set_dense(model, [[1.0, -1.0]])
    heat = heat_of(model, np.zeros((8, 8, 1), np.uint8), 0)
    assert np.isfinite(heat).all() and not heat.any()


# --- the layer Grad-CAM reads -------------------------------------------------------------------

def test_cam_layer_is_the_last_convolutional_stage_not_a_pooling() -> None:
    art = build_model(ModelSpec(architecture="art_cnn"), (64, 64, 3), 4, seed=0).model
    assert art.layers[-1].name == "predictions"
    assert cam_layer(art) == "conv5"  # pool3 follows it and is skipped
    fashion = build_model(ModelSpec(architecture="fashion_cnn"), (28, 28, 1), 10, seed=0).model
    assert cam_layer(fashion) == "conv2"


def test_a_network_without_convolution_has_no_cam_layer() -> None:
    mlp = build_model(ModelSpec(architecture="mlp", hidden_units=8), (8, 8, 1), 3, seed=0).model
    assert cam_layer(mlp) is None


def test_cam_layer_keeps_a_final_batch_norm_or_activation_but_not_a_pooling() -> None:
    inputs = keras.Input((8, 8, 1), name="image")
    tensor = keras.layers.Conv2D(2, 3, name="conv")(inputs)
    tensor = keras.layers.BatchNormalization(name="norm")(tensor)
    tensor = keras.layers.ReLU(name="relu")(tensor)
    tensor = keras.layers.AveragePooling2D(2, name="pool")(tensor)
    tensor = keras.layers.Dropout(0.5, name="dropout")(tensor)
    tensor = keras.layers.Flatten(name="embedding")(tensor)
    outputs = keras.layers.Dense(2, name="predictions")(tensor)
    assert cam_layer(keras.Model(inputs, outputs)) == "relu"


# --- nested transfer models ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def transfer() -> keras.Model:
    """MobileNetV2 without ImageNet weights on 32x32 gray images (repeated to RGB and resized
    to 96 inside the model: a 3x3 final map)."""
    spec = ModelSpec(architecture="transfer", base="mobilenet_v2", weights=None, head_units=(8,))
    return build_model(spec, (32, 32, 1), 3, seed=0).model


def reference_gradcam(model: keras.Model, image: np.ndarray, class_index: int) -> np.ndarray:
    """Grad-CAM computed apart: the feature map as a constant, the head applied to it by hand
    while the tape watches it from the start."""
    to_maps = keras.Model(model.inputs, model.get_layer("feature_map").output)
    maps = tf.constant(keras.ops.convert_to_numpy(to_maps([image[None].astype(np.float32)])))
    dense = model.get_layer("predictions")
    with tf.GradientTape() as tape:
        tape.watch(maps)
        pooled = tf.reduce_mean(maps, axis=(1, 2))
        features = model.get_layer("embedding")(pooled)  # head_dropout1 is off at inference
        score = (tf.matmul(features, dense.kernel) + dense.bias)[:, class_index]
    weights = tf.reduce_mean(tape.gradient(score, maps), axis=(0, 1, 2)).numpy()
    heat = np.maximum((maps[0].numpy() * weights).sum(axis=-1), 0)
    return heat / heat.max() if heat.max() > 0 else heat


def test_grad_cam_reaches_into_a_nested_base_through_feature_map(transfer) -> None:
    assert cam_layer(transfer) == "feature_map"
    image = np.random.default_rng(0).integers(0, 256, (32, 32, 1)).astype(np.uint8)
    run_model = run_model_from(transfer, False, ImageFormat(32, 32, 1))
    assert run_model.cam_layer == "feature_map"
    heats = [run_model.gradcam(image, class_index) for class_index in range(3)]
    for class_index, heat in enumerate(heats):
        assert heat.shape == (3, 3) and heat.dtype == np.float32
        assert np.isfinite(heat).all() and heat.min() >= 0 and heat.max() <= 1
        np.testing.assert_allclose(heat, reference_gradcam(transfer, image, class_index),
                                   rtol=1e-4, atol=1e-5)
    assert any(heat.max() == pytest.approx(1.0) for heat in heats)  # not all trivially zero


def test_the_usual_nested_layer_recipe_is_disconnected_which_is_why_feature_map_exists(
        transfer) -> None:
    base = transfer.get_layer("base_mobilenet_v2")
    inner = base.get_layer("out_relu").output  # the base's last convolutional map
    with pytest.raises(ValueError, match="not connected"):
        keras.Model(transfer.inputs, [inner, transfer.output])


# --- overlay ------------------------------------------------------------------------------------

def test_overlay_is_rgb_at_the_image_size() -> None:
    gray = np.random.default_rng(1).integers(0, 256, (12, 16, 1)).astype(np.uint8)
    heat = np.random.default_rng(2).random((3, 4)).astype(np.float32)
    blended = overlay(gray, heat)
    assert blended.shape == (12, 16, 3) and blended.dtype == np.uint8
    colour = np.random.default_rng(3).integers(0, 256, (12, 16, 3)).astype(np.uint8)
    assert overlay(colour, heat, 0.3).shape == (12, 16, 3)


def test_overlay_with_no_opacity_is_the_image_itself() -> None:
    gray = np.random.default_rng(1).integers(0, 256, (12, 16, 1)).astype(np.uint8)
    heat = np.random.default_rng(2).random((3, 4)).astype(np.float32)
    np.testing.assert_array_equal(overlay(gray, heat, 0.0), np.repeat(gray, 3, axis=-1))
    colour = np.random.default_rng(3).integers(0, 256, (12, 16, 3)).astype(np.uint8)
    np.testing.assert_array_equal(overlay(colour, heat, 0.0), colour)


def test_overlay_colours_are_jet_in_rgb_order_cold_blue_hot_red() -> None:
    gray = np.full((6, 6, 1), 200, np.uint8)
    cold = overlay(gray, np.zeros((2, 2), np.float32), 1.0)
    hot = overlay(gray, np.ones((2, 2), np.float32), 1.0)
    assert (cold == cold[0, 0]).all() and (hot == hot[0, 0]).all()
    assert cold[0, 0, 2] > 100 and cold[0, 0, 0] == 0  # blue, not red: RGB, not OpenCV's BGR
    assert hot[0, 0, 0] > 100 and hot[0, 0, 2] == 0
    # Half opacity lies halfway between the image and the colour.
    half = overlay(gray, np.ones((2, 2), np.float32), 0.5).astype(int)
    np.testing.assert_allclose(half[0, 0], (200 + hot[0, 0].astype(int)) / 2, atol=1)


def test_overlay_stretches_the_heat_map_over_the_image() -> None:
    gray = np.zeros((20, 20, 1), np.uint8)
    heat = np.zeros((2, 2), np.float32)
    heat[0, 0] = 1.0  # hot top-left cell only
    blended = overlay(gray, heat, 1.0)
    assert blended[0, 0, 0] > blended[0, 0, 2]  # top-left is red
    assert blended[-1, -1, 2] > blended[-1, -1, 0]  # bottom-right is blue
