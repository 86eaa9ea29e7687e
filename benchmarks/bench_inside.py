"""Look-inside benchmark: the feature maps of every layer of one image, computed and tiled, and
its Grad-CAM, warm, against the naive ways measured in the same process.

    python benchmarks/bench_inside.py [--repeat 20] [--warmup 3]

The requirement: all feature maps of every layer of the Art CNN for one 64x64 image, computed
and tiled, in under 300 ms warm (one forward pass for all layers, model cached); Grad-CAM under
500 ms. Our path is ``RunModel.layer_maps`` (one probe with an output per spatial layer) and
``tile_maps`` of every channel of every layer, ordered by ``channel_order``: the page tiles one
layer at a time, so tiling them all is the worst case. The baseline is the naive way: one
``keras.Model`` per layer, each called on the image (models built once beforehand, so only the
forward passes are timed), with the same tiling; it repeats the early layers for every layer.
Grad-CAM is ``RunModel.gradcam`` (its probe built once) against keras-io's recipe, which builds
the gradient model on every call and differentiates the model's output. ResNet-18 at 32x32x3 is
printed for information (no target). The models are untrained (fixed seed): the time does not
depend on the weights.

Feature visualisation: the time per filter of our gradient ascent (``FILTERS`` filters of the
first convolution optimised together in one batch, the page's settings) against keras-io's way,
one filter at a time (the same steps and regularisers, a batch of one), each call timed whole
(its ``tf.function`` tracing included, as on the page). Integrated Gradients at 50 steps: our
one batched pass over the 51 points of the path against one gradient call per point.

Every figure is the median of ``--repeat`` calls after ``--warmup``
calls, all measured ways taking turns in each round; the load average is printed because the
figures depend on what else holds the cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CLASSES = 4
ART_SHAPE = (64, 64, 3)
RESNET_SHAPE = (32, 32, 3)
ART_TARGET_MS = 300.0
FILTERS = 8
IG_STEPS = 50
GRADCAM_TARGET_MS = 500.0


def medians_ms(functions: dict[str, Callable[[], object]], repeat: int,
               warmup: int) -> dict[str, float]:
    """Median wall-clock milliseconds of each function over ``repeat`` rounds after ``warmup``.

    The functions take turns within each round, so that a change of load on the machine during
    the run weighs on all of them alike rather than on whichever was measured last.
    """
    for _ in range(warmup):
        for function in functions.values():
            function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            started = time.perf_counter()
            function()
            times[name].append((time.perf_counter() - started) * 1000.0)
    return {name: statistics.median(values) for name, values in times.items()}


def tile_all(maps: list) -> list[np.ndarray]:
    """Every channel of every layer tiled, most active first."""
    from cnnviz.inside.activations import channel_order, tile_maps

    return [tile_maps(layer.maps, channel_order(layer.maps)) for layer in maps]


def per_layer_models(model) -> list:
    """The naive probes: one ``keras.Model`` per spatial layer."""
    import keras

    from cnnviz.inside.activations import spatial_layers

    return [keras.Model(model.inputs, layer.output, name=f"only_{layer.name}")
            for layer in spatial_layers(model)]


def per_layer_maps(model, probes: list, image: np.ndarray) -> list:
    """Maps of every spatial layer, one forward pass per layer (the naive way)."""
    import keras

    from cnnviz.inside.activations import LayerMaps, spatial_layers

    batch = image[np.newaxis].astype(np.float32)
    return [LayerMaps(layer.name, type(layer).__name__,
                      keras.ops.convert_to_numpy(probe([batch], training=False))[0]
                      .astype(np.float32))
            for layer, probe in zip(spatial_layers(model), probes)]


def keras_io_gradcam(model, layer_name: str, image: np.ndarray, class_index: int) -> np.ndarray:
    """keras-io ``examples/vision/grad_cam.py``: the gradient model built on every call."""
    import keras
    import tensorflow as tf

    grad_model = keras.models.Model(model.inputs,
                                    [model.get_layer(layer_name).output, model.output])
    batch = image[np.newaxis].astype(np.float32)
    with tf.GradientTape() as tape:
        maps, predictions = grad_model([batch])  # a list, as the model's inputs
        score = predictions[:, class_index]
    gradients = tape.gradient(score, maps)
    weights = tf.reduce_mean(gradients, axis=(0, 1, 2))
    heat = tf.squeeze(maps[0] @ weights[..., tf.newaxis])
    heat = tf.maximum(heat, 0) / tf.math.reduce_max(heat)
    return heat.numpy()


def keras_io_filters(model, layer_name: str, filters: int, shape: tuple[int, int, int]):
    """Feature visualisation one filter at a time, as keras-io's example loops over filters."""
    from dataclasses import replace

    from cnnviz.inside.feature_vis import (AscentSettings, ascend, filter_objective,
                                           layer_probe)

    objective = filter_objective(layer_probe(model, layer_name, before_activation=True))
    one_at_a_time = replace(AscentSettings(), batch_size=1)
    return ascend(objective, list(range(filters)), shape, one_at_a_time)


