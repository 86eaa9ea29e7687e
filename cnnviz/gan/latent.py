"""Exploring a trained GAN generator through its latent space, in pure NumPy.

The sampler page draws latent vectors, walks between two of them, lays the generated images out
as a grid and asks the questions a student should ask of a GAN: does it copy training images
(nearest real image), does it make varied images (diversity against the real data), does it
favour some classes (class balance)? Nothing here knows Keras; every function sees only
``generate(latents (k, latent_dim) float32) -> images (k, height, width, channels)`` results,
or the latents that go into it. All images are floats in [0, 1].
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEPARATOR_LEVEL = 220  # grey level of the lines between grid cells: light on dark digits
ALL_PAIRS_LIMIT = 2000  # up to this many images, diversity averages over every distinct pair
SAMPLED_PAIRS = 200_000  # above it, over this many random distinct pairs
_PAIR_CHUNK = 8192  # pairs whose differences are held at once when sampling pairs
_PARALLEL_SINE = 1e-6  # below this sine of the angle, slerp falls back to lerp


def latent_batch(seed: int, count: int, latent_dim: int,
                 truncation: float | None = None) -> np.ndarray:
    """``count`` standard normal latent vectors (count, latent_dim) float32; same seed, same batch.

    With ``truncation`` t, every value with |z| > t is drawn again until it lies inside
    [-t, t] (the "truncation trick"): the generator then only sees latents near the centre
    of its training distribution, trading variety for cleaner images. Values already inside
    are kept, so a truncated batch agrees with the untruncated one wherever |z| <= t.
    """
    if count < 0 or latent_dim < 1:
        raise ValueError(f"need count >= 0 and latent_dim >= 1, got {count} and {latent_dim}")
    if truncation is not None and not truncation > 0:
        raise ValueError(f"truncation must be positive or None, got {truncation}")
    generator = np.random.default_rng(seed)
    latents = generator.standard_normal((count, latent_dim))  # (count, latent_dim) float64
    if truncation is not None:
        outside = np.abs(latents) > truncation
        while outside.any():  # each round keeps a share of at least erf(t / sqrt 2) of the rest
            latents[outside] = generator.standard_normal(int(outside.sum()))
            outside = np.abs(latents) > truncation
    return latents.astype(np.float32)


def interpolate(start: np.ndarray, end: np.ndarray, steps: int,
                mode: str = "linear") -> np.ndarray:
    """``steps`` latents (steps, latent_dim) float32 from ``start`` to ``end``, both included
    exactly (as float32).

    "linear" moves along the straight line. "spherical" turns the direction along the great
    circle (slerp) while the length changes linearly: Gaussian latents of high dimension all
    have a length near sqrt(latent_dim), and the straight line between two of them passes
    through shorter vectors the generator rarely saw, which often gives washed-out middle
    images. Nearly parallel or opposite directions (or a zero vector) have no single great
    circle; there spherical falls back to linear.
    """
    if steps < 2:
        raise ValueError(f"an interpolation needs steps >= 2, got {steps}")
    if mode not in ("linear", "spherical"):
        raise ValueError(f"mode must be 'linear' or 'spherical', got {mode!r}")
    start = np.asarray(start, dtype=np.float32)
    end = np.asarray(end, dtype=np.float32)
    if start.ndim != 1 or start.shape != end.shape:
        raise ValueError(f"start and end must be vectors of one length, got shapes "
                         f"{start.shape} and {end.shape}")
    start64, end64 = start.astype(np.float64), end.astype(np.float64)
    fractions = np.linspace(0.0, 1.0, steps)[:, None]  # (steps, 1)
    path = (1 - fractions) * start64 + fractions * end64  # (steps, latent_dim)
    if mode == "spherical":
        path = _slerp(start64, end64, fractions, fallback=path)
    path = path.astype(np.float32)
    path[0], path[-1] = start, end
    return path


def _slerp(start: np.ndarray, end: np.ndarray, fractions: np.ndarray,
           fallback: np.ndarray) -> np.ndarray:
    """Great-circle direction times linearly changing length; ``fallback`` where undefined."""
    start_norm, end_norm = np.linalg.norm(start), np.linalg.norm(end)
    if start_norm == 0 or end_norm == 0:
        return fallback
    start_unit, end_unit = start / start_norm, end / end_norm
    angle = np.arccos(np.clip(start_unit @ end_unit, -1.0, 1.0))
    sine = np.sin(angle)
    if sine < _PARALLEL_SINE:
        return fallback
    directions = (np.sin((1 - fractions) * angle) * start_unit
                  + np.sin(fractions * angle) * end_unit) / sine  # (steps, latent_dim), unit
    lengths = (1 - fractions) * start_norm + fractions * end_norm  # (steps, 1)
    return directions * lengths


def image_grid(images: np.ndarray, columns: int, gap: int = 1) -> np.ndarray:
    """The images (k, height, width, channels) in [0, 1] as one uint8 picture
    (rows*height + (rows-1)*gap, columns*width + (columns-1)*gap, channels), row by row.

    Cells are separated by ``gap`` light pixels (SEPARATOR_LEVEL) so that dark-background
    digits stay apart; empty cells of the last row have the separator colour too. Values
    outside [0, 1] are clipped; non-finite ones (a diverged generator) are refused.
    """
    images = np.asarray(images)
    if images.ndim != 4 or len(images) == 0:
        raise ValueError(f"images must be a non-empty (k, height, width, channels) array, "
                         f"got shape {images.shape}")
    if columns < 1 or gap < 0:
        raise ValueError(f"need columns >= 1 and gap >= 0, got {columns} and {gap}")
    if not np.isfinite(images).all():
        raise ValueError("images contain NaN or infinite values")
    count, height, width, channels = images.shape
    rows = -(-count // columns)
    grid = np.full((rows * height + (rows - 1) * gap, columns * width + (columns - 1) * gap,
                    channels), SEPARATOR_LEVEL, dtype=np.uint8)
    levels = np.rint(np.clip(images, 0.0, 1.0) * 255).astype(np.uint8)  # (k, h, w, c)
    for index, image in enumerate(levels):
        top = (index // columns) * (height + gap)
        left = (index % columns) * (width + gap)
        grid[top:top + height, left:left + width] = image
    return grid


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
