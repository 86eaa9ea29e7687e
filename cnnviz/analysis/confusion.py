"""The confusion matrix and what a teacher reads from it: which classes are mixed up, and
which test images sit in each cell.

Report A printed it as percentages of all test images; per-row normalisation shows each class's
recall; with 250 classes (report C) only an ordering that puts confused classes side by side and
a ranked list of pairs keep it readable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NORMALISATIONS = ("counts", "recall", "percent")


def confusion_counts(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    """(classes, classes) counts; rows are true classes, columns predicted ones."""
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix


def normalise(matrix: np.ndarray, mode: str) -> np.ndarray:
    """``counts`` as is, ``recall`` as a share of each true class, ``percent`` of all images."""
    if mode not in NORMALISATIONS:
        raise ValueError(f"mode must be one of {NORMALISATIONS}, not {mode!r}")
    if mode == "counts":
        return matrix.astype(float)
    if mode == "percent":
        return 100.0 * matrix / max(int(matrix.sum()), 1)
    totals = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, totals, out=np.zeros(matrix.shape), where=totals > 0)


def confusion_order(matrix: np.ndarray) -> np.ndarray:
    """A class order that puts classes confused with each other next to each other.

    Average-linkage clustering of the symmetric confusion rate (how often a and b are mistaken
    for one another, as a share of their images); the leaves of the tree give the order.
    """
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    classes = len(matrix)
    if classes < 3:
        return np.arange(classes)
    rates = normalise(matrix, "recall")
    similarity = (rates + rates.T) / 2
    np.fill_diagonal(similarity, 0.0)
    distance = 1.0 - similarity / max(float(similarity.max()), 1e-12)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    return leaves_list(tree)


def most_confused_pairs(
    matrix: np.ndarray, class_names: list[str], limit: int = 20
) -> pd.DataFrame:
    """Off-diagonal cells ranked by count: true class, predicted class, images, share of the true
    class."""
    errors = matrix.astype(float).copy()
    np.fill_diagonal(errors, 0)
    flat = np.argsort(errors, axis=None, kind="stable")[::-1][:limit]
    rows, columns = np.unravel_index(flat, matrix.shape)
    kept = errors[rows, columns] > 0
    rows, columns = rows[kept], columns[kept]
    totals = matrix.sum(axis=1)
    table = pd.DataFrame({
        "true": [class_names[row] for row in rows],
        "predicted": [class_names[column] for column in columns],
        "images": matrix[rows, columns],
        "share": np.divide(matrix[rows, columns], totals[rows],
                           out=np.zeros(len(rows)), where=totals[rows] > 0),
    })
    return table


def cell_rows(
    y_true: np.ndarray, y_prob: np.ndarray, true_class: int, predicted_class: int
) -> np.ndarray:
    """Rows of the test predictions in one cell, the most confident prediction first."""
    y_pred = y_prob.argmax(axis=1)
    rows = np.flatnonzero((y_true == true_class) & (y_pred == predicted_class))
    return rows[np.argsort(-y_prob[rows, predicted_class], kind="stable")]


def class_order(matrix: np.ndarray, ordering: str) -> np.ndarray:
    """The classes' order in the drawn matrix: ``natural`` (as the dataset lists them) or
    ``confusion`` (classes often mistaken for each other side by side, see confusion_order)."""
    if ordering == "confusion":
        return confusion_order(matrix)
    if ordering == "natural":
        return np.arange(len(matrix))
    raise ValueError(f"Unknown class ordering {ordering!r}")
