"""Checking image files before they are used: readable header, sane size.

Reading headers only is cheap (no pixel is decoded), runs in threads, and lets a dataset of
200,000 files report its unreadable ones up front instead of crashing mid-epoch.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cnnviz.datasets.images import IMAGE_SUFFIXES, read_size
from cnnviz.datasets.raw import SkippedFile
from cnnviz.errors import ImageError


@dataclass
class ScanResult:
    """Which of the scanned files can be used, their sizes, and the ones left out."""

    readable: np.ndarray  # (n,) bool, in the order the paths were given
    sizes: np.ndarray  # (n, 2) int (height, width); 0 where unreadable
    skipped: list[SkippedFile]


def scan_images(paths: list[str], workers: int = 8) -> ScanResult:
    """Read the header of every file in ``paths``; unreadable ones are listed with a reason."""
    sizes = np.zeros((len(paths), 2), dtype=np.int64)
    readable = np.zeros(len(paths), dtype=bool)
    skipped: list[SkippedFile] = []

    def check(index: int) -> tuple[int, tuple[int, int] | None, str | None]:
        try:
            return index, read_size(paths[index]), None
        except ImageError as error:
            return index, None, str(error)
        except OSError as error:
            return index, None, f"cannot be opened ({error.strerror or error})"

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for index, size, reason in pool.map(check, range(len(paths)), chunksize=256):
            if size is None:
                skipped.append(SkippedFile(paths[index], reason or "unreadable"))
            else:
                sizes[index] = size
                readable[index] = True
    return ScanResult(readable=readable, sizes=sizes, skipped=skipped)


def is_image_name(path: Path) -> bool:
    """Whether a file's suffix names an image format we read."""
    return path.suffix.lower() in IMAGE_SUFFIXES


def is_hidden(path: Path) -> bool:
    """Dot files and macOS resource forks (``__MACOSX``, ``._x.jpg``) are never images."""
    return path.name.startswith(".") or path.name == "__MACOSX"
