"""The timeline of a run's probe recordings as pictures: one probe's maps of one layer at one
epoch as a tile sheet, the first-layer filters as a grid, and the epoch a slider shows next
(following a live run, or playing the epochs in a loop)."""

from __future__ import annotations

import numpy as np

from cnnviz.inside.activations import tile_maps
from cnnviz.inside.probe_files import LayerRecord

GAP_GREY = 128


def restored_maps(layer: LayerRecord, probe: int) -> np.ndarray:
    """One probe's recorded maps (height, width, kept channels) back in the layer's values,
    within the 1/255 of each map's range that uint8 keeps."""
    low, high = layer.lows[probe], layer.highs[probe]  # (kept,)
    return low + layer.maps[probe].astype(np.float32) / 255.0 * (high - low)


def maps_sheet(layer: LayerRecord, probe: int, shared_scale: bool = False,
               columns: int = 8) -> np.ndarray:
    """One probe's maps of ``layer`` as one gray uint8 tile sheet (see ``tile_maps``)."""
    maps = restored_maps(layer, probe)
    return tile_maps(maps, np.arange(maps.shape[-1]), columns=columns, shared_scale=shared_scale)


def filter_sheet(filters: np.ndarray, columns: int = 16, gap: int = 1) -> np.ndarray:
    """Filter images (filters, kh, kw, 1|3) uint8 as one grid (gray or RGB) uint8 image."""
    count, height, width, channels = filters.shape
    columns = min(columns, count)
    rows = -(-count // columns)
    sheet = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap, channels),
                    GAP_GREY, np.uint8)
    for position, single in enumerate(filters):
        row, column = divmod(position, columns)
        top, left = row * (height + gap), column * (width + gap)
        sheet[top:top + height, left:left + width] = single
    return sheet[..., 0] if channels == 1 else sheet


def shown_epoch(epochs: list[int], current: int | None, previous_latest: int | None,
                playing: bool) -> int:
    """The epoch the slider shows after the folder was read again.

    Playing: the next recorded epoch, back to the first after the last. Otherwise the newest
    epoch when the student was watching the newest one (a live run moves on by itself), else
    the epoch they chose (or the nearest recorded one).
    """
    if not epochs:
        raise ValueError("No epoch recorded")
    if current is None or current not in epochs:
        return epochs[-1] if current is None else min(epochs, key=lambda epoch: abs(epoch - current))
    if playing:
        return epochs[(epochs.index(current) + 1) % len(epochs)]
    if current == previous_latest:
        return epochs[-1]
    return current
