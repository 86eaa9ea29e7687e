"""A run's test predictions, read back from ``evaluation.npz`` for the results pages."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from cnnviz.atomic import read_json
from cnnviz.datasets.dataset import Dataset
from cnnviz.errors import NoEvaluationError
from cnnviz.runs.folder import RunFolder


@dataclass(frozen=True)
class Evaluation:
    """What the worker wrote after training: labels, probabilities and embeddings.

    Row ``i`` describes image ``sample_indices[i]`` of the evaluated split (the test split, or
    the validation split of a dataset without one).
    """

    y_true: np.ndarray  # (n,) int64
    y_prob: np.ndarray  # (n, classes) float32, rows sum to 1
    sample_indices: np.ndarray  # (n,) rows of the evaluated split
    embedding_rows: np.ndarray  # (m,) rows of y_true whose embeddings were kept
    embeddings: np.ndarray  # (m, features) penultimate-layer outputs
    class_names: list[str]
    train_counts: np.ndarray | None  # (classes,) training images per class, if recorded
    split_name: str

    @cached_property
    def y_pred(self) -> np.ndarray:
        return self.y_prob.argmax(axis=1)

    @cached_property
    def mistakes(self) -> np.ndarray:
        """Rows the model got wrong."""
        return np.flatnonzero(self.y_pred != self.y_true)

    @cached_property
    def confidence(self) -> np.ndarray:
        """Probability of the predicted class."""
        return self.y_prob.max(axis=1)

    @cached_property
    def true_probability(self) -> np.ndarray:
        """Probability the model gave to the right class."""
        return self.y_prob[np.arange(len(self.y_true)), self.y_true]

    @property
    def num_classes(self) -> int:
        return len(self.class_names)


def load_evaluation(run_dir: Path) -> Evaluation:
    """Read ``evaluation.npz`` of a run folder; runs written before class names were stored
    take them from ``metrics.json``."""
    path = RunFolder(run_dir).evaluation
    if not path.exists():
        raise NoEvaluationError("error.evaluation_data.run_no_test_results", run_id=run_dir.name)
    with np.load(path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    if "class_names" in arrays:
        class_names = [str(name) for name in arrays["class_names"]]
    else:
        final_metrics = read_json(RunFolder(run_dir).final_metrics, {})
        class_names = list(final_metrics.get("per_class_accuracy", {}))
    if len(class_names) != arrays["y_prob"].shape[1]:
        raise NoEvaluationError(
            "error.evaluation_data.run_test_results_without", run_id=run_dir.name)
    return Evaluation(
        y_true=arrays["y_true"].astype(np.int64),
        y_prob=arrays["y_prob"].astype(np.float32),
        sample_indices=arrays["sample_indices"].astype(np.int64),
        embedding_rows=arrays["embedding_rows"].astype(np.int64),
        embeddings=arrays["embeddings"],
        class_names=class_names,
        train_counts=arrays.get("train_counts"),
        split_name=str(arrays.get("split_name", "test")),
    )


def row_images(dataset: Dataset, evaluation: Evaluation, rows: np.ndarray) -> np.ndarray:
    """The prepared images (k, height, width, channels) uint8 of some prediction rows, read
    from the dataset the run was trained on."""
    split = dataset.split(evaluation.split_name)
    return split.batch(evaluation.sample_indices[np.asarray(rows, dtype=np.int64)])


def shown_rows(evaluation: Evaluation, only_mistakes: bool) -> np.ndarray:
    """Test rows a student can step through: every one, or only those the network got wrong."""
    return evaluation.mistakes if only_mistakes else np.arange(len(evaluation.y_true))
