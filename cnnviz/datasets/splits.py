"""Stratified train/validation/test assignment that respects a split the source already has."""

from __future__ import annotations

import numpy as np

from cnnviz.datasets.raw import NO_SPLIT, SPLIT_CODES
from cnnviz.errors import SplitError

TRAIN, VALIDATION, TEST = SPLIT_CODES["train"], SPLIT_CODES["validation"], SPLIT_CODES["test"]


def assign_splits(
    labels: np.ndarray,
    given: np.ndarray | None,
    validation_fraction: float,
    test_fraction: float,
    seed: int,
) -> np.ndarray:
    """A split code (train 0, validation 1, test 2) for every image.

    A test or validation split given by the source (``test.txt``, a ``test/`` folder, CelebA's
    partition file) is kept as it is; the missing ones are carved out of the remaining images,
    stratified by class so every class keeps its share (the reports used 85/15 and 80/20).
    """
    codes = np.full(len(labels), NO_SPLIT, dtype=np.int64) if given is None else given.copy()
    rng_seed = int(seed)
    if not np.any(codes == TEST) and test_fraction > 0:
        pool = np.flatnonzero(codes != VALIDATION)
        codes[_carve(pool, labels, test_fraction, rng_seed)] = TEST
    if not np.any(codes == VALIDATION) and validation_fraction > 0:
        pool = np.flatnonzero((codes != TEST))
        codes[_carve(pool, labels, validation_fraction, rng_seed + 1)] = VALIDATION
    codes[codes == NO_SPLIT] = TRAIN
    if not np.any(codes == TRAIN):
        raise SplitError("No image is left for training: lower the validation or test share")
    return codes


def _carve(pool: np.ndarray, labels: np.ndarray, fraction: float, seed: int) -> np.ndarray:
    """Indices (from ``pool``) of a ``fraction`` share, stratified when every class allows it."""
    from sklearn.model_selection import train_test_split  # slow import, needed only here

    count = int(round(len(pool) * fraction))
    if count == 0 or count >= len(pool):
        return np.array([], dtype=np.int64)
    pool_labels = labels[pool]
    class_counts = np.bincount(pool_labels)
    present = class_counts[class_counts > 0]
    stratify = pool_labels if present.min() >= 2 and count >= len(present) else None
    if len(pool) - count < len(present) and stratify is not None:
        stratify = None
    _, carved = train_test_split(pool, test_size=count, random_state=seed, stratify=stratify)
    return np.sort(carved)
