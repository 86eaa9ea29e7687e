"""A run as a TensorBoard log folder, written with TensorBoard's own writer (``tf.summary``).

The layout is the one Keras' ``TensorBoard`` callback writes, so the charts look familiar:
``DIR/<run id>/train`` and ``DIR/<run id>/validation`` hold the same tags (``epoch_loss``,
``epoch_accuracy``...) and TensorBoard overlays them; ``batch_*`` are the logged batches.
``train`` also holds the images (GAN monitor grids per epoch, the confusion matrix) and the
Projector's files: the test embeddings as TSV, the true and predicted classes as metadata,
a sprite of the test images, and ``projector_config.pbtxt`` tying them together.
Several runs exported into one ``DIR`` appear side by side in ``tensorboard --logdir DIR``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from cnnviz import runs
from cnnviz.analysis.confusion import confusion_counts
from cnnviz.analysis.evaluation_data import Evaluation, load_evaluation, row_images
from cnnviz.analysis.sprites import png_bytes, sprite_sheet
from cnnviz.errors import CnnvizError, ExportError, NoEvaluationError
from cnnviz.exports.pictures import confusion_picture
from cnnviz.gan.samples import monitor_epochs, read_monitor

# Fields of a metrics line that are positions or bookkeeping, not values to chart.
NOT_SCALARS = {"type", "phase", "epoch", "batch", "batches", "time", "stopped_by_request"}
VECTORS_FILE = "embedding_vectors.tsv"
METADATA_FILE = "embedding_metadata.tsv"
SPRITE_FILE = "embedding_sprite.png"
# Side of one test image in the sprite: the Projector's sprite must stay under 8192 pixels,
# and 10,000 embeddings (the most a run keeps) at 32 pixels make 3,200.
SPRITE_TILE = 32
EMBEDDING_NAME = "test_embedding"


def export_tensorboard(run_id: str, log_root: Path) -> tuple[Path, list[str]]:
    """Write the run's log into ``log_root/<run id>`` and return that folder and notices
    (what could not be written and why, for the user to read)."""
    import tensorflow as tf

    folder = Path(log_root) / run_id
    if folder.exists() and any(folder.iterdir()):
        raise ExportError("error.tensorboard_log.not_empty_tensorboard_would", folder=folder)
    run_dir = runs.run_path(run_id)
    rows = runs.read_metrics(run_id)
    if not rows:
        raise ExportError("error.tensorboard_log.run_logged_no_metrics", run_id=run_id)
    notices: list[str] = []
    train = tf.summary.create_file_writer(str(folder / "train"))
    validation = tf.summary.create_file_writer(str(folder / "validation"))
    _write_scalars(rows, train, validation)
    with train.as_default():
        for epoch in monitor_epochs(run_dir):
            tf.summary.image("gan_monitor", read_monitor(run_dir, epoch)[np.newaxis], step=epoch)
    try:
        evaluation = load_evaluation(run_dir)
    except NoEvaluationError as error:
        evaluation = None
        if runs.read_config(run_id).kind == "classifier":
            notices.append(f"No confusion matrix or embedding: {error}")
    if evaluation is not None:
        last_epoch = max((row["epoch"] for row in rows if row.get("type") == "epoch"), default=0)
        counts = confusion_counts(evaluation.y_true, evaluation.y_pred, evaluation.num_classes)
        with train.as_default():
            tf.summary.image("confusion_matrix",
                             confusion_picture(counts, evaluation.class_names)[np.newaxis],
                             step=last_epoch)
        notices += _write_projector(run_id, evaluation, folder / "train")
    train.close()
    validation.close()
    return folder, notices


def _write_scalars(rows: list[dict[str, Any]], train: Any, validation: Any) -> None:
    """Batches at their global step (epoch - 1) * batches + batch, epochs at their number;
    ``val_`` values go to the validation writer under the training value's tag."""
    import tensorflow as tf

    for row in rows:
        if row.get("type") == "batch":
            step, prefix = (row["epoch"] - 1) * row["batches"] + row["batch"], "batch_"
        elif row.get("type") == "epoch":
            step, prefix = row["epoch"], "epoch_"
        else:
            continue
        for key, value in row.items():
            if key in NOT_SCALARS or isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            writer, name = (validation, key[4:]) if key.startswith("val_") else (train, key)
            with writer.as_default():
                tf.summary.scalar(prefix + name, value, step=step)


def _write_projector(run_id: str, evaluation: Evaluation, folder: Path) -> list[str]:
    """The Projector's files beside the training events; the sprite needs the run's dataset
    on this machine, so without it the embedding is still written, without pictures."""
    from tensorboard.plugins import projector

    folder.mkdir(parents=True, exist_ok=True)
    rows = evaluation.embedding_rows
    np.savetxt(folder / VECTORS_FILE, evaluation.embeddings.reshape(len(rows), -1),
               delimiter="\t", fmt="%.6g")
    names = [_cell(name) for name in evaluation.class_names]
    lines = ["true class\tpredicted class"] + [
        f"{names[evaluation.y_true[row]]}\t{names[evaluation.y_pred[row]]}" for row in rows]
    (folder / METADATA_FILE).write_text("\n".join(lines) + "\n")
    config = projector.ProjectorConfig()
    embedding = config.embeddings.add()
    embedding.tensor_name = EMBEDDING_NAME
    embedding.tensor_path = VECTORS_FILE
    embedding.metadata_path = METADATA_FILE
    notices = []
    try:
        images = _embedding_images(run_id, evaluation)
    except CnnvizError as error:
        notices.append(f"The embedding has no pictures: the run's images cannot be read ({error})")
    else:
        sheet, _, (tile_height, tile_width) = sprite_sheet(images, side=SPRITE_TILE)
        (folder / SPRITE_FILE).write_bytes(png_bytes(sheet))
        embedding.sprite.image_path = SPRITE_FILE
        embedding.sprite.single_image_dim.extend([tile_width, tile_height])
    projector.visualize_embeddings(str(folder), config)
    return notices


def _embedding_images(run_id: str, evaluation: Evaluation) -> np.ndarray:
    from cnnviz.datasets import load_dataset

    dataset = load_dataset(runs.read_config(run_id).dataset)
    return row_images(dataset, evaluation, evaluation.embedding_rows)


def _cell(name: str) -> str:
    """A class name safe inside a TSV cell."""
    return " ".join(name.replace("\t", " ").splitlines()) or "?"
