"""A grid of small images with captions, shared by the results pages."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st


def image_grid(images: np.ndarray | Sequence[np.ndarray], captions: Sequence[str],
               columns: int = 6) -> None:
    """Images (one array, or a list of images of different sizes) row by row, ``columns`` per
    row, each stretched to its column with its caption."""
    for start in range(0, len(images), columns):
        cells = st.columns(columns)
        for cell, image, caption in zip(cells, images[start:start + columns],
                                        captions[start:start + columns]):
            cell.image(image, caption=caption, width="stretch", clamp=True)
