"""Feature maps of every spatial layer from one forward pass: they equal what Keras gives layer
by layer, the probabilities that come with them are the model's, and the grayscale tiles,
channel order and first-layer filters shown on the "inside" page are computed as documented."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from cnnviz.inside.activations import (activation_probe, channel_order, first_conv_filters,
                                       layer_maps, silent_channels, spatial_layers,
                                       strongest_map, tile_maps, to_gray)
from cnnviz.models.build import build_model
from cnnviz.models.spec import ModelSpec
from cnnviz.preprocessing import ImageFormat
from cnnviz.training.inference import run_model_from


def built(architecture: str, shape: tuple[int, int, int], classes: int) -> keras.Model:
    spec = ModelSpec(architecture=architecture, hidden_units=16)
    return build_model(spec, shape, classes, seed=0).model


def random_image(shape: tuple[int, int, int], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape).astype(np.uint8)


def direct_output(model: keras.Model, name: str, image: np.ndarray) -> np.ndarray:
    """One layer's output the usual way: a model cut at that layer, called on the image."""
    cut = keras.Model(model.inputs, model.get_layer(name).output)
    return keras.ops.convert_to_numpy(cut([image[np.newaxis].astype(np.float32)]))[0]


@pytest.fixture(scope="module")
def fashion_cnn() -> keras.Model:
    return built("fashion_cnn", (28, 28, 1), 10)


@pytest.fixture(scope="module")
def art_cnn() -> keras.Model:
    return built("art_cnn", (64, 64, 3), 4)


# --- layer maps from one pass -------------------------------------------------------------------

FASHION_MAPS = [("conv1", "Conv2D", (26, 26, 32)), ("pool1", "MaxPooling2D", (13, 13, 32)),
                ("conv2", "Conv2D", (11, 11, 64)), ("pool2", "MaxPooling2D", (5, 5, 64))]
ART_MAPS = [("conv1", "Conv2D", (62, 62, 32)), ("pool1", "MaxPooling2D", (31, 31, 32)),
            ("conv2", "Conv2D", (29, 29, 64)), ("conv3", "Conv2D", (27, 27, 64)),
            ("pool2", "MaxPooling2D", (13, 13, 64)), ("conv4", "Conv2D", (11, 11, 128)),
            ("conv5", "Conv2D", (9, 9, 128)), ("pool3", "MaxPooling2D", (4, 4, 128))]


@pytest.mark.parametrize("which, shape, expected", [
    ("fashion_cnn", (28, 28, 1), FASHION_MAPS),
    ("art_cnn", (64, 64, 3), ART_MAPS),
])
def test_layer_maps_equal_a_direct_keras_call_per_layer(which, shape, expected, request) -> None:
    model = request.getfixturevalue(which)
    image = random_image(shape, seed=1)
    run_model = run_model_from(model, False, ImageFormat(*shape))
    maps, probabilities = run_model.layer_maps(image)
    assert [(layer.name, layer.kind, layer.maps.shape) for layer in maps] == expected
    for layer in maps:
        assert layer.maps.dtype == np.float32
        reference = direct_output(model, layer.name, image)
        np.testing.assert_allclose(layer.maps, reference, rtol=1e-5, atol=1e-5,
                                   err_msg=layer.name)
    # A random network on a random image still makes maps that are not all zero: the comparison
    # above compared something.
    assert all(float(np.abs(layer.maps).max()) > 0 for layer in maps)
    # The bare function gives the same maps as the wrapper.
    bare, raw = layer_maps(model, activation_probe(model), image)
    for mine, theirs in zip(bare, maps):
        np.testing.assert_array_equal(mine.maps, theirs.maps)
    np.testing.assert_allclose(raw, probabilities, rtol=1e-6)


