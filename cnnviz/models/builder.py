"""Networks written as a list of blocks: the student's own design, and the reports' plain CNNs.

Shapes are worked out with plain arithmetic in :func:`plan_shapes` before any layer exists, for
two reasons: the builder page draws the shape diagram without importing TensorFlow, and a
network that shrinks its map to nothing is refused with a message that names the guilty block
instead of a Keras traceback. :func:`build_from_blocks` then turns the very same plan into a
Functional model, so the diagram and the model can never disagree.

Rules the plan applies on top of the student's blocks:

- a ``rescale`` layer comes first: images arrive as 0..255 pixels and the network scales them
  to 0..1 itself, so a saved model works on raw images;
- a dense block on a 3-D map gets an automatic ``flatten`` in front of it (students forget it,
  and there is only one sensible thing to do);
- the last dense, flatten or global-pool layer is named ``embedding``: its 1-D output is what
  the t-SNE view draws. A network that ends on a 3-D map gets an automatic ``embedding``
  flatten;
- a ``predictions`` dense softmax layer with one unit per class ends the network.

Conv and pool blocks after the map has become a vector are errors, and so is a flatten or
global pool of a vector: there is no map left to work on.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cnnviz.errors import InvalidSpecError, Phrase
from cnnviz.models.spec import BlockSpec, ModelSpec

if TYPE_CHECKING:
    import keras

# Kinds that turn a 3-D map into a vector; the last one (or the last dense) becomes `embedding`.
_VECTOR_MAKERS = ("flatten", "global_pool")
_EMBEDDING_CANDIDATES = ("dense", "flatten", "global_pool")


@dataclass(frozen=True)
class LayerPlan:
    """One layer of a planned network, with the numbers Keras will report for it."""

    name: str  # the Keras layer name, e.g. "conv2", "embedding", "predictions"
    kind: str  # a block kind, or "input", "rescale", "predictions" for layers added here
    output_shape: tuple[int, ...]  # without the batch axis: (height, width, channels) or (units,)
    parameters: int  # equals the Keras layer's count_params() (BatchNorm's moving stats too)
    block_number: int | None  # 1-based position in the student's block list; None when automatic
    description: str  # a short human-readable summary, e.g. "conv 3x3, 32 filters, valid, relu"
    block: BlockSpec | None = None  # the settings the layer is built from; None when automatic


def plan_shapes(
    blocks: tuple[BlockSpec, ...] | list[BlockSpec],
    input_shape: tuple[int, int, int],
    num_classes: int | None = None,
) -> list[LayerPlan]:
    """The layers, output shapes and parameter counts ``blocks`` give on ``input_shape``.

    With ``num_classes`` the plan ends with the ``predictions`` layer; without it (a page that
    does not know the dataset yet) it ends with the ``embedding``.
    Raises :class:`InvalidSpecError` naming the first block that cannot work.
    """
    if not blocks:
        raise InvalidSpecError("error.builder.network_no_blocks_add")
    height, width, channels = _checked_input_shape(input_shape)
    embedding_index = _embedding_index(blocks)

    plans = [
        LayerPlan("image", "input", (height, width, channels), 0, None, "input image, 0..255"),
        LayerPlan("rescale", "rescale", (height, width, channels), 0, None, "pixels / 255"),
    ]
    shape: tuple[int, ...] = (height, width, channels)  # (height, width, channels) or (units,)
    counters: dict[str, int] = {}
    for number, block in enumerate(blocks, start=1):
        if block.kind == "dense" and len(shape) == 3:
            shape = (shape[0] * shape[1] * shape[2],)
            plans.append(LayerPlan("flatten", "flatten", shape, 0, None,
                                   "automatic flatten: a dense block needs a vector"))
        shape, parameters, description = _apply_block(number, block, shape)
        counters[block.kind] = counters.get(block.kind, 0) + 1
        if number - 1 == embedding_index:
            name = "embedding"
        elif block.kind in _VECTOR_MAKERS:
            name = block.kind
        else:
            name = f"{block.kind}{counters[block.kind]}"
        plans.append(LayerPlan(name, block.kind, shape, parameters, number, description, block))

    if embedding_index is None:
        shape = (_size(shape),)
        plans.append(LayerPlan("embedding", "flatten", shape, 0, None,
                               "automatic flatten: the features the classifier reads"))
    if num_classes is not None:
        parameters = (shape[0] + 1) * num_classes
        plans.append(LayerPlan("predictions", "predictions", (num_classes,), parameters, None,
                               f"dense {num_classes}, softmax: one probability per class"))
    return plans


def minimum_input_size(blocks: tuple[BlockSpec, ...] | list[BlockSpec]) -> int:
    """The smallest square side (in pixels) on which ``blocks`` still leave at least a 1x1 map.

    Worked backwards from a 1x1 map at the first flatten, global pool or dense block. Kernels
    and pools are square, so height and width obey the same limit independently. Other mistakes
    (a conv after a dense block) are left to :func:`plan_shapes`.
    """
    map_blocks = []
    for block in blocks:
        if block.kind in _EMBEDDING_CANDIDATES:
            break
        map_blocks.append(block)
    needed = 1  # side of the map after the last map block
    for block in reversed(map_blocks):
        if block.kind == "pool":  # out = floor(side / pool_size)
            needed *= block.pool_size
        elif block.kind == "conv" and block.padding == "valid":  # floor((side - k) / s) + 1
            needed = (needed - 1) * block.strides + block.kernel_size
        elif block.kind == "conv":  # same: ceil(side / s)
            needed = (needed - 1) * block.strides + 1
    return needed


def build_from_blocks(
    blocks: tuple[BlockSpec, ...] | list[BlockSpec],
    input_shape: tuple[int, int, int],
    num_classes: int,
    l1: float = 0.0,
    l2: float = 0.0,
    name: str = "builder",
) -> keras.Model:
    """A Functional model made layer for layer from :func:`plan_shapes` of ``blocks``."""
    import keras

    regularizer = keras.regularizers.L1L2(l1=l1, l2=l2) if l1 > 0 or l2 > 0 else None
    plans = plan_shapes(blocks, input_shape, num_classes)
    inputs = keras.Input(shape=plans[0].output_shape, name=plans[0].name)
    tensor = inputs  # (batch, height, width, channels), later (batch, units)
    for plan in plans[1:]:
        tensor = _keras_layer(plan, num_classes, regularizer)(tensor)
    return keras.Model(inputs, tensor, name=name)


def build_designed(spec: ModelSpec, input_shape: tuple[int, int, int], num_classes: int,
                   l1: float = 0.0, l2: float = 0.0) -> keras.Model:
    """The student's network ``spec.blocks``; ``spec.dropout_rate`` overrides every dropout rate."""
    return build_from_blocks(with_dropout_rate(spec.blocks, spec.dropout_rate), input_shape,
                             num_classes, l1, l2)


