"""One entry point that turns a ModelSpec into a ready Keras model.

The engine and the pages call only :func:`build_model`: it checks what Keras would report as a
cryptic error (unknown architecture, fewer than two classes, a bad input shape) and says it in
words a student can act on, seeds the weights for reproducible runs, and hands back what the
engine must know besides the model: whether the output is logits, and notices for the user
(for example that ImageNet weights were unavailable).

Importing this module does not import TensorFlow; :func:`build_model` does.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cnnviz.errors import InvalidSpecError
from cnnviz.models.registry import ARCHITECTURES
from cnnviz.models.spec import ModelSpec

if TYPE_CHECKING:
    import keras


@dataclass(frozen=True)
class BuiltModel:
    """A freshly built model and what the engine needs to train it."""

    model: keras.Model  # Functional, layers named; `embedding` and `predictions` always exist
    outputs_logits: bool  # True: compile the loss with from_logits=True
    notices: list[str] = field(default_factory=list)  # things the user should read, in order


def build_model(
    spec: ModelSpec,
    input_shape: tuple[int, int, int],
    num_classes: int,
    l1: float = 0.0,
    l2: float = 0.0,
    seed: int | None = None,
) -> BuiltModel:
    """Build ``spec.architecture`` for images of ``input_shape`` and ``num_classes`` classes.

    ``l1``/``l2`` penalise the kernels of the conv and dense layers we create (never a
    pre-trained base). With ``seed`` the initial weights are the same on every call.
    Raises :class:`InvalidSpecError` when the combination cannot work.
    """
    architecture = ARCHITECTURES.get(spec.architecture)
    if architecture is None:
        raise InvalidSpecError(
            "error.build.unknown_architecture_use", architecture=spec.architecture,
            architectures=', '.join(ARCHITECTURES))
    if num_classes < 2:
        raise InvalidSpecError(
            "error.build.classifier_needs_least_classes", num_classes=num_classes)
    if len(input_shape) != 3 or min(input_shape) < 1:
        raise InvalidSpecError(
            "error.build.input_shape_height_width", input_shape=tuple(input_shape))
    if l1 < 0 or l2 < 0:
        raise InvalidSpecError("error.build.regularisation_strengths_cannot_negative")
    input_shape = tuple(int(size) for size in input_shape)

    import keras

    if seed is not None:
        keras.utils.set_random_seed(seed)
    module_name, function_name = architecture.build_function.split(":")
    build_function = getattr(importlib.import_module(module_name), function_name)
    if architecture.family == "transfer":
        model, notices = build_function(spec, input_shape, num_classes, l1, l2)
    else:
        model, notices = build_function(spec, input_shape, num_classes, l1, l2), []
    return BuiltModel(model=model, outputs_logits=architecture.outputs_logits, notices=notices)
