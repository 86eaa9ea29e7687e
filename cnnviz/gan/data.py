"""Which training images a GAN imitates (all, or one class) and the real images its samples are
compared with. Shared by the training stream and the checks of the GAN page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cnnviz.datasets.dataset import Dataset
from cnnviz.errors import InvalidSpecError
from cnnviz.gan.latent import diversity_report, latent_batch, nearest_images

NEAREST_SHOWN = 8  # generated images shown beside their nearest training image
REAL_IMAGES_COMPARED = 10_000  # real images searched for the nearest one
# Generated images less than half as varied as real ones: the generator has likely collapsed.
LOW_DIVERSITY = 0.5


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


def judged_classes(probabilities: Callable[[np.ndarray], np.ndarray],
                   generated: np.ndarray) -> np.ndarray:
    """The class a classifier of the same data gives each generated image (k,): images in
    [0, 1] become the uint8 images it was trained on first."""
    pixels = np.clip(np.asarray(generated) * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return probabilities(pixels).argmax(axis=1)


@dataclass(frozen=True)
class MemorisationCheck:
    """What the GAN page shows about copying and collapse."""

    generated: np.ndarray  # (samples, h, w, c) in [0, 1]
    diversity: dict[str, float]  # generated, real, ratio (see latent.diversity_report)
    shown: np.ndarray  # the first few generated images
    nearest: np.ndarray  # their nearest training images
    distances: np.ndarray  # and the distances to them

    @property
    def collapsed(self) -> bool:
        """True when the samples are much less varied than real images (mode collapse)."""
        return self.diversity["ratio"] < LOW_DIVERSITY


def memorisation_check(generate: Callable[[np.ndarray], np.ndarray], latent_dim: int,
                       real: np.ndarray, samples: int, seed: int = 0) -> MemorisationCheck:
    """Draw ``samples`` images with ``generate`` (latents -> images in [0, 1]), measure their
    diversity against ``real`` and find the nearest real image of the first few."""
    generated = generate(latent_batch(seed, samples, latent_dim))
    shown = generated[:NEAREST_SHOWN]
    indices, distances = nearest_images(shown, real)
    return MemorisationCheck(generated, diversity_report(generated, real, seed), shown,
                             real[indices], distances)
