"""A run's real Keras model on an uploaded image: prepared like the training images, classified,
and placed on the run's t-SNE map."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from cnnviz import runs
from cnnviz.analysis.evaluation_data import load_evaluation
from cnnviz.analysis.maps import feature_map, place_on_feature_map
from cnnviz.datasets import load_dataset
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.errors import ImageError, NoEvaluationError
from cnnviz.models.build import build_model
from cnnviz.models.spec import ModelSpec
from cnnviz.training.callbacks import save_model
from cnnviz.training.evaluation import evaluate_run
from cnnviz.training.inference import load_run_model
from tests.helpers.run_folders import make_run

SHAPES = DatasetSpec(source="shapes", shapes_per_class=30, image_size=(16, 16))


@pytest.fixture
def trained_run(tmp_path, monkeypatch, data_dir):
    """A finished run whose model.keras and evaluation.npz come from a real (untrained) model."""
    monkeypatch.setenv("CNNVIZ_RUNS_DIR", str(tmp_path / "runs"))
    run_id = make_run("finished", dataset=SHAPES)
    dataset = load_dataset(SHAPES)
    model = build_model(ModelSpec(architecture="fashion_cnn"), dataset.image_shape,
                        dataset.num_classes, seed=0).model
    folder = runs.run_path(run_id)
    save_model(model, folder / "model.keras")
    evaluate_run(folder, model, dataset, outputs_logits=False, batch_size=32)
    return run_id, dataset


def png_bytes(size=(40, 60), colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_upload_is_classified_and_placed_on_the_map(trained_run) -> None:
    run_id, dataset = trained_run
    model = load_run_model(run_id, dataset.train.image_format)
    image = model.prepare(png_bytes())
    assert image.shape == dataset.image_shape and image.dtype == np.uint8
    features, probabilities = model.predict(image[None])
    assert probabilities.shape == (1, 6)
    np.testing.assert_allclose(probabilities.sum(), 1.0, rtol=1e-5)
    evaluation = load_evaluation(runs.run_path(run_id))
    assert features.shape[1] == evaluation.embeddings.shape[1]
    # The same test image run again lands where the evaluation put it, give or take t-SNE.
    rows, coordinates = feature_map(runs.run_path(run_id), evaluation, count=30)
    again, _ = model.predict(dataset.test.batch(evaluation.sample_indices[rows[:1]]))
    np.testing.assert_allclose(again[0], evaluation.embeddings[
        np.flatnonzero(evaluation.embedding_rows == rows[0])[0]], rtol=1e-4, atol=1e-5)
    placed = place_on_feature_map(evaluation, coordinates, np.vstack([features, again]))
    assert placed.shape == (2, 2) and np.isfinite(placed).all()
    spread = coordinates.max(axis=0) - coordinates.min(axis=0)
    assert np.all(np.abs(placed - coordinates.mean(axis=0)) < 2 * spread)


def test_bad_uploads_and_missing_models_are_typed_errors(trained_run, tmp_path) -> None:
    run_id, dataset = trained_run
    model = load_run_model(run_id, dataset.train.image_format)
    with pytest.raises(ImageError):
        model.prepare(b"not an image at all")
    runs.run_folder(run_id).model.unlink()
    with pytest.raises(NoEvaluationError):
        load_run_model(run_id, dataset.train.image_format)
