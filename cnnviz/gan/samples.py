"""What a GAN run's folder holds for the pages: the monitor grids saved after every epoch, and
which runs are GANs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from cnnviz import runs
from cnnviz.datasets.spec import DatasetSpec

MONITOR_NAME = re.compile(r"epoch_(\d{4,})\.png$")


def monitor_epochs(run_dir: Path) -> list[int]:
    """The epochs that have a monitor grid, in order."""
    folder = run_dir / "samples"
    if not folder.is_dir():
        return []
    return sorted(int(match.group(1)) for path in folder.iterdir()
                  if (match := MONITOR_NAME.search(path.name)))


def read_monitor(run_dir: Path, epoch: int) -> np.ndarray:
    """The monitor grid of ``epoch`` as (height, width, 1 or 3) uint8."""
    with Image.open(run_dir / "samples" / f"epoch_{epoch:04d}.png") as image:
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
            and run["status"].get("state") == "finished"
            and runs.read_config(run["run_id"]).dataset == dataset]
