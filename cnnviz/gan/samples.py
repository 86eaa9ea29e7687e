"""The grids a GAN run leaves in its ``samples/`` folder: written by the worker after every
epoch, read by the GAN, Reports and export pages; and which runs are GANs.

    samples/noise.npy         the fixed noise batch (MONITOR_SAMPLES, latent_dim) every grid is
                              drawn from, so the timeline compares like with like
    samples/epoch_0001.png    the grid of the first epoch, one PNG per epoch
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from cnnviz import runs
from cnnviz.analysis.sprites import png_bytes
from cnnviz.atomic import write_bytes_atomic
from cnnviz.datasets.spec import DatasetSpec
from cnnviz.gan.latent import latent_batch
from cnnviz.runs import RunFolder

MONITOR_SAMPLES = 64  # an 8x8 grid
MONITOR_COLUMNS = 8
SEPARATOR_LEVEL = 220  # grey level of the lines between grid cells: light on dark digits


def monitor_noise(run_dir: Path, seed: int, latent_dim: int) -> np.ndarray:
    """The run's fixed monitor noise (MONITOR_SAMPLES, latent_dim): the saved batch when the
    run resumes, else a new one from ``seed``, saved atomically."""
    noise_file = RunFolder(run_dir).sample_noise
    if noise_file.exists():
        return np.load(noise_file)
    noise = latent_batch(seed, MONITOR_SAMPLES, latent_dim)
    noise_file.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.save(buffer, noise)
    write_bytes_atomic(noise_file, buffer.getvalue())
    return noise


def write_monitor(run_dir: Path, epoch: int, images: np.ndarray) -> None:
    """Save the generated ``images`` (MONITOR_SAMPLES, height, width, channels) in [0, 1] as
    the grid of ``epoch`` (atomic write)."""
    write_bytes_atomic(RunFolder(run_dir).sample_grid(epoch),
                       png_bytes(image_grid(images, MONITOR_COLUMNS)))


def monitor_epochs(run_dir: Path) -> list[int]:
    """The epochs that have a monitor grid, in order."""
    folder = RunFolder(run_dir).samples
    if not folder.is_dir():
        return []
    return sorted(int(match.group(1)) for path in folder.iterdir()
                  if (match := RunFolder.SAMPLE_GRID.fullmatch(path.name)))


def read_monitor(run_dir: Path, epoch: int) -> np.ndarray:
    """The monitor grid of ``epoch`` as (height, width, 1 or 3) uint8."""
    with Image.open(RunFolder(run_dir).sample_grid(epoch)) as image:
        pixels = np.asarray(image)
    return pixels[..., np.newaxis] if pixels.ndim == 2 else pixels


def monitor_frames(run_dir: Path, epochs: list[int],
                   limit: int = 60) -> tuple[np.ndarray, list[int]]:
    """Up to ``limit`` monitor grids spread over ``epochs`` (first and last always in), for an
    animation: (frames, height, width, channels) uint8 and their epochs."""
    if not epochs:
        raise ValueError("The run has no monitor grid yet")
    picked = sorted({epochs[round(index)] for index in np.linspace(0, len(epochs) - 1,
                                                                   min(limit, len(epochs)))})
    return np.stack([read_monitor(run_dir, epoch) for epoch in picked]), picked


def gan_runs(listed: list[dict[str, Any]]) -> list[str]:
    """The ids of the GAN runs among ``cnnviz.runs.list_runs()``, newest first."""
    return [run["run_id"] for run in listed if run.get("kind") == "gan"]


def classifier_runs_on(listed: list[dict[str, Any]], dataset: DatasetSpec) -> list[str]:
    """Finished classifier runs trained on exactly ``dataset``: they can say which classes a
    GAN's images look like."""
    return [run["run_id"] for run in listed
            if run.get("kind", "classifier") == "classifier"
            and run["status"].evaluated
            and runs.read_config(run["run_id"]).dataset == dataset]


def square_columns(count: int) -> int:
    """The columns of a grid of ``count`` images that is as square as it can be: the side of
    the square for 16, 36 or 64 images (4, 6, 8), fewer columns than rows otherwise."""
    if count < 1:
        raise ValueError(f"a grid needs count >= 1, got {count}")
    return math.isqrt(count)


def image_grid(images: np.ndarray, columns: int, gap: int = 1) -> np.ndarray:
    """The images (k, height, width, channels) in [0, 1] as one uint8 picture
    (rows*height + (rows-1)*gap, columns*width + (columns-1)*gap, channels), row by row.

    Cells are separated by ``gap`` light pixels (SEPARATOR_LEVEL) so that dark-background
    digits stay apart; empty cells of the last row have the separator colour too. Values
    outside [0, 1] are clipped; non-finite ones (a diverged generator) are refused.
    """
    images = np.asarray(images)
    if images.ndim != 4 or len(images) == 0:
        raise ValueError(f"images must be a non-empty (k, height, width, channels) array, "
                         f"got shape {images.shape}")
    if columns < 1 or gap < 0:
        raise ValueError(f"need columns >= 1 and gap >= 0, got {columns} and {gap}")
    if not np.isfinite(images).all():
        raise ValueError("images contain NaN or infinite values")
    count, height, width, channels = images.shape
    rows = -(-count // columns)
    grid = np.full((rows * height + (rows - 1) * gap, columns * width + (columns - 1) * gap,
                    channels), SEPARATOR_LEVEL, dtype=np.uint8)
    levels = np.rint(np.clip(images, 0.0, 1.0) * 255).astype(np.uint8)  # (k, h, w, c)
    for index, image in enumerate(levels):
        top = (index // columns) * (height + gap)
        left = (index % columns) * (width + gap)
        grid[top:top + height, left:left + width] = image
    return grid
