"""Maps that grow during training: the worker keeps one fixed image per class and, after
every epoch, records what each convolution makes of them and the first-layer filters.

The cost is one forward pass of a dozen images per epoch, through a probe model built once,
and a compressed file of uint8 maps (``benchmarks/bench_probes.py`` measures it). Only the
first :data:`KEPT_CHANNELS` channels of a layer are kept, always the same ones, so a channel
can be followed from epoch to epoch; maps larger than :data:`MAX_SIDE` are shrunk by area.
"""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import keras
import numpy as np

from cnnviz.datasets.dataset import Dataset
from cnnviz.errors import ImageError
from cnnviz.inside.activations import first_conv_filters, layer_kind, spatial_layers
from cnnviz.inside.probe_files import (EpochRecord, LayerRecord, ProbeSet, read_probe_set,
                                       recorded_epochs, write_epoch, write_probe_set)

# At most this many classes get a probe (a folder dataset may have hundreds of classes).
MAX_PROBES = 20
# Channels recorded per layer: enough for a tile sheet, a fraction of a wide layer's cost.
KEPT_CHANNELS = 16
# Recorded maps are at most this many pixels on a side (a 128-pixel ResNet input's first maps
# are 64x64: shrunk, they stay readable as tiles and cost a quarter).
MAX_SIDE = 32
# Images of a class tried in turn when a streamed file cannot be decoded.
CANDIDATES_PER_CLASS = 5
CONV_TYPES = ("Conv2D", "DepthwiseConv2D", "SeparableConv2D")


def probe_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """The layers whose maps are recorded: every top-level convolution, and ``feature_map``,
    the maps a nested pre-trained base hands to its head (its inner layers are frozen while
    the head trains, and they belong to the base's own graph)."""
    return [layer for layer in spatial_layers(model)
            if type(layer).__name__ in CONV_TYPES or layer.name == "feature_map"]


def choose_probes(dataset: Dataset, layers: list[keras.layers.Layer],
                  model: keras.Model) -> ProbeSet:
    """The first image of each class in the validation split (the test split when there is
    no validation): the same images on every run of the same data, never trained on."""
    split_name = "validation" if len(dataset.validation) else "test"
    split = dataset.split(split_name)
    rows, labels, images = [], [], []
    for label in range(min(dataset.num_classes, MAX_PROBES)):
        for row in np.flatnonzero(split.labels == label)[:CANDIDATES_PER_CLASS]:
            try:
                images.append(split.image(int(row)))
            except ImageError:  # a streamed file that does not decode: the next one of the class
                continue
            rows.append(int(row))
            labels.append(label)
            break
    rows_array = np.array(rows, dtype=np.int64)
    shape = (0, *dataset.image_shape)
    return ProbeSet(np.stack(images) if images else np.empty(shape, np.uint8),
                    np.array(labels, dtype=np.int64),
                    tuple(dataset.class_names[label] for label in labels), rows_array,
                    split_name, tuple(layer.name for layer in layers),
                    tuple(layer_kind(model, layer) for layer in layers))


def prepared_probes(run_dir: Path, dataset: Dataset, model: keras.Model) -> ProbeSet:
    """The run's probes: those already in the folder (a resumed run keeps its images and its
    earlier epochs), else chosen now and written."""
    existing = read_probe_set(run_dir)
    if existing is not None:
        return existing
    probes = choose_probes(dataset, probe_layers(model), model)
    write_probe_set(run_dir, probes)
    return probes


def record_epoch(model: keras.Model, probe: keras.Model | None, probes: ProbeSet,
                 epoch: int) -> EpochRecord:
    """The maps of every recorded layer for every probe image, and the first filters."""
    started = time.perf_counter()
    layers: list[LayerRecord] = []
    if probe is not None:
        outputs = probe([probes.images.astype(np.float32)], training=False)
        if not isinstance(outputs, (list, tuple)):
            outputs = [outputs]
        for name, kind, output in zip(probes.layer_names, probes.layer_kinds, outputs):
            layers.append(layer_record(name, kind, keras.ops.convert_to_numpy(output)))
    try:
        filters_layer, filters = first_conv_filters(model)
    except ValueError:  # no convolution anywhere
        filters_layer, filters = "", None
    return EpochRecord(epoch, tuple(layers), filters, filters_layer,
                       time.perf_counter() - started)


def layer_record(name: str, kind: str, maps: np.ndarray) -> LayerRecord:
    """(probes, h, w, channels) float maps as uint8, each map on its own range, the first
    :data:`KEPT_CHANNELS` channels, shrunk to :data:`MAX_SIDE`."""
    channels = maps.shape[-1]
    kept = maps[..., :KEPT_CHANNELS].astype(np.float32)
    height, width = kept.shape[1:3]
    scale = MAX_SIDE / max(height, width)
    if scale < 1:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        kept = np.stack([_resize_channels(single, size) for single in kept])
    lows = kept.min(axis=(1, 2))  # (probes, kept)
    highs = kept.max(axis=(1, 2))
    span = np.where(highs > lows, highs - lows, 1.0)
    scaled = (kept - lows[:, None, None, :]) / span[:, None, None, :] * 255.0 + 0.5
    return LayerRecord(name, kind, np.clip(scaled, 0, 255).astype(np.uint8), lows, highs,
                       channels)


def _resize_channels(maps: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """(h, w, c) shrunk by area to ``size`` = (width, height), channel by channel (OpenCV
    resizes at most 512 channels at once and drops a single channel's axis)."""
    return np.stack([cv2.resize(maps[..., channel], size, interpolation=cv2.INTER_AREA)
                     for channel in range(maps.shape[-1])], axis=-1)


class ProbeRecorder(keras.callbacks.Callback):
    """Writes ``probes/epoch-NNN.npz`` after every epoch, and epoch 0 before the first.

    Placed before the checkpoint saver: an epoch whose checkpoint was written always has its
    recording, and a worker killed between the two repeats the epoch and replaces the file.
    """

    def __init__(self, run_dir: Path, probes: ProbeSet) -> None:
        super().__init__()
        self.run_dir = run_dir
        self.probes = probes
        self._probe: keras.Model | None = None
        self._probed_model: keras.Model | None = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        if not recorded_epochs(self.run_dir):
            self._record(0)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._record(epoch + 1)

    def _record(self, epoch: int) -> None:
        if not self.probes.layer_names or not len(self.probes.labels):
            return  # a network without convolutions (an MLP) has no maps to grow
        write_epoch(self.run_dir, record_epoch(self.model, self._probe_for(self.model),
                                               self.probes, epoch))

    def _probe_for(self, model: keras.Model) -> keras.Model | None:
        """The model cut to the recorded layers' outputs, built once per model."""
        if self._probed_model is not model:
            layers = [model.get_layer(name) for name in self.probes.layer_names]
            self._probe = (keras.Model(model.inputs, [layer.output for layer in layers])
                           if layers else None)
            self._probed_model = model
        return self._probe
