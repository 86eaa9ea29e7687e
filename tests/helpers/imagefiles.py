"""Small real image files and folders for tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image


def write_image(path: Path, size: tuple[int, int] = (20, 30), mode: str = "RGB",
                value: int = 128, **save_options) -> Path:
    """Write a real image of ``size`` = (height, width); the format follows the suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    height, width = size
    rng = np.random.default_rng(value)
    if mode == "RGB":
        pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        pixels[..., 0] = value % 256
        image = Image.fromarray(pixels, "RGB")
    else:
        image = Image.new(mode, (width, height), value)
    image.save(path, **save_options)
    return path


def make_class_folder(root: Path, counts: dict[str, int], size=(20, 30), suffix=".png") -> Path:
    """root/<class>/<i>.png with ``counts[class]`` images each; pixel value depends on class."""
    for class_index, (name, count) in enumerate(counts.items()):
        for index in range(count):
            write_image(root / name / f"{index}{suffix}", size, value=40 * class_index + index)
    return root
