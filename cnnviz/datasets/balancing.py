"""Evening out unbalanced classes in the training split (reports A, B and E fought this).

Oversampling returns an order of indices with repeats instead of copied images, so balancing
a large dataset costs no memory; augmentation then makes the repeats differ.
"""

from __future__ import annotations

import numpy as np


def training_order(labels: np.ndarray, mode: str, seed: int) -> np.ndarray:
    """Indices into the training split to use for one pass, after balancing.

    ``none`` and ``class_weights`` keep every image once; ``undersample`` keeps as many of each
    class as the rarest class has; ``oversample`` repeats images of rare classes until each
    class has as many as the most common one.
    """
    if mode in ("none", "class_weights"):
        return np.arange(len(labels))
    rng = np.random.default_rng(seed)
    present = np.unique(labels)
    per_class = [np.flatnonzero(labels == label) for label in present]
    if mode == "undersample":
        target = min(len(indices) for indices in per_class)
        chosen = [rng.choice(indices, target, replace=False) for indices in per_class]
    elif mode == "oversample":
        target = max(len(indices) for indices in per_class)
        chosen = [
            np.concatenate([indices, rng.choice(indices, target - len(indices), replace=True)])
            for indices in per_class
        ]
    else:
        raise ValueError(f"Unknown balancing mode {mode!r}")
    return np.sort(np.concatenate(chosen))


def class_weights(labels: np.ndarray, num_classes: int) -> dict[int, float]:
    """Keras ``class_weight``: ``n / (k * count)``, so every class weighs the same in the loss.

    The same formula as scikit-learn's ``compute_class_weight("balanced")``; a class with no
    training image gets weight 0 (it never appears, so its weight never applies).
    """
    counts = np.bincount(labels, minlength=num_classes).astype(np.float64)
    present = int(np.count_nonzero(counts))
    weights = np.zeros(num_classes)
    np.divide(len(labels), present * counts, out=weights, where=counts > 0)
    return {label: float(weight) for label, weight in enumerate(weights)}
