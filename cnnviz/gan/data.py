"""Which training images a GAN imitates (all, or one class) and the real images its samples are
compared with. Shared by the training stream and the checks of the GAN page."""

from __future__ import annotations

import numpy as np

from cnnviz.datasets.dataset import Dataset
from cnnviz.errors import InvalidSpecError

REAL_IMAGES_COMPARED = 10_000  # real images searched for the nearest one


def class_rows(dataset: Dataset, class_name: str) -> np.ndarray:
    """Rows of the training split a GAN learns from: every image, or those of ``class_name``."""
    labels = dataset.train.labels
    if not class_name:
        rows = np.arange(len(labels))
    elif class_name not in dataset.class_names:
        raise InvalidSpecError(
            "error.gan_data.dataset_no_class_classes", class_name=class_name,
            class_names=', '.join(dataset.class_names))
    else:
        rows = np.flatnonzero(labels == dataset.class_names.index(class_name))
    if not len(rows):
        raise InvalidSpecError("error.gan_data.there_no_training_images")
    return rows


def real_images(dataset: Dataset, class_name: str, count: int,
                seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Up to ``count`` of those training images, drawn at random, in [0, 1] like generated
    ones (k, height, width, channels), and their labels."""
    rows = class_rows(dataset, class_name)
    rows = np.sort(np.random.default_rng(seed).choice(rows, size=min(count, len(rows)),
                                                      replace=False))
    return dataset.train.batch(rows).astype(np.float32) / 255.0, dataset.train.labels[rows]
