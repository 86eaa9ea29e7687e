"""Confusion matrix, per-class table, examples, ROC and the evaluation file, checked against
scikit-learn and hand-made cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support, roc_auc_score

from cnnviz.analysis.confusion import (cell_rows, class_order, confusion_counts,
                                       confusion_order, most_confused_pairs, normalise)
from cnnviz.analysis.evaluation_data import Evaluation, load_evaluation, row_images, shown_rows
from cnnviz.analysis.examples import (confident_mistakes, examples, prediction_caption,
                                      top_predictions, typical_correct, unsure_correct)
from cnnviz.analysis.metrics import binary_report, roc_curves
from cnnviz.analysis.per_class import (best_and_worst, per_class_table, training_data_varies,
                                      training_image_range)
from cnnviz.errors import NoEvaluationError


def predictions(classes: int = 5, count: int = 400, seed: int = 0):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, classes, count)
    logits = rng.normal(0, 1, (count, classes))
    logits[np.arange(count), y_true] += 1.5
    y_prob = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return y_true, y_prob


def test_confusion_counts_match_scikit_learn() -> None:
    y_true, y_prob = predictions()
    y_pred = y_prob.argmax(axis=1)
    np.testing.assert_array_equal(confusion_counts(y_true, y_pred, 5),
                                  confusion_matrix(y_true, y_pred, labels=range(5)))


def test_normalisations() -> None:
    matrix = np.array([[8, 2, 0], [1, 1, 0], [0, 0, 0]])
    np.testing.assert_allclose(normalise(matrix, "recall"),
                               [[0.8, 0.2, 0], [0.5, 0.5, 0], [0, 0, 0]])
    np.testing.assert_allclose(normalise(matrix, "percent").sum(), 100.0)
    assert normalise(matrix, "percent")[0, 0] == pytest.approx(100 * 8 / 12)
    with pytest.raises(ValueError):
        normalise(matrix, "log")


def test_confusion_order_puts_confused_classes_side_by_side() -> None:
    # Classes 0 and 3 are mixed up, and 1 and 4: they must end up neighbours.
    matrix = np.diag([50, 50, 50, 50, 50])
    matrix[0, 3] = matrix[3, 0] = 20
    matrix[1, 4] = matrix[4, 1] = 15
    order = list(confusion_order(matrix))
    assert sorted(order) == [0, 1, 2, 3, 4]
    assert abs(order.index(0) - order.index(3)) == 1
    assert abs(order.index(1) - order.index(4)) == 1


def test_most_confused_pairs_ranks_off_diagonal_cells() -> None:
    matrix = np.array([[10, 4, 1], [0, 10, 7], [2, 0, 10]])
    pairs = most_confused_pairs(matrix, ["a", "b", "c"], limit=3)
    assert list(zip(pairs["true"], pairs["predicted"], pairs["images"])) == [
        ("b", "c", 7), ("a", "b", 4), ("c", "a", 2)]
    assert pairs["share"][0] == pytest.approx(7 / 17)
    assert len(most_confused_pairs(np.diag([3, 3]), ["a", "b"])) == 0


def test_cell_rows_are_that_cell_most_confident_first() -> None:
    y_true, y_prob = predictions()
    y_pred = y_prob.argmax(axis=1)
    rows = cell_rows(y_true, y_prob, 2, 1)
    assert set(rows) == set(np.flatnonzero((y_true == 2) & (y_pred == 1)))
    assert np.all(np.diff(y_prob[rows, 1]) <= 0)


def test_per_class_table_matches_scikit_learn() -> None:
    y_true, y_prob = predictions()
    y_pred = y_prob.argmax(axis=1)
    names = list("abcde")
    table = per_class_table(y_true, y_pred, names, train_counts=np.array([5, 4, 3, 2, 1]))
    precision, recall, f1, support = precision_recall_fscore_support(y_true, y_pred)
    np.testing.assert_allclose(table["precision"], precision)
    np.testing.assert_allclose(table["accuracy"], recall)
    np.testing.assert_allclose(table["f1"], f1)
    assert list(table["test_images"]) == list(support)
    assert list(table["train_images"]) == [5, 4, 3, 2, 1]


def test_best_and_worst_skip_classes_without_test_images() -> None:
    y_true = np.array([0, 0, 1, 1, 2, 2])
    y_pred = np.array([0, 0, 1, 0, 0, 0])
    table = per_class_table(y_true, y_pred, ["a", "b", "c", "d"])
    best, worst = best_and_worst(table, count=2)
    assert list(best["class"]) == ["a", "b"]
    assert list(worst["class"]) == ["c", "b"]
    assert np.isnan(table["accuracy"][3])


def test_best_and_worst_lists_never_share_a_class() -> None:
    for classes, listed in [(2, 1), (6, 3), (10, 5), (19, 5), (20, 10), (250, 10)]:
        y_true = np.repeat(np.arange(classes), 4)
        y_pred = np.where(np.arange(len(y_true)) % (classes + 1) == 0, 0, y_true)
        table = per_class_table(y_true, y_pred, [f"c{index}" for index in range(classes)])
        best, worst = best_and_worst(table)
        assert len(best) == len(worst) == listed
        assert not set(best["class"]) & set(worst["class"])


def test_accuracy_against_data_only_when_the_amounts_differ() -> None:
    y_true = np.arange(3)
    table = per_class_table(y_true, y_true, ["a", "b", "c"], train_counts=np.array([210, 199, 205]))
    assert not training_data_varies(table)
    table = per_class_table(y_true, y_true, ["a", "b", "c"], train_counts=np.array([500, 40, 205]))
    assert training_data_varies(table)
    assert not training_data_varies(per_class_table(y_true, y_true, ["a", "b", "c"]))


def test_examples_pick_the_right_images() -> None:
    y_true = np.array([0, 0, 1, 1, 1])
    y_prob = np.array([[0.9, 0.1], [0.2, 0.8], [0.45, 0.55], [0.1, 0.9], [0.7, 0.3]])
    assert list(confident_mistakes(y_true, y_prob)) == [1, 4]
    assert list(unsure_correct(y_true, y_prob)) == [2, 0, 3]
    assert list(typical_correct(y_true, y_prob)) == [0, 3]
    assert list(examples("confident_mistakes", y_true, y_prob, limit=1)) == [1]
    with pytest.raises(ValueError):
        examples("random", y_true, y_prob)


def test_top_predictions_and_caption() -> None:
    probabilities = np.array([0.1, 0.6, 0.3])
    assert top_predictions(probabilities, ["a", "b", "c"], 2) == [("b", 0.6), ("c", 0.3)]
    assert prediction_caption(probabilities, ["a", "b", "c"], 2) == "✗ c → b 60% · c 30% · a 10%"
    assert prediction_caption(probabilities, ["a", "b", "c"], 1).startswith("✓ b")


def test_roc_curves_give_scikit_learn_aucs() -> None:
    y_true, y_prob = predictions()
    curves = roc_curves(y_true, y_prob, list("abcde"))
    for label, name in enumerate("abcde"):
        assert curves[name][2] == pytest.approx(roc_auc_score(y_true == label, y_prob[:, label]))
    binary = roc_curves(np.array([0, 1, 1, 0]), np.array([[.8, .2], [.3, .7], [.4, .6], [.6, .4]]),
                        ["no", "yes"])
    assert list(binary) == ["yes"] and binary["yes"][2] == 1.0


def test_binary_report_is_report_e_table() -> None:
    y_true = np.array([1, 1, 1, 0, 0])
    y_prob = np.array([[0.2, 0.8], [0.3, 0.7], [0.9, 0.1], [0.4, 0.6], [0.8, 0.2]])
    report = binary_report(y_true, y_prob)
    assert report == pytest.approx({"accuracy": 0.6, "precision": 2 / 3, "recall": 2 / 3,
                                    "f1": 2 / 3})


def test_load_evaluation_and_images(tmp_path, monkeypatch, data_dir) -> None:
    from cnnviz.datasets import load_dataset
    from cnnviz.datasets.spec import DatasetSpec
    from cnnviz import runs
    from tests.helpers.run_folders import make_evaluated_run

    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    spec = DatasetSpec(source="shapes", shapes_per_class=20, image_size=(16, 16))
    run_id = make_evaluated_run(spec)
    evaluation = load_evaluation(runs.run_path(run_id))
    dataset = load_dataset(spec)
    assert evaluation.class_names == dataset.class_names
    assert evaluation.y_prob.shape == (len(dataset.test), 6)
    np.testing.assert_allclose(evaluation.y_prob.sum(axis=1), 1, rtol=1e-5)
    images = row_images(dataset, evaluation, np.array([3, 0]))
    np.testing.assert_array_equal(images, dataset.test.batch(np.array([3, 0])))
    assert evaluation.true_probability[0] == evaluation.y_prob[0, evaluation.y_true[0]]
    with pytest.raises(NoEvaluationError):
        load_evaluation(tmp_path)


def test_flatten_and_differences() -> None:
    from cnnviz.analysis.comparison import differing_rows, display_value, flatten

    flat = flatten({"training": {"epochs": 5, "rates": [1, 2]}, "name": "x", "blocks": ()})
    assert flat == {"training.epochs": 5, "training.rates": "(1, 2)", "name": "x", "blocks": ""}
    table = pd.DataFrame({"a": {"epochs": 5, "rate": 0.001}, "b": {"epochs": 5, "rate": 0.01}})
    assert list(differing_rows(table)) == [False, True]
    assert [display_value(value) for value in (None, float("nan"), 0.123456, True)] == [
        "—", "—", "0.1235", "True"]


def test_comparison_table_of_two_runs(tmp_path, monkeypatch, data_dir) -> None:
    from cnnviz import runs
    from cnnviz.analysis.comparison import comparison_table, differing_rows
    from cnnviz.datasets.spec import DatasetSpec
    from tests.helpers.run_folders import make_evaluated_run

    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    first = make_evaluated_run(DatasetSpec(source="shapes", shapes_per_class=20,
                                           image_size=(16, 16)), name="small", accuracy=0.5)
    second = make_evaluated_run(DatasetSpec(source="shapes", shapes_per_class=20,
                                            image_size=(24, 24)), name="large", accuracy=0.9)
    table = comparison_table([first, second])
    assert list(table.columns) == [f"small ({first})", f"large ({second})"]
    differs = table[differing_rows(table)].index
    assert "dataset.image_size" in differs and "result.accuracy" in differs
    assert "training.epochs" in table.index and "training.epochs" not in differs
    assert table.loc["result.accuracy"].iloc[1] == runs.read_final_metrics(second)["accuracy"]


def test_the_matrix_is_drawn_in_the_natural_or_the_confusion_order() -> None:
    counts = np.array([[5, 0, 3], [0, 6, 0], [4, 0, 5]])
    assert list(class_order(counts, "natural")) == [0, 1, 2]
    assert list(class_order(counts, "confusion")) == list(confusion_order(counts))
    with pytest.raises(ValueError):
        class_order(counts, "alphabetical")


def test_the_fewest_and_most_training_images_of_a_class() -> None:
    table = pd.DataFrame({"class": ["a", "b", "c"], "train_images": [40, 38, 41]})
    assert training_image_range(table) == (38, 41)


def test_a_student_steps_through_every_test_image_or_only_the_mistakes() -> None:
    evaluation = Evaluation(
        y_true=np.array([0, 1, 1, 0]), y_prob=np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7],
                                                        [0.4, 0.6]], np.float32),
        sample_indices=np.arange(4), embedding_rows=np.arange(0), embeddings=np.zeros((0, 2)),
        class_names=["a", "b"], train_counts=None, split_name="test")
    assert list(shown_rows(evaluation, only_mistakes=False)) == [0, 1, 2, 3]
    assert list(shown_rows(evaluation, only_mistakes=True)) == [1, 3]
