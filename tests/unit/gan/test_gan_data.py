"""What a GAN imitates and what its samples are compared with: class rows, real images,
classes judged by a classifier, and the memorisation and collapse check on toy generators."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.datasets import load_dataset
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import InvalidSpecError
from cnnviz.gan.checks import judged_classes, memorisation_check
from cnnviz.gan.data import class_rows, real_images


@pytest.fixture
def shapes(data_dir):
    return load_dataset(DatasetSpec(source="shapes", shapes_per_class=10, image_size=(16, 16),
                                    channels=1))


def test_rows_of_one_class_or_all(shapes) -> None:
    assert len(class_rows(shapes, "")) == len(shapes.train)
    circles = class_rows(shapes, "circle")
    assert len(circles) and (shapes.train.labels[circles] ==
                             shapes.class_names.index("circle")).all()
    with pytest.raises(InvalidSpecError, match="no class 'hexagon'"):
        class_rows(shapes, "hexagon")


def test_real_images_are_a_seeded_sample_in_zero_to_one(shapes) -> None:
    images, labels = real_images(shapes, "square", 5, seed=3)
    again, _ = real_images(shapes, "square", 5, seed=3)
    assert images.shape == (5, 16, 16, 1) and 0 <= images.min() and images.max() <= 1
    np.testing.assert_array_equal(images, again)
    assert (labels == shapes.class_names.index("square")).all()
    assert len(real_images(shapes, "square", 10_000)[0]) == len(class_rows(shapes, "square"))


def test_judged_classes_see_the_images_as_uint8() -> None:
    seen = []

    def probabilities(pixels: np.ndarray) -> np.ndarray:
        seen.append(pixels)
        return np.stack([pixels.mean(axis=(1, 2, 3)), 255 - pixels.mean(axis=(1, 2, 3))], 1)

    generated = np.stack([np.ones((4, 4, 1)), np.zeros((4, 4, 1))]).astype(np.float32)
    np.testing.assert_array_equal(judged_classes(probabilities, generated), [0, 1])
    assert seen[0].dtype == np.uint8 and seen[0].max() == 255


def test_a_copying_collapsed_generator_is_caught(shapes) -> None:
    real = real_images(shapes, "", 60)[0]

    def copies_one(latents: np.ndarray) -> np.ndarray:
        return np.repeat(real[:1], len(latents), axis=0)

    def noise(latents: np.ndarray) -> np.ndarray:
        rng = np.random.default_rng(int(abs(latents[0, 0]) * 1000))
        return rng.random((len(latents), 16, 16, 1), dtype=np.float32)

    copied = memorisation_check(copies_one, 4, real, samples=30)
    assert copied.collapsed and copied.distances.max() == pytest.approx(0.0)
    assert copied.shown.shape == copied.nearest.shape == (8, 16, 16, 1)
    varied = memorisation_check(noise, 4, real, samples=30)
    assert not varied.collapsed and varied.distances.min() > 0
