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
        raise SplitError("error.splits.no_image_left_training")
    return codes


def _carve(pool: np.ndarray, labels: np.ndarray, fraction: float, seed: int) -> np.ndarray:
    """Indices (from ``pool``) of a ``fraction`` share, stratified when every class allows it."""
    count = int(round(len(pool) * fraction))
    if count == 0 or count >= len(pool):
        return np.array([], dtype=np.int64)
    pool_labels = labels[pool]
    class_counts = np.bincount(pool_labels)
    present = class_counts[class_counts > 0]
    stratified = present.min() >= 2 and count >= len(present) and \
        len(pool) - count >= len(present)
    rng = np.random.RandomState(seed)
    if stratified:
        carved = _stratified_draw(pool_labels, len(pool) - count, count, rng)
    else:
        carved = rng.permutation(len(pool))[:count]
    return np.sort(pool[carved])


# The draws below are scikit-learn's ``train_test_split`` (``StratifiedShuffleSplit`` and
# ``ShuffleSplit``, version 1.x) step for step, random numbers included: every split made since
# the first run stays the same image for image, and the data layer no longer imports
# scikit-learn and SciPy (seconds on a Dataset page's first visit). A test compares both.


def _stratified_draw(labels: np.ndarray, kept: int, count: int,
                     rng: np.random.RandomState) -> np.ndarray:
    """Positions of ``count`` of ``labels`` drawn class by class in proportion, after ``kept``
    are set aside the same way (``StratifiedShuffleSplit`` with train ``kept``, test ``count``)."""
    _, class_of, class_counts = np.unique(labels, return_inverse=True, return_counts=True)
    class_positions = np.split(np.argsort(class_of, kind="stable"), np.cumsum(class_counts)[:-1])
    kept_per_class = _approximate_mode(class_counts, kept, rng)
    drawn_per_class = _approximate_mode(class_counts - kept_per_class, count, rng)
    drawn = []
    for positions, kept_here, drawn_here, total in zip(class_positions, kept_per_class,
                                                       drawn_per_class, class_counts):
        shuffled = positions.take(rng.permutation(total), mode="clip")
        drawn.extend(shuffled[kept_here:kept_here + drawn_here])
    return np.asarray(drawn, dtype=np.int64)


def _approximate_mode(class_counts: np.ndarray, draws: int,
                      rng: np.random.RandomState) -> np.ndarray:
    """How many of ``draws`` each class gets: its floored share, then one more for the largest
    remainders, ties broken at random (scikit-learn's ``_approximate_mode``)."""
    continuous = class_counts / class_counts.sum() * draws
    floored = np.floor(continuous)
    missing = int(draws - floored.sum())
    if missing > 0:
        remainder = continuous - floored
        for value in np.sort(np.unique(remainder))[::-1]:
            (tied,) = np.where(remainder == value)
            added = min(len(tied), missing)
            floored[rng.choice(tied, size=added, replace=False)] += 1
            missing -= added
            if missing == 0:
                break
    return floored.astype(int)
