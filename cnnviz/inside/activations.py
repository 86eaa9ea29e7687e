"""Feature maps of every spatial layer of a model, from one forward pass.

A model is probed once for all its layers (``keras.Model(inputs, [layer outputs...])``), not
once per layer: the per-layer way repeats the early convolutions for each layer and is several
times slower (``benchmarks/bench_inside.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

# Layers whose output adds nothing to look at: the input itself, pass-through layers at
# inference (dropout) and the pixel preparation in front of the network.
PASS_THROUGH_TYPES = frozenset({
    "InputLayer", "Dropout", "SpatialDropout2D", "GaussianNoise", "Rescaling", "Resizing",
    "CaffePreprocess", "Concatenate",
})


@dataclass(frozen=True)
class LayerMaps:
    """The maps one layer made of one image."""

    name: str
    kind: str  # the Keras class, e.g. "Conv2D"
    maps: np.ndarray  # (height, width, channels) float32


def spatial_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """Top-level layers with a (batch, height, width, channels) output worth showing, in order.

    A nested pre-trained base is shown through the ``feature_map`` identity layer after it:
    the base's own ``.output`` belongs to its inner graph and cannot be an output of a model
    built on the outer inputs.
    """
    return [layer for layer in model.layers
            if len(layer.output.shape) == 4 and not isinstance(layer, keras.Model)
            and type(layer).__name__ not in PASS_THROUGH_TYPES]


def layer_kind(model: keras.Model, layer: keras.layers.Layer) -> str:
    """What a layer is, for a caption: its Keras class, or for the identity that carries a
    nested base's maps, the base (e.g. ``base_vgg16``)."""
    if isinstance(layer, keras.layers.Identity):
        position = model.layers.index(layer)
        nested = [earlier for earlier in model.layers[:position]
                  if isinstance(earlier, keras.Model)]
        if nested:
            return nested[-1].name
    return type(layer).__name__


def activation_probe(model: keras.Model) -> keras.Model:
    """The model with one output per spatial layer, then its own output."""
    layers = spatial_layers(model)
    return keras.Model(model.inputs, [layer.output for layer in layers] + [model.output],
                       name=f"{model.name}_activations")


def layer_maps(model: keras.Model, probe: keras.Model,
               image: np.ndarray) -> tuple[list[LayerMaps], np.ndarray]:
    """Maps of every spatial layer and the raw output (classes,) for one prepared image
    (height, width, channels) uint8."""
    outputs = probe([image[np.newaxis].astype(np.float32)], training=False)
    if not isinstance(outputs, (list, tuple)):  # a network without spatial layers (an MLP)
        outputs = [outputs]
    layers = spatial_layers(model)
    maps = [LayerMaps(layer.name, layer_kind(model, layer),
                      keras.ops.convert_to_numpy(output)[0].astype(np.float32))
            for layer, output in zip(layers, outputs[:-1])]
    return maps, keras.ops.convert_to_numpy(outputs[-1])[0]


def channel_order(maps: np.ndarray) -> np.ndarray:
    """Channel indices from the most to the least active (mean activation)."""
    return np.argsort(-maps.mean(axis=(0, 1)), kind="stable")


def zero_channels(maps: np.ndarray) -> np.ndarray:
    """True for every channel of (height, width, channels) that is 0 everywhere, a black tile:
    after a ReLU, the filter found nothing of its pattern in the image (a "dead" ReLU when that
    happens for every image)."""
    return ~maps.any(axis=(0, 1))


def silent_channels(maps: np.ndarray, shown: np.ndarray) -> int:
    """How many of the ``shown`` channels of (height, width, channels) are 0 everywhere."""
    return int(zero_channels(maps)[shown].sum())


def strongest_map(maps: np.ndarray) -> np.ndarray:
    """The most active channel of a layer (height, width): one cell of the layer strip."""
    return maps[..., channel_order(maps)[0]]


def strip_image(maps: np.ndarray) -> np.ndarray:
    """The most active channel of a layer as a gray uint8 image on its own scale (height,
    width): one cell of the layer strip."""
    strongest = strongest_map(maps)
    return to_gray(strongest, float(strongest.min()), float(strongest.max()))


def tile_maps(maps: np.ndarray, channels: np.ndarray, columns: int = 8,
              shared_scale: bool = False, gap: int = 1) -> np.ndarray:
    """The chosen channels of (height, width, channels) as one grayscale uint8 image.

    Each map is scaled to 0..255 on its own (``shared_scale=False``: every pattern visible) or
    on the layer's common range (``True``: strengths comparable). Maps are separated by ``gap``
    pixels of mid grey so that neighbouring tiles do not blend.
    """
    if not len(channels):
        raise ValueError("No channel to tile")
    height, width = maps.shape[:2]
    columns = min(columns, len(channels))
    rows = -(-len(channels) // columns)
    canvas = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), 128, np.uint8)
    chosen = maps[..., channels]
    if shared_scale:
        low, high = float(chosen.min()), float(chosen.max())
    for position, channel in enumerate(channels):
        single = maps[..., channel]
        if not shared_scale:
            low, high = float(single.min()), float(single.max())
        row, column = divmod(position, columns)
        top, left = row * (height + gap), column * (width + gap)
        canvas[top:top + height, left:left + width] = to_gray(single, low, high)
    return canvas


def to_gray(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Values scaled from [low, high] to 0..255 uint8 (a flat map becomes black)."""
    span = high - low
    if span <= 0:
        return np.zeros(values.shape, np.uint8)
    return np.clip((values - low) / span * 255.0 + 0.5, 0, 255).astype(np.uint8)


def first_conv_filters(model: keras.Model) -> tuple[str, np.ndarray]:
    """The first convolution's name and its kernels as images (filters, kh, kw, 1 or 3) uint8.

    Each filter is scaled on its own and symmetrically, so mid grey (128) is a zero weight,
    white the filter's largest positive weight and black a negative one of the same size. A
    filter over three input channels is shown in colour; over one channel (or any other count,
    averaged) in gray.
    """
    for layer in _all_layers(model):
        if isinstance(layer, keras.layers.Conv2D):
            kernel = keras.ops.convert_to_numpy(layer.kernel)  # (kh, kw, in, out)
            kernel = np.moveaxis(kernel, -1, 0)  # (out, kh, kw, in)
            if kernel.shape[-1] != 3:
                kernel = kernel.mean(axis=-1, keepdims=True)
            images = [to_gray(single, -float(np.abs(single).max()), float(np.abs(single).max()))
                      for single in kernel]
            return layer.name, np.stack(images)
    raise ValueError(f"Model {model.name!r} has no convolution")


def _all_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """Every layer in order, the layers of a nested base (transfer learning) in its place."""
    layers = []
    for layer in model.layers:
        layers.extend(_all_layers(layer) if isinstance(layer, keras.Model) else [layer])
    return layers


def first_conv_kernels(model: keras.Model) -> tuple[str, np.ndarray]:
    """The first convolution's name and its raw kernels (filters, kh, kw), averaged over the
    input channels: the weights a trained filter slides over an image."""
    for layer in _all_layers(model):
        if isinstance(layer, keras.layers.Conv2D):
            kernel = keras.ops.convert_to_numpy(layer.kernel)  # (kh, kw, in, out)
            return layer.name, np.moveaxis(kernel.mean(axis=2), -1, 0).astype(np.float64)
    raise ValueError(f"Model {model.name!r} has no convolution")
