"""What each filter of a layer looks for, computed once per run and kept in its folder.

For every filter: the input found by gradient ascent (:mod:`cnnviz.inside.feature_vis`) and the
test images of ``evaluation.npz`` that excite it most, each with the filter's map over it (the
region that did it). For the class scores, the input that maximises each class. The results
are written beside the run's other files (``features-<layer>.npz``, ``features-classes.npz``)
with the time stamp of the ``model.keras`` they describe: a resumed run's newer model makes them
stale, and they are computed again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import tensorflow as tf

from cnnviz.atomic import write_with_atomic
from cnnviz.inside.attribution import class_scores
from cnnviz.inside.feature_vis import (AscentSettings, Progress, ascend, class_objective,
                                       filter_objective, layer_probe)
from cnnviz.runs.folder import RunFolder

CLASSES = "classes"  # the file of the class visualisations: features-classes.npz
EXAMPLES = 9  # test images shown beside each filter
# Test images searched for them: the first rows of evaluation.npz (a forward pass each).
EXAMPLE_LIMIT = 1000
EXAMPLE_BATCH = 64
# Share of the progress bar the gradient ascent takes; the test images take the rest.
ASCENT_SHARE = 0.9


@dataclass(frozen=True)
class LayerPictures:
    """The pictures of some filters of one layer (or of some classes)."""

    layer: str  # a layer name, or CLASSES
    targets: np.ndarray  # (k,) the filters (or classes) pictured
    pictures: np.ndarray  # (k, height, width, channels) uint8: the input each one likes most
    example_rows: np.ndarray  # (k, EXAMPLES) rows of evaluation.npz, strongest first; -1: none
    example_peaks: np.ndarray  # (k, EXAMPLES) float32: each example's largest activation
    example_maps: np.ndarray  # (k, EXAMPLES, map height, map width) float16
    model_stamp: int  # modification time (ns) of the model.keras they come from

    def covers(self, targets: Sequence[int]) -> bool:
        return set(targets) <= set(self.targets.tolist())

    def position(self, target: int) -> int:
        return int(np.flatnonzero(self.targets == target)[0])


def pictures_path(run_folder: Path, layer: str) -> Path:
    """``features-<layer>.npz`` in the run folder (layer names are checked: a name is part of
    a file name)."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", layer):
        raise ValueError(f"{layer!r} cannot name a file")
    return RunFolder(run_folder).feature_pictures(layer)


def read_pictures(run_folder: Path, layer: str, model_stamp: int) -> LayerPictures | None:
    """The stored pictures of ``layer``, or None when there are none for this model."""
    path = pictures_path(run_folder, layer)
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    if int(arrays["model_stamp"]) != model_stamp:
        return None
    return LayerPictures(layer, arrays["targets"], arrays["pictures"], arrays["example_rows"],
                         arrays["example_peaks"], arrays["example_maps"], model_stamp)


def write_pictures(run_folder: Path, pictures: LayerPictures) -> None:
    """Store ``pictures`` atomically (a page reading meanwhile sees the old file or the new)."""
    def save(path: Path) -> None:
        with open(path, "wb") as handle:
            np.savez(handle, targets=pictures.targets, pictures=pictures.pictures,
                     example_rows=pictures.example_rows, example_peaks=pictures.example_peaks,
                     example_maps=pictures.example_maps,
                     model_stamp=np.int64(pictures.model_stamp))

    write_with_atomic(pictures_path(run_folder, pictures.layer), save)


def merged(old: LayerPictures | None, new: LayerPictures) -> LayerPictures:
    """``new`` with the targets of ``old`` it lacks (asking for more filters keeps the ones
    already computed), in target order."""
    if old is None or old.model_stamp != new.model_stamp:
        return new
    kept = ~np.isin(old.targets, new.targets)
    parts = [np.concatenate([getattr(old, name)[kept], getattr(new, name)])
             for name in ("targets", "pictures", "example_rows", "example_peaks",
                          "example_maps")]
    order = np.argsort(parts[0], kind="stable")
    return LayerPictures(new.layer, *(part[order] for part in parts), new.model_stamp)


