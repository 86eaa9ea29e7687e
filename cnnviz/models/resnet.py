"""ResNet-18 built by hand, as report C did for sketches.

A residual block adds its input back to the output of two convolutions, so each block only has
to learn a correction; the gradient flows through the shortcut, and an 18-layer network trains
where a plain one of that depth would stall.

Layout (He et al., 2016): a stem, four stages of two basic blocks with 64, 128, 256 and 512
filters (stages 2-4 halve the map in their first block), global average pooling and a linear
dense layer. As in report C, ``predictions`` outputs logits, not probabilities: the loss must use
``from_logits=True`` (the registry says so with ``outputs_logits=True``).
"""

from __future__ import annotations

import keras

from cnnviz.models.spec import ModelSpec

STAGE_FILTERS = (64, 128, 256, 512)  # feature maps of each stage
BLOCKS_PER_STAGE = (2, 2, 2, 2)  # basic blocks per stage: 1 stem + 2*2*4 convs + 1 dense = 18
LARGE_STEM_MIN_SIZE = 64  # smaller images get the small stem (see _stem)


def build_resnet18(spec: ModelSpec, input_shape: tuple[int, int, int], num_classes: int,
                   l1: float = 0.0, l2: float = 0.0) -> keras.Model:
    """ResNet-18 with logits output; works on any image size (all convolutions pad "same").

    ``spec.dropout_rate``, when set, adds dropout on the pooled features (ResNet has none).
    """
    regularizer = keras.regularizers.L1L2(l1=l1, l2=l2) if l1 > 0 or l2 > 0 else None
    inputs = keras.Input(shape=input_shape, name="image")  # (batch, height, width, channels)
    tensor = keras.layers.Rescaling(1 / 255, name="rescale")(inputs)
    tensor = _stem(tensor, min(input_shape[0], input_shape[1]), regularizer)
    for stage, (filters, blocks) in enumerate(zip(STAGE_FILTERS, BLOCKS_PER_STAGE), start=1):
        for block in range(1, blocks + 1):
            strides = 2 if stage > 1 and block == 1 else 1  # stages 2-4 halve height and width
            tensor = _basic_block(tensor, filters, strides, f"stage{stage}_block{block}",
                                  regularizer)
    tensor = keras.layers.GlobalAveragePooling2D(name="embedding")(tensor)  # (batch, 512)
    if spec.dropout_rate:
        tensor = keras.layers.Dropout(spec.dropout_rate, name="dropout")(tensor)
    outputs = keras.layers.Dense(num_classes, kernel_regularizer=regularizer,
                                 name="predictions")(tensor)  # (batch, num_classes) logits
    return keras.Model(inputs, outputs, name="resnet18")


def _stem(tensor, smallest_side: int, regularizer):
    """The first convolution, sized to the image.

    The ImageNet stem (7x7 stride 2, then 3x3 max pool stride 2) divides the map by 4 before the
    first block; stages 2-4 divide it by 8 more. On 128x128 sketches that ends on 4x4, fine; on
    32x32 images it would end on 1x1 after only the stem had seen any detail. Small images
    therefore get the CIFAR stem: one 3x3 stride-1 convolution and no pooling.
    """
    if smallest_side >= LARGE_STEM_MIN_SIZE:
        tensor = keras.layers.Conv2D(64, 7, strides=2, padding="same", use_bias=False,
                                     kernel_regularizer=regularizer, name="conv1")(tensor)
    else:
        tensor = keras.layers.Conv2D(64, 3, padding="same", use_bias=False,
                                     kernel_regularizer=regularizer, name="conv1")(tensor)
    tensor = keras.layers.BatchNormalization(name="bn1")(tensor)
    tensor = keras.layers.ReLU(name="relu1")(tensor)
    if smallest_side >= LARGE_STEM_MIN_SIZE:
        tensor = keras.layers.MaxPooling2D(3, strides=2, padding="same", name="pool1")(tensor)
    return tensor


def _basic_block(tensor, filters: int, strides: int, name: str, regularizer):
    """conv 3x3 -> BN -> ReLU -> conv 3x3 -> BN, plus the shortcut, then ReLU.

    When the block changes the map (stride 2 or more filters) the shortcut is a 1x1 convolution
    with the same stride and a BN (the "projection" shortcut), so the two branches can be added.
    Convolutions have no bias: the BN after each adds its own shift.
    """
    shortcut = tensor  # (batch, height, width, channels_in)
    if strides != 1 or tensor.shape[-1] != filters:
        shortcut = keras.layers.Conv2D(filters, 1, strides=strides, use_bias=False,
                                       kernel_regularizer=regularizer,
                                       name=f"{name}_shortcut_conv")(tensor)
        shortcut = keras.layers.BatchNormalization(name=f"{name}_shortcut_bn")(shortcut)
    tensor = keras.layers.Conv2D(filters, 3, strides=strides, padding="same", use_bias=False,
                                 kernel_regularizer=regularizer, name=f"{name}_conv1")(tensor)
    tensor = keras.layers.BatchNormalization(name=f"{name}_bn1")(tensor)
    tensor = keras.layers.ReLU(name=f"{name}_relu1")(tensor)
    tensor = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False,
                                 kernel_regularizer=regularizer, name=f"{name}_conv2")(tensor)
    tensor = keras.layers.BatchNormalization(name=f"{name}_bn2")(tensor)
    tensor = keras.layers.Add(name=f"{name}_add")([tensor, shortcut])
    # (batch, height / strides, width / strides, filters)
    return keras.layers.ReLU(name=f"{name}_out")(tensor)
