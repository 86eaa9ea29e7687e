"""Choosing classes: merging (report A merged drawings and engravings), selecting, capping,
and the checks every classifier dataset must pass."""

from __future__ import annotations

import numpy as np

from cnnviz.datasets.raw import RawImages
from cnnviz.errors import EmptyClassError, EmptyDatasetError, SingleClassError, UnknownClassError


def merge_classes(raw: RawImages, merge: tuple[tuple[str, tuple[str, ...]], ...]) -> RawImages:
    """Replace each group of old classes by one new class named first in its pair.

    Classes not named in any group keep their names; the new class list is sorted so the
    label order does not depend on the order groups were written in.
    """
    if not merge:
        return raw
    renamed = {}
    for new_name, old_names in merge:
        for old_name in old_names:
            if old_name not in raw.class_names:
                raise _unknown(old_name, raw.class_names, "error.classes.cannot_merge")
            if old_name in renamed:
                raise UnknownClassError("error.classes.class_merged_into_two", old_name=old_name)
            renamed[old_name] = new_name
    new_names = sorted({renamed.get(name, name) for name in raw.class_names})
    index = {name: position for position, name in enumerate(new_names)}
    mapping = np.array([index[renamed.get(name, name)] for name in raw.class_names])
    merged = raw.subset(np.arange(len(raw)))
    merged.class_names = new_names
    merged.labels = mapping[raw.labels] if len(raw) else raw.labels
    return merged


def select_classes(raw: RawImages, classes: tuple[str, ...]) -> RawImages:
    """Keep only the images of ``classes`` (all classes when empty), relabelled 0..k-1."""
    if not classes:
        return raw
    for name in classes:
        if name not in raw.class_names:
            raise _unknown(name, raw.class_names, "error.classes.cannot_select")
    kept_names = [name for name in raw.class_names if name in classes]
    old_labels = np.array([raw.class_names.index(name) for name in kept_names])
    remap = np.full(len(raw.class_names), -1)
    remap[old_labels] = np.arange(len(kept_names))
    chosen = raw.subset(np.flatnonzero(np.isin(raw.labels, old_labels)))
    chosen.class_names = kept_names
    chosen.labels = remap[chosen.labels]
    return chosen


def cap_per_class(raw: RawImages, max_per_class: int | None, seed: int) -> RawImages:
    """At most ``max_per_class`` images of each class, drawn at random (for quick runs)."""
    if max_per_class is None:
        return raw
    rng = np.random.default_rng(seed)
    keep = []
    for label in range(len(raw.class_names)):
        indices = np.flatnonzero(raw.labels == label)
        if len(indices) > max_per_class:
            indices = rng.choice(indices, max_per_class, replace=False)
        keep.append(indices)
    return raw.subset(np.sort(np.concatenate(keep)))


def check_classes(raw: RawImages) -> None:
    """A classifier needs images, at least two classes, and an image in every class."""
    if len(raw) == 0:
        raise EmptyDatasetError("error.classes.dataset_no_readable_image")
    if len(raw.class_names) < 2:
        only = raw.class_names[0] if raw.class_names else "none"
        raise SingleClassError("error.classes.classifier_needs_least_two", only=only)
    counts = np.bincount(raw.labels, minlength=len(raw.class_names))
    empty = [name for name, count in zip(raw.class_names, counts) if count == 0]
    if empty:
        raise EmptyClassError("error.classes.no_readable_image_class", classes=', '.join(empty))


def _unknown(name: str, known: list[str], key: str) -> UnknownClassError:
    shown = ", ".join(known[:12]) + (" ..." if len(known) > 12 else "")
    return UnknownClassError(key, name=name, classes=shown)
