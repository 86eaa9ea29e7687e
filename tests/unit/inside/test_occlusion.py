"""Occlusion sensitivity: where the grey patches go, and probability drops that appear exactly
where a hand-made network looks (a Keras model and a plain NumPy function)."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from cnnviz.inside.occlusion import (GREY, MAX_POSITIONS, drop_per_pixel, occluded_copies,
                                     occlusion_map, patch_choices, smallest_stride,
                                     stride_choices)
from cnnviz.preprocessing import ImageFormat
from cnnviz.training.inference import run_model_from


def random_image(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """Random pixels that are never mid grey, so every patch is visible."""
    image = np.random.default_rng(seed).integers(0, 256, shape).astype(np.uint8)
    image[image == GREY] = 0
    return image


# --- the copies ---------------------------------------------------------------------------------

def test_occluded_copies_put_one_grey_square_at_each_stride_step() -> None:
    image = random_image((10, 12, 3))
    copies, rows, columns = occluded_copies(image, patch=4, stride=3)
    assert (rows, columns) == (3, 3)  # tops 0, 3, 6 and lefts 0, 3, 6 (9 would overflow)
    assert copies.shape == (9, 10, 12, 3) and copies.dtype == np.uint8
    for index, (top, left) in enumerate((t, c) for t in (0, 3, 6) for c in (0, 3, 6)):
        expected = image.copy()
        expected[top:top + 4, left:left + 4] = GREY
        np.testing.assert_array_equal(copies[index], expected, err_msg=str((top, left)))
    assert (image != GREY).all()  # the original is left alone


def test_occluded_copies_of_a_gray_image_with_a_stride_of_one() -> None:
    image = random_image((5, 5, 1), seed=1)
    copies, rows, columns = occluded_copies(image, patch=2, stride=1)
    assert (rows, columns) == (4, 4) and copies.shape == (16, 5, 5, 1)
    assert ((copies == GREY).sum(axis=(1, 2, 3)) == 4).all()  # one 2x2 square each
    assert (copies[6, 1:3, 2:4] == GREY).all()  # row 1, column 2


def test_a_patch_larger_than_the_image_covers_all_of_it_once() -> None:
    image = random_image((6, 9, 1), seed=2)
    copies, rows, columns = occluded_copies(image, patch=20, stride=2)
    # The patch shrinks to the short side (6): tops 0 only, lefts 0 and 2.
    assert (rows, columns) == (1, 2)
    assert (copies[0, :, :6] == GREY).all() and (copies[0, :, 6:] == image[:, 6:]).all()
    assert (copies[1, :, 2:8] == GREY).all()


@pytest.mark.parametrize("patch, stride", [(0, 2), (3, 0), (-1, 1)])
def test_an_invalid_patch_or_stride_is_refused(patch, stride) -> None:
    with pytest.raises(ValueError):
        occluded_copies(random_image((8, 8, 1)), patch, stride)


# --- the map ------------------------------------------------------------------------------------

def top_left_model() -> keras.Model:
    """Class 0's score is 0.004 x the mean of the top-left 4x4 quadrant of an 8x8 image, class 1's
    its opposite: nothing else of the image matters."""
    inputs = keras.Input((8, 8, 1), name="image")
    tensor = keras.layers.Cropping2D(((0, 4), (0, 4)), name="top_left")(inputs)
    tensor = keras.layers.GlobalAveragePooling2D(name="embedding")(tensor)
    outputs = keras.layers.Dense(2, activation="softmax", name="predictions")(tensor)
    model = keras.Model(inputs, outputs)
    model.get_layer("predictions").set_weights([np.array([[0.004, -0.004]], np.float32),
                                                np.zeros(2, np.float32)])
    return model


def class_zero(image: np.ndarray) -> float:
    """Class 0's probability under :func:`top_left_model`, computed by hand."""
    score = 0.004 * float(image[:4, :4].astype(np.float64).mean())
    return 1.0 / (1.0 + np.exp(-2 * score))


def overlaps_top_left(top: int, left: int, patch: int) -> bool:
    return top < 4 and left < 4 and top + patch > 0 and left + patch > 0


def test_the_drop_lies_only_where_the_patch_covers_what_the_network_reads() -> None:
    model = top_left_model()
    image = random_image((8, 8, 1), seed=3)
    image[:4, :4] = 230  # bright where the network looks: grey lowers class 0

    def predict(images: np.ndarray) -> np.ndarray:
        return model.predict(images.astype(np.float32), verbose=0)

    patch, stride = 3, 1
    drop = occlusion_map(predict, image, class_index=0, patch=patch, stride=stride)
    assert drop.shape == (6, 6) and drop.dtype == np.float32
    copies, _, _ = occluded_copies(image, patch, stride)
    for index, copy in enumerate(copies):
        row, column = divmod(index, 6)
        expected = class_zero(image) - class_zero(copy)
        assert drop[row, column] == pytest.approx(expected, abs=1e-5)
        if overlaps_top_left(row, column, patch):
            assert drop[row, column] > 1e-3
        else:
            assert drop[row, column] == pytest.approx(0.0, abs=1e-6)
    # Covering class 0's evidence raises class 1 by as much.
    np.testing.assert_allclose(occlusion_map(predict, image, 1, patch, stride), -drop, atol=1e-5)
    # The page's wrapper gives the same map.
    run_model = run_model_from(model, False, ImageFormat(8, 8, 1))
    np.testing.assert_allclose(run_model.occlusion(image, 0, patch, stride), drop, atol=1e-6)