@pytest.mark.parametrize("which, shape", [("fashion_cnn", (28, 28, 1)), ("art_cnn", (64, 64, 3))])
def test_the_probabilities_are_the_models_own(which, shape, request) -> None:
    model = request.getfixturevalue(which)
    image = random_image(shape, seed=2)
    _, probabilities = run_model_from(model, False, ImageFormat(*shape)).layer_maps(image)
    expected = model.predict(image[np.newaxis], verbose=0)[0]
    assert probabilities.shape == (model.output.shape[-1],)
    assert probabilities.dtype == np.float32
    np.testing.assert_allclose(probabilities, expected, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(probabilities.sum(), 1.0, rtol=1e-5)


def test_a_logits_model_gets_softmaxed_probabilities() -> None:
    model = built("resnet18", (32, 32, 1), 3)
    image = random_image((32, 32, 1), seed=3)
    logits = keras.ops.convert_to_numpy(model(image[np.newaxis].astype(np.float32)))[0]
    assert not np.isclose(logits.sum(), 1.0)  # raw scores, so softmax has work to do
    maps, probabilities = run_model_from(model, True, ImageFormat(32, 32, 1)).layer_maps(image)
    shifted = np.exp(logits - logits.max())
    np.testing.assert_allclose(probabilities, shifted / shifted.sum(), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(probabilities.sum(), 1.0, rtol=1e-5)
    assert maps[0].name == "conv1" and maps[-1].name == "stage4_block2_out"


# --- which layers are shown ---------------------------------------------------------------------

def test_spatial_layers_skip_input_rescaling_dropout_and_vectors(art_cnn) -> None:
    names = [layer.name for layer in spatial_layers(art_cnn)]
    assert names == [name for name, _, _ in ART_MAPS]
    kinds = {type(layer).__name__ for layer in art_cnn.layers}
    assert {"InputLayer", "Rescaling", "Dropout", "Flatten", "Dense"} <= kinds  # all were there


def test_spatial_layers_skip_every_pass_through_kind() -> None:
    inputs = keras.Input((12, 12, 1), name="image")
    tensor = keras.layers.Resizing(16, 16, name="resize")(inputs)
    tensor = keras.layers.Rescaling(1 / 255, name="rescale")(tensor)
    tensor = keras.layers.GaussianNoise(0.1, name="noise")(tensor)
    tensor = keras.layers.Concatenate(name="gray_to_rgb")([tensor, tensor, tensor])
    tensor = keras.layers.Conv2D(4, 3, name="conv")(tensor)
    tensor = keras.layers.SpatialDropout2D(0.2, name="spatial_dropout")(tensor)
    tensor = keras.layers.BatchNormalization(name="norm")(tensor)
    tensor = keras.layers.MaxPooling2D(name="pool")(tensor)
    tensor = keras.layers.GlobalAveragePooling2D(name="embedding")(tensor)
    outputs = keras.layers.Dense(2, activation="softmax", name="predictions")(tensor)
    model = keras.Model(inputs, outputs)
    assert [layer.name for layer in spatial_layers(model)] == ["conv", "norm", "pool"]
    maps, probabilities = layer_maps(model, activation_probe(model), random_image((12, 12, 1)))
    assert [layer.maps.shape for layer in maps] == [(14, 14, 4), (14, 14, 4), (7, 7, 4)]
    assert probabilities.shape == (2,)


def test_layer_maps_of_a_model_without_spatial_layers_still_give_all_probabilities() -> None:
    model = built("mlp", (8, 8, 1), 3)
    image = random_image((8, 8, 1))
    maps, probabilities = layer_maps(model, activation_probe(model), image)
    assert maps == []
    assert np.shape(probabilities) == (3,)  # not one class's probability alone
    np.testing.assert_allclose(probabilities, model.predict(image[None], verbose=0)[0], rtol=1e-5)


def test_an_mlp_run_classifies_an_image_but_has_no_grad_cam() -> None:
    model = built("mlp", (8, 8, 1), 3)
    run_model = run_model_from(model, False, ImageFormat(8, 8, 1))
    assert run_model.cam_layer is None and run_model.cam_probe is None
    image = random_image((8, 8, 1))
    probabilities = run_model.probabilities(image[np.newaxis])
    np.testing.assert_allclose(probabilities, model.predict(image[np.newaxis], verbose=0),
                               rtol=1e-5)
    with pytest.raises(ValueError, match="no convolutional layer"):
        run_model.gradcam(image, 0)


@pytest.fixture(scope="module")
def transfer() -> keras.Model:
    """MobileNetV2 without ImageNet weights on 32x32 gray images (repeated to RGB and resized
    to 96 inside the model: a 3x3 final map)."""
    spec = ModelSpec(architecture="transfer", base="mobilenet_v2", weights=None, head_units=(8,))
    return build_model(spec, (32, 32, 1), 3, seed=0).model


def test_a_transfer_run_shows_its_base_feature_map(transfer) -> None:
    """The nested base's own .output belongs to its inner graph and cannot be probed from the
    outer inputs; its map is shown through the ``feature_map`` identity, named after the base."""
    model = transfer
    assert [layer.name for layer in spatial_layers(model)] == ["feature_map"]
    image = random_image((32, 32, 1), seed=4)
    maps, probabilities = run_model_from(model, False, ImageFormat(32, 32, 1)).layer_maps(image)
    assert [(layer.name, layer.kind) for layer in maps] == [("feature_map", "base_mobilenet_v2")]
    assert maps[0].maps.shape == (3, 3, 1280)
    np.testing.assert_allclose(maps[0].maps, direct_output(model, "feature_map", image),
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(probabilities, model.predict(image[None], verbose=0)[0], rtol=1e-5)


# --- channel order and tiles --------------------------------------------------------------------

def test_channel_order_sorts_by_mean_activation_most_active_first() -> None:
    means = np.array([1.0, 3.0, 2.0, 3.0, -1.0])
    maps = np.zeros((3, 4, 5), np.float32) + means
    maps[0, 0, 2] += 12.0  # channel 2's mean becomes 3: ties with 1 and 3, kept in index order
    order = channel_order(maps)
    assert order.tolist() == [1, 2, 3, 0, 4]
    np.testing.assert_array_equal(strongest_map(maps), maps[..., 1])


@pytest.fixture
def three_maps() -> np.ndarray:
    """(2, 3, 3): channel 0 = 0..5, channel 1 = 0..50 in tens, channel 2 flat at 7."""
    ramp = np.arange(6, dtype=np.float32).reshape(2, 3)
    return np.stack([ramp, 10 * ramp, np.full((2, 3), 7.0, np.float32)], axis=-1)


def test_tile_maps_lays_tiles_out_in_rows_with_grey_gaps(three_maps) -> None:
    canvas = tile_maps(three_maps, np.array([1, 0, 2]), columns=2, gap=1)
    assert canvas.shape == (2 * 2 + 1, 2 * 3 + 1) and canvas.dtype == np.uint8
    full = np.array([[0, 51, 102], [153, 204, 255]], np.uint8)
    np.testing.assert_array_equal(canvas[0:2, 0:3], full)  # channel 1, scaled on its own
    np.testing.assert_array_equal(canvas[0:2, 4:7], full)  # channel 0: same pattern, own scale
    np.testing.assert_array_equal(canvas[3:5, 0:3], 0)  # flat channel 2: black
    assert (canvas[2, :] == 128).all() and (canvas[:, 3] == 128).all()  # the gaps
    assert (canvas[3:5, 4:7] == 128).all()  # the empty fourth cell


def test_tile_maps_shared_scale_keeps_strengths_comparable(three_maps) -> None:
    canvas = tile_maps(three_maps, np.array([1, 0, 2]), columns=2, gap=1, shared_scale=True)
    np.testing.assert_array_equal(canvas[0:2, 0:3], [[0, 51, 102], [153, 204, 255]])
    np.testing.assert_array_equal(canvas[0:2, 4:7], [[0, 5, 10], [15, 20, 26]])  # x / 50 * 255
    np.testing.assert_array_equal(canvas[3:5, 0:3], 36)  # 7 / 50 * 255 = 35.7
    # The scale comes from the chosen channels only: without channel 1 the range is 0..7.
    alone = tile_maps(three_maps, np.array([0, 2]), columns=2, gap=1, shared_scale=True)
    np.testing.assert_array_equal(alone[:, 0:3], [[0, 36, 73], [109, 146, 182]])  # x / 7 * 255
    np.testing.assert_array_equal(alone[:, 4:7], 255)


def test_tile_maps_columns_and_gap_set_the_canvas_size(three_maps) -> None:
    assert tile_maps(three_maps, np.array([0, 1, 2])).shape == (2, 3 * 3 + 2)  # one row of 3
    assert tile_maps(three_maps, np.array([0, 1, 2]), columns=1, gap=2).shape == (3 * 2 + 4, 3)
    assert tile_maps(three_maps, np.array([2]), gap=5).shape == (2, 3)
    with pytest.raises(ValueError):
        tile_maps(three_maps, np.array([], int))


def test_to_gray_scales_clips_and_blacks_out_flat_maps() -> None:
    values = np.array([[-1.0, 0.0, 0.5, 1.0, 2.0]], np.float32)
    np.testing.assert_array_equal(to_gray(values, 0.0, 1.0), [[0, 0, 128, 255, 255]])
    flat = to_gray(np.full((3, 4), 5.0), 5.0, 5.0)
    assert flat.shape == (3, 4) and flat.dtype == np.uint8 and not flat.any()
    assert not to_gray(values, 1.0, 0.0).any()  # an inverted range counts as flat


# --- first-layer filters ------------------------------------------------------------------------

def symmetric_gray(single: np.ndarray) -> np.ndarray:
    """A filter scaled so that a zero weight is mid grey and the largest |weight| is 0 or 255."""
    top = float(np.abs(single).max())
    return to_gray(single, -top, top)


def test_first_conv_filters_of_a_gray_network(fashion_cnn) -> None:
    name, filters = first_conv_filters(fashion_cnn)
    kernel = keras.ops.convert_to_numpy(fashion_cnn.get_layer("conv1").kernel)  # (3, 3, 1, 32)
    assert name == "conv1"
    assert filters.shape == (32, 3, 3, 1) and filters.dtype == np.uint8
    for index in (0, 7, 31):
        np.testing.assert_array_equal(filters[index], symmetric_gray(kernel[..., index]))
    # Each filter on its own scale: its strongest weight is black or white.
    flat = filters.reshape(32, -1)
    assert ((flat.min(axis=1) == 0) | (flat.max(axis=1) == 255)).all()


def test_first_conv_filters_of_a_colour_network_stay_in_colour(art_cnn) -> None:
    name, filters = first_conv_filters(art_cnn)
    kernel = keras.ops.convert_to_numpy(art_cnn.get_layer("conv1").kernel)  # (3, 3, 3, 32)
    assert name == "conv1" and filters.shape == (32, 3, 3, 3)
    # One scale over all three colours of a filter.
    np.testing.assert_array_equal(filters[5], symmetric_gray(kernel[..., 5]))


def test_first_conv_filters_average_other_channel_counts_and_centre_zero_on_grey() -> None:
    inputs = keras.Input((8, 8, 2))
    tensor = keras.layers.Conv2D(2, 3, name="first")(inputs)
    outputs = keras.layers.Conv2D(2, 1, name="second")(tensor)
    model = keras.Model(inputs, outputs)
    kernel = np.zeros((3, 3, 2, 2), np.float32)
    kernel[0, 0, :, 1] = [-4.0, 0.0]  # mean -2: the strongest weight, negative: black
    kernel[0, 1, :, 1] = [1.0, 1.0]  # mean 1: three quarters of the way up
    kernel[1, 1, :, 1] = [3.0, 1.0]  # mean 2: white
    kernel[..., 0] = 1.0  # flat filter 0
    model.get_layer("first").kernel.assign(kernel)
    name, filters = first_conv_filters(model)
    assert name == "first" and filters.shape == (2, 3, 3, 1)
    expected = np.full((3, 3), 128, np.uint8)  # zero weights are mid grey
    expected[0, 0], expected[0, 1], expected[1, 1] = 0, 191, 255  # 191.75 rounds down
    np.testing.assert_array_equal(filters[1, ..., 0], expected)
    assert (filters[0] == 255).all()  # all weights equal and positive: all at the top


def test_first_conv_filters_of_a_transfer_model_come_from_inside_its_base(transfer) -> None:
    name, filters = first_conv_filters(transfer)
    base = transfer.get_layer("base_mobilenet_v2")
    first = next(layer for layer in base.layers if isinstance(layer, keras.layers.Conv2D))
    assert name == first.name and filters.shape == (32, 3, 3, 3)
    kernel = keras.ops.convert_to_numpy(first.kernel)
    np.testing.assert_array_equal(filters[0], symmetric_gray(kernel[..., 0]))


def test_first_conv_filters_refuse_a_network_without_convolution() -> None:
    with pytest.raises(ValueError, match="convolution"):
        first_conv_filters(built("mlp", (8, 8, 1), 3))


def test_the_strip_shows_the_strongest_map_on_its_own_scale() -> None:
    from cnnviz.inside.activations import strip_image

    maps = np.zeros((2, 3, 2), np.float32)
    maps[..., 1] = [[0, 1, 2], [3, 4, 5]]
    image = strip_image(maps)
    assert image.dtype == np.uint8 and image[0, 0] == 0 and image[1, 2] == 255


def test_zero_channels_are_the_black_tiles_of_a_relu_layer() -> None:
    from cnnviz.inside.activations import zero_channels

    maps = np.zeros((4, 4, 3), np.float32)
    maps[1, 2, 0] = 0.5  # one value is enough to be alive
    maps[..., 2] = 0.1
    assert zero_channels(maps).tolist() == [False, True, False]


def test_an_image_fingerprint_changes_with_any_pixel() -> None:
    from cnnviz.inside.display import image_fingerprint

    image = np.zeros((8, 8, 1), np.uint8)
    changed = image.copy()
    changed[3, 3, 0] = 1
    assert image_fingerprint(image) == image_fingerprint(image.copy())
    assert image_fingerprint(image) != image_fingerprint(changed)
    assert image_fingerprint(image) != image_fingerprint(image.reshape(8, 8))


def test_silent_channels_are_counted_among_the_shown_ones() -> None:
    maps = np.zeros((2, 2, 4), np.float32)
    maps[0, 0, 1] = maps[1, 1, 3] = 1.0  # channels 0 and 2 are black tiles
    assert silent_channels(maps, np.array([0, 1, 2, 3])) == 2
    assert silent_channels(maps, np.array([1, 0])) == 1