def top_examples(probe, images: np.ndarray, filters: Sequence[int], count: int = EXAMPLES,
                 progress: Progress | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each filter, the ``count`` images (n, h, w, c) whose largest activation of it is
    highest: their indices (filters, count) (-1 past the last image), those activations and
    the filter's maps over them (filters, count, map height, map width).

    Two passes keep memory small: the peaks of every image first, then the maps of the few
    chosen images only (all the maps of a thousand images can take hundreds of megabytes).
    """
    chosen = np.asarray(filters)
    if not len(images):
        return (np.full((len(chosen), count), -1, np.int64),
                np.zeros((len(chosen), count), np.float32),
                np.zeros((len(chosen), count, 1, 1), np.float16))
    peaks = []
    for start in range(0, len(images), EXAMPLE_BATCH):
        batch = tf.convert_to_tensor(images[start:start + EXAMPLE_BATCH], tf.float32)
        peaks.append(probe(batch).numpy()[..., chosen].max(axis=(1, 2)))  # (batch, filters)
        if progress is not None:
            progress(min(1.0, (start + EXAMPLE_BATCH) / len(images)))
    every_peak = np.concatenate(peaks).T  # (filters, n)
    shown = min(count, every_peak.shape[1])
    order = np.argsort(-every_peak, axis=1, kind="stable")[:, :shown]  # (filters, shown)
    rows = np.full((len(chosen), count), -1, np.int64)
    rows[:, :shown] = order
    top_peaks = np.zeros((len(chosen), count), np.float32)
    top_peaks[:, :shown] = np.take_along_axis(every_peak, order, axis=1)
    unique = np.unique(order)
    unique_maps = np.concatenate([
        probe(tf.convert_to_tensor(images[unique[start:start + EXAMPLE_BATCH]], tf.float32))
        .numpy()[..., chosen] for start in range(0, len(unique), EXAMPLE_BATCH)])
    top_maps = np.zeros((len(chosen), count, *unique_maps.shape[1:3]), np.float16)
    for position in range(len(chosen)):  # (shown, mh, mw) maps of this filter's examples
        top_maps[position, :shown] = unique_maps[np.searchsorted(unique, order[position]), :,
                                                 :, position]
    return rows, top_peaks, top_maps


def compute_filter_pictures(model, layer: str, filters: Sequence[int],
                            image_shape: tuple[int, int, int], examples: np.ndarray,
                            model_stamp: int, settings: AscentSettings = AscentSettings(),
                            progress: Progress | None = None) -> LayerPictures:
    """The pictures of ``filters`` of ``layer``, with their strongest of ``examples``
    (n, h, w, c) uint8 (the first test images)."""
    report = progress or (lambda share: None)
    pictures = ascend(filter_objective(layer_probe(model, layer, before_activation=True)),
                      filters, image_shape, settings,
                      progress=lambda share: report(ASCENT_SHARE * share))
    rows, peaks, maps = top_examples(
        layer_probe(model, layer), examples, filters,
        progress=lambda share: report(ASCENT_SHARE + (1 - ASCENT_SHARE) * share))
    return LayerPictures(layer, np.asarray(filters, np.int64), pictures, rows, peaks, maps,
                         model_stamp)


def compute_class_pictures(model, classes: Sequence[int], image_shape: tuple[int, int, int],
                           model_stamp: int, settings: AscentSettings = AscentSettings(),
                           progress: Progress | None = None) -> LayerPictures:
    """The input that maximises each class's score before the softmax."""
    pictures = ascend(class_objective(class_scores(model)), classes, image_shape, settings,
                      progress=progress)
    count = len(classes)
    return LayerPictures(CLASSES, np.asarray(classes, np.int64), pictures,
                         np.full((count, 0), -1, np.int64), np.zeros((count, 0), np.float32),
                         np.zeros((count, 0, 1, 1), np.float16), model_stamp)


def examples_montage(images: np.ndarray, maps: np.ndarray, peak: float, side: int = 72,
                     columns: int = 3) -> np.ndarray:
    """The example images (k, h, w, c) uint8 tinted red where their filter's maps (k, mh, mw)
    fire, on one scale (``peak``: the strongest example's strongest place is the reddest),
    ``columns`` per row, each ``side`` pixels: an RGB uint8 image. Where the filter is silent
    the image stays as it is, so the shapes remain readable."""
    tiles = []
    for image, heat in zip(images, maps):
        strength = np.clip(heat.astype(np.float32) / peak, 0, 1) if peak > 0 else heat * 0
        tiles.append(cv2.resize(red_tint(image, strength), (side, side),
                                interpolation=cv2.INTER_NEAREST))
    while len(tiles) % columns:
        tiles.append(np.full((side, side, 3), 255, np.uint8))
    rows = [np.concatenate(tiles[start:start + columns], axis=1)
            for start in range(0, len(tiles), columns)]
    return np.concatenate(rows, axis=0)


def red_tint(image: np.ndarray, strength: np.ndarray, most: float = 0.7) -> np.ndarray:
    """``image`` (h, w, 1 or 3) uint8 blended towards pure red by ``strength`` (mh, mw) in
    [0, 1], resized to the image (at most ``most`` red): an RGB uint8 image."""
    height, width = image.shape[:2]
    weight = cv2.resize(strength.astype(np.float32), (width, height),
                        interpolation=cv2.INTER_LINEAR)[..., np.newaxis] * most
    base = (image if image.shape[-1] == 3 else np.repeat(image, 3, axis=-1)).astype(np.float32)
    red = np.array([255.0, 0.0, 0.0], np.float32)
    return np.clip((1 - weight) * base + weight * red + 0.5, 0, 255).astype(np.uint8)
