"""Transfer learning (report B): a pre-trained ImageNet network under a new dense head.

The model, input to output:

    image (0..255) -> [gray_to_rgb] -> [resize] -> preprocess -> base_<name> -> feature_map
        -> pooling -> head_dense1 -> head_dropout1 -> ... -> embedding -> head_dropoutN
        -> predictions

- The base is ONE nested layer, called with ``training=False`` so its batch-norm layers always
  use their ImageNet statistics, even once fine-tuning unfreezes them (keras-io "transfer
  learning & fine-tuning" advice). Phase two unfreezes its top layers with
  :func:`set_fine_tuning`.
- The base is built without its own pooling, so the last convolutional feature map
  (batch, h, w, channels) that Grad-CAM needs leaves it. ``feature_map`` (an identity layer)
  holds that map in the outer model: a nested model's own ``.output`` belongs to its inner graph
  and cannot feed ``keras.Model(model.inputs, ...)``, a top-level layer's can. ``pooling``
  (global average) follows.
- Each base expects the preprocessing it was trained with: VGG16 and ResNet50 "caffe" (BGR,
  ImageNet mean subtracted, :class:`CaffePreprocess`), InceptionV3 and MobileNetV2 "tf"
  (scaled to [-1, 1], a ``Rescaling`` layer).
- Images smaller than the base's minimum are enlarged by a ``Resizing`` layer: Keras refuses
  VGG16 and ResNet50 below 32 pixels and InceptionV3 below 75. MobileNetV2 accepts 32, but its
  ImageNet weights exist for 96 to 224 pixels and its five halvings leave a 1x1 map at 32, so
  we enlarge to 96.
- Grayscale images are repeated into three channels: the bases were trained on colour.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras

from cnnviz.errors import InvalidSpecError
from cnnviz.models.layers import CaffePreprocess
from cnnviz.models.spec import ModelSpec

DEFAULT_HEAD_DROPOUT_RATE = 0.3  # used when spec.dropout_rate is None


@dataclass(frozen=True)
class TransferBase:
    """How to build and feed one pre-trained base."""

    constructor: str  # the keras.applications function, looked up when building
    preprocessing: str  # "caffe" or "tf" (see the module docstring)
    minimum_size: int  # smaller images are resized up to this side


TRANSFER_BASES: dict[str, TransferBase] = {
    "vgg16": TransferBase("VGG16", "caffe", 32),
    "resnet50": TransferBase("ResNet50", "caffe", 32),
    "inception_v3": TransferBase("InceptionV3", "tf", 75),
    "mobilenet_v2": TransferBase("MobileNetV2", "tf", 96),
}


def build_transfer(spec: ModelSpec, input_shape: tuple[int, int, int], num_classes: int,
                   l1: float = 0.0, l2: float = 0.0) -> tuple[keras.Model, list[str]]:
    """The transfer model of ``spec.base`` and the notices a user should read.

    With ``spec.weights == "imagenet"`` and no way to get the weights (offline, no cached
    file), the base starts from random weights instead and a notice says so: training still
    works, it is just no longer transfer learning. ``l1``/``l2`` apply to the head only.
    """
    height, width, channels = input_shape
    if channels not in (1, 3):
        raise InvalidSpecError("error.transfer.pre_trained_bases_need", channels=channels)
    settings = TRANSFER_BASES[spec.base]
    regularizer = keras.regularizers.L1L2(l1=l1, l2=l2) if l1 > 0 or l2 > 0 else None
    dropout_rate = DEFAULT_HEAD_DROPOUT_RATE if spec.dropout_rate is None else spec.dropout_rate

    inputs = keras.Input(shape=input_shape, name="image")  # (batch, height, width, channels)
    tensor = inputs
    if channels == 1:
        tensor = keras.layers.Concatenate(name="gray_to_rgb")([tensor, tensor, tensor])
    base_height = max(height, settings.minimum_size)
    base_width = max(width, settings.minimum_size)
    if (base_height, base_width) != (height, width):
        tensor = keras.layers.Resizing(base_height, base_width, name="resize")(tensor)
    if settings.preprocessing == "caffe":
        tensor = CaffePreprocess(name="preprocess")(tensor)
    else:
        tensor = keras.layers.Rescaling(1 / 127.5, offset=-1, name="preprocess")(tensor)  # [-1, 1]

    base, notices = _pretrained_base(spec, settings, (base_height, base_width, 3))
    base.trainable = False
    tensor = base(tensor, training=False)  # (batch, h, w, base channels)
    tensor = keras.layers.Identity(name="feature_map")(tensor)
    tensor = keras.layers.GlobalAveragePooling2D(
        name="pooling" if spec.head_units else "embedding")(tensor)  # (batch, base channels)
    for number, units in enumerate(spec.head_units, start=1):
        last = number == len(spec.head_units)
        tensor = keras.layers.Dense(units, activation="relu", kernel_regularizer=regularizer,
                                    name="embedding" if last else f"head_dense{number}")(tensor)
        if dropout_rate:
            tensor = keras.layers.Dropout(dropout_rate, name=f"head_dropout{number}")(tensor)
    outputs = keras.layers.Dense(num_classes, activation="softmax", kernel_regularizer=regularizer,
                                 name="predictions")(tensor)  # (batch, num_classes)
    return keras.Model(inputs, outputs, name=f"transfer_{spec.base}"), notices


def set_fine_tuning(model: keras.Model, layers: int) -> int:
    """Unfreeze the top ``layers`` layers with weights of the model's pre-trained base.

    Only layers with weights count (a student means convolutions, not the concatenations and
    activations that end InceptionV3), and batch-norm layers stay frozen: unfreezing them would
    let small fine-tuning batches overwrite the ImageNet statistics and wreck what the base has
    learnt. ``layers=0`` freezes the whole base again. Returns how many layers were made
    trainable. Recompile the model afterwards, or the change has no effect.
    """
    base = base_layer(model)
    if layers == 0:
        base.trainable = False
        return 0
    base.trainable = True  # makes every inner layer trainable; freeze all but the chosen ones
    unfrozen = 0
    for layer in reversed(base.layers):  # from the top of the base down
        tunable = bool(layer.weights) and not isinstance(layer, keras.layers.BatchNormalization)
        layer.trainable = tunable and unfrozen < layers
        unfrozen += layer.trainable
    return unfrozen


def base_layer(model: keras.Model) -> keras.Model:
    """The nested pre-trained base (the layer named ``base_<name>``) of a transfer model."""
    for layer in model.layers:
        if layer.name.startswith("base_") and isinstance(layer, keras.Model):
            return layer
    raise InvalidSpecError("error.transfer.model_no_pre_trained", model=model.name)


def _pretrained_base(spec: ModelSpec, settings: TransferBase,
                     input_shape: tuple[int, int, int]) -> tuple[keras.Model, list[str]]:
    """The base with ``spec.weights``, or with random weights and a notice when those fail."""
    constructor = getattr(keras.applications, settings.constructor)
    arguments = {"include_top": False, "input_shape": input_shape, "name": f"base_{spec.base}"}
    if spec.weights is None:
        return constructor(weights=None, **arguments), []
    try:
        return constructor(weights=spec.weights, **arguments), []
    except Exception as error:  # keras raises a bare Exception("URL fetch failure ...") offline
        notice = (f"The ImageNet weights of {settings.constructor} could not be loaded ({error}). "
                  "The base starts from random weights, so this run learns from scratch instead "
                  "of transferring. To use them offline, put the weights file in ~/.keras/models.")
        return constructor(weights=None, **arguments), [notice]
