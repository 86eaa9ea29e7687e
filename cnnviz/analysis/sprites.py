"""Many small images packed into one picture (a sprite sheet), so that a chart in the browser
can show any of them on hover from a single download instead of thousands of files."""

from __future__ import annotations

import io
import math

import cv2
import numpy as np
from PIL import Image


def sprite_sheet(images: np.ndarray,
                 side: int = 32) -> tuple[np.ndarray, int, tuple[int, int]]:
    """Images (k, height, width, 1 or 3) uint8 as one sheet: image ``i`` sits in cell
    (i // columns, i % columns). Images larger than ``side`` are shrunk (area averaging) so
    that their longest side is ``side``. Returns the sheet (rows*tile_h, columns*tile_w, c),
    the number of columns, and the tile size (tile_h, tile_w) in pixels."""
    if images.ndim != 4 or not len(images):
        raise ValueError("A sprite sheet needs a batch of images (k, height, width, channels)")
    count, height, width, channels = images.shape
    scale = min(1.0, side / max(height, width))
    tile_h, tile_w = max(1, round(height * scale)), max(1, round(width * scale))
    columns = math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    sheet = np.zeros((rows * tile_h, columns * tile_w, channels), np.uint8)
    for index, image in enumerate(images):
        if (tile_h, tile_w) != (height, width):
            image = cv2.resize(image, (tile_w, tile_h), interpolation=cv2.INTER_AREA)
            image = image.reshape(tile_h, tile_w, channels)
        row, column = divmod(index, columns)
        sheet[row * tile_h:(row + 1) * tile_h, column * tile_w:(column + 1) * tile_w] = image
    return sheet, columns, (tile_h, tile_w)


def png_bytes(image: np.ndarray) -> bytes:
    """(height, width, 1 or 3) uint8 as PNG file bytes."""
    buffer = io.BytesIO()
    Image.fromarray(image[..., 0] if image.shape[-1] == 1 else image).save(buffer, format="PNG",
                                                                           optimize=True)
    return buffer.getvalue()
