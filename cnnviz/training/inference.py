"""A finished run's model applied to new images: an uploaded photo or drawing is prepared like
the training images, then gives its class probabilities, its embedding (to place it on the
run's t-SNE map), its feature maps, Grad-CAM and occlusion maps."""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

from cnnviz import runs
from cnnviz.datasets.images import decode_image
from cnnviz.errors import NoEvaluationError
from cnnviz.inside.activations import LayerMaps, activation_probe, layer_maps
from cnnviz.inside.gradcam import cam_layer, gradcam, gradcam_probe
from cnnviz.inside.occlusion import occlusion_map
from cnnviz.models.saved import load_saved_model
from cnnviz.preprocessing import ImageFormat
from cnnviz.training.evaluation import embedding_probe, probe_images


@dataclass(frozen=True)
class RunModel:
    """The best model of a run with its probes built once (a cached model serves every
    session, so nothing is built lazily under concurrent use)."""

    model: keras.Model
    outputs_logits: bool
    image_format: ImageFormat
    probe: keras.Model  # outputs (embedding, classifier output)
    activations: keras.Model  # outputs every spatial layer, then the classifier output
    cam_layer: str | None  # None: no spatial layer (an MLP), so no Grad-CAM
    cam_probe: keras.Model | None

    def prepare(self, data: bytes) -> np.ndarray:
        """An uploaded file as one prepared image (height, width, channels) uint8; an
        unreadable file raises :class:`cnnviz.errors.ImageError`."""
        return self.image_format.prepare(decode_image(data))

    def predict(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Embeddings (k, features) and probabilities (k, classes) of prepared images."""
        return probe_images(self.probe, images, self.outputs_logits)

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """Probabilities (k, classes) of prepared images (k, height, width, channels)."""
        return self.predict(images)[1]

    def layer_maps(self, image: np.ndarray) -> tuple[list[LayerMaps], np.ndarray]:
        """Maps of every spatial layer and the probabilities (classes,) of one prepared image,
        from a single forward pass."""
        maps, output = layer_maps(self.model, self.activations, image)
        if self.outputs_logits:
            output = keras.ops.convert_to_numpy(keras.ops.softmax(output))
        return maps, np.asarray(output, dtype=np.float32)

    def gradcam(self, image: np.ndarray, class_index: int) -> np.ndarray:
        """Grad-CAM heat map in [0, 1] at :attr:`cam_layer`'s resolution."""
        if self.cam_probe is None:
            raise ValueError("This network has no convolutional layer for Grad-CAM")
        return gradcam(self.model, self.cam_probe, image, class_index)

    def occlusion(self, image: np.ndarray, class_index: int, patch: int,
                  stride: int) -> np.ndarray:
        """Probability drop of ``class_index`` with a grey patch at each position."""
        return occlusion_map(self.probabilities, image, class_index, patch, stride)


def run_model_from(model: keras.Model, outputs_logits: bool, image_format: ImageFormat) -> RunModel:
    """Wrap a trained model with every probe the pages use."""
    layer = cam_layer(model)
    return RunModel(model, outputs_logits, image_format, embedding_probe(model),
                    activation_probe(model), layer,
                    gradcam_probe(model, layer) if layer else None)


def load_run_model(run_id: str, image_format: ImageFormat) -> RunModel:
    """Load ``model.keras`` of a run (safe mode: a run folder may come from elsewhere)."""
    from cnnviz.models.registry import ARCHITECTURES

    path = runs.run_folder(run_id).model
    if not path.exists():
        raise NoEvaluationError("error.model_formats.run_no_saved_model", run_id=run_id)
    model = load_saved_model(path)
    architecture = runs.read_config(run_id).model.architecture
    return run_model_from(model, ARCHITECTURES[architecture].outputs_logits, image_format)
