"""The arithmetic of one convolution and one pooling, step by step, for the explainer page
(report D's teaching figures: a kernel sliding over a 5x5 binary input to fill a feature map;
max pooling).

Like Keras' ``Conv2D`` (and unlike the flipped kernel of a textbook convolution) the window is
multiplied by the kernel as it is, a cross-correlation: the tests check every number against
``scipy.signal.correlate2d`` and a Keras layer with the same kernel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Report D's 5x5 binary input: a small "X".
REPORT_D_GRID = np.array([
    [1, 0, 0, 0, 1],
    [0, 1, 0, 1, 0],
    [0, 0, 1, 0, 0],
    [0, 1, 0, 1, 0],
    [1, 0, 0, 0, 1],
], dtype=np.float64)

KERNEL_PRESETS: dict[str, np.ndarray] = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=np.float64),
    "vertical_edges": np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=np.float64),
    "horizontal_edges": np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]], dtype=np.float64),
    "outline": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], dtype=np.float64),
    "blur": np.full((3, 3), 1 / 9, dtype=np.float64),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float64),
    "emboss": np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], dtype=np.float64),
    "diagonal": np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float64),
}


@dataclass(frozen=True)
class Step:
    """One position of the sliding window."""

    row: int  # the output cell being filled
    column: int
    top: int  # the window's corner in the padded input
    left: int
    window: np.ndarray  # (k, k) input values under the window
    products: np.ndarray  # (k, k) window * kernel (for pooling: the window itself)
    value: float  # what the output cell receives


def output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    """floor((size + 2 * padding - kernel) / stride) + 1, the formula shown on the page."""
    if kernel < 1 or stride < 1 or padding < 0:
        raise ValueError("The kernel and stride must be at least 1 and the padding not negative")
    if size + 2 * padding < kernel:
        raise ValueError(f"A {kernel}x{kernel} window does not fit in a {size}x{size} input "
                         f"with padding {padding}")
    return (size + 2 * padding - kernel) // stride + 1


def same_padding(kernel: int) -> int:
    """The zero padding that keeps the size at stride 1 (Keras ``padding="same"``, odd kernels)."""
    return (kernel - 1) // 2


def padded(image: np.ndarray, padding: int) -> np.ndarray:
    """``image`` (height, width) with ``padding`` rows and columns of zeros around it."""
    return np.pad(np.asarray(image, dtype=np.float64), padding)


def convolution_steps(image: np.ndarray, kernel: np.ndarray, stride: int = 1,
                      padding: int = 0) -> tuple[np.ndarray, list[Step]]:
    """The feature map (rows, columns) of ``kernel`` (k, k) slid over ``image`` (h, w), and
    every step in the order the window moves: left to right, top to bottom."""
    kernel = np.asarray(kernel, dtype=np.float64)
    size = kernel.shape[0]
    if kernel.shape != (size, size):
        raise ValueError("The kernel must be square")
    rows = output_size(image.shape[0], size, stride, padding)
    columns = output_size(image.shape[1], size, stride, padding)
    source = padded(image, padding)
    output = np.zeros((rows, columns))
    steps = []
    for row in range(rows):
        for column in range(columns):
            top, left = row * stride, column * stride
            window = source[top:top + size, left:left + size]
            products = window * kernel
            output[row, column] = products.sum()
            steps.append(Step(row, column, top, left, window, products, float(products.sum())))
    return output, steps


def pooling_steps(feature_map: np.ndarray, size: int = 2, stride: int = 2,
                  mode: str = "max") -> tuple[np.ndarray, list[Step]]:
    """Max or average pooling of ``feature_map`` (h, w) with ``size`` windows (Keras
    ``MaxPooling2D``/``AveragePooling2D`` with ``padding="valid"``), step by step."""
    if mode not in ("max", "average"):
        raise ValueError("Pooling is 'max' or 'average'")
    rows = output_size(feature_map.shape[0], size, stride, 0)
    columns = output_size(feature_map.shape[1], size, stride, 0)
    output = np.zeros((rows, columns))
    steps = []
    for row in range(rows):
        for column in range(columns):
            top, left = row * stride, column * stride
            window = np.asarray(feature_map[top:top + size, left:left + size], dtype=np.float64)
            value = float(window.max() if mode == "max" else window.mean())
            output[row, column] = value
            steps.append(Step(row, column, top, left, window, window, value))
    return output, steps


def pending_cells(shape: tuple[int, ...], steps: list[Step], done: int) -> np.ndarray:
    """True for the output cells the first ``done`` steps have not filled yet."""
    pending = np.ones(shape, dtype=bool)
    for step in steps[:done]:
        pending[step.row, step.column] = False
    return pending


def waiting_for_input(shape: tuple[int, ...], steps: list[Step],
                      pending_input: np.ndarray) -> np.ndarray:
    """True for the output cells whose window still covers an input cell not computed yet
    (``pending_input``, True = not yet): pooling waits for the convolution steps it needs."""
    waiting = np.zeros(shape, dtype=bool)
    for step in steps:
        size = step.window.shape[0]
        waiting[step.row, step.column] = bool(
            pending_input[step.top:step.top + size, step.left:step.left + size].any())
    return waiting


def next_step(current: int, total: int) -> int:
    """The step after ``current`` (1-based) when playing, back to the first after the last."""
    return current % total + 1 if total > 0 else 1


def relu(values: np.ndarray) -> np.ndarray:
    """max(0, x): what the activation after a convolution keeps."""
    return np.maximum(np.asarray(values, dtype=np.float64), 0.0)


def convolution_formula(step: Step, kernel: np.ndarray) -> str:
    """The sum a student checks by hand: ``1×1 + 0×(-1) + … = 3``."""
    terms = [f"{value:.3g}×{weight:.3g}" if weight >= 0 else f"{value:.3g}×({weight:.3g})"
             for value, weight in zip(step.window.ravel(), np.asarray(kernel).ravel())]
    return " + ".join(terms) + f" = {step.value:.3g}"


def pooling_formula(step: Step, mode: str) -> str:
    """``max(0, 3, 1, 2) = 3`` or ``mean(...) = 1.5``."""
    values = ", ".join(f"{value:.3g}" for value in step.window.ravel())
    return f"{'max' if mode == 'max' else 'mean'}({values}) = {step.value:.3g}"


def digit_image(index: int) -> np.ndarray:
    """Image ``index`` of scikit-learn's 8x8 handwritten digits, values in [0, 1]: a real
    picture small enough to convolve by hand, available offline."""
    from sklearn.datasets import load_digits

    images = load_digits().images
    return np.asarray(images[index % len(images)], dtype=np.float64) / 16.0
