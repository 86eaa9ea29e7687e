"""What every source hands to the common preparation step: labelled items, not yet resized.

A source either decodes its images itself (built-ins: arrays) or lists image files (folders,
file lists, attribute tables); preparation, splitting and caching are then the same for all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Codes of a split chosen by the source itself (CelebA's partition file, train/ and test/
# folders, train.txt and test.txt); -1 means "no split given".
SPLIT_CODES = {"train": 0, "validation": 1, "test": 2}
NO_SPLIT = -1


@dataclass(frozen=True)
class SkippedFile:
    """A file that was left out, and why, so the user can fix or remove it."""

    path: str
    reason: str


@dataclass
class RawImages:
    """Labelled images of one source before resizing, channel conversion and splitting."""

    class_names: list[str]
    labels: np.ndarray  # (n,) int64, index into class_names
    arrays: np.ndarray | None = None  # (n, height, width, channels) uint8, for decoded sources
    paths: list[str] | None = None  # absolute image paths, for file sources
    sizes: np.ndarray | None = None  # (n, 2) original (height, width) of every image
    given_split: np.ndarray | None = None  # (n,) SPLIT_CODES values or NO_SPLIT
    skipped: list[SkippedFile] = field(default_factory=list)
    native_channels: int = 3  # channels the source has (1 for grayscale sources)

    def __post_init__(self) -> None:
        if (self.arrays is None) == (self.paths is None):
            raise ValueError("RawImages needs exactly one of arrays or paths")
        count = len(self.arrays) if self.arrays is not None else len(self.paths or [])
        if len(self.labels) != count:
            raise ValueError(f"{len(self.labels)} labels for {count} images")

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, indices: np.ndarray) -> RawImages:
        """The same source restricted to ``indices`` (class names unchanged)."""
        return RawImages(
            class_names=list(self.class_names),
            labels=self.labels[indices],
            arrays=None if self.arrays is None else self.arrays[indices],
            paths=None if self.paths is None else [self.paths[i] for i in indices],
            sizes=None if self.sizes is None else self.sizes[indices],
            given_split=None if self.given_split is None else self.given_split[indices],
            skipped=list(self.skipped),
            native_channels=self.native_channels,
        )
