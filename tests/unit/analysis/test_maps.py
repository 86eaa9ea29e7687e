"""The embedding page's maps: sampled rows, raw-pixel features, colours, cache in the run."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz import runs
from cnnviz.analysis import maps
from cnnviz.analysis.evaluation_data import load_evaluation
from cnnviz.datasets import load_dataset
from cnnviz.datasets.spec import DatasetSpec
from tests.helpers.run_folders import make_evaluated_run

SHAPES = DatasetSpec(source="shapes", shapes_per_class=40, image_size=(16, 16))


@pytest.fixture
def evaluated(tmp_path, monkeypatch, data_dir):
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    run_id = make_evaluated_run(SHAPES, accuracy=0.75)
    return runs.run_path(run_id), load_evaluation(runs.run_path(run_id))


def test_pixel_features_average_blocks_down_to_the_side() -> None:
    images = np.zeros((2, 64, 64, 3), dtype=np.uint8)
    images[:, :2, :2] = 255
    features = maps.pixel_features(images, side=32)
    assert features.shape == (2, 32 * 32 * 3)
    assert features[0, :3].tolist() == [1.0, 1.0, 1.0] and features[0, 3:].max() == 0.0
    assert maps.pixel_features(np.full((1, 8, 8, 1), 51, np.uint8)).shape == (1, 64)


def test_groups_labels_and_error_rate(evaluated) -> None:
    _, evaluation = evaluated
    rows = np.arange(len(evaluation.y_true))
    truth = maps.point_groups(evaluation, rows, "true")
    assert truth == [evaluation.class_names[label] for label in evaluation.y_true]
    right_or_wrong = maps.point_groups(evaluation, rows, "correct", "yes", "no")
    wrong = np.flatnonzero(evaluation.y_true != evaluation.y_pred)
    assert [right_or_wrong[row] for row in wrong] == ["no"] * len(wrong)
    assert maps.error_rate(evaluation, rows) == pytest.approx(len(wrong) / len(rows))
    assert maps.error_rate(evaluation, rows[:0]) == 0.0
    assert "→" in maps.point_labels(evaluation, rows[:1])[0]
    with pytest.raises(ValueError):
        maps.point_groups(evaluation, rows, "size")


def test_feature_map_is_cached_in_the_run_folder(evaluated, monkeypatch) -> None:
    folder, evaluation = evaluated
    rows, coordinates = maps.feature_map(folder, evaluation, count=20)
    assert len(rows) == 20 and coordinates.shape == (20, 2)
    assert set(rows) <= set(evaluation.embedding_rows)
    assert (folder / "tsne-features-20.npz").exists()

    def no_recomputing(*args, **kwargs):
        raise AssertionError("the cached map must be reused")

    monkeypatch.setattr("cnnviz.analysis.embedding.tsne_map", no_recomputing)
    again_rows, again = maps.feature_map(folder, evaluation, count=20)
    np.testing.assert_array_equal(again_rows, rows)
    np.testing.assert_array_equal(again, coordinates)


def test_pixel_map_maps_the_same_images(evaluated) -> None:
    folder, evaluation = evaluated
    rows, _ = maps.feature_map(folder, evaluation, count=30)
    pixels = maps.pixel_map(folder, load_dataset(SHAPES), evaluation, rows)
    assert pixels.shape == (30, 2) and np.isfinite(pixels).all()
    assert (folder / "tsne-pixels-30.npz").exists()
