"""Feature visualisation: the input that excites a filter (or a class score) most, found by
gradient ascent from noise (after keras-io's "Visualizing what convnets learn" and Lucid).

Plain gradient ascent finds high-frequency patterns that excite a filter but look like noise.
The regularisers that make the result readable (Olah et al., "Feature Visualization", 2017):
each step sees the image randomly shifted, slightly rotated and rescaled (the pattern must work
wherever it lands), the image is blurred every few steps (a penalty on high frequencies), is
pulled slightly towards mid grey, and stays within the pixel range 0..255.

Many filters are optimised at once, one image per filter in a batch: the network's cost is paid
once per step for the whole batch (``benchmarks/bench_inside.py`` measures the gain).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

CONV_TYPES = (keras.layers.Conv2D, keras.layers.DepthwiseConv2D, keras.layers.SeparableConv2D)
MID_GREY = 127.5

# images (k, height, width, channels) float32 in 0..255, the index each image serves (k,)
# -> the score each image maximises (k,)
Objective = Callable[[tf.Tensor, tf.Tensor], tf.Tensor]
Progress = Callable[[float], None]


@dataclass(frozen=True)
class AscentSettings:
    """How the input is optimised. The defaults were tuned on a trained CNN of the shapes
    dataset: patterns that excite their filters about 6 times as much as noise does (median)
    and still read as strokes and colours."""

    steps: int = 128  # gradient steps
    step_size: float = 10.0  # pixels (of 0..255) per step, the gradient scaled to unit RMS
    start_noise: float = 16.0  # standard deviation of the start noise around mid grey
    jitter: int = 2  # largest random shift per step, in pixels
    rotation_degrees: float = 5.0  # largest random rotation per step
    scale: float = 0.05  # largest random change of size per step (0.05: 95 % to 105 %)
    blur_every: int = 8  # a Gaussian blur every this many steps (0: never)
    blur_sigma: float = 0.5  # its width, in pixels
    decay: float = 0.001  # share of the distance to mid grey removed each step
    batch_size: int = 16  # images optimised together


def conv_layer_names(model: keras.Model) -> list[str]:
    """Every convolution's name in order, the ones inside a nested pre-trained base too."""
    names = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            names.extend(conv_layer_names(layer))
        elif isinstance(layer, CONV_TYPES):
            names.append(layer.name)
    return names


def layer_probe(model: keras.Model, layer_name: str,
                before_activation: bool = False) -> Callable[[tf.Tensor], tf.Tensor]:
    """A differentiable function from images (k, h, w, c) in 0..255 to the maps of
    ``layer_name`` (k, map height, map width, filters).

    ``before_activation``: a convolution's sums before its own ReLU, which the ascent follows
    (after the ReLU a filter silent on grey noise has no gradient to climb). A layer of a
    nested base (transfer learning) belongs to the base's own graph, so its tensors cannot be
    outputs of a model on the outer inputs: it is reached in two parts instead, the outer
    layers up to the base (colour, size, preprocessing), then the base up to it.
    """
    owner, to_owner = _owner_of(model, layer_name)
    layer = owner.get_layer(layer_name)
    if before_activation and type(layer) is keras.layers.Conv2D:
        feeding = keras.Model(owner.inputs, layer.input)

        def sums(images: tf.Tensor) -> tf.Tensor:
            maps = layer.convolution_op(feeding(to_owner(images), training=False), layer.kernel)
            return maps + layer.bias if layer.use_bias else maps

        return sums
    probe = keras.Model(owner.inputs, layer.output)
    return lambda images: probe(to_owner(images), training=False)


def filter_count(model: keras.Model, layer_name: str) -> int:
    """How many filters (output channels) ``layer_name`` has."""
    owner, _ = _owner_of(model, layer_name)
    return int(owner.get_layer(layer_name).output.shape[-1])


def _owner_of(model: keras.Model, layer_name: str) -> tuple[keras.Model, Callable]:
    """The model whose graph holds ``layer_name`` (``model`` or a nested base) and a function
    from ``model``'s inputs to that model's inputs."""
    if layer_name in [layer.name for layer in model.layers]:
        return model, lambda images: images
    for position, layer in enumerate(model.layers):
        if isinstance(layer, keras.Model) and layer_name in conv_layer_names(layer):
            before = model.layers[position - 1]
            if isinstance(before, keras.layers.InputLayer):
                return layer, lambda images: images
            outer = keras.Model(model.inputs, before.output)
            return layer, lambda images: outer(images, training=False)
    raise ValueError(f"Model {model.name!r} has no layer {layer_name!r}")


def filter_objective(probe: Callable[[tf.Tensor], tf.Tensor]) -> Objective:
    """Each image's mean activation of its own filter, away from the map's border (keras-io
    crops it too: border units see padding, and the ascent would paint frames)."""

    def objective(images: tf.Tensor, filters: tf.Tensor) -> tf.Tensor:
        maps = probe(images)  # (k, map height, map width, filters)
        border = min(int(maps.shape[1]), int(maps.shape[2])) // 8
        if border:
            maps = maps[:, border:-border, border:-border, :]
        own = tf.gather(maps, filters, axis=-1, batch_dims=1)  # (k, h, w)
        return tf.reduce_mean(own, axis=(1, 2))

    return objective


