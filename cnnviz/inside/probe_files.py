"""The probe recordings of a run folder: one fixed image per class, and after every epoch the
maps each convolution made of them and the first-layer filters.

Layout (NumPy only, so a page reads it without TensorFlow)::

    probes/probes.npz       images (probes, h, w, c) uint8, labels (probes,), their class
                            names, rows (indices in the split), split,
                            layer names and kinds (empty: a network without convolutions)
    probes/epoch-003.npz    maps_<i> (probes, h, w, kept channels) uint8, each map scaled on
                            its own range, lows_<i>/highs_<i> (probes, kept channels) float32
                            that range, channels_<i> the layer's channel count, filters
                            (filters, kh, kw, 1|3) uint8, seconds (the cost of recording)

Epoch 0 holds the untrained network. Files are written atomically: a page polling the folder
during training sees either the previous epochs or the new one, never half a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cnnviz.atomic import write_with_atomic
from cnnviz.runs.folder import RunFolder


@dataclass(frozen=True)
class ProbeSet:
    """The fixed images whose maps are recorded every epoch, one per class."""

    images: np.ndarray  # (probes, height, width, channels) uint8, prepared
    labels: np.ndarray  # (probes,) int64: the class of each probe
    class_names: tuple[str, ...]  # the name of each probe's class
    rows: np.ndarray  # (probes,) int64: the image's index in its split
    split: str  # "validation" or "test"
    layer_names: tuple[str, ...]  # the recorded layers; empty when the network has no conv
    layer_kinds: tuple[str, ...]


@dataclass(frozen=True)
class LayerRecord:
    """One layer's maps of every probe at one epoch."""

    name: str
    kind: str
    maps: np.ndarray  # (probes, height, width, kept channels) uint8, each map on its own range
    lows: np.ndarray  # (probes, kept channels) float32: the value shown black
    highs: np.ndarray  # (probes, kept channels) float32: the value shown white
    channels: int  # how many channels the layer has (the first ``kept`` are recorded)


@dataclass(frozen=True)
class EpochRecord:
    """Everything recorded after one epoch (0: before training)."""

    epoch: int
    layers: tuple[LayerRecord, ...]
    filters: np.ndarray | None  # (filters, kh, kw, 1|3) uint8, mid grey = zero weight
    filters_layer: str
    seconds: float  # time the recording took in the worker


def write_probe_set(run_dir: Path, probes: ProbeSet) -> None:
    """Save the probe images and the recorded layers, atomically."""
    write_with_atomic(RunFolder(run_dir).probe_set, lambda path: np.savez_compressed(
        path, images=probes.images, labels=probes.labels,
        class_names=np.array(probes.class_names, dtype=str), rows=probes.rows,
        split=np.array(probes.split), layer_names=np.array(probes.layer_names, dtype=str),
        layer_kinds=np.array(probes.layer_kinds, dtype=str)))


def read_probe_set(run_dir: Path) -> ProbeSet | None:
    """The run's probes, or None for a run recorded before probes existed (or not started)."""
    path = RunFolder(run_dir).probe_set
    if not path.is_file():
        return None
    with np.load(path) as stored:
        return ProbeSet(stored["images"], stored["labels"],
                        tuple(str(name) for name in stored["class_names"]), stored["rows"],
                        str(stored["split"]),
                        tuple(str(name) for name in stored["layer_names"]),
                        tuple(str(kind) for kind in stored["layer_kinds"]))


def write_epoch(run_dir: Path, record: EpochRecord) -> None:
    """Save one epoch's maps and filters, atomically (a rerun epoch replaces its file)."""
    arrays: dict[str, np.ndarray] = {
        "epoch": np.array(record.epoch), "seconds": np.array(record.seconds),
        "filters_layer": np.array(record.filters_layer),
        "layer_names": np.array([layer.name for layer in record.layers], dtype=str),
        "layer_kinds": np.array([layer.kind for layer in record.layers], dtype=str),
    }
    if record.filters is not None:
        arrays["filters"] = record.filters
    for index, layer in enumerate(record.layers):
        arrays[f"maps_{index}"] = layer.maps
        arrays[f"lows_{index}"] = layer.lows
        arrays[f"highs_{index}"] = layer.highs
        arrays[f"channels_{index}"] = np.array(layer.channels)
    write_with_atomic(RunFolder(run_dir).probe_epoch(record.epoch),
                      lambda path: np.savez_compressed(path, **arrays))


def recorded_epochs(run_dir: Path) -> list[int]:
    """The epochs with a recording, in order (0 is the untrained network)."""
    folder = RunFolder(run_dir).probes
    if not folder.is_dir():
        return []
    return sorted(int(match.group(1)) for match in map(RunFolder.PROBE_EPOCH.fullmatch,
                                                       (path.name for path in folder.iterdir()))
                  if match)


def read_epoch(run_dir: Path, epoch: int) -> EpochRecord:
    """One epoch's recording (raises ``FileNotFoundError`` when that epoch has none)."""
    with np.load(RunFolder(run_dir).probe_epoch(epoch)) as stored:
        layers = tuple(
            LayerRecord(str(name), str(kind), stored[f"maps_{index}"], stored[f"lows_{index}"],
                        stored[f"highs_{index}"], int(stored[f"channels_{index}"]))
            for index, (name, kind) in enumerate(zip(stored["layer_names"],
                                                     stored["layer_kinds"])))
        filters = stored["filters"] if "filters" in stored.files else None
        return EpochRecord(int(stored["epoch"]), layers, filters, str(stored["filters_layer"]),
                           float(stored["seconds"]))
