"""The embedding page's maps: which test images are mapped, from which features, and how
their points are coloured (report B drew a t-SNE of what its network learned).

Maps are cached in the run folder by :func:`cached_tsne_map`, so reopening the page is instant.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cnnviz.analysis.embedding import cached_tsne_map, place_points, sample_rows
from cnnviz.analysis.evaluation_data import Evaluation, row_images
from cnnviz.datasets.dataset import Dataset
from cnnviz.runs.folder import RunFolder

COLOUR_MODES = ("true", "predicted", "correct")
# Raw pixels are compared at this side at most: enough to show that pixel distance does not
# separate classes, and bounded in memory for large images.
PIXEL_SIDE = 32


def feature_map(run_dir: Path, evaluation: Evaluation, count: int, seed: int = 0
                ) -> tuple[np.ndarray, np.ndarray]:
    """(rows, coordinates) of the learned features (penultimate layer)."""
    positions = sample_rows(len(evaluation.embedding_rows), count, seed)
    coordinates = cached_tsne_map(RunFolder(run_dir).feature_map(len(positions)),
                                  evaluation.embeddings[positions], seed=seed)
    return evaluation.embedding_rows[positions], coordinates


def pixel_map(run_dir: Path, dataset: Dataset, evaluation: Evaluation, rows: np.ndarray,
              seed: int = 0) -> np.ndarray:
    """Coordinates of the same images mapped from their raw pixels, the "before learning"
    picture beside :func:`feature_map`."""
    features = pixel_features(row_images(dataset, evaluation, rows))
    return cached_tsne_map(RunFolder(run_dir).pixel_map(len(rows)), features, seed=seed)


def pixel_features(images: np.ndarray, side: int = PIXEL_SIDE) -> np.ndarray:
    """Images (n, height, width, channels) uint8 as flat vectors in [0, 1], shrunk by block
    averaging so that neither side exceeds ``side``."""
    height, width = images.shape[1:3]
    step = max(1, int(np.ceil(max(height, width) / side)))
    if step > 1:
        cropped = images[:, : height // step * step, : width // step * step]
        shape = (len(images), height // step, step, width // step, step, images.shape[3])
        images = cropped.reshape(shape).mean(axis=(2, 4))
    return (np.asarray(images, dtype=np.float32) / 255.0).reshape(len(images), -1)


def point_groups(evaluation: Evaluation, rows: np.ndarray, mode: str,
                 right: str = "right", wrong: str = "wrong") -> list[str]:
    """The legend group of every mapped point: its true class, its predicted class, or
    whether the prediction was ``right`` or ``wrong``."""
    if mode not in COLOUR_MODES:
        raise ValueError(f"mode must be one of {COLOUR_MODES}, not {mode!r}")
    names = evaluation.class_names
    if mode == "true":
        return [names[label] for label in evaluation.y_true[rows]]
    if mode == "predicted":
        return [names[label] for label in evaluation.y_pred[rows]]
    correct = evaluation.y_true[rows] == evaluation.y_pred[rows]
    return [right if flag else wrong for flag in correct]


def point_labels(evaluation: Evaluation, rows: np.ndarray) -> list[str]:
    """Hover text of every mapped point: true and predicted class with its probability."""
    names = evaluation.class_names
    return [f"{names[evaluation.y_true[row]]} → {names[evaluation.y_pred[row]]} "
            f"({evaluation.confidence[row]:.0%})" for row in rows]


def error_rate(evaluation: Evaluation, rows: np.ndarray) -> float:
    """Share of wrong predictions among ``rows`` (0 for no rows)."""
    if not len(rows):
        return 0.0
    return float(np.mean(evaluation.y_true[rows] != evaluation.y_pred[rows]))


def place_on_feature_map(evaluation: Evaluation, coordinates: np.ndarray,
                         new_features: np.ndarray, seed: int = 0) -> np.ndarray:
    """Positions (m, 2) of new images' embeddings on the map :func:`feature_map` drew from
    ``len(coordinates)`` images; the mapped images do not move."""
    positions = sample_rows(len(evaluation.embedding_rows), len(coordinates), seed)
    return place_points(evaluation.embeddings[positions], coordinates, new_features, seed=seed)
