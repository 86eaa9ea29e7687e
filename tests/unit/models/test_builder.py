"""The block builder: shape plan arithmetic, its errors, and agreement with Keras."""

from __future__ import annotations

import pytest

from cnnviz.errors import InvalidSpecError
from cnnviz.models.builder import build_from_blocks, minimum_input_size, plan_shapes
from cnnviz.models.report_blocks import ART_CNN_BLOCKS
from cnnviz.models.spec import BlockSpec

# Every block kind and option at least once: strides, both paddings, both pool types, an
# automatic flatten (dense on a 3-D map), batch norm on a map and on a vector.
VARIED_BLOCKS = (
    BlockSpec("conv", filters=8, kernel_size=3, strides=2, padding="same", activation="elu"),
    BlockSpec("batchnorm"),
    BlockSpec("conv", filters=16, kernel_size=5, padding="valid", activation="leaky_relu"),
    BlockSpec("pool", pool_type="average", pool_size=3),
    BlockSpec("dropout", rate=0.1),
    BlockSpec("conv", filters=4, kernel_size=1, activation="gelu"),
    BlockSpec("dense", units=20, activation="tanh"),
    BlockSpec("batchnorm"),
    BlockSpec("dense", units=12, activation="sigmoid"),
    BlockSpec("dropout", rate=0.2),
)


def keras_rows(model) -> list[tuple[str, tuple[int, ...], int]]:
    return [(layer.name, tuple(layer.output.shape)[1:], layer.count_params())
            for layer in model.layers]


def plan_rows(plans) -> list[tuple[str, tuple[int, ...], int]]:
    return [(plan.name, plan.output_shape, plan.parameters) for plan in plans]


@pytest.mark.parametrize("blocks, input_shape", [
    (VARIED_BLOCKS, (37, 29, 3)),
    (ART_CNN_BLOCKS, (64, 64, 3)),
    ((BlockSpec("conv", filters=6), BlockSpec("pool", pool_type="max"),
      BlockSpec("global_pool", pool_type="max")), (20, 20, 1)),
    ((BlockSpec("conv", filters=6), BlockSpec("global_pool", pool_type="average"),
      BlockSpec("dense", units=5)), (12, 16, 2)),
    ((BlockSpec("conv", filters=6, padding="same"),), (9, 9, 1)),
])
def test_the_plan_gives_the_names_shapes_and_parameters_keras_reports(blocks, input_shape) -> None:
    model = build_from_blocks(blocks, input_shape, num_classes=7)
    assert plan_rows(plan_shapes(blocks, input_shape, num_classes=7)) == keras_rows(model)


def test_the_plan_names_layers_and_marks_what_it_added() -> None:
    plans = plan_shapes(VARIED_BLOCKS, (37, 29, 3), num_classes=7)
    assert [plan.name for plan in plans] == [
        "image", "rescale", "conv1", "batchnorm1", "conv2", "pool1", "dropout1", "conv3",
        "flatten", "dense1", "batchnorm2", "embedding", "dropout2", "predictions",
    ]
    automatic = [plan.name for plan in plans if plan.block_number is None]
    assert automatic == ["image", "rescale", "flatten", "predictions"]
    flatten = plans[8]
    assert flatten.kind == "flatten" and "automatic" in flatten.description
    assert flatten.output_shape == (5 * 3 * 4,)  # 37x29 -> 19x15 -> 15x11 -> 5x3 (pool 3)
    assert plans[11].block_number == 9 and plans[11].output_shape == (12,)
    assert plans[-1].output_shape == (7,) and plans[-1].parameters == 13 * 7


def test_a_network_ending_on_a_map_gets_an_automatic_embedding_flatten() -> None:
    plans = plan_shapes((BlockSpec("conv", filters=6), BlockSpec("pool")), (10, 10, 1))
    assert plans[-1].name == "embedding" and plans[-1].block_number is None
    assert plans[-1].output_shape == (4 * 4 * 6,)  # no num_classes: the plan ends here


