"""Near-chance check: a finished run's accuracy against what guessing the commonest class
scores."""

from __future__ import annotations

import pytest

from cnnviz.analysis.chance import chance_check, guessing_accuracy

SIX_BALANCED = {name: 45 for name in ("circle", "square", "triangle", "star", "cross", "line")}


def test_guessing_is_one_over_the_classes_when_balanced_and_the_majority_share_otherwise():
    assert guessing_accuracy(SIX_BALANCED) == pytest.approx(1 / 6)
    assert guessing_accuracy([90, 10]) == pytest.approx(0.9)
    with pytest.raises(ValueError):
        guessing_accuracy({"a": 0})


@pytest.mark.parametrize("accuracy, near", [(0.15, True), (0.18, True), (0.37, True),
                                            (0.38, False), (0.60, False), (0.99, False)])
def test_six_balanced_classes_are_near_chance_below_a_quarter_of_the_way_to_perfect(
        accuracy, near):
    check = chance_check({"accuracy": accuracy, "per_class_support": SIX_BALANCED})
    assert check is not None
    assert check.guessing == pytest.approx(1 / 6)
    assert check.accuracy == accuracy
    assert check.near_chance is near


def test_an_unbalanced_test_set_compares_with_always_answering_the_majority():
    support = {"healthy": 900, "ill": 100}
    assert chance_check({"accuracy": 0.91, "per_class_support": support}).near_chance
    assert not chance_check({"accuracy": 0.95, "per_class_support": support}).near_chance


@pytest.mark.parametrize("metrics", [None, {}, {"accuracy": 0.2},
                                     {"accuracy": None, "per_class_support": SIX_BALANCED},
                                     {"accuracy": 0.2, "per_class_support": {"a": 0}}])
def test_no_verdict_without_an_accuracy_or_class_counts(metrics):
    assert chance_check(metrics) is None
