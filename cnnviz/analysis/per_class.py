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


def best_and_worst(table: pd.DataFrame, count: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``count`` classes with the highest and the lowest accuracy (ties by name)."""
    scored = table.dropna(subset=["accuracy"]).sort_values(["accuracy", "class"],
                                                           ascending=[False, True])
    best = scored.head(count).reset_index(drop=True)
    worst = scored.iloc[::-1].head(count).reset_index(drop=True)
    return best, worst
