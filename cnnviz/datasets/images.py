"""Safe decoding of one image file into a uint8 array.

Pillow reads only the header at ``Image.open``, so the pixel count is checked before a single
pixel is decoded (a 67-byte PNG can declare 10000x10000). Only plain raster formats are
accepted: EPS and other formats that shell out to external programs are never opened.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from cnnviz.errors import ImageError, ImageTooLargeError

ACCEPTED_FORMATS = ("JPEG", "PNG", "BMP", "WEBP", "TIFF", "GIF")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff", ".gif")
# What a browser upload of one image may be (suffixes without the dot, as st.file_uploader wants).
UPLOAD_TYPES = tuple(suffix.lstrip(".") for suffix in IMAGE_SUFFIXES)

# 40 megapixels: a large phone photo decodes; a forged header asking for gigabytes does not.
DEFAULT_MAX_PIXELS = 40_000_000


def max_pixels() -> int:
    """The pixel cap (``CNNVIZ_MAX_IMAGE_PIXELS`` overrides the default)."""
    return int(os.environ.get("CNNVIZ_MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS))


def read_size(source: str | Path | bytes) -> tuple[int, int]:
    """The (height, width) an image declares, reading its header only."""
    with _open(source) as image:
        width, height = image.size
    return height, width


def decode_image(source: str | Path | bytes) -> np.ndarray:
    """Decode a file (path or bytes) into (height, width, 1 or 3) uint8, upright.

    EXIF orientation is applied, the first frame of an animation is taken, palette, 16-bit,
    CMYK and other modes are converted, and transparency is composited onto white (drawings
    and sketches use a transparent background for paper).
    """
    with _open(source) as image:
        try:
            image.load()
            image = ImageOps.exif_transpose(image) or image
            return _to_uint8_array(image)
        except (OSError, ValueError, SyntaxError) as error:
            raise ImageError(
                "error.images.damaged_truncated", name=_name(source), error=error) from error


def _open(source: str | Path | bytes) -> Image.Image:
    """Open the header of an accepted format and refuse it when it declares too many pixels."""
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(handle, formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageTooLargeError(
            "error.images.declares_far_more_pixels", name=_name(source),
            max_pixels=max_pixels()) from error
    except UnidentifiedImageError as error:
        raise ImageError("error.images.not_image_supported_format", name=_name(source)) from error
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageError("error.filelist.cannot_read", name=_name(source), error=error) from error
    width, height = image.size
    if width * height > max_pixels():
        image.close()
        raise ImageTooLargeError(
            "error.images.declares_x_pixels_more", name=_name(source), width=width,
            height=height, max_pixels=max_pixels())
    if width < 1 or height < 1:
        image.close()
        raise ImageError("error.images.no_pixels", name=_name(source))
    return image


def _to_uint8_array(image: Image.Image) -> np.ndarray:
    """Any Pillow mode to (height, width, 1) grayscale or (height, width, 3) RGB uint8."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") or values.max() > 255 else 255.0
        gray = np.clip(values / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return gray[..., np.newaxis]
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode in ("1", "L"):
        return np.asarray(image.convert("L"), dtype=np.uint8)[..., np.newaxis]
    return np.asarray(image.convert("RGB"), dtype=np.uint8)


def _name(source: str | Path | bytes) -> str:
    return "The uploaded file" if isinstance(source, bytes) else Path(source).name
