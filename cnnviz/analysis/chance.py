"""Has the network learnt anything? Test accuracy against what guessing would score.

A student's first run that sits at 17 % on six classes looks like a working network on every
page (a confusion matrix, feature maps, a top-5 prediction), and the lesson fails without a word.
The pages say it instead, from the numbers the worker wrote into ``metrics.json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# A run counts as "not learnt yet" while it has closed less than this share of the distance
# from guessing to a perfect score: on six balanced classes (17 % by guessing) that is below
# 38 %, on ten (10 %) below 33 %, on two (50 %) below 62.5 %.
NEAR_CHANCE_SHARE = 0.25


@dataclass(frozen=True)
class ChanceCheck:
    """A finished run's test accuracy beside the accuracy of always guessing the commonest
    test class."""

    accuracy: float
    guessing: float
    near_chance: bool


def guessing_accuracy(class_counts: Mapping[str, int] | list[int]) -> float:
    """The accuracy of always answering the most frequent class: 1 / classes when balanced."""
    counts = list(class_counts.values()) if isinstance(class_counts, Mapping) else list(class_counts)
    total = sum(counts)
    if total <= 0:
        raise ValueError("Guessing needs at least one counted image")
    return max(counts) / total


def chance_check(metrics: Mapping[str, Any] | None) -> ChanceCheck | None:
    """Compare a run's ``metrics.json`` with guessing; None when it holds no accuracy or no
    per-class counts (a GAN, a run still training, a run from before the counts were kept)."""
    if not metrics or metrics.get("accuracy") is None:
        return None
    support = metrics.get("per_class_support") or {}
    if not support or sum(support.values()) <= 0:
        return None
    accuracy = float(metrics["accuracy"])
    guessing = guessing_accuracy(support)
    threshold = guessing + NEAR_CHANCE_SHARE * (1.0 - guessing)
    return ChanceCheck(accuracy=accuracy, guessing=guessing, near_chance=accuracy < threshold)
