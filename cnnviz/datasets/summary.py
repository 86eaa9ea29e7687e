"""What the dataset page shows about a loaded dataset, as plain tables and arrays.

Report B opened with the class distribution per split; the size statistics explain why
resizing choices matter; the skipped list tells the user which files to fix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cnnviz.datasets.dataset import SPLIT_NAMES, Dataset
from cnnviz.datasets.raw import SkippedFile


@dataclass
class DatasetSummary:
    """Counts per class and split, original image sizes, samples, and skipped files."""

    class_counts: pd.DataFrame  # index: class; columns: train, validation, test, total
    size_statistics: pd.DataFrame  # index: height, width, aspect; columns: min, median, mean, max
    samples: dict[str, np.ndarray]  # class -> (k, height, width, channels) uint8
    skipped: list[SkippedFile]
    storage: str

    @property
    def total_images(self) -> int:
        return int(self.class_counts["total"].sum())

    @property
    def split_sizes(self) -> tuple[int, int, int]:
        """Training, validation and test images."""
        return tuple(int(self.class_counts[split].sum())  # type: ignore[return-value]
                     for split in ("train", "validation", "test"))


def summarize(dataset: Dataset, samples_per_class: int = 8, seed: int = 0) -> DatasetSummary:
    """Everything the dataset page needs, computed without decoding more than the samples."""
    return DatasetSummary(
        class_counts=class_counts(dataset),
        size_statistics=size_statistics(dataset),
        samples=sample_grid(dataset, samples_per_class, seed),
        skipped=list(dataset.skipped),
        storage=dataset.storage,
    )


def class_counts(dataset: Dataset) -> pd.DataFrame:
    """Images per class in every split, plus the total (report B's distribution chart)."""
    table = pd.DataFrame(
        {
            name: np.bincount(dataset.split(name).labels, minlength=dataset.num_classes)
            for name in SPLIT_NAMES
        },
        index=pd.Index(dataset.class_names, name="class"),
    )
    table["total"] = table.sum(axis=1)
    return table


def size_statistics(dataset: Dataset) -> pd.DataFrame:
    """Min, median, mean and max of the original height, width and aspect ratio (w / h)."""
    sizes = np.concatenate(
        [
            dataset.split(name).original_sizes
            for name in SPLIT_NAMES
            if dataset.split(name).original_sizes is not None
        ]
        or [np.zeros((0, 2))]
    ).astype(np.float64)
    sizes = sizes[(sizes > 0).all(axis=1)]
    columns = ["min", "median", "mean", "max"]
    if len(sizes) == 0:
        return pd.DataFrame(index=["height", "width", "aspect"], columns=columns, dtype=float)
    values = {"height": sizes[:, 0], "width": sizes[:, 1], "aspect": sizes[:, 1] / sizes[:, 0]}
    return pd.DataFrame(
        {
            name: [data.min(), float(np.median(data)), data.mean(), data.max()]
            for name, data in values.items()
        },
        index=columns,
    ).T


def sample_grid(dataset: Dataset, per_class: int = 8, seed: int = 0) -> dict[str, np.ndarray]:
    """Up to ``per_class`` prepared training images of every class, chosen at random."""
    split = dataset.train
    rng = np.random.default_rng(seed)
    samples = {}
    for label, name in enumerate(dataset.class_names):
        indices = np.flatnonzero(split.labels == label)
        chosen = np.sort(rng.choice(indices, min(per_class, len(indices)), replace=False))
        samples[name] = split.batch(chosen)
    return samples
