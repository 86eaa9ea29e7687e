"""Grad-CAM (Selvaraju et al. 2017, after keras-io ``examples/vision/grad_cam.py``): where in
the image the evidence for a class lies.

The class score is the ``predictions`` layer's value *before* its softmax, computed from that
layer's input and weights; gradients of a saturated probability would vanish. The map is taken
at a top-level layer: for a transfer model that is ``feature_map``, the identity layer that
holds the nested base's last convolutional map in the outer graph. Grad-CAM code that reaches
into ``model.get_layer(base).get_layer(conv).output`` breaks on nested bases, because that
tensor belongs to the inner graph and cannot feed ``keras.Model(model.inputs, ...)``.
"""

from __future__ import annotations

import cv2
import keras
import numpy as np
import tensorflow as tf

from cnnviz.inside.activations import spatial_layers


POOLING_TYPES = ("MaxPooling2D", "AveragePooling2D")


def cam_layer(model: keras.Model) -> str | None:
    """The layer Grad-CAM reads: ``feature_map`` when there is one (transfer models), else the
    last spatial layer that is not a pooling (the last convolutional stage, as in the paper:
    a final pooling would only halve the map's resolution). None for a network without one
    (a multilayer perceptron): Grad-CAM needs maps that keep the image's layout."""
    names = [layer.name for layer in model.layers]
    if "feature_map" in names:
        return "feature_map"
    spatial = [layer for layer in spatial_layers(model)
               if type(layer).__name__ not in POOLING_TYPES]
    return spatial[-1].name if spatial else None


def gradcam_probe(model: keras.Model, layer_name: str) -> keras.Model:
    """The model cut to two outputs: the maps of ``layer_name`` and the input of
    ``predictions`` (its pre-activation is computed from them in :func:`gradcam`)."""
    return keras.Model(model.inputs, [model.get_layer(layer_name).output,
                                      model.get_layer("predictions").input])


def gradcam(model: keras.Model, probe: keras.Model, image: np.ndarray,
            class_index: int) -> np.ndarray:
    """The Grad-CAM heat map (map height, map width) in [0, 1] of one prepared image
    (height, width, channels) uint8 for ``class_index``.

    All zeros when nothing in the image speaks for the class (every weighted map negative).
    """
    dense = model.get_layer("predictions")
    batch = tf.convert_to_tensor(image[np.newaxis].astype(np.float32))
    with tf.GradientTape() as tape:
        maps, features = probe([batch], training=False)  # (1, h, w, c), (1, features)
        tape.watch(maps)
        scores = tf.matmul(features, dense.kernel) + dense.bias  # (1, classes) before softmax
        score = scores[:, class_index]
    gradients = tape.gradient(score, maps)  # (1, h, w, c)
    weights = tf.reduce_mean(gradients, axis=(0, 1, 2))  # (c,): how much each map matters
    heat = tf.nn.relu(tf.reduce_sum(maps[0] * weights, axis=-1)).numpy()  # (h, w)
    top = float(heat.max())
    return (heat / top if top > 0 else heat).astype(np.float32)


def overlay(image: np.ndarray, heat: np.ndarray, opacity: float = 0.45) -> np.ndarray:
    """``heat`` in [0, 1] resized onto ``image`` (height, width, 1 or 3) uint8 as a jet
    colour map: an RGB uint8 image."""
    height, width = image.shape[:2]
    resized = cv2.resize(heat.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
    colours = cv2.applyColorMap(np.clip(resized * 255, 0, 255).astype(np.uint8), cv2.COLORMAP_JET)
    colours = cv2.cvtColor(colours, cv2.COLOR_BGR2RGB).astype(np.float32)
    base = image if image.shape[-1] == 3 else np.repeat(image, 3, axis=-1)
    blended = (1 - opacity) * base.astype(np.float32) + opacity * colours
    return np.clip(blended + 0.5, 0, 255).astype(np.uint8)