def batched_filters(model, layer_name: str, filters: int, shape: tuple[int, int, int]):
    """Our way: every filter in one batch."""
    from cnnviz.inside.feature_vis import ascend, filter_objective, layer_probe

    objective = filter_objective(layer_probe(model, layer_name, before_activation=True))
    return ascend(objective, list(range(filters)), shape)


def pointwise_integrated_gradients(scores, image: np.ndarray, class_index: int) -> np.ndarray:
    """Integrated Gradients with one gradient call per point of the path (the naive way)."""
    from cnnviz.inside.attribution import saliency

    alphas = np.linspace(0.0, 1.0, IG_STEPS + 1, dtype=np.float32)
    gradients = np.stack([saliency(scores, alpha * image.astype(np.float32), class_index)
                          for alpha in alphas])
    return image * ((gradients[:-1] + gradients[1:]) / 2).mean(axis=0)


def bench(architecture: str, shape: tuple[int, int, int], repeat: int, warmup: int) -> dict:
    """Every figure of one architecture (times in milliseconds)."""
    from cnnviz.models.build import build_model
    from cnnviz.models.spec import ModelSpec
    from cnnviz.preprocessing import ImageFormat
    from cnnviz.training.inference import run_model_from

    built = build_model(ModelSpec(architecture=architecture), shape, CLASSES, seed=0)
    model = built.model
    run_model = run_model_from(model, built.outputs_logits, ImageFormat(*shape))
    probes = per_layer_models(model)
    image = np.random.default_rng(0).integers(0, 256, size=shape, dtype=np.uint8)

    ours_maps, _ = run_model.layer_maps(image)
    naive_maps = per_layer_maps(model, probes, image)
    largest_difference = max(float(np.abs(a.maps - b.maps).max())
                             for a, b in zip(ours_maps, naive_maps))
    channels = sum(layer.maps.shape[-1] for layer in ours_maps)
    figures = medians_ms({
        "ours": lambda: tile_all(run_model.layer_maps(image)[0]),
        "naive": lambda: tile_all(per_layer_maps(model, probes, image)),
        "ours_forward": lambda: run_model.layer_maps(image),
        "tiling": lambda: tile_all(ours_maps),
        "gradcam": lambda: run_model.gradcam(image, 0),
        "gradcam_naive": lambda: keras_io_gradcam(model, run_model.cam_layer, image, 0),
    }, repeat, warmup)
    figures.update(layers=len(ours_maps), channels=channels, difference=largest_difference,
                   cam_layer=run_model.cam_layer)
    figures.update(attribution_figures(model, shape, image, repeat, warmup))
    return figures


