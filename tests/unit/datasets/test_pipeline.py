"""The tf.data stream Keras trains on: shapes, order, balancing, augmentation, streaming."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cnnviz.datasets import Augmentation, DatasetSpec, load_dataset
from cnnviz.datasets.pipeline import augmentation_preview, build_augmentation, make_tf_dataset
from tests.helpers.imagefiles import make_class_folder


@pytest.fixture
def folder(data_dir: Path) -> Path:
    return make_class_folder(data_dir / "zoo", {"cat": 30, "dog": 6})


def collect(stream) -> tuple[np.ndarray, np.ndarray]:
    images, labels = zip(*[(x.numpy(), y.numpy()) for x, y in stream])
    return np.concatenate(images), np.concatenate(labels)


@pytest.mark.parametrize("storage", ["memory", "stream"])
def test_evaluation_stream_is_the_split_in_order(folder: Path, storage: str) -> None:
    dataset = load_dataset(DatasetSpec(source="folder", path="zoo", image_size=(12, 12),
                                       storage=storage))
    stream = make_tf_dataset(dataset, "test", batch_size=4)
    assert stream.element_spec[0].shape.as_list() == [None, 12, 12, 3]
    images, labels = collect(stream)
    assert images.dtype == np.float32 and images.max() <= 255
    assert np.array_equal(labels, dataset.test.labels)
    assert np.array_equal(images, dataset.test.batch(np.arange(len(dataset.test))))


@pytest.mark.parametrize("storage", ["memory", "stream"])
def test_training_stream_shuffles_and_oversamples(folder: Path, storage: str) -> None:
    dataset = load_dataset(DatasetSpec(source="folder", path="zoo", image_size=(12, 12),
                                       storage=storage, balancing="oversample"))
    stream = make_tf_dataset(dataset, "train", batch_size=8, training=True, seed=1)
    _, first = collect(stream)
    _, second = collect(stream)
    counts = np.bincount(first)
    assert counts[0] == counts[1] == np.bincount(dataset.train.labels).max()
    assert not np.array_equal(first, second)  # reshuffled every epoch


def test_augmentation_changes_images_but_not_shapes(folder: Path) -> None:
    spec = DatasetSpec(source="folder", path="zoo", image_size=(16, 16),
                       augmentation=Augmentation(flip="horizontal", rotation=0.2, zoom=0.2,
                                                 translation=0.1, contrast=0.3))
    dataset = load_dataset(spec)
    plain = make_tf_dataset(dataset, "train", batch_size=64, training=False)
    augmented = make_tf_dataset(dataset, "train", batch_size=64, training=True, seed=0)
    plain_images, _ = collect(plain)
    augmented_images, _ = collect(augmented)
    assert augmented_images.shape == plain_images.shape
    assert not np.allclose(np.sort(augmented_images.ravel()), np.sort(plain_images.ravel()))


def test_no_augmentation_builds_nothing() -> None:
    assert build_augmentation(Augmentation()) is None
    layers = build_augmentation(Augmentation(flip="vertical", contrast=0.1)).layers
    assert [layer.name for layer in layers] == ["random_flip", "random_contrast"]


def test_streamed_split_can_cache_decoded_images_on_disk(folder: Path, tmp_path: Path) -> None:
    dataset = load_dataset(DatasetSpec(source="folder", path="zoo", image_size=(12, 12),
                                       storage="stream"))
    cache_file = tmp_path / "decoded"
    stream = make_tf_dataset(dataset, "train", 5, training=True, disk_cache=cache_file)
    _, first = collect(stream)
    _, second = collect(stream)
    assert sorted(first) == sorted(second) == sorted(dataset.train.labels)
    assert list(tmp_path.glob("decoded*"))


def test_a_file_broken_after_loading_is_dropped_from_the_stream(folder: Path) -> None:
    dataset = load_dataset(DatasetSpec(source="folder", path="zoo", image_size=(12, 12),
                                       storage="stream"))
    Path(dataset.test.items[0]).write_bytes(b"gone")
    _, labels = collect(make_tf_dataset(dataset, "test", batch_size=4))
    assert len(labels) == len(dataset.test) - 1


def preview_image() -> np.ndarray:
    return np.random.default_rng(0).integers(0, 256, (5, 6, 3), dtype=np.uint8)


def test_preview_without_augmentation_repeats_the_image() -> None:
    image = preview_image()
    preview = augmentation_preview(image, Augmentation(), count=4)
    assert preview.shape == (4, 5, 6, 3) and preview.dtype == np.uint8
    assert all(np.array_equal(copy, image) for copy in preview)


def test_preview_with_horizontal_flips_only_mirrors() -> None:
    image = preview_image()
    preview = augmentation_preview(image, Augmentation(flip="horizontal"), count=12, seed=3)
    assert preview.shape == (12, 5, 6, 3) and preview.dtype == np.uint8
    flipped = [np.array_equal(copy, image[:, ::-1]) for copy in preview]
    kept = [np.array_equal(copy, image) for copy in preview]
    assert all(f or k for f, k in zip(flipped, kept))
    assert any(flipped) and any(kept)  # each copy is flipped (or not) on its own
    again = augmentation_preview(image, Augmentation(flip="horizontal"), count=12, seed=3)
    assert np.array_equal(preview, again)
