"""Python without TensorFlow, as on the GPU machines we can reach (they have JAX, not
TensorFlow): the JAX backend's tests and ``benchmarks/bench_backend.py`` refuse its import, so
a network or train step that quietly needs TensorFlow fails here, not only there."""

from __future__ import annotations

import importlib.abc
import sys


class WithoutTensorFlow(importlib.abc.MetaPathFinder):
    """Makes ``import tensorflow`` fail as it does where TensorFlow is not installed.

    A ``sys.modules["tensorflow"] = None`` entry would not do: Keras takes the name's presence
    there as TensorFlow being in use, and its preprocessing layers then ask it for graph mode.
    """

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "tensorflow" or name.startswith("tensorflow."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def refuse_tensorflow() -> None:
    """From now on, this interpreter cannot import TensorFlow (call before importing Keras)."""
    if not any(isinstance(finder, WithoutTensorFlow) for finder in sys.meta_path):
        sys.meta_path.insert(0, WithoutTensorFlow())
