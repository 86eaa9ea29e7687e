"""Per-class results: which classes the network learned and which it did not.

Report C listed its 10 best and 10 worst of 250 classes; putting each class's accuracy beside
its number of training images tells whether a weak class is a data problem.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def per_class_table(
    y_true: np.ndarray, y_pred: np.ndarray, class_names: list[str],
    train_counts: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per class: test images, accuracy (= recall), precision, F1 and, when known,
    training images. Classes absent from the test split have no accuracy (NaN)."""
    from sklearn.metrics import precision_recall_fscore_support

    labels = np.arange(len(class_names))
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    table = pd.DataFrame({
        "class": class_names,
        "test_images": support.astype(int),
        "accuracy": np.where(support > 0, recall, np.nan),
        "precision": precision,
        "recall": np.where(support > 0, recall, np.nan),
        "f1": f1,
    })
    if train_counts is not None:
        table["train_images"] = np.asarray(train_counts, dtype=int)
    return table


# Report C's lists were 10 and 10 of 250 classes; with few classes the two lists would share
# classes, so each list takes at most half of them, and no more than 5 below 20 classes.
LONG_LISTS_FROM = 20
# A class with at least this share of the largest class's training images counts as balanced.
BALANCED_SHARE = 0.8


def listed_classes(class_count: int) -> int:
    """How many classes each of the best and worst lists shows (they never overlap)."""
    return 10 if class_count >= LONG_LISTS_FROM else min(5, class_count // 2)


def best_and_worst(table: pd.DataFrame,
                   count: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``count`` classes with the highest and the lowest accuracy (ties by name); by
    default :func:`listed_classes` of the classes with test images."""
    scored = table.dropna(subset=["accuracy"]).sort_values(["accuracy", "class"],
                                                           ascending=[False, True])
    count = listed_classes(len(scored)) if count is None else count
    best = scored.head(count).reset_index(drop=True)
    worst = scored.iloc[::-1].head(count).reset_index(drop=True)
    return best, worst


def training_data_varies(table: pd.DataFrame) -> bool:
    """Whether classes had clearly different amounts of training images: only then does
    accuracy against that amount say anything (on balanced data it is one column of dots)."""
    if "train_images" not in table or table["train_images"].max() <= 0:
        return False
    return bool(table["train_images"].min() < BALANCED_SHARE * table["train_images"].max())


def training_image_range(table: pd.DataFrame) -> tuple[int, int]:
    """The fewest and the most training images of any class in ``table``."""
    return int(table["train_images"].min()), int(table["train_images"].max())
