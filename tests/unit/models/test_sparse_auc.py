"""The AUC logged every epoch: scikit-learn's micro-averaged ROC AUC, from probabilities or
logits, and it survives saving a compiled model."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from cnnviz.models.layers import SparseAUC


def predictions(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 4, 400)
    probabilities = rng.dirichlet(np.ones(4), 400)
    probabilities[np.arange(400), labels] += 0.4
    return labels, probabilities / probabilities.sum(axis=1, keepdims=True)


def micro_auc(labels: np.ndarray, probabilities: np.ndarray) -> float:
    return roc_auc_score(np.eye(probabilities.shape[1])[labels].ravel(), probabilities.ravel())


@pytest.mark.parametrize("from_logits", [False, True])
def test_matches_scikit_learn(from_logits) -> None:
    labels, probabilities = predictions()
    metric = SparseAUC(4, from_logits=from_logits, num_thresholds=2000)
    metric.update_state(labels[:, np.newaxis], np.log(probabilities) if from_logits
                        else probabilities)
    assert float(metric.result()) == pytest.approx(micro_auc(labels, probabilities), abs=1e-3)


def test_a_compiled_model_with_it_saves_and_loads(tmp_path) -> None:
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(4, activation="softmax")(inputs))
    model.compile("adam", "sparse_categorical_crossentropy", metrics=[SparseAUC(4)])
    model.fit(np.zeros((8, 3)), np.arange(8) % 4, epochs=1, verbose=0)
    model.save(tmp_path / "model.keras")
    loaded = keras.saving.load_model(tmp_path / "model.keras", safe_mode=True)
    results = loaded.evaluate(np.zeros((8, 3)), np.arange(8) % 4, return_dict=True, verbose=0)
    assert 0.0 <= results["auc"] <= 1.0
