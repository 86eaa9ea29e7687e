"""The robustness edits a student applies to an image (rotate, blur, noise, cover the centre),
and the small display helpers of the "inside" page (enlarged pixels, blank and unsure checks,
captions)."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.image_edits import ImageEdit, apply_edit
from cnnviz.inside.activations import LayerMaps
from cnnviz.inside.display import (LOW_CONFIDENCE, enlarge, ink_is_light, is_blank, is_unsure,
                                   layer_caption, predicted_class)


def random_image(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape).astype(np.uint8)


# --- no edit, shapes and types ------------------------------------------------------------------

@pytest.mark.parametrize("channels", [1, 3])
def test_the_default_edit_changes_nothing(channels) -> None:
    image = random_image((9, 13, channels))
    edited = apply_edit(image, ImageEdit())
    assert edited.dtype == np.uint8
    np.testing.assert_array_equal(edited, image)


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("edit", [
    ImageEdit(rotation=30), ImageEdit(blur=2), ImageEdit(noise=25, seed=1),
    ImageEdit(occlusion=0.3), ImageEdit(rotation=-45, blur=1, noise=10, occlusion=0.5, seed=2),
])
def test_every_edit_keeps_shape_and_dtype(channels, edit) -> None:
    image = random_image((12, 17, channels), seed=3)
    edited = apply_edit(image, edit)
    assert edited.shape == image.shape and edited.dtype == np.uint8
    assert not np.array_equal(edited, image)  # and it did change something


def test_colour_channels_are_edited_alike() -> None:
    gray = random_image((15, 11, 1), seed=4)
    colour = np.repeat(gray, 3, axis=-1)
    edit = ImageEdit(rotation=20, blur=1, occlusion=0.2)
    edited = apply_edit(colour, edit)
    for channel in range(3):
        np.testing.assert_array_equal(edited[..., channel:channel + 1], apply_edit(gray, edit))


# --- rotation -----------------------------------------------------------------------------------

def test_a_quarter_turn_is_counter_clockwise() -> None:
    image = np.zeros((10, 10, 1), np.uint8)
    image[1:4, 1:4] = 255  # a block in the top-left quadrant
    turned = apply_edit(image, ImageEdit(rotation=90))[..., 0]
    assert turned[5:, :5].sum() == image.sum()  # all of it now in the bottom-left quadrant
    assert not turned[:5].any() and not turned[:, 5:].any()


def test_a_turn_keeps_the_borders_filled_not_black() -> None:
    image = np.full((16, 16, 1), 200, np.uint8)
    turned = apply_edit(image, ImageEdit(rotation=33))
    assert (turned == 200).all()  # replicated borders: no black corners come in


def test_a_half_turn_equals_turning_the_array() -> None:
    image = random_image((9, 12, 1), seed=5)
    np.testing.assert_array_equal(apply_edit(image, ImageEdit(rotation=180)),
                                  np.rot90(image, 2))


# --- blur ---------------------------------------------------------------------------------------

def test_blur_keeps_the_mean_and_lowers_the_contrast() -> None:
    image = random_image((32, 32, 1), seed=6)
    blurred = apply_edit(image, ImageEdit(blur=2))
    assert abs(float(blurred.mean()) - float(image.mean())) < 2.0
    assert blurred.std() < 0.5 * image.std()


def test_blur_spreads_a_point_over_its_radius() -> None:
    image = np.zeros((15, 15, 1), np.uint8)
    image[7, 7] = 255
    small = apply_edit(image, ImageEdit(blur=1))[..., 0]
    large = apply_edit(image, ImageEdit(blur=3))[..., 0]
    assert 0 < small[7, 7] < 255 and small[7, 8] > 0 and small[7, 9] == 0  # 3x3 kernel
    assert large[7, 10] > 0 and large[7, 11] == 0  # 7x7 kernel
    assert large[7, 7] < small[7, 7]  # the wider the blur, the lower the peak
    np.testing.assert_array_equal(small, small.T)  # round, not smeared one way


def test_blur_leaves_a_flat_image_alone() -> None:
    image = np.full((10, 10, 3), 77, np.uint8)
    np.testing.assert_array_equal(apply_edit(image, ImageEdit(blur=2)), image)


# --- noise --------------------------------------------------------------------------------------

def test_noise_is_the_same_for_the_same_seed_only() -> None:
    image = random_image((20, 20, 3), seed=7)
    first = apply_edit(image, ImageEdit(noise=15, seed=3))
    assert not np.array_equal(first, image)
    np.testing.assert_array_equal(first, apply_edit(image, ImageEdit(noise=15, seed=3)))
    assert not np.array_equal(first, apply_edit(image, ImageEdit(noise=15, seed=4)))


def test_noise_has_the_requested_spread_and_no_bias() -> None:
    grey = np.full((64, 64, 1), 128, np.uint8)
    noisy = apply_edit(grey, ImageEdit(noise=10, seed=0)).astype(float)
    assert abs(noisy.mean() - 128) < 0.5
    assert noisy.std() == pytest.approx(10, rel=0.05)


def test_noise_is_clipped_not_wrapped_around() -> None:
    white = np.full((40, 40, 1), 255, np.uint8)
    noisy = apply_edit(white, ImageEdit(noise=30, seed=1))
    assert 0.4 < (noisy == 255).mean() < 0.6  # the half pushed above 255 stops there
    assert noisy.min() > 100  # nothing wrapped round to black
    black = np.zeros((40, 40, 1), np.uint8)
    noisy = apply_edit(black, ImageEdit(noise=30, seed=1))
    assert 0.4 < (noisy == 0).mean() < 0.6 and noisy.max() < 155


# --- occlusion ----------------------------------------------------------------------------------

def test_occlusion_covers_the_centre_with_the_requested_share() -> None:
    image = np.zeros((20, 20, 1), np.uint8)
    covered = apply_edit(image, ImageEdit(occlusion=0.5))
    assert (covered[5:15, 5:15] == 128).all() and (covered == 128).sum() == 100


def test_occlusion_of_an_oblong_colour_image() -> None:
    image = np.full((20, 30, 3), 255, np.uint8)
    covered = apply_edit(image, ImageEdit(occlusion=0.4))  # 8 x 12 pixels
    expected = image.copy()
    expected[6:14, 9:21] = 128
    np.testing.assert_array_equal(covered, expected)


def test_occlusion_beyond_the_whole_image_covers_all_of_it() -> None:
    covered = apply_edit(random_image((7, 9, 1)), ImageEdit(occlusion=1.5))
    assert (covered == 128).all()


def test_the_grey_square_comes_last_so_noise_does_not_touch_it() -> None:
    image = random_image((20, 20, 1), seed=8)
    edited = apply_edit(image, ImageEdit(noise=40, blur=1, rotation=10, occlusion=0.5, seed=0))
    assert (edited[5:15, 5:15] == 128).all()
    assert (edited[:5] != 128).any()


# --- display helpers ----------------------------------------------------------------------------

def test_enlarge_makes_each_pixel_a_sharp_square() -> None:
    image = random_image((28, 28, 1), seed=9)
    large = enlarge(image)
    assert large.shape == (224, 224, 1) and large.dtype == np.uint8  # 8 times
    np.testing.assert_array_equal(large, np.kron(image[..., 0], np.ones((8, 8), np.uint8))[
        ..., np.newaxis])


def test_enlarge_uses_a_whole_factor_from_the_long_side() -> None:
    colour = random_image((10, 20, 3), seed=10)
    large = enlarge(colour, side=100)  # 100 // 20 = 5
    assert large.shape == (50, 100, 3)
    np.testing.assert_array_equal(large[::5, ::5], colour)
    np.testing.assert_array_equal(large[4::5, 4::5], colour)
    flat = random_image((6, 4), seed=11)  # a 2-D map stays 2-D
    assert enlarge(flat, side=20).shape == (18, 12)


def test_enlarge_leaves_a_large_image_as_it_is() -> None:
    image = random_image((300, 200, 3), seed=12)
    assert enlarge(image, side=224) is image
    assert enlarge(image, side=599).shape == image.shape  # 599 // 300 is still 1


def test_is_blank_only_for_one_flat_colour() -> None:
    assert is_blank(np.zeros((5, 5, 1), np.uint8))
    assert is_blank(np.full((5, 5, 3), 200, np.uint8))
    dotted = np.zeros((5, 5, 1), np.uint8)
    dotted[2, 3] = 1
    assert not is_blank(dotted)


def test_ink_is_light_for_mnist_like_data() -> None:
    mnist_like = np.zeros((4, 28, 28, 1), np.uint8)
    mnist_like[:, 10:18, 10:18] = 255
    assert ink_is_light(mnist_like)
    assert not ink_is_light(255 - mnist_like)  # dark shapes on white paper


def test_is_unsure_below_the_confidence_threshold() -> None:
    assert LOW_CONFIDENCE == 0.5
    assert is_unsure(np.array([0.4, 0.35, 0.25]))
    assert not is_unsure(np.array([0.5, 0.3, 0.2]))
    assert not is_unsure(np.array([0.05, 0.9, 0.05]))


def test_layer_caption_names_the_layer_its_kind_and_its_map_shape() -> None:
    layer = LayerMaps("conv2", "Conv2D", np.zeros((11, 9, 64), np.float32))
    assert layer_caption(layer) == "conv2 · Conv2D · 11×9×64"


def test_the_predicted_class_is_the_most_probable() -> None:
    assert predicted_class(np.array([0.2, 0.5, 0.3], np.float32)) == 1
