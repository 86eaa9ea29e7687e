"""Stratified splits that respect given ones, and class balancing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
from sklearn.utils.class_weight import compute_class_weight

from cnnviz.datasets.balancing import class_weights, training_order
from cnnviz.datasets.splits import TEST, TRAIN, VALIDATION, assign_splits


def test_split_is_stratified_and_seeded() -> None:
    labels = np.repeat(np.arange(4), [100, 200, 300, 400])
    codes = assign_splits(labels, None, validation_fraction=0.2, test_fraction=0.15, seed=3)
    assert np.count_nonzero(codes == TEST) == 150
    assert np.count_nonzero(codes == VALIDATION) == round(850 * 0.2)
    for label, count in enumerate([100, 200, 300, 400]):
        share = np.count_nonzero((codes == TEST) & (labels == label)) / count
        assert abs(share - 0.15) < 0.02
    assert (assign_splits(labels, None, 0.2, 0.15, seed=3) == codes).all()
    assert (assign_splits(labels, None, 0.2, 0.15, seed=4) != codes).any()


def test_given_test_split_is_kept() -> None:
    labels = np.tile(np.arange(2), 50)
    given = np.where(np.arange(100) < 30, TEST, -1)
    codes = assign_splits(labels, given, validation_fraction=0.2, test_fraction=0.5, seed=0)
    assert (codes[:30] == TEST).all()
    assert np.count_nonzero(codes == TEST) == 30
    assert np.count_nonzero(codes == VALIDATION) == 14
    assert np.count_nonzero(codes == TRAIN) == 56


def test_tiny_classes_fall_back_to_a_random_split() -> None:
    labels = np.array([0, 0, 0, 0, 0, 0, 0, 0, 1, 2])
    codes = assign_splits(labels, None, 0.0, 0.2, seed=0)
    assert np.count_nonzero(codes == TEST) == 2


def scikit_learn_split(labels: np.ndarray, given: np.ndarray | None, validation_fraction: float,
                       test_fraction: float, seed: int) -> np.ndarray:
    """The splits as cnnviz made them with ``train_test_split`` before it dropped the import."""
    from sklearn.model_selection import train_test_split

    def carve(pool: np.ndarray, fraction: float, carve_seed: int) -> np.ndarray:
        count = int(round(len(pool) * fraction))
        if count == 0 or count >= len(pool):
            return np.array([], dtype=np.int64)
        present = np.bincount(labels[pool])
        present = present[present > 0]
        stratify = labels[pool] if present.min() >= 2 and count >= len(present) \
            and len(pool) - count >= len(present) else None
        return train_test_split(pool, test_size=count, random_state=carve_seed,
                                stratify=stratify)[1]

    codes = np.full(len(labels), -1) if given is None else given.copy()
    if not np.any(codes == TEST) and test_fraction > 0:
        codes[carve(np.flatnonzero(codes != VALIDATION), test_fraction, seed)] = TEST
    if not np.any(codes == VALIDATION) and validation_fraction > 0:
        codes[carve(np.flatnonzero(codes != TEST), validation_fraction, seed + 1)] = VALIDATION
    codes[codes == -1] = TRAIN
    return codes


def test_splits_are_image_for_image_those_scikit_learn_made() -> None:
    """Runs made before the numpy draw must find the same test images when rebuilt."""
    rng = np.random.default_rng(0)
    for case in range(300):
        classes = int(rng.integers(1, 12))
        labels = rng.integers(0, classes, int(rng.integers(3, 400)))
        if case % 3 == 0:  # skewed classes, ties and classes of one image
            labels = np.repeat(np.arange(classes), rng.integers(1, 40, classes))
        given = np.where(rng.random(len(labels)) < 0.2, TEST, -1) if case % 5 == 0 else None
        validation, test = rng.choice([0.0, 0.05, 0.1, 0.15, 0.2, 0.4], 2)
        seed = int(rng.integers(0, 1000))
        ours = assign_splits(labels, given, validation, test, seed)
        assert (ours == scikit_learn_split(labels, given, validation, test, seed)).all(), case


def test_the_data_layer_splits_without_scikit_learn() -> None:
    code = ("import sys, numpy as np; from cnnviz.datasets.splits import assign_splits;"
            "assign_splits(np.repeat(np.arange(3), 20), None, 0.2, 0.2, 0);"
            "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).resolve().parents[3])
    assert result.stdout.strip() == "[]"


def test_undersample_and_oversample_even_out_classes() -> None:
    labels = np.repeat(np.arange(3), [10, 50, 5])
    under = training_order(labels, "undersample", seed=0)
    assert np.bincount(labels[under]).tolist() == [5, 5, 5]
    assert len(set(under)) == len(under)
    over = training_order(labels, "oversample", seed=0)
    assert np.bincount(labels[over]).tolist() == [50, 50, 50]
    assert set(np.flatnonzero(labels == 2)) <= set(over)
    assert training_order(labels, "none", seed=0).tolist() == list(range(65))


def test_class_weights_match_scikit_learn() -> None:
    labels = np.repeat(np.arange(3), [10, 50, 5])
    ours = class_weights(labels, 3)
    reference = compute_class_weight("balanced", classes=np.arange(3), y=labels)
    assert np.allclose([ours[i] for i in range(3)], reference)
    assert class_weights(np.array([0, 0, 2]), 3)[1] == 0.0
