"""Does a trained GAN copy, collapse or favour classes? The checks of the GAN page, in pure NumPy.

Every function sees only generated images (k, height, width, channels) floats in [0, 1], real
ones of the same shape, or class labels: the nearest real image of a sample (copying), the
diversity of the samples against the real data (collapse), and the class balance a classifier
of the same data finds in them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cnnviz.gan.latent import latent_batch

NEAREST_SHOWN = 8  # generated images shown beside their nearest training image
# Generated images less than half as varied as real ones: the generator has likely collapsed.
LOW_DIVERSITY = 0.5
ALL_PAIRS_LIMIT = 2000  # up to this many images, diversity averages over every distinct pair
SAMPLED_PAIRS = 200_000  # above it, over this many random distinct pairs
_PAIR_CHUNK = 8192  # pairs whose differences are held at once when sampling pairs


@dataclass(frozen=True)
class MemorisationCheck:
    """What the GAN page shows about copying and collapse."""

    generated: np.ndarray  # (samples, h, w, c) in [0, 1]
    diversity: dict[str, float]  # generated, real, ratio (see :func:`diversity_report`)
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


def judged_classes(probabilities: Callable[[np.ndarray], np.ndarray],
                   generated: np.ndarray) -> np.ndarray:
    """The class a classifier of the same data gives each generated image (k,): images in
    [0, 1] become the uint8 images it was trained on first."""
    pixels = np.clip(np.asarray(generated) * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return probabilities(pixels).argmax(axis=1)


def nearest_images(samples: np.ndarray, real: np.ndarray,
                   chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """For each generated image, the index of the closest real image and their distance:
    indices (k,) int64 and distances (k,) float64.

    The distance is the root mean square pixel difference, sqrt(mean((a - b)**2)) over all
    height*width*channels values: 0 for an exact copy, in the units of the pixels (at most 1).
    A generator whose samples lie very close to training images memorised them.

    Squared distances come from ||a||^2 - 2 a.b + ||b||^2 in float64 (float32 would lose
    about 1e-4 to cancellation for similar 28x28 images and could pick the wrong neighbour),
    over blocks of at most ``chunk`` x ``chunk`` pairs, so 1,000 samples against 60,000 real
    images never hold more than one block of distances. The distance reported for the chosen
    neighbour is then recomputed directly, so a copy reads exactly 0.
    """
    samples_flat, real_flat = _flatten_pair(samples, real)  # (k, pixels), (n, pixels)
    if len(real_flat) == 0:
        raise ValueError("need at least one real image")
    if chunk < 1:
        raise ValueError(f"chunk must be >= 1, got {chunk}")
    samples64 = samples_flat.astype(np.float64)
    sample_norms = np.einsum("ij,ij->i", samples64, samples64)  # (k,)
    best_squared = np.full(len(samples64), np.inf)  # (k,) sums of squared differences
    best_index = np.zeros(len(samples64), dtype=np.int64)
    for real_start in range(0, len(real_flat), chunk):
        block = real_flat[real_start:real_start + chunk].astype(np.float64)  # (b, pixels)
        block_norms = np.einsum("ij,ij->i", block, block)  # (b,)
        for sample_start in range(0, len(samples64), chunk):
            rows = slice(sample_start, sample_start + chunk)
            squared = (sample_norms[rows, None] - 2 * samples64[rows] @ block.T
                       + block_norms[None, :])  # (s, b)
            closest = squared.argmin(axis=1)  # (s,)
            closest_squared = squared[np.arange(len(closest)), closest]
            better = closest_squared < best_squared[rows]  # earlier index wins a tie
            best_squared[rows] = np.where(better, closest_squared, best_squared[rows])
            best_index[rows] = np.where(better, closest + real_start, best_index[rows])
    differences = samples64 - real_flat[best_index].astype(np.float64)  # (k, pixels)
    return best_index, np.sqrt(np.mean(differences ** 2, axis=1))


def diversity(images: np.ndarray, pairs: int | None = None, seed: int = 0) -> float:
    """Mean distance between two different images of ``images`` (k, height, width, channels),
    as root mean square pixel difference (the distance of :func:`nearest_images`).

    With ``pairs`` None: every distinct pair when k <= ALL_PAIRS_LIMIT (2,000 images, about
    two million pairs, read off one Gram matrix), else SAMPLED_PAIRS random pairs. With a
    number: that many random pairs of distinct images, drawn with ``seed`` (an unbiased
    estimate of the all-pairs mean). A collapsed generator that draws the same image
    every time scores near 0.
    """
    flat = _flatten(images).astype(np.float64)  # (k, pixels)
    count, pixels = flat.shape
    if count < 2:
        raise ValueError(f"diversity needs at least two images, got {count}")
    if pairs is None and count <= ALL_PAIRS_LIMIT:
        norms = np.einsum("ij,ij->i", flat, flat)  # (k,)
        squared = norms[:, None] - 2 * flat @ flat.T + norms[None, :]  # (k, k)
        upper = np.triu_indices(count, k=1)
        return float(np.mean(np.sqrt(np.maximum(squared[upper], 0.0) / pixels)))
    pairs = SAMPLED_PAIRS if pairs is None else pairs
    if pairs < 1:
        raise ValueError(f"pairs must be >= 1, got {pairs}")
    generator = np.random.default_rng(seed)
    first = generator.integers(0, count, pairs)  # (pairs,)
    second = generator.integers(0, count - 1, pairs)
    second = second + (second >= first)  # uniform over the other k - 1 images
    total = 0.0
    for start in range(0, pairs, _PAIR_CHUNK):
        chosen = slice(start, start + _PAIR_CHUNK)
        differences = flat[first[chosen]] - flat[second[chosen]]  # (chunk, pixels)
        total += float(np.sqrt(np.mean(differences ** 2, axis=1)).sum())
    return total / pairs


def diversity_report(samples: np.ndarray, real: np.ndarray, seed: int = 0) -> dict[str, float]:
    """Diversity of the generated images beside that of the real ones:
    {"generated", "real", "ratio" = generated / real}.

    The real diversity is measured on a random subset (``seed``) of as many real images as
    there are samples, so both numbers come from the same estimator. A ratio near 1 means the
    samples vary as much as the data; near 0, the generator collapsed onto a few images.
    """
    _flatten_pair(samples, real)  # checks the shapes
    if len(samples) < 2 or len(real) < 2:
        raise ValueError("diversity needs at least two generated and two real images")
    generator = np.random.default_rng(seed)
    subset = generator.choice(len(real), size=min(len(real), len(samples)), replace=False)
    generated = diversity(samples, seed=seed)
    real_diversity = diversity(np.asarray(real)[np.sort(subset)], seed=seed)
    if real_diversity == 0:
        raise ValueError("the real images are all identical; their diversity is 0")
    return {"generated": generated, "real": real_diversity,
            "ratio": generated / real_diversity}


def class_balance(predicted_labels: np.ndarray, real_labels: np.ndarray,
                  num_classes: int) -> pd.DataFrame:
    """One row per class: class, generated_images, real_images, generated_share, real_share.

    ``predicted_labels`` (k,) are the classes a classifier gives the generated images;
    ``real_labels`` (n,) those of the training data. Each share column sums to 1, ready for a
    histogram of the generator's classes against the real class balance.
    """
    generated_counts = _class_counts(predicted_labels, num_classes, "predicted_labels")
    real_counts = _class_counts(real_labels, num_classes, "real_labels")
    return pd.DataFrame({
        "class": np.arange(num_classes),
        "generated_images": generated_counts,
        "real_images": real_counts,
        "generated_share": generated_counts / generated_counts.sum(),
        "real_share": real_counts / real_counts.sum(),
    })


def class_balance_distance(predicted_labels: np.ndarray, real_labels: np.ndarray,
                           num_classes: int) -> float:
    """Total variation distance between the class shares of generated and real images,
    half the sum of |generated_share - real_share|: 0 for the same balance, 1 when they share
    no class. A score of mode collapse: a generator stuck on one class of ten balanced ones
    scores 0.9."""
    table = class_balance(predicted_labels, real_labels, num_classes)
    return float(0.5 * np.abs(table["generated_share"] - table["real_share"]).sum())


def _class_counts(labels: np.ndarray, num_classes: int, name: str) -> np.ndarray:
    """Images per class (num_classes,) int64, after checking the labels."""
    labels = np.asarray(labels)
    if num_classes < 1:
        raise ValueError(f"num_classes must be >= 1, got {num_classes}")
    if labels.ndim != 1 or len(labels) == 0 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{name} must be a non-empty vector of integers, got dtype "
                         f"{labels.dtype} and shape {labels.shape}")
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(f"{name} must lie in 0..{num_classes - 1}, got "
                         f"{labels.min()}..{labels.max()}")
    return np.bincount(labels, minlength=num_classes).astype(np.int64)


def _flatten(images: np.ndarray) -> np.ndarray:
    """(k, height, width, channels) -> (k, height*width*channels), after checking the shape."""
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"images must be (k, height, width, channels), got shape "
                         f"{images.shape}")
    return images.reshape(len(images), int(np.prod(images.shape[1:])))


def _flatten_pair(samples: np.ndarray, real: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both image arrays flattened, after checking that their images have one shape."""
    samples_flat, real_flat = _flatten(samples), _flatten(real)
    if np.shape(samples)[1:] != np.shape(real)[1:]:
        raise ValueError(f"generated images {np.shape(samples)[1:]} and real images "
                         f"{np.shape(real)[1:]} differ in shape")
    return samples_flat, real_flat
