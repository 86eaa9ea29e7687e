"""Feature visualisation: the optimised inputs excite their filters (and classes) far more than
noise does, on a really trained CNN; the probes, transforms and the store behave."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from cnnviz.inside.attribution import class_scores
from cnnviz.inside.feature_store import (LayerPictures, merged, pictures_path, read_pictures,
                                         red_tint, top_examples, write_pictures,
                                         examples_montage)
from cnnviz.inside.feature_vis import (AscentSettings, ascend, class_objective,
                                       conv_layer_names, filter_count, filter_objective,
                                       layer_probe, random_transforms, readable)
from tests.helpers.trained_models import trained_shapes_cnn

FILTERS = 16
# The median filter must answer its optimised input this many times as strongly as noise.
RATIO = 4.0


@pytest.fixture(scope="module")
def trained():
    model, images, _ = trained_shapes_cnn()
    return model, images


def uniform_noise(count: int, shape: tuple[int, ...]) -> np.ndarray:
    return np.random.default_rng(7).uniform(0, 255, (count, *shape)).astype(np.float32)


def test_the_optimised_input_excites_its_filter_far_more_than_noise(trained) -> None:
    model, images = trained
    shape = images.shape[1:]
    filters = list(range(FILTERS))
    pictures = ascend(filter_objective(layer_probe(model, "conv2", before_activation=True)),
                      filters, shape)
    assert pictures.shape == (FILTERS, *shape) and pictures.dtype == np.uint8
    response = filter_objective(layer_probe(model, "conv2"))  # after the ReLU, as shown
    chosen = tf.constant(filters)
    optimised = response(tf.constant(pictures, tf.float32), chosen).numpy()
    noise = response(tf.constant(uniform_noise(FILTERS, shape)), chosen).numpy()
    ratios = optimised / np.maximum(noise, 1e-6)
    print(f"optimised / noise, conv2: median {np.median(ratios):.1f}, min {ratios.min():.1f}")
    assert np.median(ratios) > RATIO
    assert (optimised > noise).all()
    test_images = tf.constant(images, tf.float32)
    best_test = np.array([response(test_images, tf.fill([len(images)], index)).numpy().max()
                          for index in filters])
    against_test = optimised / np.maximum(best_test, 1e-6)
    print(f"optimised / best test image: median {np.median(against_test):.1f}")
    assert np.median(against_test) > 1.0


def test_the_class_picture_is_taken_for_its_class(trained) -> None:
    model, images = trained
    scores = class_scores(model)
    classes = list(range(int(model.output.shape[-1])))
    pictures = ascend(class_objective(scores), classes, images.shape[1:],
                      AscentSettings(steps=64))
    logits = scores(tf.constant(pictures, tf.float32)).numpy()
    assert (logits.argmax(axis=1) == classes).all()
    noise = scores(tf.constant(uniform_noise(len(classes), images.shape[1:]))).numpy()
    assert (np.diag(logits) > np.diag(noise) + 5).all()


def test_the_sums_before_the_relu_are_what_the_relu_sees(trained) -> None:
    model, images = trained
    batch = tf.constant(images[:4], tf.float32)
    before = layer_probe(model, "conv1", before_activation=True)(batch).numpy()
    after = layer_probe(model, "conv1")(batch).numpy()
    assert before.min() < 0
    assert np.allclose(np.maximum(before, 0), after, atol=1e-4)
    assert conv_layer_names(model) == ["conv1", "conv2"]
    assert filter_count(model, "conv1") == after.shape[-1]


def test_no_transform_is_the_identity() -> None:
    settings = AscentSettings(jitter=0, rotation_degrees=0, scale=0)
    matrices = random_transforms(np.random.default_rng(0), 3, 8, 10, settings)
    assert np.allclose(matrices, [[1, 0, 0, 0, 1, 0, 0, 0]] * 3)
    images = np.random.default_rng(0).uniform(0, 255, (3, 8, 10, 2)).astype(np.float32)
    moved = keras.ops.image.affine_transform(images, matrices)
    assert np.allclose(keras.ops.convert_to_numpy(moved), images, atol=1e-3)


@pytest.mark.slow
def test_a_filter_inside_a_pretrained_base_is_reached() -> None:
    from cnnviz.models.build import build_model
    from cnnviz.models.spec import ModelSpec

    model = build_model(ModelSpec(architecture="transfer", base="mobilenet_v2", weights=None),
                        (32, 32, 1), 3, seed=0).model
    names = conv_layer_names(model)
    assert names[0] == "Conv1" and len(names) > 10
    maps = layer_probe(model, names[0])(tf.zeros((2, 32, 32, 1)))
    assert maps.shape[0] == 2 and maps.shape[-1] == filter_count(model, names[0])
    pictures = ascend(filter_objective(layer_probe(model, names[3], True)), [0, 1],
                      (32, 32, 1), AscentSettings(steps=4))
    assert pictures.shape == (2, 32, 32, 1)


def test_the_top_examples_are_the_strongest_images() -> None:
    images = np.zeros((20, 6, 6, 3), np.uint8)
    images[:, 2, 3, 0] = np.arange(20)  # channel 0: image 19 is the strongest
    images[:, 1, 1, 1] = np.arange(20)[::-1]  # channel 1: image 0 is
    rows, peaks, maps = top_examples(lambda batch: batch, images, [0, 1], count=9)
    assert rows[0].tolist() == list(range(19, 10, -1))
    assert rows[1].tolist() == list(range(9))
    assert peaks[0, 0] == 19 and peaks[1, 0] == 19
    assert maps.shape == (2, 9, 6, 6) and maps[0, 0, 2, 3] == 19 and maps[1, 0, 1, 1] == 19
    few, _, _ = top_examples(lambda batch: batch, images[:3], [0], count=9)
    assert few[0].tolist() == [2, 1, 0] + [-1] * 6
    montage = examples_montage(images[few[0][:3]], maps[0, :3], 19.0, side=12)
    assert montage.shape == (12, 36, 3)


def pictures_of(targets: list[int], stamp: int = 5) -> LayerPictures:
    count = len(targets)
    return LayerPictures("conv1", np.array(targets), np.full((count, 4, 4, 1), 7, np.uint8),
                         np.zeros((count, 9), np.int64), np.ones((count, 9), np.float32),
                         np.zeros((count, 9, 2, 2), np.float16), stamp)


def test_pictures_are_stored_for_their_model_and_merged(tmp_path) -> None:
    write_pictures(tmp_path, pictures_of([0, 1]))
    assert pictures_path(tmp_path, "conv1").exists()
    assert read_pictures(tmp_path, "conv1", model_stamp=6) is None  # a newer model
    stored = read_pictures(tmp_path, "conv1", model_stamp=5)
    assert stored.targets.tolist() == [0, 1] and stored.covers([1]) and not stored.covers([2])
    both = merged(stored, pictures_of([3, 2]))
    assert both.targets.tolist() == [0, 1, 2, 3] and both.pictures.shape[0] == 4
    assert merged(pictures_of([0], stamp=4), pictures_of([1])).targets.tolist() == [1]
    with pytest.raises(ValueError):
        pictures_path(tmp_path, "../config")


def test_readable_stretches_the_contrast() -> None:
    faint = np.full((4, 4, 1), 120, np.uint8)
    faint[0, 0] = 130
    assert np.ptp(readable(faint)) > 100
    assert np.array_equal(readable(np.full((2, 2, 3), 9, np.uint8)), np.full((2, 2, 3), 9))


def test_the_red_tint_marks_only_where_the_filter_fires() -> None:
    image = np.full((4, 4, 1), 100, np.uint8)
    strength = np.zeros((2, 2), np.float32)
    assert np.array_equal(red_tint(image, strength), np.full((4, 4, 3), 100))
    tinted = red_tint(image, np.ones((2, 2), np.float32), most=1.0)
    assert (tinted == [255, 0, 0]).all()
