"""Classification metrics of a run's test predictions, computed with scikit-learn.

The numbers a student compares with the reports: accuracy, top-k accuracy (report B), macro
and weighted precision/recall/F1 (reports B and E), one-vs-rest ROC AUC (report B) and
per-class accuracy (report C's best and worst classes).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def classification_metrics(
    y_true: np.ndarray, y_prob: np.ndarray, class_names: list[str]
) -> dict[str, Any]:
    """Every summary metric of predictions ``y_prob`` (n, classes) against labels ``y_true``."""
    from sklearn.metrics import (
        accuracy_score,
        confusion_matrix,
        precision_recall_fscore_support,
        roc_auc_score,
        top_k_accuracy_score,
    )

    num_classes = len(class_names)
    labels = np.arange(num_classes)
    y_pred = y_prob.argmax(axis=1)
    result: dict[str, Any] = {
        "test_images": int(len(y_true)),
        "accuracy": float(accuracy_score(y_true, y_pred)),
    }
    for k in (3, 5):
        if num_classes > k:
            result[f"top{k}_accuracy"] = float(
                top_k_accuracy_score(y_true, y_prob, k=k, labels=labels)
            )
    for average in ("macro", "weighted"):
        precision, recall, f1, _ = precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=average, zero_division=0
        )
        result[f"{average}_precision"] = float(precision)
        result[f"{average}_recall"] = float(recall)
        result[f"{average}_f1"] = float(f1)
    result["roc_auc"] = _roc_auc(y_true, y_prob, labels, roc_auc_score)
    matrix = confusion_matrix(y_true, y_pred, labels=labels)
    support = matrix.sum(axis=1)
    per_class = np.divide(np.diag(matrix), support, out=np.full(num_classes, np.nan),
                          where=support > 0)
    result["per_class_accuracy"] = {
        name: (None if math.isnan(value) else float(value))
        for name, value in zip(class_names, per_class)
    }
    result["per_class_support"] = {name: int(count) for name, count in zip(class_names, support)}
    return result


def _roc_auc(y_true, y_prob, labels, roc_auc_score) -> float | None:
    """One-vs-rest macro AUC over the classes present in the test set (None if undefined)."""
    present = np.unique(y_true)
    if len(present) < 2:
        return None
    if len(labels) == 2:
        return float(roc_auc_score(y_true, y_prob[:, 1]))
    if len(present) < len(labels):
        # scikit-learn needs every class present; score the present ones on renormalised columns.
        columns = y_prob[:, present]
        columns = columns / np.clip(columns.sum(axis=1, keepdims=True), 1e-12, None)
        return float(roc_auc_score(y_true, columns, multi_class="ovr", labels=present))
    return float(roc_auc_score(y_true, y_prob, multi_class="ovr", labels=labels))


def roc_curves(
    y_true: np.ndarray, y_prob: np.ndarray, class_names: list[str]
) -> dict[str, tuple[np.ndarray, np.ndarray, float]]:
    """One-vs-rest ROC curve (false positive rate, true positive rate, AUC) of every class
    present in the test split with at least one other class beside it."""
    from sklearn.metrics import auc, roc_curve

    curves = {}
    classes = [1] if len(class_names) == 2 else range(len(class_names))
    for label in classes:
        positives = y_true == label
        if positives.all() or not positives.any():
            continue
        false_rate, true_rate, _ = roc_curve(positives, y_prob[:, label])
        curves[class_names[label]] = (false_rate, true_rate, float(auc(false_rate, true_rate)))
    return curves


def binary_report(y_true: np.ndarray, y_prob: np.ndarray) -> dict[str, float]:
    """Report E's table for one attribute: accuracy, precision, recall and F1 of class 1."""
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    y_pred = y_prob.argmax(axis=1)
    precision, recall, f1, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=[1], average="binary", pos_label=1, zero_division=0
    )
    return {"accuracy": float(accuracy_score(y_true, y_pred)), "precision": float(precision),
            "recall": float(recall), "f1": float(f1)}
