"""The plain networks of the reports (A, C, D, E), written as block lists where possible.

Writing a report's network as :class:`BlockSpec` blocks means it is planned, named and checked
exactly like a network the student designs in the builder: the same layer names (``conv1``,
``pool1``, ``dropout1``, ``embedding``, ``predictions``), the same shape arithmetic, and the
same clear error when an image is too small. The block lists live in
:mod:`cnnviz.models.report_blocks`, which the builder page reads without importing Keras.

Only the Simple CNN of report C (conv, then batch norm, then ReLU) needs an activation after the
normalisation, which blocks cannot express, so it is written with Keras layers directly.
"""

from __future__ import annotations

import keras

from cnnviz.errors import InvalidSpecError
from cnnviz.models.builder import build_from_blocks, minimum_input_size, with_dropout_rate
from cnnviz.models.registry import ARCHITECTURES
from cnnviz.models.report_blocks import (ART_CNN_BLOCKS, ART_CNN_FIVE_BLOCKS,
                                          ART_CNN_SMALL_BLOCKS, ATTRIBUTE_CNN_BLOCKS,
                                          FASHION_CNN_BLOCKS)
from cnnviz.models.spec import BlockSpec, ModelSpec

# Report C, Simple model: three stages of conv 3x3 (same) + batch norm + ReLU + max pool 2.
# The report does not give the filters or the head; doubling filters (32, 64, 128) is the usual
# choice, and global average pooling keeps the head small (128 values instead of 16x16x128 on
# 128x128 sketches) and lets the network take any image size.
SIMPLE_BN_CNN_FILTERS = (32, 64, 128)
SIMPLE_BN_CNN_DENSE_UNITS = 256
SIMPLE_BN_CNN_DROPOUT_RATE = 0.3


def mlp_blocks(spec: ModelSpec) -> tuple[BlockSpec, ...]:
    """Report D's baseline: one hidden dense layer of ``spec.hidden_units`` neurons."""
    blocks = (BlockSpec("flatten"), BlockSpec("dense", units=spec.hidden_units))
    if spec.dropout_rate:
        blocks += (BlockSpec("dropout", rate=spec.dropout_rate),)
    return blocks


def build_mlp(spec: ModelSpec, input_shape: tuple[int, int, int], num_classes: int,
              l1: float = 0.0, l2: float = 0.0) -> keras.Model:
    """Flatten -> Dense(hidden_units, relu) -> [Dropout] -> Dense softmax (report D baseline)."""
    return _build_report_blocks("mlp", mlp_blocks(spec), spec, input_shape, num_classes, l1, l2)


def build_fashion_cnn(spec: ModelSpec, input_shape: tuple[int, int, int], num_classes: int,
                      l1: float = 0.0, l2: float = 0.0) -> keras.Model:
    """Report D's Fashion-MNIST CNN (1,052,746 parameters on 28x28x1 with 10 classes)."""
    return _build_report_blocks("fashion_cnn", FASHION_CNN_BLOCKS, spec, input_shape, num_classes,
                                l1, l2)


def build_art_cnn(spec: ModelSpec, input_shape: tuple[int, int, int], num_classes: int,
                  l1: float = 0.0, l2: float = 0.0) -> keras.Model:
    """Report A's final art classifier (1,459,204 parameters on 64x64x3 with 4 classes)."""
    return _build_report_blocks("art_cnn", ART_CNN_BLOCKS, spec, input_shape, num_classes, l1, l2)


def build_art_cnn_small(spec: ModelSpec, input_shape: tuple[int, int, int], num_classes: int,
                        l1: float = 0.0, l2: float = 0.0) -> keras.Model:
    """Report A's first, overfitting attempt: 2 conv + 2 dense (sizes not given by the report)."""
    return _build_report_blocks("art_cnn_small", ART_CNN_SMALL_BLOCKS, spec, input_shape,
                                num_classes, l1, l2)


