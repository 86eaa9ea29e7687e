"""Evaluating a trained model on the test split: probabilities, embeddings, metrics.

``evaluation.npz`` keeps the raw material of every results view (confusion matrix, examples,
t-SNE), so the pages never run the model again to draw them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keras
import numpy as np

from cnnviz.analysis.metrics import classification_metrics
from cnnviz.atomic import write_with_atomic
from cnnviz.datasets.dataset import Dataset, Split
from cnnviz.datasets.dropped import DroppedImages, dropped_summary
from cnnviz.errors import ImageError
from cnnviz.runs.folder import RunFolder

# Embeddings kept for the t-SNE view: enough for a readable map, bounded in size.
MAX_EMBEDDINGS = 10_000


def evaluation_split(dataset: Dataset) -> tuple[str, Split]:
    """The test split, or the validation split when the dataset has no test images."""
    if len(dataset.test):
        return "test", dataset.test
    return "validation", dataset.validation


def predict_split(
    model: keras.Model, split: Split, outputs_logits: bool, batch_size: int,
    split_name: str = "test", dropped: DroppedImages | None = None,
) -> dict[str, np.ndarray]:
    """Probabilities (n, classes) and embeddings (n, features) of every readable image.

    Images are prepared by the split itself (the same path as training); one that can no
    longer be decoded is left out and recorded in ``dropped``, and ``indices`` says which
    images the rows belong to.
    """
    probe = embedding_probe(model)
    dropped = dropped if dropped is not None else DroppedImages()
    indices, probabilities, embeddings = [], [], []
    for start in range(0, len(split), batch_size):
        chunk = np.arange(start, min(start + batch_size, len(split)))
        chunk, images = _readable(split, chunk, split_name, dropped)
        if not len(chunk):
            continue
        features, outputs = probe_images(probe, images, outputs_logits)
        indices.append(chunk)
        probabilities.append(outputs)
        embeddings.append(features)
    return {
        "indices": np.concatenate(indices),
        "y_prob": np.concatenate(probabilities),
        "embeddings": np.concatenate(embeddings),
    }


def embedding_probe(model: keras.Model) -> keras.Model:
    """The model with a second output: its ``embedding`` layer (the penultimate one)."""
    return keras.Model(model.inputs, [model.get_layer("embedding").output, model.output])


def probe_images(
    probe: keras.Model, images: np.ndarray, outputs_logits: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings (k, features) and probabilities (k, classes), float32, of prepared images
    (k, height, width, channels) uint8 — a test batch or an image a student uploaded."""
    features, outputs = probe([images.astype(np.float32)], training=False)
    outputs = keras.ops.softmax(outputs) if outputs_logits else outputs
    return (keras.ops.convert_to_numpy(features).reshape(len(images), -1).astype(np.float32),
            keras.ops.convert_to_numpy(outputs).astype(np.float32))


def evaluate_run(
    run_dir: Path, model: keras.Model, dataset: Dataset, outputs_logits: bool, batch_size: int,
    seed: int = 0, dropped: DroppedImages | None = None,
) -> dict[str, Any]:
    """Write ``evaluation.npz`` and return the metrics (the caller writes ``metrics.json``).

    ``dropped`` holds the images training could not decode: the training counts per class
    leave them out, and the evaluated images that cannot be decoded are added to it.
    """
    dropped = dropped if dropped is not None else DroppedImages()
    split_name, split = evaluation_split(dataset)
    predicted = predict_split(model, split, outputs_logits, batch_size, split_name, dropped)
    y_true = split.labels[predicted["indices"]]
    rng = np.random.default_rng(seed)
    keep = np.arange(len(y_true))
    if len(keep) > MAX_EMBEDDINGS:
        keep = np.sort(rng.choice(keep, MAX_EMBEDDINGS, replace=False))
    arrays = dict(
        y_true=y_true,
        y_prob=predicted["y_prob"],
        sample_indices=predicted["indices"],
        embedding_rows=keep,
        embeddings=predicted["embeddings"][keep],
        class_names=np.array(dataset.class_names, dtype=str),
        train_counts=(np.bincount(dataset.train.labels, minlength=dataset.num_classes)
                      - dropped.per_class("train", dataset.num_classes)),
        split_name=np.array(split_name),
    )
    # A unique temporary name: the command line may evaluate while a page reads the file.
    write_with_atomic(RunFolder(run_dir).evaluation,
                      lambda temporary: np.savez(temporary, **arrays))
    metrics = classification_metrics(y_true, predicted["y_prob"], dataset.class_names)
    metrics["evaluated_on"] = split_name
    return metrics


def _readable(
    split: Split, chunk: np.ndarray, split_name: str, dropped: DroppedImages
) -> tuple[np.ndarray, np.ndarray]:
    """The images of ``chunk`` that still decode, and their indices; the others are recorded."""
    try:
        return chunk, split.batch(chunk)
    except ImageError:
        kept, images = [], []
        for index in chunk:
            try:
                images.append(split.image(int(index)))
                kept.append(index)
            except ImageError as error:
                dropped.record(split_name, int(index), int(split.labels[index]),
                               split.item_name(int(index)), str(error))
        if not kept:
            return np.array([], dtype=np.int64), np.empty((0, *split.image_format.shape))
        return np.array(kept), np.stack(images)


def evaluate_saved_run(run_id: str) -> dict[str, Any]:
    """Evaluate a run's saved best model again (e.g. an interrupted run) and rewrite its
    ``evaluation.npz`` and ``metrics.json``; previous training figures are kept."""
    from cnnviz import runs
    from cnnviz.atomic import read_json, write_json_atomic
    from cnnviz.datasets import load_dataset
    from cnnviz.errors import CnnvizError
    from cnnviz.models.registry import ARCHITECTURES
    from cnnviz.models.saved import load_saved_model

    folder = runs.run_folder(run_id)
    run_dir, model_file, dropped_file = folder.path, folder.model, folder.dropped_images
    if not model_file.exists():
        raise CnnvizError("error.evaluation.run_no_saved_model", run_id=run_id)
    config = runs.read_config(run_id)
    model = load_saved_model(model_file)
    metrics = read_json(folder.final_metrics, {})
    dataset, dropped = load_dataset(config.dataset), DroppedImages.read(dropped_file)
    metrics.update(evaluate_run(
        run_dir, model, dataset, ARCHITECTURES[config.model.architecture].outputs_logits,
        config.training.batch_size, config.training.seed, dropped,
    ))
    summary = dropped_summary(dropped, dataset)
    if dropped.items():
        dropped.write(dropped_file)
    runs.update_status(run_id, **summary)
    metrics.update(summary)
    write_json_atomic(folder.final_metrics, metrics)
    return metrics
