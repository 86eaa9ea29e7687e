"""Custom layers our models need, the AUC metric logged while training, the label-smoothed
loss, and the layer table the model page shows.

Saved models are loaded with ``safe_mode=True``, which refuses ``Lambda`` layers (they store
Python code). Any preprocessing Keras has no layer for is therefore a small registered layer
here; importing this module registers it before a model is loaded
(``cnnviz.models.saved`` and ``cnnviz.models.transfer`` do).
"""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd

# Mean of the ImageNet training images per channel, in BGR order (keras.applications "caffe").
IMAGENET_BGR_MEAN = (103.939, 116.779, 123.68)


@keras.saving.register_keras_serializable(package="cnnviz")
class CaffePreprocess(keras.layers.Layer):
    """``keras.applications.vgg16.preprocess_input`` as a layer: RGB -> BGR, minus ImageNet mean.

    VGG16 and ResNet50 were trained on BGR images with the mean pixel subtracted and no scaling
    ("caffe" mode); their ImageNet weights only make sense on inputs prepared the same way.
    """

    def call(self, inputs):
        # inputs: (batch, height, width, 3) RGB pixels in 0..255
        bgr = keras.ops.flip(inputs, axis=-1)
        return bgr - keras.ops.convert_to_tensor(IMAGENET_BGR_MEAN, dtype=bgr.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape


@keras.saving.register_keras_serializable(package="cnnviz")
class SparseAUC(keras.metrics.AUC):
    """ROC AUC logged every epoch for integer labels (``keras.metrics.AUC`` wants one column
    per class): labels become one-hot and every (image, class) pair counts as one binary
    decision, the micro-average. Lives here so that loading a saved, compiled model finds it.
    """

    def __init__(self, num_classes: int, from_logits: bool = False, name: str = "auc",
                 **kwargs) -> None:
        super().__init__(name=name, **kwargs)
        self.num_classes = num_classes
        self.outputs_logits = from_logits

    def update_state(self, y_true, y_pred, sample_weight=None):
        # y_true: (batch,) or (batch, 1) class indices; y_pred: (batch, classes)
        labels = keras.ops.one_hot(keras.ops.reshape(keras.ops.cast(y_true, "int32"), (-1,)),
                                   self.num_classes)
        if self.outputs_logits:
            y_pred = keras.ops.softmax(y_pred)
        return super().update_state(labels, y_pred)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(num_classes=self.num_classes, from_logits=self.outputs_logits)
        return config


@keras.saving.register_keras_serializable(package="cnnviz")
class SmoothedSparseCrossentropy(keras.losses.Loss):
    """Cross-entropy against label-smoothed targets, for integer labels.

    Keras smooths labels only in ``CategoricalCrossentropy``, which wants one column per class,
    while our pipelines give class indices (as the metrics expect): the indices become one-hot
    here. Registered so that a saved, compiled model loads with its loss.
    """

    def __init__(self, num_classes: int, label_smoothing: float, from_logits: bool = False,
                 name: str = "smoothed_sparse_crossentropy", **kwargs) -> None:
        super().__init__(name=name, **kwargs)
        self.num_classes = num_classes
        self.label_smoothing = label_smoothing
        self.from_logits = from_logits

    def call(self, y_true, y_pred):
        # y_true: (batch,) or (batch, 1) class indices; y_pred: (batch, classes)
        labels = keras.ops.one_hot(keras.ops.reshape(keras.ops.cast(y_true, "int32"), (-1,)),
                                   self.num_classes, dtype=y_pred.dtype)
        return keras.losses.categorical_crossentropy(
            labels, y_pred, from_logits=self.from_logits, label_smoothing=self.label_smoothing)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(num_classes=self.num_classes, label_smoothing=self.label_smoothing,
                      from_logits=self.from_logits)
        return config


def layer_table(model: keras.Model) -> pd.DataFrame:
    """One row per top-level layer, like ``model.summary()``: a nested base is a single row.

    Columns: ``name``, ``type`` (the Keras class), ``output_shape`` (text such as
    "(None, 26, 26, 32)"), ``parameters`` (every weight, moving statistics included) and
    ``trainable_parameters`` (the weights the optimiser updates) and ``shape`` (the output
    shape without the batch axis, as a tuple, for the shape diagram). The ``parameters`` column
    adds up to ``model.count_params()``.
    """
    rows = []
    for layer in model.layers:
        trainable = sum(int(np.prod(weight.shape)) for weight in layer.trainable_weights)
        rows.append({
            "name": layer.name,
            "type": type(layer).__name__,
            "output_shape": str(tuple(layer.output.shape)),
            "parameters": int(layer.count_params()),
            "trainable_parameters": trainable,
            "shape": tuple(int(side) for side in layer.output.shape[1:]),
        })
    return pd.DataFrame(rows, columns=["name", "type", "output_shape", "parameters",
                                       "trainable_parameters", "shape"])
