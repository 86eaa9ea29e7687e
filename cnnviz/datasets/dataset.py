"""A loaded dataset: class names, three splits, and what was left out.

A split holds its images either in memory (prepared uint8 arrays, possibly memory-mapped from
the on-disk cache) or as items prepared on demand (file paths, or source arrays that would not
fit once resized), so a 200,000-image folder never has to be decoded into RAM at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cnnviz.datasets.images import decode_image
from cnnviz.datasets.raw import SkippedFile
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.preprocessing import ImageFormat

SPLIT_NAMES = ("train", "validation", "test")


@dataclass
class Split:
    """The images and labels of one split."""

    labels: np.ndarray  # (n,) int64
    image_format: ImageFormat
    images: np.ndarray | None = None  # (n, height, width, channels) uint8, prepared
    items: list[str] | np.ndarray | None = None  # paths or raw arrays, prepared on demand
    original_sizes: np.ndarray | None = None  # (n, 2) (height, width) before resizing

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def in_memory(self) -> bool:
        return self.images is not None

    def image(self, index: int) -> np.ndarray:
        """One prepared image (height, width, channels) uint8, however the split is stored."""
        if self.images is not None:
            return np.asarray(self.images[index])
        item = self.items[index]  # type: ignore[index]
        raw = decode_image(item) if isinstance(item, str) else item
        return self.image_format.prepare(raw)

    def item_name(self, index: int) -> str:
        """The file image ``index`` comes from, or its position when it has none (messages)."""
        item = None if self.items is None else self.items[index]
        return item if isinstance(item, str) else f"image {index}"

    def batch(self, indices: np.ndarray) -> np.ndarray:
        """Prepared images at ``indices`` as one (k, height, width, channels) uint8 array."""
        if self.images is not None:
            order = np.argsort(indices)
            gathered = np.empty((len(indices), *self.image_format.shape), dtype=np.uint8)
            gathered[order] = self.images[np.asarray(indices)[order]]
            return gathered
        if len(indices) == 0:
            return np.empty((0, *self.image_format.shape), dtype=np.uint8)
        return np.stack([self.image(int(index)) for index in indices])


@dataclass
class Dataset:
    """Everything a model, a training run and the dataset page need to know about the data."""

    spec: DatasetSpec
    class_names: list[str]
    image_format: ImageFormat
    train: Split
    validation: Split
    test: Split
    skipped: list[SkippedFile] = field(default_factory=list)
    storage: str = "memory"  # "memory" or "stream"

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    @property
    def image_shape(self) -> tuple[int, int, int]:
        return self.image_format.shape

    def split(self, name: str) -> Split:
        """The split called ``name`` (train, validation or test)."""
        if name not in SPLIT_NAMES:
            raise ValueError(f"Unknown split {name!r}; use one of {', '.join(SPLIT_NAMES)}")
        return getattr(self, name)