def class_objective(scores: Callable[[tf.Tensor], tf.Tensor]) -> Objective:
    """Each image's score of its own class, before the softmax (maximising a probability
    would also push the other classes down, and saturates)."""

    def objective(images: tf.Tensor, classes: tf.Tensor) -> tf.Tensor:
        return tf.gather(scores(images), classes, axis=-1, batch_dims=1)

    return objective


def random_transforms(rng: np.random.Generator, count: int, height: int, width: int,
                      settings: AscentSettings) -> np.ndarray:
    """One random shift, rotation and scale per image, as the (count, 8) projective matrices
    of ``keras.ops.image.affine_transform`` (each maps an output pixel to where it is read)."""
    angles = np.radians(rng.uniform(-settings.rotation_degrees, settings.rotation_degrees, count))
    scales = rng.uniform(1 - settings.scale, 1 + settings.scale, count)
    shifts = rng.integers(-settings.jitter, settings.jitter + 1, (count, 2))
    centre = np.array([(width - 1) / 2, (height - 1) / 2])
    matrices = np.zeros((count, 8), np.float32)
    for index in range(count):
        cosine, sine = math.cos(angles[index]), math.sin(angles[index])
        inverse = np.array([[cosine, sine], [-sine, cosine]]) / scales[index]  # (x, y)
        offset = centre - inverse @ (centre + shifts[index])
        matrices[index] = [inverse[0, 0], inverse[0, 1], offset[0],
                           inverse[1, 0], inverse[1, 1], offset[1], 0, 0]
    return matrices


def gaussian_blur(images: tf.Tensor, sigma: float) -> tf.Tensor:
    """Images (k, h, w, c) blurred channel by channel with a 3x3 Gaussian (edges mirrored)."""
    weights = np.exp(-np.array([1.0, 0.0, 1.0]) / (2 * sigma ** 2))
    kernel = np.outer(weights, weights)
    kernel /= kernel.sum()
    channels = int(images.shape[-1])
    filters = np.repeat(kernel[:, :, None, None], channels, axis=2).astype(np.float32)
    padded = tf.pad(images, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    return tf.nn.depthwise_conv2d(padded, filters, [1, 1, 1, 1], "VALID")


def ascend(objective: Objective, targets: Sequence[int], image_shape: tuple[int, int, int],
           settings: AscentSettings = AscentSettings(), seed: int = 0,
           progress: Progress | None = None) -> np.ndarray:
    """The images (len(targets), height, width, channels) uint8 that maximise ``objective``
    for each target (a filter or a class), ``settings.batch_size`` targets at a time.
    ``progress`` hears the share done (0..1) after every step."""
    rng = np.random.default_rng(seed)
    height, width, _ = image_shape
    found = []
    total_steps = max(1, -(-len(targets) // settings.batch_size) * settings.steps)
    done = 0

    @tf.function(reduce_retracing=True)
    def ascent_step(images: tf.Tensor, matrices: tf.Tensor, chosen: tf.Tensor,
                    blur: bool) -> tf.Tensor:
        with tf.GradientTape() as tape:
            tape.watch(images)
            moved = keras.ops.image.affine_transform(images, matrices, fill_mode="reflect")
            score = tf.reduce_sum(objective(moved, chosen))
        gradient = tape.gradient(score, images)
        spread = tf.sqrt(tf.reduce_mean(tf.square(gradient), axis=(1, 2, 3), keepdims=True))
        images = images + settings.step_size * gradient / (spread + 1e-8)
        images = images - settings.decay * (images - MID_GREY)
        if blur:
            images = gaussian_blur(images, settings.blur_sigma)
        return tf.clip_by_value(images, 0.0, 255.0)

    for start in range(0, len(targets), settings.batch_size):
        chosen = tf.constant(list(targets[start:start + settings.batch_size]), tf.int32)
        count = int(chosen.shape[0])
        start_images = MID_GREY + rng.normal(0, settings.start_noise, (count, *image_shape))
        images = tf.constant(np.clip(start_images, 0, 255), tf.float32)
        for step in range(settings.steps):
            blur = bool(settings.blur_every) and (step + 1) % settings.blur_every == 0
            matrices = random_transforms(rng, count, height, width, settings)
            images = ascent_step(images, tf.constant(matrices), chosen, blur)
            done += 1
            if progress is not None:
                progress(done / total_steps)
        found.append(np.round(images.numpy()).astype(np.uint8))
    if not found:
        return np.zeros((0, *image_shape), np.uint8)
    return np.concatenate(found)


def readable(picture: np.ndarray) -> np.ndarray:
    """An optimised input (height, width, channels) uint8 with its contrast stretched for the
    eye (keras-io's ``deprocess_image``: centred, two standard deviations to the range)."""
    values = picture.astype(np.float32)
    spread = float(values.std())
    if spread == 0:
        return picture
    stretched = (values - values.mean()) / (4 * spread) * 255.0 + MID_GREY
    return np.clip(stretched + 0.5, 0, 255).astype(np.uint8)
