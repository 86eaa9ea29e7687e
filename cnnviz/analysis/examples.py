"""Test images worth looking at: report C's hard and easy cases.

Every function returns rows of the test predictions; the page fetches their images.
"""

from __future__ import annotations

import numpy as np

EXAMPLE_KINDS = ("confident_mistakes", "unsure_correct", "typical_correct")


def confident_mistakes(y_true: np.ndarray, y_prob: np.ndarray, limit: int = 24) -> np.ndarray:
    """Wrong predictions made with the highest confidence: label noise or true look-alikes."""
    y_pred = y_prob.argmax(axis=1)
    rows = np.flatnonzero(y_pred != y_true)
    return rows[np.argsort(-y_prob[rows, y_pred[rows]], kind="stable")][:limit]


def unsure_correct(y_true: np.ndarray, y_prob: np.ndarray, limit: int = 24) -> np.ndarray:
    """Right predictions with the lowest confidence: the images on a decision boundary."""
    y_pred = y_prob.argmax(axis=1)
    rows = np.flatnonzero(y_pred == y_true)
    return rows[np.argsort(y_prob[rows, y_pred[rows]], kind="stable")][:limit]


def typical_correct(y_true: np.ndarray, y_prob: np.ndarray, per_class: int = 1) -> np.ndarray:
    """For every class, its ``per_class`` most confidently right images: what the network
    thinks the class looks like."""
    y_pred = y_prob.argmax(axis=1)
    chosen = []
    for label in np.unique(y_true):
        rows = np.flatnonzero((y_true == label) & (y_pred == label))
        chosen.append(rows[np.argsort(-y_prob[rows, label], kind="stable")][:per_class])
    return np.concatenate(chosen) if chosen else np.array([], dtype=np.int64)


def examples(kind: str, y_true: np.ndarray, y_prob: np.ndarray, limit: int = 24) -> np.ndarray:
    """Rows of one of ``EXAMPLE_KINDS``."""
    if kind == "confident_mistakes":
        return confident_mistakes(y_true, y_prob, limit)
    if kind == "unsure_correct":
        return unsure_correct(y_true, y_prob, limit)
    if kind == "typical_correct":
        per_class = max(1, limit // max(len(np.unique(y_true)), 1))
        return typical_correct(y_true, y_prob, per_class)[:limit]
    raise ValueError(f"kind must be one of {EXAMPLE_KINDS}, not {kind!r}")


def top_predictions(probabilities: np.ndarray, class_names: list[str], k: int = 3
                    ) -> list[tuple[str, float]]:
    """The ``k`` most probable classes of one image, most probable first."""
    order = np.argsort(-probabilities, kind="stable")[:k]
    return [(class_names[index], float(probabilities[index])) for index in order]


def prediction_caption(probabilities: np.ndarray, class_names: list[str], true_label: int,
                       k: int = 3) -> str:
    """One line under an image: the true class, then the top-``k`` classes with their
    probabilities; a right first guess is marked with a tick, a wrong one with a cross."""
    mark = "✓" if int(np.argmax(probabilities)) == true_label else "✗"
    return f"{mark} {class_names[true_label]} → {prediction_text(probabilities, class_names, k)}"


def prediction_text(probabilities: np.ndarray, class_names: list[str], k: int = 3) -> str:
    """The top-``k`` classes with their probabilities: ``shirt 81% · T-shirt 15% · coat 2%``."""
    return " · ".join(f"{name} {probability:.0%}"
                      for name, probability in top_predictions(probabilities, class_names, k))
