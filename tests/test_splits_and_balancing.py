"""Stratified splits that respect given ones, and class balancing."""

from __future__ import annotations

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