def with_dropout_rate(blocks: tuple[BlockSpec, ...],
                      dropout_rate: float | None) -> tuple[BlockSpec, ...]:
    """``blocks`` with every dropout rate replaced by ``dropout_rate`` (None keeps them)."""
    if dropout_rate is None:
        return blocks
    return tuple(dataclasses.replace(block, rate=dropout_rate) if block.kind == "dropout" else block
                 for block in blocks)


def _checked_input_shape(input_shape: tuple[int, ...]) -> tuple[int, int, int]:
    if len(input_shape) != 3 or min(input_shape) < 1:
        raise InvalidSpecError("error.build.input_shape_height_width", input_shape=input_shape)
    height, width, channels = (int(size) for size in input_shape)
    return height, width, channels


def _embedding_index(blocks: tuple[BlockSpec, ...] | list[BlockSpec]) -> int | None:
    """0-based index of the block that becomes `embedding`, or None when one must be added."""
    candidates = [index for index, block in enumerate(blocks)
                  if block.kind in _EMBEDDING_CANDIDATES]
    return candidates[-1] if candidates else None


def _apply_block(number: int, block: BlockSpec,
                 shape: tuple[int, ...]) -> tuple[tuple[int, ...], int, str]:
    """Output shape, parameter count and description of ``block`` applied to ``shape``."""
    kind = block.kind
    if kind in ("conv", "pool", "flatten", "global_pool") and len(shape) == 1:
        raise InvalidSpecError(
            "error.builder.block_needs_d_feature", number=number, label=_label(block),
            size=shape[0])
    if kind == "conv":
        height, width, channels = shape
        if block.padding == "valid":
            if min(height, width) < block.kernel_size:
                raise _too_small(number, block, block.kernel_size, height, width,
                                 Phrase("error.builder.advice_conv"))
            height = (height - block.kernel_size) // block.strides + 1
            width = (width - block.kernel_size) // block.strides + 1
        else:
            height = -(-height // block.strides)
            width = -(-width // block.strides)
        parameters = (block.kernel_size * block.kernel_size * channels + 1) * block.filters
        description = (f"conv {block.kernel_size}x{block.kernel_size}, {block.filters} filters, "
                       f"stride {block.strides}, {block.padding}, {block.activation}")
        return (height, width, block.filters), parameters, description
    if kind == "pool":
        height, width, channels = shape
        if min(height, width) < block.pool_size:
            raise _too_small(number, block, block.pool_size, height, width,
                             Phrase("error.builder.advice_pool"))
        new_shape = (height // block.pool_size, width // block.pool_size, channels)
        return new_shape, 0, _label(block)
    if kind == "batchnorm":
        # gamma and beta (trained) plus moving mean and variance (updated, not trained)
        return shape, 4 * shape[-1], "batch normalisation of each channel"
    if kind == "dropout":
        return shape, 0, f"dropout {block.rate:g} while training"
    if kind == "flatten":
        return (_size(shape),), 0, "flatten the map into a vector"
    if kind == "global_pool":
        return (shape[-1],), 0, f"global {block.pool_type} pool: one value per channel"
    # dense: the caller has already flattened a 3-D map
    parameters = (shape[0] + 1) * block.units
    return (block.units,), parameters, f"dense {block.units}, {block.activation}"


def _label(block: BlockSpec) -> str:
    """How a block is named in error messages, e.g. "conv 3x3, valid" or "max pool 2x2"."""
    if block.kind == "conv":
        return f"conv {block.kernel_size}x{block.kernel_size}, {block.padding}"
    if block.kind == "pool":
        return f"{block.pool_type} pool {block.pool_size}x{block.pool_size}"
    return block.kind.replace("_", " ")


def _too_small(number: int, block: BlockSpec, needed: int, height: int, width: int,
               advice: Phrase) -> InvalidSpecError:
    return InvalidSpecError(
        "error.builder.block_needs_map_least", number=number, label=_label(block),
        needed=needed, height=height, width=width, advice=advice)


def _size(shape: tuple[int, ...]) -> int:
    size = 1
    for length in shape:
        size *= length
    return size


def _keras_layer(plan: LayerPlan, num_classes: int,
                 regularizer: keras.regularizers.Regularizer | None) -> keras.layers.Layer:
    """The Keras layer that realises one planned layer."""
    import keras

    block = plan.block
    if plan.kind == "rescale":
        return keras.layers.Rescaling(1 / 255, name=plan.name)
    if plan.kind == "predictions":
        return keras.layers.Dense(num_classes, activation="softmax", kernel_regularizer=regularizer,
                                  name=plan.name)
    if plan.kind == "flatten":
        return keras.layers.Flatten(name=plan.name)
    if plan.kind == "conv":
        return keras.layers.Conv2D(block.filters, block.kernel_size, strides=block.strides,
                                   padding=block.padding, activation=block.activation,
                                   kernel_regularizer=regularizer, name=plan.name)
    if plan.kind == "pool":
        if block.pool_type == "max":
            return keras.layers.MaxPooling2D(pool_size=block.pool_size, name=plan.name)
        return keras.layers.AveragePooling2D(pool_size=block.pool_size, name=plan.name)
    if plan.kind == "batchnorm":
        return keras.layers.BatchNormalization(name=plan.name)
    if plan.kind == "dropout":
        return keras.layers.Dropout(block.rate, name=plan.name)
    if plan.kind == "global_pool":
        if block.pool_type == "max":
            return keras.layers.GlobalMaxPooling2D(name=plan.name)
        return keras.layers.GlobalAveragePooling2D(name=plan.name)
    return keras.layers.Dense(block.units, activation=block.activation,
                              kernel_regularizer=regularizer, name=plan.name)