def attribution_figures(model, shape: tuple[int, int, int], image: np.ndarray, repeat: int,
                        warmup: int) -> dict:
    """Feature visualisation per filter and Integrated Gradients at 50 steps, ours and naive."""
    from cnnviz.inside.attribution import class_scores, integrated_gradients
    from cnnviz.inside.feature_vis import conv_layer_names

    layer = conv_layer_names(model)[0]
    # Whole ascents take seconds: a few rounds, no warm-up (each call traces anew anyway).
    ascent = medians_ms({
        "filters": lambda: batched_filters(model, layer, FILTERS, shape),
        "filters_naive": lambda: keras_io_filters(model, layer, FILTERS, shape),
    }, max(1, repeat // 10), 0)
    scores = class_scores(model)
    ours = integrated_gradients(scores, image, 0, IG_STEPS).attributions
    naive = pointwise_integrated_gradients(scores, image, 0)
    integrated = medians_ms({
        "ig": lambda: integrated_gradients(scores, image, 0, IG_STEPS),
        "ig_naive": lambda: pointwise_integrated_gradients(scores, image, 0),
    }, repeat, warmup)
    return {"filter_ms": ascent["filters"] / FILTERS,
            "filter_naive_ms": ascent["filters_naive"] / FILTERS, "filter_layer": layer,
            "ig": integrated["ig"], "ig_naive": integrated["ig_naive"],
            "ig_difference": float(np.abs(ours - naive).max() / max(np.abs(naive).max(), 1e-12))}


def report(name: str, figures: dict, targets: bool) -> None:
    maps_target = f" (target < {ART_TARGET_MS:.0f} ms)" if targets else ""
    cam_target = f" (target < {GRADCAM_TARGET_MS:.0f} ms)" if targets else ""
    print(f"{name}: {figures['layers']} spatial layers, {figures['channels']} maps; "
          f"largest difference one pass / per layer: {figures['difference']:.2g}")
    print(f"feature maps + tiles, {name}: {figures['ours']:.0f} ms{maps_target}; "
          f"per-layer baseline {figures['naive']:.0f} ms; "
          f"ratio {figures['naive'] / figures['ours']:.1f}x")
    print(f"  of which one forward pass {figures['ours_forward']:.0f} ms, "
          f"tiling every layer {figures['tiling']:.0f} ms")
    print(f"Grad-CAM at {figures['cam_layer']}, {name}: {figures['gradcam']:.0f} ms{cam_target}; "
          f"keras-io baseline (model built per call) {figures['gradcam_naive']:.0f} ms; "
          f"ratio {figures['gradcam_naive'] / figures['gradcam']:.1f}x")
    print(f"feature visualisation of {figures['filter_layer']}, {name}: "
          f"{figures['filter_ms']:.0f} ms per filter ({FILTERS} in one batch); one filter at a "
          f"time {figures['filter_naive_ms']:.0f} ms per filter; "
          f"ratio {figures['filter_naive_ms'] / figures['filter_ms']:.1f}x")
    print(f"Integrated Gradients, {IG_STEPS} steps, {name}: {figures['ig']:.0f} ms; one gradient "
          f"call per point {figures['ig_naive']:.0f} ms; "
          f"ratio {figures['ig_naive'] / figures['ig']:.1f}x "
          f"(largest relative difference {figures['ig_difference']:.1g})")
    if targets:
        met = figures["ours"] < ART_TARGET_MS and figures["gradcam"] < GRADCAM_TARGET_MS
        print(f"targets: {'met' if met else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    arguments = parser.parse_args()

    import keras
    import tensorflow as tf

    print(f"{os.cpu_count()} cores, TensorFlow {tf.__version__}, Keras {keras.__version__}, "
          f"median of {arguments.repeat} after {arguments.warmup} warm-up calls; "
          f"load average {os.getloadavg()[0]:.2f} at start")
    art = bench("art_cnn", ART_SHAPE, arguments.repeat, arguments.warmup)
    report("art_cnn 64x64", art, targets=True)
    resnet = bench("resnet18", RESNET_SHAPE, arguments.repeat, arguments.warmup)
    report("resnet18 32x32 (information)", resnet, targets=False)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
