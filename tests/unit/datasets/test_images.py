"""Decoding real image files of every common kind, and refusing the dangerous ones."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cnnviz.datasets.images import decode_image, read_size
from cnnviz.errors import ImageError, ImageTooLargeError
from tests.helpers.imagefiles import write_image


def forged_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` x ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b""))


@pytest.mark.parametrize("suffix", [".jpg", ".png", ".bmp", ".webp", ".tiff", ".gif"])
def test_common_formats_decode_to_rgb(tmp_path: Path, suffix: str) -> None:
    path = write_image(tmp_path / f"image{suffix}", size=(12, 17))
    array = decode_image(path)
    assert array.shape == (12, 17, 3) and array.dtype == np.uint8
    assert read_size(path) == (12, 17)


def test_grayscale_stays_one_channel(tmp_path: Path) -> None:
    path = write_image(tmp_path / "gray.png", size=(5, 6), mode="L", value=77)
    array = decode_image(path)
    assert array.shape == (5, 6, 1) and (array == 77).all()


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    image = Image.new("RGB", (40, 10), (200, 0, 0))
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise when displayed
    path = tmp_path / "rotated.jpg"
    image.save(path, exif=exif)
    assert decode_image(path).shape == (40, 10, 3)


def test_alpha_is_composited_on_white(tmp_path: Path) -> None:
    path = tmp_path / "alpha.png"
    Image.new("RGBA", (4, 4), (0, 0, 0, 0)).save(path)
    assert (decode_image(path) == 255).all()


def test_palette_and_sixteen_bit_and_cmyk(tmp_path: Path) -> None:
    palette = tmp_path / "palette.png"
    adaptive = Image.new("RGB", (6, 6), (10, 200, 30)).convert("P", palette=Image.Palette.ADAPTIVE)
    adaptive.save(palette)
    assert tuple(decode_image(palette)[0, 0]) == (10, 200, 30)

    sixteen = tmp_path / "sixteen.png"
    Image.fromarray(np.full((4, 4), 65535, dtype=np.uint16)).save(sixteen)
    decoded = decode_image(sixteen)
    assert decoded.shape == (4, 4, 1) and (decoded == 255).all()

    cmyk = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (5, 5), (0, 255, 255, 0)).save(cmyk)
    red = decode_image(cmyk)[2, 2]
    assert red[0] > 200 and red[1] < 60 and red[2] < 60


def test_gif_gives_first_frame(tmp_path: Path) -> None:
    path = tmp_path / "anim.gif"
    frames = [Image.new("RGB", (8, 8), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    first = decode_image(path)[0, 0]
    assert first[0] > 200 and first[2] < 50


def test_truncated_and_non_images_raise_image_error(tmp_path: Path) -> None:
    good = write_image(tmp_path / "good.jpg", size=(64, 64))
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(good.read_bytes()[:300])
    text = tmp_path / "notes.png"
    text.write_text("not an image at all")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    for path in (truncated, text, empty):
        with pytest.raises(ImageError):
            decode_image(path)


def test_eps_is_never_opened(tmp_path: Path) -> None:
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"
    with pytest.raises(ImageError, match="supported format"):
        decode_image(eps)


def test_forged_header_is_refused_before_decoding() -> None:
    bomb = forged_png(10_000, 10_000)
    assert len(bomb) < 100
    with pytest.raises(ImageTooLargeError, match="pixels"):
        decode_image(bomb)
    with pytest.raises(ImageTooLargeError):
        read_size(bomb)


def test_pixel_cap_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30)).save(buffer, format="PNG")
    monkeypatch.setenv("CNNVIZ_MAX_IMAGE_PIXELS", "800")
    with pytest.raises(ImageTooLargeError):
        decode_image(buffer.getvalue())
    monkeypatch.setenv("CNNVIZ_MAX_IMAGE_PIXELS", "900")
    assert decode_image(buffer.getvalue()).shape == (30, 30, 3)


def test_an_image_cut_off_after_its_header_raises_image_error() -> None:
    """The header reads (so the size is known) but the pixel data stops half-way."""
    noise = np.random.default_rng(0).integers(0, 255, (64, 64, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, format="PNG")
    cut = buffer.getvalue()[: len(buffer.getvalue()) * 6 // 10]
    assert read_size(cut) == (64, 64)
    with pytest.raises(ImageError, match="damaged or truncated"):
        decode_image(cut)


def test_a_header_pillow_would_only_warn_about_is_refused(monkeypatch) -> None:
    """With the cap raised above Pillow's own limit, Pillow merely warns about a 100-megapixel
    header (it errors only at twice its limit); the warning is turned into a refusal."""
    monkeypatch.setenv("CNNVIZ_MAX_IMAGE_PIXELS", str(10**9))
    with pytest.raises(ImageTooLargeError):
        read_size(forged_png(10_000, 10_000))