def build_art_cnn_five(spec: ModelSpec, input_shape: tuple[int, int, int], num_classes: int,
                       l1: float = 0.0, l2: float = 0.0) -> keras.Model:
    """Report A's 5 conv layers with decreasing filters (sizes not given by the report)."""
    return _build_report_blocks("art_cnn_five", ART_CNN_FIVE_BLOCKS, spec, input_shape,
                                num_classes, l1, l2)


def build_attribute_cnn(spec: ModelSpec, input_shape: tuple[int, int, int], num_classes: int,
                        l1: float = 0.0, l2: float = 0.0) -> keras.Model:
    """Report E's one-attribute face classifier (623,490 parameters on 218x178x3, 2 classes)."""
    return _build_report_blocks("attribute_cnn", ATTRIBUTE_CNN_BLOCKS, spec, input_shape,
                                num_classes, l1, l2)


def build_simple_bn_cnn(spec: ModelSpec, input_shape: tuple[int, int, int], num_classes: int,
                        l1: float = 0.0, l2: float = 0.0) -> keras.Model:
    """Report C's Simple sketch model: 3 x (conv + batch norm + ReLU + pool), dense head."""
    minimum = 2 ** len(SIMPLE_BN_CNN_FILTERS)  # each 2x2 pool halves the map
    _check_size("simple_bn_cnn", input_shape, minimum)
    regularizer = keras.regularizers.L1L2(l1=l1, l2=l2) if l1 > 0 or l2 > 0 else None
    dropout_rate = SIMPLE_BN_CNN_DROPOUT_RATE if spec.dropout_rate is None else spec.dropout_rate

    inputs = keras.Input(shape=input_shape, name="image")  # (batch, height, width, channels)
    tensor = keras.layers.Rescaling(1 / 255, name="rescale")(inputs)
    for stage, filters in enumerate(SIMPLE_BN_CNN_FILTERS, start=1):
        # The convolution has no bias: batch norm's beta shifts the output anyway.
        tensor = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False,
                                     kernel_regularizer=regularizer, name=f"conv{stage}")(tensor)
        tensor = keras.layers.BatchNormalization(name=f"batchnorm{stage}")(tensor)
        tensor = keras.layers.ReLU(name=f"relu{stage}")(tensor)
        tensor = keras.layers.MaxPooling2D(2, name=f"pool{stage}")(tensor)  # halves height, width
    tensor = keras.layers.GlobalAveragePooling2D(name="global_pool")(tensor)  # (batch, 128)
    tensor = keras.layers.Dense(SIMPLE_BN_CNN_DENSE_UNITS, activation="relu",
                                kernel_regularizer=regularizer, name="embedding")(tensor)
    if dropout_rate:
        tensor = keras.layers.Dropout(dropout_rate, name="dropout1")(tensor)
    outputs = keras.layers.Dense(num_classes, activation="softmax", kernel_regularizer=regularizer,
                                 name="predictions")(tensor)  # (batch, num_classes)
    return keras.Model(inputs, outputs, name="simple_bn_cnn")


def _build_report_blocks(key: str, blocks: tuple[BlockSpec, ...], spec: ModelSpec,
                         input_shape: tuple[int, int, int], num_classes: int,
                         l1: float, l2: float) -> keras.Model:
    """Build a report's block list, refusing too-small images with the architecture's name."""
    blocks = with_dropout_rate(blocks, spec.dropout_rate)
    _check_size(key, input_shape, minimum_input_size(blocks))
    return build_from_blocks(blocks, input_shape, num_classes, l1, l2, name=key)


def _check_size(key: str, input_shape: tuple[int, int, int], minimum: int) -> None:
    height, width = input_shape[0], input_shape[1]
    if min(height, width) < minimum:
        raise InvalidSpecError(
            "error.classic.network_needs_images_least", title=ARCHITECTURES[key].title,
            minimum=minimum, height=height, width=width)
