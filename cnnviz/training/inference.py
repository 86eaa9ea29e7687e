"""A finished run's model applied to new images: an uploaded photo or drawing is prepared like
the training images, then gives its class probabilities and its embedding (to place it on the
run's t-SNE map)."""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

from cnnviz import runs
from cnnviz.datasets.images import decode_image
from cnnviz.errors import NoEvaluationError
from cnnviz.preprocessing import ImageFormat
from cnnviz.training.evaluation import embedding_probe, probe_images


@dataclass(frozen=True)
class RunModel:
    """The best model of a run, ready for new images in the run's image format."""

    probe: keras.Model  # outputs (embedding, classifier output)
    outputs_logits: bool
    image_format: ImageFormat

    def prepare(self, data: bytes) -> np.ndarray:
        """An uploaded file as one prepared image (height, width, channels) uint8; an
        unreadable file raises :class:`cnnviz.errors.ImageError`."""
        return self.image_format.prepare(decode_image(data))

    def predict(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Embeddings (k, features) and probabilities (k, classes) of prepared images."""
        return probe_images(self.probe, images, self.outputs_logits)


def load_run_model(run_id: str, image_format: ImageFormat) -> RunModel:
    """Load ``model.keras`` of a run (safe mode: a run folder may come from elsewhere)."""
    import cnnviz.models.layers  # noqa: F401  (registers the custom layers)
    from cnnviz.models.registry import ARCHITECTURES

    path = runs.run_path(run_id) / "model.keras"
    if not path.exists():
        raise NoEvaluationError(f"Run {run_id} has no saved model yet")
    model = keras.saving.load_model(path, safe_mode=True)
    architecture = runs.read_config(run_id).model.architecture
    return RunModel(embedding_probe(model), ARCHITECTURES[architecture].outputs_logits,
                    image_format)
