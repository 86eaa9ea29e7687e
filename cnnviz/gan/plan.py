"""Which image sizes the DCGAN can draw, checked without importing TensorFlow (the GAN page
checks the chosen dataset before a run is started)."""

from __future__ import annotations

from cnnviz.errors import InvalidSpecError

MAX_UPSAMPLINGS = 3
SMALLEST_START = 7  # report E starts from 8x8; 7x7 lets 28-pixel images (MNIST) in


def upsampling_plan(image_shape: tuple[int, int, int]) -> tuple[int, int]:
    """(start size, number of stride-2 upsamplings) to reach the images' size: the most
    upsamplings (up to three) that keep the start map whole and at least 7x7."""
    height, width = image_shape[:2]
    if height != width:
        raise InvalidSpecError(
            "error.gan_plan.dcgan_draws_square_images", height=height, width=width)
    for count in range(MAX_UPSAMPLINGS, 0, -1):
        start, remainder = divmod(height, 2 ** count)
        if remainder == 0 and start >= SMALLEST_START:
            return start, count
    raise InvalidSpecError("error.gan_plan.dcgan_cannot_draw_x", height=height)
