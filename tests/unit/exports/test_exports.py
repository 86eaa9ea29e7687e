"""Each export read back with the other tool: the TensorBoard log with TensorBoard's own
EventAccumulator and projector config, the models with ``tf.saved_model``, the TFLite
interpreter and ONNX Runtime, and the command line's export and import."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import numpy as np
import pytest

from cnnviz import runs
from cnnviz.analysis.evaluation_data import load_evaluation
from cnnviz.datasets.spec import DatasetSpec

# 720 shapes: 108 in the test split, enough for the 100-image parity checks.
SHAPES = DatasetSpec(source="shapes", shapes_per_class=120, image_size=(16, 16))
PARITY_IMAGES = 100
PARITY_TOLERANCE = 1e-4


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory):
    """A finished run with a real model, in a runs folder of this module's own."""
    from tests.helpers.run_folders import make_trained_run

    root = tmp_path_factory.mktemp("exports")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CNNVIZ_RUNS_DIR", str(root / "runs"))
        patch.setenv("CNNVIZ_DATA_DIR", str(root / "data"))
        patch.setenv("CNNVIZ_DATA_ROOTS", str(root / "data"))
        yield make_trained_run(SHAPES), root


def tensors(folder: Path) -> dict[str, list]:
    """Every TF2 summary of an event folder, read by TensorBoard's EventAccumulator."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(str(folder), size_guidance={"tensors": 0})
    accumulator.Reload()
    return {tag: accumulator.Tensors(tag) for tag in accumulator.Tags()["tensors"]}


def scalar_values(events: list) -> dict[int, float]:
    from tensorboard.util import tensor_util

    return {event.step: float(tensor_util.make_ndarray(event.tensor_proto)) for event in events}


def image_of(event) -> np.ndarray:
    """The picture of an image summary: its tensor holds width, height and the PNG bytes."""
    import io

    from PIL import Image
    from tensorboard.util import tensor_util

    width, height, png = tensor_util.make_ndarray(event.tensor_proto)
    picture = np.asarray(Image.open(io.BytesIO(png)))
    assert picture.shape[:2] == (int(height), int(width))
    return picture


def test_tensorboard_log_reads_back_in_tensorboard(trained) -> None:
    from google.protobuf import text_format
    from tensorboard.plugins.projector import projector_config_pb2
    from tensorboard.plugins.projector.projector_plugin import _read_tensor_tsv_file

    from cnnviz.exports.tensorboard_log import export_tensorboard

    run_id, root = trained
    folder, notices = export_tensorboard(run_id, root / "logs")
    assert folder == root / "logs" / run_id and notices == []
    metrics = runs.read_metrics(run_id)
    epochs = [row for row in metrics if row["type"] == "epoch"]
    batches = [row for row in metrics if row["type"] == "batch"]

    train, validation = tensors(folder / "train"), tensors(folder / "validation")
    assert scalar_values(train["epoch_loss"]) == pytest.approx(
        {row["epoch"]: row["loss"] for row in epochs})
    assert scalar_values(validation["epoch_accuracy"]) == pytest.approx(
        {row["epoch"]: row["val_accuracy"] for row in epochs})
    assert scalar_values(train["batch_loss"]) == pytest.approx(
        {(row["epoch"] - 1) * row["batches"] + row["batch"]: row["loss"] for row in batches})
    assert "epoch_learning_rate" in train and "batch_images_per_second" in train
    assert image_of(train["confusion_matrix"][0]).shape[2] == 3

    config = text_format.Parse((folder / "train" / "projector_config.pbtxt").read_text(),
                               projector_config_pb2.ProjectorConfig())
    (embedding,) = config.embeddings
    evaluation = load_evaluation(runs.run_path(run_id))
    vectors = _read_tensor_tsv_file(str(folder / "train" / embedding.tensor_path))
    np.testing.assert_allclose(vectors, evaluation.embeddings, rtol=1e-5, atol=1e-6)
    metadata = (folder / "train" / embedding.metadata_path).read_text().splitlines()
    assert metadata[0] == "true class\tpredicted class" and len(metadata) == len(vectors) + 1
    first_true = evaluation.class_names[evaluation.y_true[evaluation.embedding_rows[0]]]
    assert metadata[1].split("\t")[0] == first_true
    from PIL import Image

    with Image.open(folder / "train" / embedding.sprite.image_path) as sprite:
        columns = math.ceil(math.sqrt(len(vectors)))
        assert sprite.size[0] == columns * embedding.sprite.single_image_dim[0] == columns * 16


def test_tensorboard_refuses_a_folder_that_already_holds_the_run(trained) -> None:
    from cnnviz.errors import ExportError
    from cnnviz.exports.tensorboard_log import export_tensorboard

    run_id, root = trained
    (root / "again" / run_id).mkdir(parents=True)
    (root / "again" / run_id / "events").write_text("")
    with pytest.raises(ExportError, match="not empty"):
        export_tensorboard(run_id, root / "again")


def test_gan_monitor_grids_become_tensorboard_images(folders) -> None:
    from cnnviz.exports.tensorboard_log import export_tensorboard
    from tests.helpers.run_folders import make_gan_run

    run_id = make_gan_run("finished", DatasetSpec(source="shapes", shapes_per_class=8,
                                                   image_size=(16, 16)), epochs=2)
    folder, notices = export_tensorboard(run_id, folders[0] / "logs")
    train = tensors(folder / "train")
    assert notices == [] and [event.step for event in train["gan_monitor"]] == [1, 2]
    assert image_of(train["gan_monitor"][0]).ndim >= 2
    assert "epoch_d_loss" in train and "batch_g_loss" in train


def parity_images(run_id: str) -> tuple[np.ndarray, np.ndarray]:
    """100 test images as the models take them and the Keras model's outputs on them."""
    from cnnviz.datasets import load_dataset
    from cnnviz.models.saved import load_saved_model

    test = load_dataset(runs.read_config(run_id).dataset).test
    images = test.batch(np.arange(PARITY_IMAGES)).astype(np.float32)
    model = load_saved_model(runs.run_folder(run_id).model)
    return images, np.asarray(model.predict(images, verbose=0))


