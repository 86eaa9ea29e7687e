"""Model building: the reports' parameter counts, the conventions the engine relies on
(Functional, named `embedding` and `predictions`, safe save and load), transfer learning and the
layer table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import pytest

from cnnviz.errors import InvalidSpecError
from cnnviz.models import ARCHITECTURES, MLP_PRESETS, BlockSpec, ModelSpec, build_model, layer_table
from cnnviz.models.totals import parameter_totals
from cnnviz.models.transfer import TRANSFER_BASES, base_layer, set_fine_tuning

ROOT = Path(__file__).resolve().parents[3]


def trainable_count(model: keras.Model) -> int:
    return int(sum(np.prod(weight.shape) for weight in model.trainable_weights))


def output_sizes(model: keras.Model, prefix: str) -> list[int]:
    return [layer.output.shape[1] for layer in model.layers if layer.name.startswith(prefix)]


def test_importing_the_models_package_does_not_import_tensorflow() -> None:
    code = ("import sys, cnnviz.models, cnnviz.models.registry, cnnviz.models.build;"
            "cnnviz.models.plan_shapes((cnnviz.models.BlockSpec('dense'),), (28, 28, 1), 10);"
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


# --- the reports' numbers ---------------------------------------------------------------------

def test_the_art_cnn_has_report_a_parameters_and_map_sizes() -> None:
    model = build_model(ModelSpec(architecture="art_cnn"), (64, 64, 3), 4).model
    assert model.count_params() == 1_459_204
    sizes = [layer.output.shape[1] for layer in model.layers if layer.name[:4] in ("conv", "pool")]
    assert sizes == [62, 31, 29, 27, 13, 11, 9, 4]
    assert model.get_layer("flatten").output.shape == (None, 2048)


def test_the_fashion_cnn_matches_a_hand_count() -> None:
    model = build_model(ModelSpec(architecture="fashion_cnn"), (28, 28, 1), 10).model
    conv1 = (3 * 3 * 1 + 1) * 32  # 28 -> 26 -> pool 13
    conv2 = (3 * 3 * 32 + 1) * 64  # 13 -> 11 -> pool 5: flatten 5 * 5 * 64 = 1600
    dense = (1600 + 1) * 600 + (600 + 1) * 120 + (120 + 1) * 10
    assert model.count_params() == conv1 + conv2 + dense == 1_052_746


def test_the_attribute_cnn_has_report_e_parameters() -> None:
    model = build_model(ModelSpec(architecture="attribute_cnn"), (218, 178, 3), 2).model
    assert model.count_params() == 623_490
    assert output_sizes(model, "pool") == [109, 54, 27, 13]


def test_resnet18_has_the_published_size_and_outputs_logits() -> None:
    imagenet = build_model(ModelSpec(architecture="resnet18"), (224, 224, 3), 1000).model
    assert trainable_count(imagenet) == 11_689_512  # torchvision's resnet18, same layout
    built = build_model(ModelSpec(architecture="resnet18"), (32, 32, 1), 10, seed=0)
    assert built.outputs_logits
    assert built.model.get_layer("predictions").get_config()["activation"] == "linear"
    assert built.model.get_layer("embedding").output.shape == (None, 512)
    assert output_sizes(built.model, "conv1") == [32]  # small images: 3x3 stem, no pooling
    assert output_sizes(imagenet, "pool1") == [56]  # large images: 7x7/2 stem and max pool
    images = np.random.default_rng(0).uniform(0, 255, (4, 32, 32, 1))
    logits = built.model.predict(images, verbose=0)
    assert not np.allclose(logits.sum(axis=1), 1.0)


def test_mlp_presets_follow_report_d() -> None:
    assert [spec.hidden_units for spec in MLP_PRESETS.values()] == [2048, 512]
    model = build_model(MLP_PRESETS["mlp_512"], (28, 28, 1), 10).model
    assert model.count_params() == (784 + 1) * 512 + (512 + 1) * 10
    assert [layer.name for layer in model.layers] == ["image", "rescale", "flatten", "embedding",
                                                      "predictions"]
    with_dropout = build_model(ModelSpec(architecture="mlp", dropout_rate=0.2), (28, 28, 1), 10)
    assert with_dropout.model.get_layer("dropout1").rate == 0.2


# --- every architecture keeps the engine's conventions ----------------------------------------

def small_input(key: str) -> tuple[int, int, int]:
    channels = ARCHITECTURES[key].default_input[2]
    if key.startswith("art_cnn"):
        return (48, 48, channels)  # the five-conv variant needs at least 46 pixels
    if key == "attribute_cnn":
        return (32, 28, channels)  # not square, like the 218x178 faces
    if key == "resnet18":
        return (16, 16, channels)  # its stride-1 stem on small images is costly on a CPU
    return (32, 32, channels)


def spec_for(key: str) -> ModelSpec:
    if key == "transfer":
        return ModelSpec(architecture="transfer", base="mobilenet_v2", weights=None)
    if key == "builder":
        return ModelSpec(architecture="builder", blocks=(
            BlockSpec("conv", filters=8), BlockSpec("pool"), BlockSpec("batchnorm"),
            BlockSpec("dense", units=16), BlockSpec("dropout")))
    return ModelSpec(architecture=key)


@pytest.mark.parametrize("key", list(ARCHITECTURES))
def test_every_architecture_trains_saves_and_loads(key: str, tmp_path: Path) -> None:
    input_shape = small_input(key)
    built = build_model(spec_for(key), input_shape, num_classes=3, seed=1)
    model = built.model
    assert built.outputs_logits == ARCHITECTURES[key].outputs_logits
    assert built.notices == []
    assert isinstance(model, keras.Model) and model.__class__.__name__ == "Functional"
    assert model.get_layer("image").output.shape == (None, *input_shape)
    assert len(model.get_layer("embedding").output.shape) == 2  # (batch, features)
    assert model.get_layer("predictions").output.shape == (None, 3)

    rng = np.random.default_rng(0)
    images = rng.uniform(0, 255, (32, *input_shape)).astype("float32")
    labels = rng.integers(0, 3, 32)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=built.outputs_logits)
    # Eager: tracing ResNet-18's train step alone takes 10 s on 2 CPUs; the graph-mode path is
    # covered by the two-phase fine-tuning test below.
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"], run_eagerly=True)
    history = model.fit(images, labels, batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])

    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    np.testing.assert_allclose(loaded.predict(images[:4], verbose=0),
                               model.predict(images[:4], verbose=0), rtol=1e-4, atol=1e-5)


def test_the_same_seed_gives_the_same_weights() -> None:
    first, second = (build_model(ModelSpec(architecture="fashion_cnn"), (28, 28, 1), 10, seed=3)
                     for _ in range(2))
    for weight, other in zip(first.model.weights, second.model.weights, strict=True):
        np.testing.assert_array_equal(weight.numpy(), other.numpy())


def test_dropout_rate_overrides_the_architectures_own() -> None:
    model = build_model(ModelSpec(architecture="art_cnn", dropout_rate=0.1), (64, 64, 3), 4).model
    rates = [layer.rate for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    assert rates == [0.1] * 4
    default = build_model(ModelSpec(architecture="art_cnn"), (64, 64, 3), 4).model
    assert [layer.rate for layer in default.layers if isinstance(layer, keras.layers.Dropout)] == [
        0.25, 0.25, 0.25, 0.30]


def test_regularisation_reaches_our_kernels() -> None:
    model = build_model(ModelSpec(architecture="simple_bn_cnn"), (16, 16, 1), 5, l2=1e-3).model
    regularized = {layer.name for layer in model.layers
                   if getattr(layer, "kernel_regularizer", None) is not None}
    assert regularized == {"conv1", "conv2", "conv3", "embedding", "predictions"}


# --- errors a student can act on ----------------------------------------------------------------

def test_unknown_architecture_and_single_class_are_refused() -> None:
    with pytest.raises(InvalidSpecError, match="Unknown architecture 'lenet'"):
        build_model(ModelSpec(architecture="lenet"), (28, 28, 1), 10)
    with pytest.raises(InvalidSpecError, match="at least 2 classes"):
        build_model(ModelSpec(), (28, 28, 1), 1)
    with pytest.raises(InvalidSpecError, match="height, width, channels"):
        build_model(ModelSpec(), (28, 28), 10)


@pytest.mark.parametrize("key, shape, minimum", [
    ("art_cnn", (33, 64, 3), 34),
    ("simple_bn_cnn", (7, 7, 1), 8),
    ("attribute_cnn", (15, 40, 3), 16),
])
def test_too_small_images_are_refused_before_keras_sees_them(key, shape, minimum) -> None:
    expected = f"at least {minimum}x{minimum} pixels.*these are {shape[0]}x{shape[1]}"
    with pytest.raises(InvalidSpecError, match=expected):
        build_model(ModelSpec(architecture=key), shape, 4)


def test_a_student_network_too_small_for_its_input_names_the_block() -> None:
    spec = ModelSpec(architecture="builder", blocks=(BlockSpec("conv", kernel_size=5),))
    with pytest.raises(InvalidSpecError, match="Block 1 \\(conv 5x5, valid\\)"):
        build_model(spec, (4, 4, 1), 2)


# --- transfer learning ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def transfer_models() -> dict[str, keras.Model]:
    """Each base built once, on small grayscale images, without downloading weights."""
    return {base: build_model(ModelSpec(architecture="transfer", base=base, weights=None,
                                        head_units=(32, 16)), (32, 32, 1), 5).model
            for base in TRANSFER_BASES}


@pytest.mark.parametrize("base", list(TRANSFER_BASES))
def test_a_transfer_model_freezes_its_base_and_trains_only_the_head(base, transfer_models) -> None:
    model = transfer_models[base]
    assert [layer.name for layer in model.layers][:2] == ["image", "gray_to_rgb"]
    nested = base_layer(model)
    assert nested.name == f"base_{base}" and not nested.trainable
    minimum = TRANSFER_BASES[base].minimum_size
    assert nested.input.shape == (None, max(32, minimum), max(32, minimum), 3)
    assert model.get_layer("feature_map").output.shape == nested.output.shape  # 4-D, for Grad-CAM
    head = ["head_dense1", "embedding", "predictions"]
    expected = sum(model.get_layer(name).count_params() for name in head)
    assert trainable_count(model) == expected == (
        nested.output.shape[-1] + 1) * 32 + (32 + 1) * 16 + (16 + 1) * 5


@pytest.mark.parametrize("base", list(TRANSFER_BASES))
def test_fine_tuning_unfreezes_the_top_layers_but_not_batch_norm(base, transfer_models) -> None:
    model = transfer_models[base]
    frozen_count = trainable_count(model)
    unfrozen = set_fine_tuning(model, 5)
    nested = base_layer(model)
    tunable = [layer for layer in nested.layers
               if layer.weights and not isinstance(layer, keras.layers.BatchNormalization)]
    assert unfrozen == 5
    assert [layer for layer in nested.layers if layer.trainable] == tunable[-5:]
    assert not any(isinstance(layer, keras.layers.BatchNormalization) and layer.trainable
                   for layer in nested.layers)
    assert trainable_count(model) > frozen_count
    assert set_fine_tuning(model, 0) == 0
    assert trainable_count(model) == frozen_count


def test_two_phase_training_changes_only_the_head_then_the_top_of_the_base() -> None:
    """What the engine does for report B: train the head, unfreeze the top, recompile, train."""
    model = build_model(ModelSpec(architecture="transfer", base="mobilenet_v2", weights=None),
                        (32, 32, 1), 3, seed=0).model
    nested = base_layer(model)
    rng = np.random.default_rng(0)
    images = rng.uniform(0, 255, (16, 32, 32, 1)).astype("float32")
    labels = rng.integers(0, 3, 16)

    def snapshot() -> dict[str, list[np.ndarray]]:
        return {layer.name: [weight.numpy().copy() for weight in layer.weights]
                for layer in nested.layers if layer.weights}

    def changed(before, after) -> set[str]:
        return {name for name in before
                if any(not np.array_equal(old, new) for old, new in zip(before[name], after[name]))}

    start = snapshot()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", jit_compile=False)
    model.fit(images, labels, batch_size=8, epochs=1, verbose=0)
    after_head = snapshot()
    assert changed(start, after_head) == set()  # BN statistics too: the base runs in inference mode

    set_fine_tuning(model, 2)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  jit_compile=False)
    model.fit(images, labels, batch_size=8, epochs=1, verbose=0)
    assert changed(after_head, snapshot()) == {"Conv_1", "block_16_project"}


def test_grad_cam_can_reach_the_base_feature_map(transfer_models) -> None:
    model = transfer_models["vgg16"]
    grad_model = keras.Model(model.input, [model.get_layer("feature_map").output, model.output])
    feature_map, predictions = grad_model(np.zeros((2, 32, 32, 1), "float32"))
    assert feature_map.shape == (2, 1, 1, 512) and predictions.shape == (2, 5)


def test_the_caffe_preprocessing_layer_survives_a_safe_save_and_load(transfer_models,
                                                                     tmp_path: Path) -> None:
    model = transfer_models["vgg16"]
    path = tmp_path / "vgg16.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)  # cnnviz.models.layers is imported
    assert type(loaded.get_layer("preprocess")).__name__ == "CaffePreprocess"
    images = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 1)).astype("float32")
    np.testing.assert_allclose(loaded.predict(images, verbose=0), model.predict(images, verbose=0),
                               rtol=1e-4, atol=1e-5)


def test_fine_tuning_a_model_without_a_base_is_refused() -> None:
    model = build_model(ModelSpec(architecture="mlp"), (28, 28, 1), 10).model
    with pytest.raises(InvalidSpecError, match="no pre-trained base"):
        set_fine_tuning(model, 3)


def test_preprocessing_layers_match_keras_applications() -> None:
    images = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    caffe = build_model(ModelSpec(architecture="transfer", base="vgg16", weights=None),
                        (32, 32, 3), 2).model.get_layer("preprocess")
    np.testing.assert_allclose(caffe(images),
                               keras.applications.vgg16.preprocess_input(images.copy()),
                               rtol=1e-5, atol=1e-4)
    tf_mode = build_model(ModelSpec(architecture="transfer", base="mobilenet_v2", weights=None),
                          (96, 96, 3), 2).model.get_layer("preprocess")
    np.testing.assert_allclose(tf_mode(images),
                               keras.applications.mobilenet_v2.preprocess_input(images.copy()),
                               rtol=1e-5, atol=1e-5)


def test_unavailable_imagenet_weights_fall_back_to_random_with_a_notice(monkeypatch) -> None:
    original = keras.applications.MobileNetV2

    def offline(*args, weights="imagenet", **kwargs):
        if weights == "imagenet":
            raise Exception("URL fetch failure on https://storage.googleapis.com/... -- no network")
        return original(*args, weights=weights, **kwargs)

    monkeypatch.setattr(keras.applications, "MobileNetV2", offline)
    built = build_model(ModelSpec(architecture="transfer", base="mobilenet_v2", weights="imagenet"),
                        (32, 32, 3), 4)
    assert len(built.notices) == 1
    assert "URL fetch failure" in built.notices[0] and "random weights" in built.notices[0]
    assert built.model.get_layer("predictions").output.shape == (None, 4)


def test_a_transfer_model_without_head_layers_reads_its_embedding_from_the_pooling() -> None:
    spec = ModelSpec(architecture="transfer", base="vgg16", weights=None, head_units=())
    model = build_model(spec, (32, 32, 3), 2).model
    assert [layer.name for layer in model.layers][-3:] == ["feature_map", "embedding", "predictions"]
    assert model.get_layer("embedding").output.shape == (None, 512)


def test_transfer_refuses_images_that_are_neither_colour_nor_grayscale() -> None:
    with pytest.raises(InvalidSpecError, match="2 channels"):
        build_model(ModelSpec(architecture="transfer", weights=None), (32, 32, 2), 3)


# --- the layer table --------------------------------------------------------------------------

def test_the_layer_table_is_one_row_per_layer_and_adds_up(transfer_models) -> None:
    model = build_model(ModelSpec(architecture="fashion_cnn"), (28, 28, 1), 10).model
    table = layer_table(model)
    assert list(table.columns) == ["name", "type", "output_shape", "parameters",
                                   "trainable_parameters", "shape"]
    assert table.set_index("name").loc["conv1", "shape"] == (26, 26, 32)
    assert table.set_index("name").loc["predictions", "shape"] == (10,)
    assert len(table) == len(model.layers)
    assert table.parameters.sum() == model.count_params()
    assert table.set_index("name").loc["conv1", "output_shape"] == "(None, 26, 26, 32)"
    assert table.set_index("name").loc["conv1", "type"] == "Conv2D"

    transfer = transfer_models["resnet50"]
    set_fine_tuning(transfer, 0)
    table = layer_table(transfer)
    assert (table.name == "base_resnet50").sum() == 1 and len(table) == len(transfer.layers)
    assert table.parameters.sum() == transfer.count_params()
    assert table.trainable_parameters.sum() == trainable_count(transfer)
    assert table.set_index("name").loc["base_resnet50", "trainable_parameters"] == 0
    assert parameter_totals(table) == (transfer.count_params(), trainable_count(transfer))


def test_the_parameter_totals_add_up_the_layer_table_as_plain_integers() -> None:
    table = pd.DataFrame({"name": ["conv", "norm", "base"], "parameters": [320, 128, 1000],
                          "trainable_parameters": [320, 64, 0]})
    totals = parameter_totals(table)
    assert totals == (1448, 384) and (totals.total, totals.trainable) == (1448, 384)
    assert all(type(count) is int for count in totals)
    assert parameter_totals(table.iloc[:0]) == (0, 0)
