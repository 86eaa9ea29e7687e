"""Models: specs, the architecture registry, the block builder's shape plan and model building.

Importing this package does not import TensorFlow (the home page lists architectures without
it); only ``build_model(...)`` and :func:`layer_table` need Keras, and ``layer_table`` is loaded
on first use.
"""

from __future__ import annotations

from typing import Any

from cnnviz.models.build import BuiltModel, build_model
from cnnviz.models.builder import LayerPlan, plan_shapes
from cnnviz.models.registry import ARCHITECTURES, MLP_PRESETS, Architecture
from cnnviz.models.spec import BlockSpec, ModelSpec

__all__ = [
    "ARCHITECTURES", "MLP_PRESETS", "Architecture", "BlockSpec", "BuiltModel", "LayerPlan",
    "ModelSpec", "build_model", "layer_table", "plan_shapes",
]


def __getattr__(name: str) -> Any:
    """Load ``layer_table`` (which imports Keras) only when someone asks for it."""
    if name == "layer_table":
        from cnnviz.models.layers import layer_table

        return layer_table
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
