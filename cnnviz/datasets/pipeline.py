"""Feeding a split to Keras as a ``tf.data`` stream: batches gathered or decoded in parallel,
balanced, augmented, prefetched.

Images come out as float32 in 0..255; every model starts with its own normalisation layer, so
an image classified later goes through exactly what training saw.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cnnviz.datasets.balancing import training_order
from cnnviz.datasets.dataset import Dataset, Split
from cnnviz.datasets.dropped import DroppedImages
from cnnviz.datasets.spec import Augmentation
from cnnviz.errors import ImageError

if TYPE_CHECKING:
    import keras
    import tensorflow as tf

# Images held by the shuffle buffer of a streamed, disk-cached split.
STREAM_SHUFFLE_BUFFER = 2048
# Batches prepared ahead of the model. Autotuned prefetching of a streamed split grows its
# buffers towards a share of the machine's RAM, which defeats the point of streaming.
PREFETCH_BATCHES = 2


def build_augmentation(augmentation: Augmentation, seed: int = 0) -> keras.Sequential | None:
    """Keras preprocessing layers for the chosen random changes, or None when there are none."""
    if not augmentation.enabled:
        return None
    import keras

    layers: list[keras.layers.Layer] = []
    if augmentation.flip != "none":
        layers.append(keras.layers.RandomFlip(augmentation.flip, seed=seed, name="random_flip"))
    if augmentation.rotation:
        layers.append(
            keras.layers.RandomRotation(augmentation.rotation, seed=seed, name="random_rotation")
        )
    if augmentation.translation:
        amount = augmentation.translation
        layers.append(
            keras.layers.RandomTranslation(amount, amount, seed=seed, name="random_translation")
        )
    if augmentation.zoom:
        layers.append(keras.layers.RandomZoom(augmentation.zoom, seed=seed, name="random_zoom"))
    if augmentation.contrast:
        layers.append(
            keras.layers.RandomContrast(
                augmentation.contrast, value_range=(0, 255), seed=seed, name="random_contrast"
            )
        )
    return keras.Sequential(layers, name="augmentation")


def make_tf_dataset(
    dataset: Dataset,
    split_name: str,
    batch_size: int,
    training: bool = False,
    seed: int = 0,
    disk_cache: Path | None = None,
    dropped: DroppedImages | None = None,
) -> tf.data.Dataset:
    """Batches of (images float32 (b, h, w, c) in 0..255, labels int64 (b,)) for ``split_name``.

    ``training`` shuffles every epoch, applies the spec's balancing to the order and its
    augmentation to the images. A streamed split decodes images in parallel; ``disk_cache``
    keeps decoded images in a file after the first epoch (for slow sources on fast disks).
    An image of a streamed split that fails to decode is left out of its batch and recorded in
    ``dropped``, so the run can report it.
    """
    import tensorflow as tf

    split = dataset.split(split_name)
    spec = dataset.spec
    order = training_order(split.labels, spec.balancing, seed) if training else np.arange(len(split))
    if split.in_memory:
        stream = _gathered_batches(split, order, batch_size, training, seed)
    else:
        stream = _decoded_batches(split, split_name, order, batch_size, training, seed,
                                  disk_cache, dropped if dropped is not None else DroppedImages())
    if training:
        augmentation = build_augmentation(spec.augmentation, seed)
        if augmentation is not None:
            stream = stream.map(
                lambda images, labels: (augmentation(images, training=True), labels),
                num_parallel_calls=tf.data.AUTOTUNE,
            )
    return stream.prefetch(PREFETCH_BATCHES)


def _gathered_batches(
    split: Split, order: np.ndarray, batch_size: int, training: bool, seed: int
) -> tf.data.Dataset:
    """In-memory split: shuffle indices, gather each batch with one NumPy fancy index."""
    import tensorflow as tf

    height, width, channels = split.image_format.shape
    labels = split.labels.astype(np.int64)

    def gather(indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return split.batch(indices).astype(np.float32), labels[indices]

    stream = tf.data.Dataset.from_tensor_slices(order.astype(np.int64))
    if training:
        stream = stream.shuffle(len(order), seed=seed, reshuffle_each_iteration=True)
    stream = stream.batch(batch_size)
    stream = stream.map(
        lambda indices: tf.numpy_function(gather, [indices], (tf.float32, tf.int64)),
        num_parallel_calls=tf.data.AUTOTUNE,
        deterministic=True,
    )
    return stream.map(lambda images, batch_labels: _set_shapes(
        images, batch_labels, height, width, channels
    ))


def _decoded_batches(
    split: Split,
    split_name: str,
    order: np.ndarray,
    batch_size: int,
    training: bool,
    seed: int,
    disk_cache: Path | None,
    dropped: DroppedImages,
) -> tf.data.Dataset:
    """Streamed split: decode images in parallel; a file that fails to decode is recorded in
    ``dropped`` and filtered out. Any other error stops training: it is a bug, not bad data."""
    import tensorflow as tf

    height, width, channels = split.image_format.shape
    labels = split.labels.astype(np.int64)
    blank = np.zeros(split.image_format.shape, dtype=np.float32)

    def load(index: np.int64) -> tuple[np.ndarray, np.int64, bool]:
        try:
            return split.image(int(index)).astype(np.float32), labels[index], True
        except ImageError as error:
            dropped.record(split_name, int(index), int(labels[index]),
                           split.item_name(int(index)), str(error))
            return blank, labels[index], False

    stream = tf.data.Dataset.from_tensor_slices(order.astype(np.int64))
    if training and disk_cache is None:
        stream = stream.shuffle(len(order), seed=seed, reshuffle_each_iteration=True)
    stream = stream.map(
        lambda index: tf.numpy_function(load, [index], (tf.float32, tf.int64, tf.bool)),
        num_parallel_calls=2 * (os.cpu_count() or 2),
        deterministic=not training,
    )
    stream = stream.filter(lambda image, label, readable: readable)
    stream = stream.map(lambda image, label, readable: (image, label))
    if disk_cache is not None:
        stream = stream.cache(str(disk_cache))
        if training:
            stream = stream.shuffle(STREAM_SHUFFLE_BUFFER, seed=seed, reshuffle_each_iteration=True)
    stream = stream.batch(batch_size)
    return stream.map(lambda images, batch_labels: _set_shapes(
        images, batch_labels, height, width, channels
    ))


def _set_shapes(
    images: tf.Tensor, labels: tf.Tensor, height: int, width: int, channels: int
) -> tuple[tf.Tensor, tf.Tensor]:
    """``numpy_function`` loses static shapes; Keras needs them to build the model."""
    images.set_shape((None, height, width, channels))
    labels.set_shape((None,))
    return images, labels


def augmentation_preview(
    image: np.ndarray, augmentation: Augmentation, count: int = 8, seed: int = 0
) -> np.ndarray:
    """``count`` randomly augmented copies of one (h, w, c) uint8 image, as training sees them."""
    layers = build_augmentation(augmentation, seed)
    batch = np.repeat(image[np.newaxis].astype(np.float32), count, axis=0)
    if layers is None:
        return batch.astype(np.uint8)
    import keras

    augmented = keras.ops.convert_to_numpy(layers(batch, training=True))
    return np.clip(np.rint(augmented), 0, 255).astype(np.uint8)
