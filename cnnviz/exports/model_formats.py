"""The best model of a run in the formats other tools read.

``keras``: the run's own file. ``savedmodel``: TensorFlow Serving and ``tf.saved_model.load``
(Keras' ``model.export``). ``tflite``: phones and microcontrollers (TensorFlow's TFLite
converter). ``onnx``: ONNX Runtime and most other frameworks (Keras' ``model.export``, which
converts through ``tf2onnx``). Every format takes what the app's models take: float32 pixel
values 0-255, shaped (batch, height, width, channels); a classifier gives class probabilities,
a GAN's generator (the model of a GAN run) gives images in [-1, 1] from noise.

A converter may refuse a model (an operation it does not know); that is a
:class:`ModelExportError` naming the format, never a file that does not work.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from cnnviz import runs
from cnnviz.errors import ModelExportError, NoEvaluationError

MODEL_FORMATS = ("keras", "savedmodel", "tflite", "onnx")
# The newest ONNX operator set that tf2onnx 1.17 writes and ONNX Runtime 1.32 runs.
ONNX_OPSET = 18
# Exit code of ``python -m cnnviz export`` when a converter refuses the model (2: other errors),
# so the page remembers only those refusals.
CONVERTER_REFUSED_EXIT_CODE = 3


def model_file(run_id: str) -> Path:
    """The run's model: ``model.keras`` of a classifier, ``generator.keras`` of a GAN."""
    folder = runs.run_folder(run_id)
    path = folder.generator if runs.read_config(run_id).kind == "gan" else folder.model
    if not path.is_file():
        raise NoEvaluationError("error.model_formats.run_no_saved_model", run_id=run_id)
    return path


def export_model(run_id: str, model_format: str, destination: Path) -> Path:
    """Write the run's model in ``model_format`` at ``destination`` (a folder for
    ``savedmodel``, a file otherwise); it appears only once complete."""
    if model_format not in MODEL_FORMATS:
        raise ValueError(f"model_format must be one of {MODEL_FORMATS}, not {model_format!r}")
    source = model_file(run_id)
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=destination.parent))
    try:
        written = staging / destination.name
        if model_format == "keras":
            shutil.copyfile(source, written)
        else:
            _convert(source, model_format, written)
        if destination.is_dir():
            shutil.rmtree(destination)
        os.replace(written, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return destination


def _convert(source: Path, model_format: str, written: Path) -> None:
    """Load through the safe loader, then run the format's converter."""
    from cnnviz.models.saved import load_saved_model

    model = load_saved_model(source)
    try:
        if model_format == "savedmodel":
            model.export(str(written), format="tf_saved_model", verbose=False)
        elif model_format == "tflite":
            import tensorflow as tf

            written.write_bytes(tf.lite.TFLiteConverter.from_keras_model(model).convert())
        else:
            _require_onnx_converter()
            model(np.zeros((1, *model.input_shape[1:]), np.float32))  # Keras exports called models
            model.export(str(written), format="onnx", verbose=False, opset_version=ONNX_OPSET)
    except ModelExportError:
        raise
    except Exception as error:  # converters raise many kinds; each means "not this model"
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ModelExportError(
            "error.model_formats.converter_cannot_convert_model", model_format=model_format,
            reason=first_line[:300]) from error


def _require_onnx_converter() -> None:
    try:
        import tf2onnx  # noqa: F401  (Keras converts through it)
    except ImportError as error:
        raise ModelExportError("error.model_formats.onnx_export_needs_tf") \
            from error