@pytest.mark.slow
def test_model_formats_predict_like_keras(trained) -> None:
    import onnxruntime
    import tensorflow as tf

    from cnnviz.exports.model_formats import export_model

    run_id, root = trained
    images, expected = parity_images(run_id)
    assert images.shape[0] == PARITY_IMAGES

    saved = tf.saved_model.load(str(export_model(run_id, "savedmodel", root / "m" / "saved")))
    np.testing.assert_allclose(saved.serve(images).numpy(), expected, atol=PARITY_TOLERANCE)

    interpreter = tf.lite.Interpreter(model_path=str(export_model(run_id, "tflite",
                                                                  root / "m" / "model.tflite")))
    source, target = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    interpreter.resize_tensor_input(source["index"], images.shape)
    interpreter.allocate_tensors()
    interpreter.set_tensor(source["index"], images)
    interpreter.invoke()
    np.testing.assert_allclose(interpreter.get_tensor(target["index"]), expected,
                               atol=PARITY_TOLERANCE)

    session = onnxruntime.InferenceSession(
        str(export_model(run_id, "onnx", root / "m" / "model.onnx")))
    (onnx_output,) = session.run(None, {session.get_inputs()[0].name: images})
    np.testing.assert_allclose(onnx_output, expected, atol=PARITY_TOLERANCE)


def test_command_line_exports_and_imports_a_run(trained, capsys) -> None:
    from cnnviz.__main__ import main

    run_id, root = trained
    archive = root / "cli" / "run.zip"
    assert main(["export", run_id, "--archive", str(archive)]) == 0
    assert set(zipfile.ZipFile(archive).namelist()) >= {"config.json", "model.keras",
                                                        "evaluation.npz", "metrics.jsonl"}
    assert main(["export", run_id, "--format", "keras", "--output", str(root / "cli/m.keras")]) == 0
    assert (root / "cli" / "m.keras").read_bytes() == (runs.run_path(run_id) /
                                                       "model.keras").read_bytes()
    assert main(["export", run_id, "--tensorboard", str(root / "cli" / "logs")]) == 0
    assert (root / "cli" / "logs" / run_id / "train" / "projector_config.pbtxt").is_file()
    capsys.readouterr()
    assert main(["import", str(archive)]) == 2  # the run is here already
    assert "already here" in capsys.readouterr().err


@pytest.mark.slow
def test_a_gan_run_exports_its_generator(folders) -> None:
    import onnxruntime
    import tensorflow as tf

    from cnnviz.exports.model_formats import export_model
    from cnnviz.models.saved import load_saved_model
    from tests.helpers.run_folders import make_gan_run

    run_id = make_gan_run("finished", DatasetSpec(source="shapes", shapes_per_class=8,
                                                   image_size=(16, 16)), epochs=1)
    generator = load_saved_model(runs.run_folder(run_id).generator)
    noise = np.random.default_rng(0).normal(size=(PARITY_IMAGES, 8)).astype(np.float32)
    expected = np.asarray(generator.predict(noise, verbose=0))
    interpreter = tf.lite.Interpreter(model_path=str(export_model(
        run_id, "tflite", folders[0] / "generator.tflite")))
    source = interpreter.get_input_details()[0]
    interpreter.resize_tensor_input(source["index"], noise.shape)
    interpreter.allocate_tensors()
    interpreter.set_tensor(source["index"], noise)
    interpreter.invoke()
    np.testing.assert_allclose(interpreter.get_tensor(interpreter.get_output_details()[0]["index"]),
                               expected, atol=PARITY_TOLERANCE)
    session = onnxruntime.InferenceSession(str(export_model(run_id, "onnx",
                                                            folders[0] / "generator.onnx")))
    (images,) = session.run(None, {session.get_inputs()[0].name: noise})
    np.testing.assert_allclose(images, expected, atol=PARITY_TOLERANCE)
