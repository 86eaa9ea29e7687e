"""Pictures written into an export, drawn without a browser (TensorBoard shows images, not
Plotly figures)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

# Largest side of the matrix part of the picture; cells shrink for many classes.
MATRIX_PIXELS = 720
# Cells narrower than this get no count written in them (the digits would not fit).
MIN_LABELLED_CELL = 22
# Class names longer than this are cut on the picture.
MAX_NAME_CHARACTERS = 18
# The app's primary colour: a cell holding the whole row is drawn in it, an empty one white.
FULL_ROW_COLOUR = np.array([37, 99, 235], np.float64)
TITLE = "rows: true class, columns: predicted class"


def confusion_picture(counts: np.ndarray, class_names: list[str]) -> np.ndarray:
    """The confusion matrix (true classes as rows, predictions as columns) as an RGB picture
    (height, width, 3) uint8: each cell coloured by its share of the row, with its count."""
    classes = len(class_names)
    if counts.shape != (classes, classes):
        raise ValueError(f"counts must be ({classes}, {classes}), not {counts.shape}")
    cell = int(np.clip(MATRIX_PIXELS // max(classes, 1), 4, 48))
    font = ImageFont.load_default(size=max(8, min(14, cell // 2)))
    names = [f"{index} {name[:MAX_NAME_CHARACTERS]}" for index, name in enumerate(class_names)]
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    left = 12 + max(int(measure.textlength(name, font=font)) for name in names) \
        if cell >= MIN_LABELLED_CELL else 12
    top = 40
    title_font = ImageFont.load_default(size=14)
    width = max(left + classes * cell, 12 + int(measure.textlength(TITLE, font=title_font)))
    picture = Image.new("RGB", (width + 12, top + classes * cell + 12), "white")
    draw = ImageDraw.Draw(picture)
    draw.text((6, 6), TITLE, fill="black", font=title_font)
    totals = np.maximum(counts.sum(axis=1, keepdims=True), 1)
    shares = counts / totals
    for row in range(classes):
        if cell >= MIN_LABELLED_CELL:
            draw.text((6, top + row * cell + cell // 2), names[row], fill="black", font=font,
                      anchor="lm")
            draw.text((left + row * cell + cell // 2, top - 4), str(row), fill="black",
                      font=font, anchor="mb")
        for column in range(classes):
            colour = 255 + (FULL_ROW_COLOUR - 255) * shares[row, column]
            box = (left + column * cell, top + row * cell,
                   left + (column + 1) * cell - 1, top + (row + 1) * cell - 1)
            draw.rectangle(box, fill=tuple(int(value) for value in colour))
            if cell >= MIN_LABELLED_CELL and counts[row, column]:
                draw.text((box[0] + cell // 2, box[1] + cell // 2), str(int(counts[row, column])),
                          fill="white" if shares[row, column] > 0.5 else "black", font=font,
                          anchor="mm")
    return np.asarray(picture, dtype=np.uint8)
