"""Images of a streamed split that could not be decoded while training or evaluating.

A streamed split decodes each image only when a batch needs it, so a file whose header reads
but whose data is truncated is found out during training, not while loading. Recording it here
instead of letting ``tf.data`` drop it lets the run say how many images were left out, which
ones, and how many each split really held.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from cnnviz.atomic import write_json_atomic
from cnnviz.datasets.dataset import SPLIT_NAMES, Dataset


@dataclass(frozen=True)
class DroppedImage:
    """One image left out: where it sits in its split, its label, its file and the reason."""

    split: str
    index: int
    label: int
    path: str
    reason: str


class DroppedImages:
    """A thread-safe record of dropped images (``tf.data`` decodes in several threads); an
    image found again in a later epoch is counted once."""

    def __init__(self, items: list[DroppedImage] | None = None) -> None:
        self._lock = threading.Lock()
        self._items = {(item.split, item.index): item for item in items or []}

    def record(self, split: str, index: int, label: int, path: str, reason: str) -> None:
        with self._lock:
            self._items.setdefault((split, index), DroppedImage(split, index, label, path, reason))

    def items(self) -> list[DroppedImage]:
        """Every dropped image, by split then position."""
        with self._lock:
            found = list(self._items.values())
        order = {name: position for position, name in enumerate(SPLIT_NAMES)}
        return sorted(found, key=lambda item: (order.get(item.split, len(order)), item.index))

    def count(self, split: str) -> int:
        return sum(item.split == split for item in self.items())

    def counts(self) -> dict[str, int]:
        """Dropped images per split (every split named, zeros included)."""
        return {name: self.count(name) for name in SPLIT_NAMES}

    def per_class(self, split: str, num_classes: int) -> np.ndarray:
        """(classes,) dropped images of ``split`` per class."""
        labels = [item.label for item in self.items() if item.split == split]
        return np.bincount(np.asarray(labels, dtype=np.int64), minlength=num_classes)

    def used_sizes(self, dataset: Dataset) -> dict[str, int]:
        """Images each split of ``dataset`` really gave the model."""
        counts = self.counts()
        return {name: len(dataset.split(name)) - counts[name] for name in SPLIT_NAMES}

    def write(self, path: Path) -> None:
        """Save the list (``dropped.json`` of a run folder), atomically."""
        write_json_atomic(path, [asdict(item) for item in self.items()])

    @classmethod
    def read(cls, path: Path) -> DroppedImages:
        """The list saved by :meth:`write`, or an empty record when there is none."""
        if not path.is_file():
            return cls()
        return cls([DroppedImage(**item) for item in json.loads(path.read_text())])


def dropped_summary(dropped: DroppedImages, dataset: Dataset) -> dict[str, dict[str, int]]:
    """What a run reports (status and ``metrics.json``): the images each split really gave
    the model and, when any were left out, how many per split."""
    summary = {"split_sizes": dropped.used_sizes(dataset)}
    if dropped.items():
        summary["dropped_images"] = dropped.counts()
    return summary