def test_covering_dark_evidence_with_grey_helps_the_class() -> None:
    model = top_left_model()
    image = random_image((8, 8, 1), seed=4)
    image[:4, :4] = 10  # grey is brighter than this: covering it raises class 0
    drop = occlusion_map(lambda batch: model.predict(batch, verbose=0), image, 0, 4, 4)
    assert drop.shape == (2, 2)
    assert drop[0, 0] < -1e-3 and drop[0, 1] == pytest.approx(0, abs=1e-6)
    assert drop[1, 0] == pytest.approx(0, abs=1e-6) and drop[1, 1] == pytest.approx(0, abs=1e-6)


def test_a_numpy_predict_function_works_and_batches_give_the_same_map() -> None:
    calls: list[int] = []

    def predict(images: np.ndarray) -> np.ndarray:
        """Class 0 is the share of bright pixels in the bottom-right 3x3 corner of a 7x9 image."""
        calls.append(len(images))
        bright = (images[:, 4:, 6:, 0] > 200).mean(axis=(1, 2))
        return np.stack([bright, 1 - bright], axis=1)

    image = np.zeros((7, 9, 1), np.uint8)
    image[4:, 6:] = 255
    whole = occlusion_map(predict, image, 0, patch=2, stride=1)
    assert whole.shape == (6, 8) and calls == [1, 48]
    for row in range(6):
        for column in range(8):
            covered = image.copy()
            covered[row:row + 2, column:column + 2] = GREY
            assert whole[row, column] == pytest.approx(1 - predict(covered[None])[0, 0])
    assert whole[5, 7] == pytest.approx(4 / 9) and whole[0, 0] == 0
    calls.clear()
    in_pieces = occlusion_map(predict, image, 0, patch=2, stride=1, batch_size=10)
    assert calls == [1, 10, 10, 10, 10, 8]
    np.testing.assert_array_equal(in_pieces, whole)


# --- back onto the pixels -----------------------------------------------------------------------

def test_drop_per_pixel_averages_the_positions_that_covered_each_pixel() -> None:
    drop = np.array([[1.0, 3.0], [5.0, 7.0]], np.float32)  # patch 2, stride 1 on a 3x4 image
    pixels = drop_per_pixel(drop, (3, 4, 1), patch=2, stride=1)
    assert pixels.shape == (3, 4) and pixels.dtype == np.float32
    expected = np.array([[1, 2, 3, 0], [3, 4, 5, 0], [5, 6, 7, 0]], np.float32)
    np.testing.assert_allclose(pixels, expected)  # column 3 was never covered: 0


def test_drop_per_pixel_lines_up_with_the_occlusion_map() -> None:
    image = np.zeros((7, 9, 1), np.uint8)
    image[4:, 6:] = 255

    def predict(images: np.ndarray) -> np.ndarray:
        bright = (images[:, 4:, 6:, 0] > 200).mean(axis=(1, 2))
        return np.stack([bright, 1 - bright], axis=1)

    drop = occlusion_map(predict, image, 0, patch=3, stride=3)
    pixels = drop_per_pixel(drop, image.shape, patch=3, stride=3)
    assert pixels.shape == (7, 9)
    # Position (1, 2) covers rows 3-5 and columns 6-8: six of the nine bright pixels.
    np.testing.assert_allclose(pixels[3:6, 6:9], 6 / 9, rtol=1e-6)
    assert (pixels[:3, :] == 0).all() and (pixels[:, :6] == 0).all()
    assert (pixels[6, :] == 0).all()  # the last row is never covered by a 3-pixel step


def test_large_images_need_a_larger_stride_and_memory_stays_at_one_batch() -> None:
    image = np.zeros((218, 178, 3), np.uint8)
    stride = smallest_stride(218, 178, patch=2)
    assert stride > 1
    rows = (218 - 2) // stride + 1
    columns = (178 - 2) // stride + 1
    assert rows * columns <= MAX_POSITIONS
    assert ((218 - 2) // (stride - 1) + 1) * ((178 - 2) // (stride - 1) + 1) > MAX_POSITIONS
    with pytest.raises(ValueError, match="stride of at least"):
        occlusion_map(lambda images: np.ones((len(images), 2)), image, 0, patch=2, stride=1)
    largest = []

    def predict(images: np.ndarray) -> np.ndarray:
        largest.append(len(images))
        return np.ones((len(images), 2), np.float32)

    drop = occlusion_map(predict, image, 0, patch=2, stride=stride, batch_size=100)
    assert drop.shape == (rows, columns) and max(largest) <= 100


def test_evidence_keeps_where_covering_hurts_scaled_to_one() -> None:
    from cnnviz.inside.occlusion import evidence

    np.testing.assert_allclose(evidence(np.array([[0.2, -0.5], [0.1, 0.0]])),
                               [[1.0, 0.0], [0.5, 0.0]])
    assert not evidence(np.array([[-0.1, -0.2]])).any()


def test_the_patch_and_stride_sliders_fit_the_image() -> None:
    assert patch_choices(28, 32) == (2, 14, 4)
    assert patch_choices(3, 3) == (2, 2, 2)  # a tiny image still gets a 2-pixel patch
    assert stride_choices(28, 28, 8) == (1, 8, 4)
    fewest, largest, start = stride_choices(1000, 1000, 4)  # a photo: limited positions
    assert fewest == smallest_stride(1000, 1000, 4) > 1
    assert largest == fewest + 1 and start == fewest
