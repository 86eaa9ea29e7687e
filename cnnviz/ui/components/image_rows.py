"""Rows of images: a grid with captions (the results pages), a row named by its class (the
Dataset page's samples)."""

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


def labelled_image_row(label: str, images: Sequence[np.ndarray], width: int = 8) -> None:
    """``label`` in bold, then up to ``width`` images stretched to equal columns."""
    columns = st.columns([2] + [1] * width)
    columns[0].markdown(f"**{label}**")
    for column, image in zip(columns[1:], images):
        column.image(image, width="stretch", clamp=True)