def test_a_too_small_map_names_the_block_and_the_shapes() -> None:
    blocks = (BlockSpec("conv"), BlockSpec("pool"), BlockSpec("conv"), BlockSpec("dropout"),
              BlockSpec("conv"))  # 10 -> 8 -> 4 -> 2, then a 3x3 kernel on a 2x2 map
    with pytest.raises(InvalidSpecError) as error:
        plan_shapes(blocks, (10, 10, 1))
    assert str(error.value) == ("Block 5 (conv 3x3, valid) needs a map of at least 3x3 but gets "
                                "2x2 — use padding 'same' or remove a pooling block")


def test_a_pool_on_a_too_small_map_is_refused() -> None:
    blocks = (BlockSpec("conv", kernel_size=5), BlockSpec("pool", pool_size=4))
    expected = r"Block 2 \(max pool 4x4\) .* at least 4x4 but gets 3x2"
    with pytest.raises(InvalidSpecError, match=expected):
        plan_shapes(blocks, (7, 6, 1))


@pytest.mark.parametrize("blocks, number", [
    ((BlockSpec("dense"), BlockSpec("conv")), 2),
    ((BlockSpec("flatten"), BlockSpec("pool")), 2),
    ((BlockSpec("global_pool"), BlockSpec("dropout"), BlockSpec("flatten")), 3),
    ((BlockSpec("dense"), BlockSpec("global_pool")), 2),
])
def test_map_blocks_after_the_map_became_a_vector_are_refused(blocks, number) -> None:
    with pytest.raises(InvalidSpecError, match=f"Block {number} .* needs a 2-D feature map"):
        plan_shapes(blocks, (28, 28, 1), num_classes=10)


def test_an_empty_network_and_a_bad_input_shape_are_refused() -> None:
    with pytest.raises(InvalidSpecError, match="no blocks"):
        plan_shapes((), (28, 28, 1))
    with pytest.raises(InvalidSpecError, match="height, width, channels"):
        plan_shapes((BlockSpec("dense"),), (28, 28))


@pytest.mark.parametrize("blocks", [
    ART_CNN_BLOCKS,
    VARIED_BLOCKS,
    (BlockSpec("conv", kernel_size=4, strides=3), BlockSpec("pool", pool_size=3),
     BlockSpec("conv", padding="same", strides=2), BlockSpec("conv", kernel_size=2)),
    (BlockSpec("dense"),),
])
def test_the_minimum_input_size_is_the_smallest_size_the_plan_accepts(blocks) -> None:
    minimum = minimum_input_size(blocks)
    plan_shapes(blocks, (minimum, minimum + 5, 1))
    if minimum > 1:
        with pytest.raises(InvalidSpecError, match="needs a map of at least"):
            plan_shapes(blocks, (minimum + 5, minimum - 1, 1))


def test_the_art_cnn_minimum_input_size_is_what_keras_accepts() -> None:
    # 34 -> 32 -> 16 -> 14 -> 12 -> 6 -> 4 -> 2 -> 1
    assert minimum_input_size(ART_CNN_BLOCKS) == 34
    with pytest.raises(InvalidSpecError):
        plan_shapes(ART_CNN_BLOCKS, (33, 64, 3))
    assert build_from_blocks(ART_CNN_BLOCKS, (34, 34, 3), 4).get_layer("pool3").output.shape == (
        None, 1, 1, 128)


def test_regularisation_reaches_every_conv_and_dense_kernel() -> None:
    blocks = (BlockSpec("conv"), BlockSpec("flatten"), BlockSpec("dense"))
    model = build_from_blocks(blocks, (8, 8, 1), 3, l1=1e-4, l2=1e-3)
    regularized = [layer.name for layer in model.layers
                   if getattr(layer, "kernel_regularizer", None) is not None]
    assert regularized == ["conv1", "embedding", "predictions"]
    plain = build_from_blocks(blocks, (8, 8, 1), 3)
    assert all(getattr(layer, "kernel_regularizer", None) is None for layer in plain.layers)
